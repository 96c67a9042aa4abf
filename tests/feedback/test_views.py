"""The petition pages per role, the public petition pages, and rating from the tracking page."""
import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback import services
from motcua.feedback.models import Petition, PetitionStatus, Rating
from motcua.units.models import Role, UnitKind
from tests import factories

pytestmark = pytest.mark.django_db
PHONE = "0987654321"


@pytest.fixture
def setup():
    commune = factories.unit("X01", "Xã Một", kind=UnitKind.COMMUNE)
    other = factories.unit("X02", "Xã Hai", kind=UnitKind.COMMUNE)
    mine = services.submit_petition(unit=commune, petitioner_name="Trần Thị B", petitioner_phone=PHONE,
                                    title="Phản ánh của xã Một", content="Nội dung.", category="procedure")
    theirs = services.submit_petition(unit=other, petitioner_name="Lê C", petitioner_phone="0911111111",
                                      title="Phản ánh của xã Hai", content="Nội dung.", category="other")
    officers = {role: factories.officer(commune, role) for role in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    officers[Role.PROVINCIAL_OFFICE] = factories.officer(commune.parent, Role.PROVINCIAL_OFFICE)
    return {"unit": commune, "other": other, "mine": mine, "theirs": theirs, "officers": officers}


def test_anonymous_visitors_are_sent_to_log_in(client, setup):
    response = client.get(reverse("feedback:queue"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PROCESSING, Role.HEAD])
def test_unit_officers_see_only_their_units_petitions(client, setup, role):
    client.force_login(setup["officers"][role])
    page = client.get(reverse("feedback:queue")).content.decode()
    assert setup["mine"].code in page and setup["theirs"].code not in page
    assert client.get(reverse("feedback:detail", args=[setup["mine"].code])).status_code == 200
    assert client.get(reverse("feedback:detail", args=[setup["theirs"].code])).status_code == 404
    response = client.post(reverse("feedback:step", args=[setup["theirs"].code, "answer"]), {"note": "x"})
    assert response.status_code == 404
    assert Petition.objects.get(pk=setup["theirs"].pk).status == PetitionStatus.RECEIVED


def test_the_provincial_office_sees_every_unit(client, setup):
    client.force_login(setup["officers"][Role.PROVINCIAL_OFFICE])
    page = client.get(reverse("feedback:queue")).content.decode()
    assert setup["mine"].code in page and setup["theirs"].code in page


def test_an_officer_answers_and_the_head_publishes(client, setup):
    code = setup["mine"].code
    client.force_login(setup["officers"][Role.PROCESSING])
    response = client.post(reverse("feedback:step", args=[code, "answer"]), {"note": "  "}, follow=True)
    assert "Hãy nhập nội dung" in response.content.decode()
    assert Petition.objects.get(code=code).status == PetitionStatus.RECEIVED
    client.post(reverse("feedback:step", args=[code, "answer"]), {"note": "Đã giải quyết."})
    response = client.post(reverse("feedback:step", args=[code, "publish"]), follow=True)
    assert "không có quyền" in response.content.decode()
    client.force_login(setup["officers"][Role.HEAD])
    client.post(reverse("feedback:step", args=[code, "publish"]))
    assert Petition.objects.get(code=code).status == PetitionStatus.PUBLISHED
    assert "Đã giải quyết." in client.get(reverse("feedback:published")).content.decode()


def test_transferring_out_returns_to_the_queue(client, setup):
    client.force_login(setup["officers"][Role.RECEPTION])
    response = client.post(reverse("feedback:step", args=[setup["mine"].code, "transfer"]),
                           {"note": "Thuộc xã Hai.", "to_unit": setup["other"].pk})
    assert response["Location"] == reverse("feedback:queue")
    assert Petition.objects.get(pk=setup["mine"].pk).unit == setup["other"]


def test_the_public_submits_and_tracks_a_petition(client, setup):
    data = {"unit": setup["unit"].pk, "category": "procedure", "title": "Hướng dẫn chưa rõ",
            "content": "Đề nghị niêm yết rõ thành phần hồ sơ.", "petitioner_name": "Phạm D",
            "petitioner_phone": "09xx", "dossier_code": "", "earlier_code": ""}
    response = client.post(reverse("feedback:submit"), data)
    assert "Số điện thoại không hợp lệ." in response.content.decode() and Petition.objects.count() == 2
    response = client.post(reverse("feedback:submit"), {**data, "dossier_code": "KHONG-CO"})
    assert "Không tìm thấy hồ sơ có mã này." in response.content.decode() and Petition.objects.count() == 2
    response = client.post(reverse("feedback:submit"), {**data, "petitioner_phone": "0901234567"}, follow=True)
    petition = Petition.objects.get(title="Hướng dẫn chưa rõ")
    assert petition.code in response.content.decode() and "Đang xử lý" in response.content.decode()
    wrong = client.get(reverse("feedback:track"), {"ma": petition.code, "dt": PHONE}).content.decode()
    assert "Không tìm thấy phản ánh" in wrong


def test_the_petitioner_supplies_information_from_the_tracking_page(client, setup):
    services.act(setup["mine"], "request_info", actor=setup["officers"][Role.RECEPTION], note="Thời gian cụ thể?")
    client.post(reverse("feedback:supply"), {"ma": setup["mine"].code, "dt": PHONE, "note": "Ngày 2/10."})
    assert Petition.objects.get(pk=setup["mine"].pk).status == PetitionStatus.RECEIVED


def test_readers_like_or_dislike_a_published_answer(client, setup):
    p = setup["mine"]
    services.act(p, "answer", actor=setup["officers"][Role.RECEPTION], note="Trả lời.")
    services.act(p, "publish", actor=setup["officers"][Role.HEAD])
    client.post(reverse("feedback:vote", args=[p.code]), {"like": "0"})
    client.post(reverse("feedback:vote", args=[p.code]), {"like": "0"})
    assert Petition.objects.filter(pk=p.pk).values_list("likes", "dislikes").get() == (0, 1)
    assert client.post(reverse("feedback:vote", args=[setup["theirs"].code]), {"like": "1"}).status_code == 404


def test_the_applicant_rates_a_returned_dossier_from_the_tracking_page(client, setup):
    proc = factories.procedure(level="commune")
    dossier = Dossier.objects.create(code="X01-1", procedure=proc, unit=setup["unit"], received_unit=setup["unit"],
                                     applicant_kind="individual", applicant_name="B", applicant_id=factories.VALID_PID,
                                     channel="direct", status=Status.RETURNED)
    lookup = {"ma": dossier.code, "so": factories.VALID_PID}
    assert "Đánh giá mức độ hài lòng" in client.get(reverse("portal:lookup"), lookup, follow=True).content.decode()
    response = client.post(reverse("feedback:rate"), {**lookup, "comment": "x"}, follow=True)
    assert "Hãy chọn hài lòng" in response.content.decode() and not Rating.objects.exists()
    assert client.post(reverse("feedback:rate"), {"ma": dossier.code, "so": "000", "satisfied": "1"}).status_code == 404
    page = client.post(reverse("feedback:rate"), {**lookup, "satisfied": "0", "comment": "Chờ lâu"},
                       follow=True).content.decode()
    assert "Cảm ơn bạn đã đánh giá." in page and "Không hài lòng" in page and "Gửi đánh giá" not in page
    assert Rating.objects.get().satisfied is False
