"""The attack: anonymous online submissions at 37/s used up a unit's 9,999 daily codes in 4.5
minutes, after which the desk could receive no one. Now one identification number submits at most
MOTCUA_LIMITS["submissions_per_identifier_per_day"] dossiers a day, a client at most the "submit"
rate, and online submissions stop short of the codes kept for the desk — which still receives."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierCodeCounter
from motcua.dossiers.services import Applicant
from motcua.dossiers.transitions import Action, Status
from motcua.payments.services import open_dossier_owing_fees
from tests import factories as f
from tests.limits.conftest import assert_throttled_api, assert_throttled_page, submit_page

pytestmark = pytest.mark.django_db
CAP = 10  # MOTCUA_LIMITS["submissions_per_identifier_per_day"]


def desk_receives(world, identifier=f.VALID_PID):
    return open_dossier_owing_fees(
        procedure=world["procedure"], unit=world["commune"], channel=Channel.DIRECT, action=Action.RECEIVE,
        actor=world["reception"], applicant=Applicant(ApplicantKind.INDIVIDUAL, "Đinh Văn H", identifier))


def api_submission(world, **extra):
    return {"procedure_code": world["procedure"].code, "unit_id": world["commune"].pk,
            "applicant_kind": "individual", "applicant_name": "Đinh Văn H", "applicant_id": f.VALID_PID,
            "component_ids": [world["component"].pk],
            "files": [SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 x", "application/pdf")], **extra}


def test_one_number_submits_at_most_the_daily_cap_then_the_desk_still_receives(world, client):
    for n in range(CAP):  # from different addresses: the cap is the number's, not the client's
        assert submit_page(client, world, f"203.0.113.{n}").status_code == 302
    refused = submit_page(client, world, "198.51.100.1")
    text = assert_throttled_page(refused)
    assert f"được nộp tối đa {CAP} hồ sơ trực tuyến trong một ngày" in text and "bộ phận một cửa" in text
    assert Dossier.objects.filter(channel=Channel.ONLINE).count() == CAP
    over_api = client.post("/api/v1/submissions", api_submission(world), REMOTE_ADDR="198.51.100.2")
    assert "tối đa 10 hồ sơ trực tuyến" in assert_throttled_api(over_api)
    assert Dossier.objects.filter(channel=Channel.ONLINE).count() == CAP
    # Another number still submits, and the desk receives the capped applicant in person.
    other = client.post("/api/v1/submissions", api_submission(world, applicant_id="024090005678"),
                        REMOTE_ADDR="198.51.100.3")
    assert other.status_code == 201
    at_desk = desk_receives(world)
    assert at_desk.status == Status.RECEIVED and at_desk.code.endswith(f"-{CAP + 2:04d}")


def test_one_client_submits_at_most_the_submit_rate(world, client):
    for n in range(20):  # MOTCUA_RATE_LIMITS["submit"]["client"] = "20/h", each under its own number
        response = client.post("/api/v1/submissions", api_submission(world, applicant_id=f"0240900{n:05d}"))
        assert response.status_code == 201, response.json()
    assert_throttled_api(client.post("/api/v1/submissions", api_submission(world, applicant_id="024090099999")))
    assert Dossier.objects.count() == 20


def test_online_submissions_leave_the_desk_its_reserved_codes(world, client, settings):
    """Many numbers from many addresses (a botnet with made-up numbers): the unit's online codes
    run out at 9,999 − desk_reserved_codes; the desk goes on receiving."""
    reserved = settings.MOTCUA_LIMITS["desk_reserved_codes"]
    DossierCodeCounter.objects.create(unit=world["commune"], day=timezone.localdate(), last=9999 - reserved - 1)
    last_online = client.post("/api/v1/submissions", api_submission(world, applicant_id="024090000001"))
    assert last_online.status_code == 201 and last_online.json()["code"].endswith(f"-{9999 - reserved:04d}")
    refused = client.post("/api/v1/submissions", api_submission(world, applicant_id="024090000002"),
                          REMOTE_ADDR="198.51.100.4")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "online_codes_exhausted"
    assert "nộp trực tiếp tại bộ phận một cửa" in refused.json()["error"]["message"]
    page = submit_page(client, world, "198.51.100.5", applicant_id="024090000003")
    assert page.status_code == 200 and "Hôm nay đơn vị đã nhận đủ số hồ sơ trực tuyến" in page.content.decode()
    assert Dossier.objects.count() == 1
    assert DossierCodeCounter.objects.get().last == 9999 - reserved  # refusals took no code
    at_desk = desk_receives(world, "024090000002")
    assert at_desk.code.endswith(f"-{9999 - reserved + 1:04d}") and at_desk.status == Status.RECEIVED
