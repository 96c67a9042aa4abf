"""Bounds on what citizens send: petition texts no longer than MOTCUA_FEEDBACK_MAX_CHARS, one like
or dislike per person per answer (a new session does not make a new person), one rating per
dossier. Each refusal shows a clear message and changes nothing."""
import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback import services
from motcua.feedback.models import Petition, PetitionEvent, PetitionStatus, Rating, Reaction
from motcua.units.models import Role, UnitKind
from tests import factories

pytestmark = pytest.mark.django_db
PHONE = "0987654321"


@pytest.fixture
def commune(settings):
    settings.MOTCUA_FEEDBACK_MAX_CHARS = 100
    return factories.unit("X01", "Xã Một", kind=UnitKind.COMMUNE)


def _petition(commune, content="Nội dung."):
    return services.submit_petition(unit=commune, petitioner_name="Trần Thị B", petitioner_phone=PHONE,
                                    title="Đường hỏng", content=content, category="procedure")


def test_a_petition_longer_than_the_setting_is_refused(client, commune):
    page = client.post(reverse("feedback:submit"), {
        "unit": commune.pk, "category": "procedure", "title": "Đường hỏng", "content": "x" * 101,
        "petitioner_name": "Trần Thị B", "petitioner_phone": PHONE})
    assert page.status_code == 200
    assert "Nội dung phản ánh dài 101 ký tự, vượt quá giới hạn 100 ký tự." in page.content.decode()
    assert Petition.objects.count() == 0 and PetitionEvent.objects.count() == 0
    assert _petition(commune, "x" * 100 + "   ").content == "x" * 100  # the limit itself, spaces trimmed


def test_the_default_limit_refuses_a_megabyte():
    from django.conf import settings

    assert settings.MOTCUA_FEEDBACK_MAX_CHARS == 5000  # settings.py's default
    with pytest.raises(services.FeedbackError) as refused:
        _petition(factories.unit("X02", "Xã Hai", kind=UnitKind.COMMUNE), "x" * 1_000_000)
    assert refused.value.code == "too_long" and "1,000,000 ký tự" in refused.value.message
    assert Petition.objects.count() == 0


def test_supplied_information_is_bounded_too(client, commune):
    petition = _petition(commune)
    services.act(petition, "request_info", actor=factories.officer(commune, Role.RECEPTION), note="Ở đâu?")
    page = client.post(reverse("feedback:supply"), {"ma": petition.code, "dt": PHONE, "note": "y" * 101}, follow=True)
    assert "Thông tin bổ sung dài 101 ký tự, vượt quá giới hạn 100 ký tự." in page.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.AWAITING_INFO


def _published(commune):
    petition = _petition(commune)
    services.act(petition, "answer", actor=factories.officer(commune, Role.RECEPTION), note="Đã sửa.")
    services.act(petition, "publish", actor=factories.officer(commune, Role.HEAD))
    return petition


def test_one_like_per_person_even_with_a_new_session_each_time(commune):
    petition = _published(commune)
    url = reverse("feedback:vote", args=[petition.code])
    for _ in range(5):  # a fresh client: no session cookie, as a script that drops it would do
        Client(REMOTE_ADDR="203.0.113.9").post(url, {"like": "1"})
    counts = lambda: Petition.objects.filter(pk=petition.pk).values_list("likes", "dislikes").get()  # noqa: E731
    assert counts() == (1, 0) and Reaction.objects.count() == 1
    Client(REMOTE_ADDR="203.0.113.9").post(url, {"like": "0"})  # a change of mind replaces the vote
    assert counts() == (0, 1)
    Client(REMOTE_ADDR="198.51.100.4").post(url, {"like": "1"})  # another person
    assert counts() == (1, 1) and Reaction.objects.count() == 2
    assert not Reaction.objects.filter(voter__contains="203.0.113.9").exists()  # no address is stored


def test_one_rating_per_dossier_from_the_tracking_page(client, commune):
    dossier = Dossier.objects.create(code="X01-1", procedure=factories.procedure(level="commune"), unit=commune,
                                     received_unit=commune, applicant_kind="individual", applicant_name="B",
                                     applicant_id=factories.VALID_PID, channel="direct", status=Status.RETURNED)
    lookup = {"ma": dossier.code, "so": factories.VALID_PID}
    too_long = client.post(reverse("feedback:rate"), {**lookup, "satisfied": "1", "comment": "z" * 101}, follow=True)
    assert "Ý kiến đánh giá dài 101 ký tự, vượt quá giới hạn 100 ký tự." in too_long.content.decode()
    assert not Rating.objects.exists()
    client.post(reverse("feedback:rate"), {**lookup, "satisfied": "0", "comment": "Chờ lâu"})
    again = Client().post(reverse("feedback:rate"), {**lookup, "satisfied": "1"}, follow=True)
    assert "Hồ sơ này đã được đánh giá." in again.content.decode()
    assert Rating.objects.values_list("satisfied", "comment").get() == (False, "Chờ lâu")
