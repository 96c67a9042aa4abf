"""The other public doors: supplement uploads, petitions (sending and following), likes, ratings
and signature verification uploads are refused with 429 (Vietnamese, Retry-After) past their rate,
and a refused request writes nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.feedback.models import Petition
from tests import factories as f
from tests.limits.conftest import assert_throttled_api, assert_throttled_page, submitted

pytestmark = pytest.mark.django_db


def petition_form(world, phone="0912345678", **extra):
    return {"unit": world["commune"].pk, "category": "procedure", "title": "Chậm trả kết quả",
            "content": "Hồ sơ của tôi quá hạn.", "petitioner_name": "Nguyễn Văn A", "petitioner_phone": phone, **extra}


def test_supplement_uploads_are_limited_per_dossier(world, client):
    dossier = submitted(world)
    transition(dossier, Action.RECEIVE, actor=world["reception"])
    transition(dossier, Action.REQUEST_SUPPLEMENT, actor=world["reception"], reason="Ảnh mờ")
    for n in range(10):  # "supplement": dossier "10/h" (empty uploads: refused, nothing attached)
        response = client.post("/api/v1/lookup/supplement", {"code": dossier.code, "id": f.VALID_PID},
                               REMOTE_ADDR=f"203.0.113.{n}")
        assert response.status_code == 400
    components = dossier.components.count()
    upload = {"code": dossier.code, "id": f.VALID_PID, "component_ids": [world["component"].pk],
              "files": [SimpleUploadedFile("b.pdf", b"%PDF-1.4 b", "application/pdf")]}
    assert_throttled_api(client.post("/api/v1/lookup/supplement", upload, REMOTE_ADDR="198.51.100.1"))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_REQUESTED
    assert dossier.components.count() == components


def test_petitions_are_limited_per_client_and_per_phone(world, client):
    for n in range(5):  # "petition": phone "5/d"
        assert client.post(reverse("feedback:submit"), petition_form(world),
                           REMOTE_ADDR=f"203.0.113.{n}").status_code == 302
    assert_throttled_page(client.post(reverse("feedback:submit"), petition_form(world), REMOTE_ADDR="198.51.100.1"))
    for n in range(10):  # "petition": client "10/h"
        assert client.post(reverse("feedback:submit"), petition_form(world, phone=f"09120000{n:02d}")).status_code == 302
    text = assert_throttled_page(client.post(reverse("feedback:submit"), petition_form(world, phone="0988888888")))
    assert "quá nhiều yêu cầu" in text
    assert Petition.objects.count() == 15


def test_following_petitions_by_guessing_codes_is_stopped(world, client):
    client.post(reverse("feedback:submit"), petition_form(world))
    petition = Petition.objects.get()
    for n in range(20):  # "petition_lookup": phone "20/d", misses
        page = client.get(reverse("feedback:track"), {"ma": f"PA-{n:06d}", "dt": "0912345678"})
        assert page.status_code == 200
    assert_throttled_page(client.get(reverse("feedback:track"), {"ma": petition.code, "dt": "0912345678"},
                                     REMOTE_ADDR="198.51.100.1"))


def test_likes_are_limited_per_client(world, client):
    from motcua.feedback.models import PetitionStatus

    client.post(reverse("feedback:submit"), petition_form(world))
    petition = Petition.objects.get()
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.PUBLISHED)
    for _ in range(60):  # "vote": client "60/h", each from a fresh session as the attack did
        client.cookies.clear()
        assert client.post(reverse("feedback:vote", args=[petition.code]), {"like": "1"}).status_code == 302
    client.cookies.clear()
    assert_throttled_page(client.post(reverse("feedback:vote", args=[petition.code]), {"like": "1"}))


def test_ratings_are_limited_per_dossier(world, client):
    dossier = submitted(world)
    for n in range(5):  # "rate": dossier "5/d"
        client.post(reverse("feedback:rate"), {"ma": dossier.code, "so": f.VALID_PID, "satisfied": "1"},
                    REMOTE_ADDR=f"203.0.113.{n}")
    assert_throttled_page(client.post(reverse("feedback:rate"), {"ma": dossier.code, "so": f.VALID_PID,
                                                                 "satisfied": "0"}, REMOTE_ADDR="198.51.100.1"))


def test_verification_uploads_are_limited_per_client(world, client):
    for _ in range(30):  # "verify": client "30/h"
        response = client.post(reverse("results:verify_upload"),
                               {"file": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")})
        assert response.status_code == 200
    refused = client.post(reverse("results:verify_upload"),
                          {"file": SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")})
    assert_throttled_page(refused)
    assert client.post(reverse("results:verify_upload"), {"file": SimpleUploadedFile(
        "x.pdf", b"not a pdf", "application/pdf")}, REMOTE_ADDR="198.51.100.1").status_code == 200
