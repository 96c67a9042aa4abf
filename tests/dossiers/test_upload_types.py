"""Uploads are typed by their first bytes, never by their name or Content-Type, at every door of the
pages and services (the API's: tests/api/test_upload_types.py; results, certified copies and
verification: tests/results/test_upload_types.py): HTML, scripts and executables
are refused whatever they are called, with a clear message, and nothing is written; names are
sanitised."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import Component
from motcua.dossiers.files import FileRejected, checked_type, safe_name, sniffed_type, store_bytes
from motcua.dossiers.models import ComponentFile, Dossier, DossierEvent
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.units.models import Role, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
HTML = b"<!DOCTYPE html><html><script>fetch('/mot-cua/')</script></html>"
# (name, content, the Content-Type the client claims): each lies about what it is.
DISGUISED = [
    ("a.pdf", HTML, "application/pdf"),
    ("anh.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "image/png"),  # a Windows executable
    ("scan.jpg", b"\x7fELF\x02\x01\x01\x00", "image/jpeg"),  # a Linux executable
    ("to-khai.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"),
    ("x.pdf", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "application/pdf"),
    ("x.pdf", b" %PDF-1.4 a header that does not start the file", "application/pdf"),
]
REFUSED = "phải là tệp PDF, JPEG hoặc PNG (nhận biết theo nội dung tệp"


def test_the_type_is_read_from_the_first_bytes():
    assert [sniffed_type(c) for c in (PDF, PNG, JPEG, HTML, b"")] == [
        "application/pdf", "image/png", "image/jpeg", None, None]
    assert checked_type(PNG) == "image/png"
    for _name, content, _claimed in DISGUISED:
        with pytest.raises(FileRejected, match="không được chấp nhận"):
            checked_type(content)
    with pytest.raises(FileRejected) as refused:
        checked_type(PNG, frozenset({"application/pdf"}), what="Kết quả tải lên")
    assert refused.value.message.startswith("Kết quả tải lên phải là tệp PDF (nhận biết theo nội dung tệp")
    with pytest.raises(FileRejected, match="tệp rỗng"):
        checked_type(b"")


def test_storage_refuses_a_declared_type_the_content_does_not_have(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(FileRejected, match="Nội dung tệp là PNG, không phải 'application/pdf'"):
        store_bytes(PNG, "application/pdf")
    with pytest.raises(FileRejected, match="không được chấp nhận"):
        store_bytes(HTML, "text/html")
    assert not any(tmp_path.rglob("*"))


@pytest.mark.parametrize("given, content_type, stored", [
    ("to-khai.pdf", "application/pdf", "to-khai.pdf"),
    ("Bản sao CCCD.PDF", "application/pdf", "Bản sao CCCD.pdf"),
    ("a.html.pdf", "image/png", "a.html.png"),  # the extension of what it is
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("C:\\Users\\x\\scan.jpg", "image/jpeg", "scan.jpg"),
    ("<b onclick=alert(1)>x</b>.pdf", "application/pdf", "b.pdf"),  # "/" splits: the last part is kept
    ("<img src=x onerror=alert(1)>.pdf", "application/pdf", "img src_x onerror_alert(1).pdf"),
    ("evil\r\nContent-Type: text\x00.pdf", "application/pdf", "evilContent-Type_ text.pdf"),
    ("mẫu\u202egpj.exe", "image/jpeg", "mẫugpj.jpg"),  # a right-to-left override hides the real extension
    ("", "image/png", "tep.png"),
    ("...", "application/pdf", "tep.pdf"),
    ("x" * 300 + ".pdf", "application/pdf", "x" * 116 + ".pdf"),
])
def test_stored_names_are_sanitised(given, content_type, stored):
    assert safe_name(given, content_type) == stored


# -- the desk -----------------------------------------------------------------------------------


@pytest.fixture
def desk(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dept = f.unit()
    procedure = f.procedure(agency=dept, time_limit="3")
    form = Component.objects.create(procedure=procedure, order=1, name="Tờ khai", original_count=1)
    reception = f.officer(dept, Role.RECEPTION)
    client.force_login(reception)
    return {"unit": dept, "procedure": procedure, "form": form, "client": client, "media": tmp_path}


def _receive(desk, upload):
    data = {"procedure": desk["procedure"].pk, "channel": "direct", "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID, f"file_{desk['form'].pk}": upload}
    return desk["client"].post(reverse("dossiers:receive"), data)


@pytest.mark.parametrize("name, content, claimed", DISGUISED)
def test_the_desk_refuses_a_disguised_scan_and_writes_nothing(desk, name, content, claimed):
    page = _receive(desk, SimpleUploadedFile(name, content, claimed))
    assert page.status_code == 200 and f"Tờ khai {REFUSED}" in page.content.decode()
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0 and ComponentFile.objects.count() == 0
    assert not any(desk["media"].rglob("*.*")) and not (desk["media"] / "components").exists()


def test_the_desk_stores_the_type_of_the_content_under_a_clean_name(desk):
    page = _receive(desk, SimpleUploadedFile("../to khai<1>.pdf", PNG, "application/pdf"))
    assert page.status_code == 302
    stored = ComponentFile.objects.get()
    assert (stored.content_type, stored.original_name) == ("image/png", "to khai_1.png")


# -- online: submission and supplement ----------------------------------------------------------


@pytest.fixture
def online(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=province)
    procedure = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", field="Hộ tịch",
                            time_limit="1", time_unit="in_day", online_level="full")
    component = Component.objects.create(procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh",
                                         original_count=1)
    return {"procedure": procedure, "commune": commune, "component": component,
            **{r: f.officer(commune, r) for r in (Role.RECEPTION, Role.PROCESSING)}}


def _submit(client, online, upload):
    return client.post(reverse("portal:procedure", args=[online["procedure"].code]), {
        "unit": online["commune"].pk, "applicant_kind": "individual", "applicant_name": "Đinh Văn H",
        "applicant_id": f.VALID_PID, f"file_{online['component'].pk}": upload}, follow=True)


def test_online_submission_refuses_html_named_pdf(client, online):
    page = _submit(client, online, SimpleUploadedFile("a.pdf", HTML, "application/pdf"))
    assert f"Tờ khai đăng ký khai sinh {REFUSED}" in page.content.decode()
    assert Dossier.objects.count() == 0 and ComponentFile.objects.count() == 0


def test_a_supplement_refuses_an_executable_named_png(client, online):
    _submit(client, online, SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf"))
    d = Dossier.objects.get()
    transition(d, Action.RECEIVE, actor=online[Role.RECEPTION])
    transition(d, Action.START_PROCESSING, actor=online[Role.PROCESSING])
    transition(d, Action.REQUEST_SUPPLEMENT, actor=online[Role.PROCESSING], reason="Thiếu chữ ký")
    page = client.post(reverse("portal:supplement"), {
        "ma": d.code, "so": f.VALID_PID,
        f"file_{online['component'].pk}": SimpleUploadedFile("anh.png", b"MZ\x90\x00", "image/png")}, follow=True)
    assert REFUSED in page.content.decode()
    assert Dossier.objects.get().status == Status.SUPPLEMENT_REQUESTED and ComponentFile.objects.count() == 1
