"""The PDF-only doors type an upload by its content too: the result upload, the certified-copy
scan, the public verification upload (the other doors: tests/dossiers/test_upload_types.py)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.transitions import Action, Status
from motcua.results import services
from motcua.results.models import CertifiedCopy, SignedDocument
from tests import factories as f
from tests.dossiers.test_upload_types import HTML, PNG
from tests.results.test_services import in_process

pytestmark = pytest.mark.django_db


class Upload(io.BytesIO):
    content_type = "application/pdf"  # what the client claims; never read


def test_a_result_upload_of_html_is_refused(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = in_process(desk)
    with pytest.raises(DossierError, match=r"Kết quả tải lên phải là tệp PDF \(nhận biết theo nội dung tệp"):
        services.complete(d, actor=desk["processing"], upload=Upload(b"%PD" + HTML), at=f.at(2026, 3, 3, 9, 0))
    assert Dossier.objects.get().status == Status.IN_PROCESS
    assert not DossierEvent.objects.filter(action=Action.COMPLETE).exists() and not (tmp_path / "results").exists()


def test_a_certified_copy_scan_must_be_a_pdf_by_its_content(commune):
    d = in_process(commune, commune["procedure"])
    with pytest.raises(DossierError, match="Bản quét bản chính phải là tệp PDF"):
        services.certify_copy(d, actor=commune["head"], scan=PNG, original_name="Giấy khai sinh", paper_copies=1,
                              at=f.at(2026, 3, 2, 14, 0))
    assert Dossier.objects.get(pk=d.pk).status == Status.IN_PROCESS
    assert CertifiedCopy.objects.count() == 0 and SignedDocument.objects.count() == 0


def test_the_verification_upload_refuses_html_named_pdf(client):
    page = client.post("/verify/", {"file": SimpleUploadedFile("kq.pdf", HTML, "application/pdf")})
    assert page.status_code == 200 and "Tệp không phải là PDF đọc được" in page.content.decode()
    assert "fetch(" not in page.content.decode()
