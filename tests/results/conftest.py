import shutil
import subprocess

import pytest
from weasyprint import HTML

from motcua.catalogue.models import Fee
from motcua.payments.models import PageTariff
from motcua.results import identities
from motcua.units.models import Role, UnitKind
from tests import factories as f


def pdfsig(path) -> str:
    """poppler's verdict on a file (no OCSP: nothing leaves the machine)."""
    tool = shutil.which("pdfsig")
    if tool is None:
        pytest.fail("poppler's pdfsig is needed: apt-get install poppler-utils (make test does it)")
    return subprocess.run([tool, "-no-ocsp", str(path)], capture_output=True, text=True).stdout


def tamper(pdf: bytes) -> bytes:
    """The signed file with one byte of its first (signed) content changed."""
    changed = bytearray(pdf)
    changed[300] ^= 0x01
    return bytes(changed)


@pytest.fixture
def scan_pdf() -> bytes:
    return HTML(string="<p>Bằng tốt nghiệp</p><p style='page-break-before:always'>Trang 2</p>"
                       "<p style='page-break-before:always'>Trang 3</p>").write_pdf()


@pytest.fixture
def desk(db):
    d = f.desk()
    identities.issue_test_identity(d["unit"])
    return d


@pytest.fixture
def commune(db):
    unit = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    proc = f.procedure(code="2.000815", name="Chứng thực bản sao từ bản chính", level="commune", time_limit="1",
                       time_unit="in_day")
    fee = Fee.objects.create(procedure=proc, name="Lệ phí chứng thực bản sao", amount_vnd=2000, per_page=True)
    PageTariff.objects.create(fee=fee, first_pages=2, first_page_vnd=2000, later_page_vnd=1000, max_per_copy_vnd=200000)
    return {"unit": unit, "procedure": proc,
            **{r.value: f.officer(unit, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}}
