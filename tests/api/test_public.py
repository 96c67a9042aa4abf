"""The public API, no account: procedures (diacritics ignored), online submission, lookup by code
and identifier, supplement, withdrawal; bad input is a 4xx that changes nothing."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import ComponentFile, Dossier, DossierEvent
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.units.models import Role
from tests import factories as f
from tests.api.conftest import API, PDF

pytestmark = pytest.mark.django_db


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


# -- procedures ----------------------------------------------------------------------------------


def test_procedure_search_ignores_diacritics_and_pages(world, client):
    found = client.get(f"{API}/procedures", {"q": "ho tich"}).json()
    assert found["count"] == 1 and found["items"][0]["code"] == "1.001193"
    assert found["items"][0]["name"] == "Đăng ký khai sinh" and found["items"][0]["time_limit"] == "1"
    assert client.get(f"{API}/procedures", {"q": "ĐĂNG KÝ khai"}).json()["count"] == 1
    assert client.get(f"{API}/procedures", {"q": "xay dung"}).json()["count"] == 0
    everything = client.get(f"{API}/procedures", {"page_size": 1, "page": 2}).json()
    assert everything["count"] == 2 and len(everything["items"]) == 1
    assert client.get(f"{API}/procedures", {"page_size": 500}).status_code == 400


def test_a_procedure_guides_the_applicant(world, client):
    p = client.get(f"{API}/procedures/1.001193").json()
    assert p["online_level"] == "full" and p["time_unit"] == "in_day"
    assert [c["id"] for c in p["components"]] == [world["birth_form"].pk]
    assert [u["code"] for u in p["units"]] == ["07627"]  # a commune-level procedure: every commune
    department = client.get(f"{API}/procedures/1.000001").json()
    assert department["fees"] == [{"name": "Lệ phí", "kind": "fee", "amount_vnd": 200_000, "per_page": False}]
    assert [u["code"] for u in department["units"]] == ["STP"]
    assert [s["share_percent"] for s in department["steps"]] == ["10", "60", "30"]
    missing = client.get(f"{API}/procedures/9.999999")
    assert missing.status_code == 404 and error(missing)["code"] == "not_found"


# -- online submission ---------------------------------------------------------------------------


def submission(world, **extra):
    return {"procedure_code": "1.001193", "unit_id": world["commune"].pk, "applicant_kind": "individual",
            "applicant_name": "Đinh Văn H", "applicant_id": f.VALID_PID, "applicant_email": "h@example.vn",
            "component_ids": [world["birth_form"].pk],
            "files": [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")], **extra}


def submit(client, world, **extra):
    return client.post(f"{API}/submissions", submission(world, **extra))


def test_online_submission_then_lookup_by_code_and_identifier(world, client):
    response = submit(client, world)
    assert response.status_code == 201, response.json()
    body = response.json()
    d = Dossier.objects.get(code=body["code"])
    assert (d.status, d.channel, d.unit) == (Status.SUBMITTED_ONLINE, "online", world["commune"])
    assert d.components.get().digitized and body["status_label"] == "Mới đăng ký"
    assert body["allowed_actions"] == ["withdraw"]
    found = client.get(f"{API}/lookup", {"code": d.code, "id": f.VALID_PID})
    assert found.status_code == 200 and found.json()["code"] == d.code
    assert [e["action"] for e in found.json()["events"]] == ["submit_online"]
    # The desk receives it (1 → 2).
    reception = world["commune_reception"]
    transition(d, Action.RECEIVE, actor=reception)
    assert client.get(f"{API}/lookup", {"code": d.code, "id": f.VALID_PID}).json()["status"] == Status.RECEIVED


@pytest.mark.parametrize("change, field", [
    ({"applicant_id": "12345"}, "applicant_id"),
    ({"applicant_id": "999090001234"}, "applicant_id"),
    ({"applicant_kind": "organisation"}, "applicant_id"),  # a personal number is not a tax code
    ({"applicant_email": "not-an-address"}, "applicant_email"),
    ({"applicant_name": "A\x00B"}, "applicant_name"),
    ({"unit_id": 10**6}, "unit_id"),
    ({"procedure_code": "1.000001"}, "procedure_code"),  # not offered online
    ({"component_ids": [], "files": []}, None),  # the required form is missing
    ({"files": [SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload")]}, "files"),
    ({"files": [SimpleUploadedFile("empty.pdf", b"", "application/pdf")]}, None),
])
def test_bad_submissions_are_a_400_and_write_nothing(world, client, change, field):
    response = submit(client, world, **change)
    assert response.status_code == 400, response.json()
    problem = error(response)
    assert problem["message"] and problem["fields"], problem
    assert field is None or field in problem["fields"], problem
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0 and ComponentFile.objects.count() == 0


def test_a_missing_component_is_named_in_vietnamese(world, client):
    response = submit(client, world, component_ids=[], files=[])
    assert "Thành phần bắt buộc" in error(response)["fields"][f"components.{world['birth_form'].pk}"][0]


def test_an_unknown_procedure_is_a_404(world, client):
    response = submit(client, world, procedure_code="9.999999")
    assert response.status_code == 404 and Dossier.objects.count() == 0


# -- lookup, supplement, withdrawal ----------------------------------------------------------------


@pytest.fixture
def submitted(world, client):
    return Dossier.objects.get(code=submit(client, world).json()["code"])


def test_lookup_needs_the_code_and_the_applicants_identifier(submitted, client):
    wrong = client.get(f"{API}/lookup", {"code": submitted.code, "id": "024090009999"})
    assert wrong.status_code == 404 and error(wrong)["code"] == "not_found"
    assert submitted.applicant_name not in wrong.content.decode()
    missing = client.get(f"{API}/lookup", {"code": submitted.code})
    assert missing.status_code == 400 and "id" in error(missing)["fields"]
    malformed = client.get(f"{API}/lookup", {"code": "x/../y", "id": "abc"})
    assert malformed.status_code == 400 and set(error(malformed)["fields"]) == {"code", "id"}


def test_the_applicant_answers_a_supplement_request(world, submitted, client):
    transition(submitted, Action.RECEIVE, actor=world["commune_reception"])
    transition(submitted, Action.REQUEST_SUPPLEMENT, actor=world["commune_reception"], reason="Ảnh mờ",
               event_data={"items": ["Tờ khai rõ nét"]})
    view = client.get(f"{API}/lookup", {"code": submitted.code, "id": f.VALID_PID}).json()
    assert view["status"] == Status.SUPPLEMENT_REQUESTED and "receive_supplement" in view["allowed_actions"]
    asked = view["events"][-1]
    assert (asked["reason"], asked["items"]) == ("Ảnh mờ", ["Tờ khai rõ nét"])

    url = f"{API}/lookup/supplement"
    nothing = client.post(url, {"code": submitted.code, "id": f.VALID_PID})
    assert nothing.status_code == 400 and error(nothing)["code"] == "nothing_uploaded"
    wrong_person = client.post(url, {"code": submitted.code, "id": "024090009999", "component_ids": [
        world["birth_form"].pk], "files": [SimpleUploadedFile("b.pdf", PDF + b"b", "application/pdf")]})
    assert wrong_person.status_code == 404
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUPPLEMENT_REQUESTED

    answered = client.post(url, {"code": submitted.code, "id": f.VALID_PID, "component_ids": [world["birth_form"].pk],
                                 "files": [SimpleUploadedFile("b.pdf", PDF + b"b", "application/pdf")]})
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == Status.IN_PROCESS
    assert submitted.components.count() == 2
    again = client.post(url, {"code": submitted.code, "id": f.VALID_PID, "component_ids": [world["birth_form"].pk],
                              "files": [SimpleUploadedFile("c.pdf", PDF + b"c", "application/pdf")]})
    assert again.status_code == 409 and error(again)["code"] == "status_not_allowed"
    assert submitted.components.count() == 2


def test_the_applicant_withdraws_once(submitted, client, mailoutbox):
    url = f"{API}/lookup/withdraw"
    stranger = client.post(url, {"code": submitted.code, "id": "024090009999", "otp": "123456"},
                           content_type="application/json")
    assert stranger.status_code == 404
    assert Dossier.objects.get(pk=submitted.pk).status == Status.SUBMITTED_ONLINE
    sent = client.post(f"{url}/code", {"code": submitted.code, "id": f.VALID_PID}, content_type="application/json")
    assert sent.status_code == 200 and sent.json() == {"sent_to": "h•••@example.vn", "valid_minutes": 10}
    otp = re.search(r"(?<![-\d])(\d{6})(?![-\d])", mailoutbox[-1].body).group(1)
    withdrawn = client.post(url, {"code": submitted.code, "id": f.VALID_PID, "otp": otp, "reason": "Nộp nhầm"},
                            content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == Status.WITHDRAWN
    assert withdrawn.json()["events"][-1]["reason"] == "Nộp nhầm" and withdrawn.json()["allowed_actions"] == []
    events = DossierEvent.objects.filter(dossier=submitted).count()
    twice = client.post(url, {"code": submitted.code, "id": f.VALID_PID, "otp": otp}, content_type="application/json")
    assert twice.status_code == 409 and error(twice)["code"] == "status_not_allowed"
    assert "Rút hồ sơ" in error(twice)["message"]
    assert DossierEvent.objects.filter(dossier=submitted).count() == events


def test_officer_only_notes_stay_off_the_public_view(world, submitted, client):
    transition(submitted, Action.RECEIVE, actor=world["commune_reception"])
    processing = f.officer(world["commune"], Role.PROCESSING)
    transition(submitted, Action.START_PROCESSING, actor=processing, reason="Ghi chú nội bộ",
               assignee_id=processing.pk)
    view = client.get(f"{API}/lookup", {"code": submitted.code, "id": f.VALID_PID}).json()
    assert "Ghi chú nội bộ" not in str(view) and processing.username not in str(view)
