"""The API's upload doors (reception, online submission, supplement) type files by their content:
a disguised file is a 400 `file_rejected` that writes nothing; an accepted one is stored with the
type it has and a sanitised name. Non-UTF-8 form input is refused, not stored as "�"."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import ComponentFile, Dossier, DossierEvent
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.units.models import Role
from tests import factories as f
from tests.api.conftest import API, as_officer
from tests.dossiers.test_upload_types import DISGUISED, HTML, PDF, PNG, REFUSED

pytestmark = pytest.mark.django_db


def _error(response, status=400) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


def _nothing_written(before: int = 0):
    assert Dossier.objects.count() == before and ComponentFile.objects.count() == before
    assert DossierEvent.objects.count() == before


@pytest.mark.parametrize("name, content, claimed", DISGUISED)
def test_reception_refuses_a_disguised_file(world, name, content, claimed):
    response = as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", {
        "procedure_code": world["procedure"].code, "channel": "direct", "applicant_kind": "individual",
        "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID,
        "component_ids": [world["form"].pk, world["card"].pk],
        "files": [SimpleUploadedFile(name, content, claimed), SimpleUploadedFile("cccd.pdf", PDF, "application/pdf")]})
    problem = _error(response)
    assert problem["code"] == "file_rejected" and f"Tờ khai {REFUSED}" in problem["message"]
    _nothing_written()


def _submission(world, upload, **extra):
    return {"procedure_code": "1.001193", "unit_id": world["commune"].pk, "applicant_kind": "individual",
            "applicant_name": "Đinh Văn H", "applicant_id": f.VALID_PID, "component_ids": [world["birth_form"].pk],
            "files": [upload], **extra}


def test_online_submission_refuses_html_named_pdf_and_keeps_a_png_as_png(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    html_named_pdf = SimpleUploadedFile("a.pdf", HTML, "application/pdf")
    refused = client.post(f"{API}/submissions", _submission(world, html_named_pdf))
    assert _error(refused)["code"] == "file_rejected" and REFUSED in _error(refused)["message"]
    _nothing_written()
    accepted = client.post(f"{API}/submissions",
                           _submission(world, SimpleUploadedFile("..\\giay to.pdf", PNG, "application/pdf")))
    assert accepted.status_code == 201, accepted.json()
    assert ComponentFile.objects.values_list("content_type", "original_name").get() == ("image/png", "giay to.png")


def test_a_supplement_refuses_an_executable_named_png(world, client):
    code = client.post(f"{API}/submissions", _submission(world, SimpleUploadedFile("t.pdf", PDF, "application/pdf")))
    d = Dossier.objects.get(code=code.json()["code"])
    transition(d, Action.RECEIVE, actor=world["commune_reception"])
    transition(d, Action.REQUEST_SUPPLEMENT, actor=world["commune_reception"], reason="Ảnh mờ")
    response = client.post(f"{API}/lookup/supplement", {
        "code": d.code, "id": f.VALID_PID, "component_ids": [world["birth_form"].pk],
        "files": [SimpleUploadedFile("anh.png", b"MZ\x90\x00\x03", "image/png")]})
    assert _error(response)["code"] == "file_rejected"
    assert Dossier.objects.get(pk=d.pk).status == Status.SUPPLEMENT_REQUESTED and ComponentFile.objects.count() == 1


@pytest.mark.parametrize("field, value, message", [
    ("applicant_id", "٠٢٤٠٩٠٠٠١٢٣٤", "Số định danh cá nhân gồm đúng 12 chữ số"),  # Arabic-Indic digits
    ("applicant_id", "０２４０９０００１２３４", "Số định danh cá nhân gồm đúng 12 chữ số"),  # full-width digits
    ("applicant_phone", "０９１２３４５６７８", "Số điện thoại chỉ gồm 8 đến 15 chữ số (0–9)"),
])
def test_identifiers_take_ascii_digits_only(world, client, field, value, message):
    response = client.post(f"{API}/submissions", _submission(
        world, SimpleUploadedFile("t.pdf", PDF, "application/pdf"), **{field: value}))
    assert message in _error(response)["fields"][field][0]
    _nothing_written()


def test_a_form_field_that_is_not_utf8_is_refused(world):
    """A raw multipart body whose applicant name is Latin-1 ("Đinh" cannot be: "Ngô" in cp1252)."""
    boundary = "XyZ"
    fields = {"procedure_code": b"1.001193", "unit_id": str(world["commune"].pk).encode(),
              "applicant_kind": b"individual", "applicant_name": "Ngô Văn".encode("cp1258"),
              "applicant_id": f.VALID_PID.encode(), "component_ids": str(world["birth_form"].pk).encode()}
    parts = [b"--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (k.encode(), v)
             for k, v in fields.items()]
    parts.append(b"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"t.pdf\"\r\n"
                 b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--XyZ--\r\n")
    response = Client().post(f"{API}/submissions", b"".join(parts),
                             content_type=f"multipart/form-data; boundary={boundary}")
    problem = _error(response)
    assert problem["code"] == "not_utf8" and list(problem["fields"]) == ["applicant_name"]
    assert "không phải văn bản UTF-8 hợp lệ (trường: applicant_name)" in problem["message"]
    _nothing_written()


def test_a_query_string_that_is_not_utf8_is_refused(world, client):
    response = client.get(f"{API}/procedures?q=h%F4%20t%EDch")  # "hô tích" in Latin-1
    assert _error(response)["code"] == "not_utf8" and list(_error(response)["fields"]) == ["q"]
    assert client.get(f"{API}/procedures?q=h%C3%B4%20t%E1%BB%8Bch").status_code == 200  # the same in UTF-8


def test_a_json_body_that_is_not_utf8_is_refused(submitted_code, client):
    response = client.post(f"{API}/lookup/withdraw", b'{"code": "%s", "id": "%s", "reason": "r\xfat"}' % (
        submitted_code.encode(), f.VALID_PID.encode()), content_type="application/json")
    assert _error(response)["code"] == "malformed_body"  # the JSON reader decodes strictly
    assert Dossier.objects.get(code=submitted_code).status == Status.SUBMITTED_ONLINE


@pytest.fixture
def submitted_code(world, client):
    return client.post(f"{API}/submissions",
                       _submission(world, SimpleUploadedFile("t.pdf", PDF, "application/pdf"))).json()["code"]
