"""Petition steps and their deadlines, ratings, likes: the services, with dated steps."""
import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback import services
from motcua.feedback.models import Petition, PetitionEvent, PetitionStatus, Rating
from motcua.feedback.services import FeedbackError
from motcua.units.models import Role, UnitKind
from tests import factories
from tests.factories import at

pytestmark = pytest.mark.django_db
MONDAY = at(2026, 10, 5, 9)  # answer due Mon 26 Oct 09:00; reject due Wed 7 Oct; request info due Mon 12 Oct


@pytest.fixture
def desk():
    commune = factories.unit("X01", "Xã Một", kind=UnitKind.COMMUNE)
    other = factories.unit("X02", "Xã Hai", kind=UnitKind.COMMUNE)
    return {"unit": commune, "other": other, "reception": factories.officer(commune, Role.RECEPTION),
            "head": factories.officer(commune, Role.HEAD), "other_head": factories.officer(other, Role.HEAD),
            "province": factories.officer(commune.parent, Role.PROVINCIAL_OFFICE)}


def submit(unit, when=MONDAY, **extra):
    fields = dict(petitioner_name="Trần Thị B", petitioner_phone="0987654321", title="Thái độ cán bộ",
                  content="Cán bộ hướng dẫn không rõ.", category="staff")
    return services.submit_petition(unit=unit, at=when, **{**fields, **extra})


def test_submission_starts_the_fifteen_working_day_clock(desk):
    p = submit(desk["unit"])
    assert p.status == PetitionStatus.RECEIVED and p.code.startswith("PAKN-261005-")
    assert p.due_at == at(2026, 10, 26, 9) and p.missed_at is None
    assert list(p.events.values_list("action", flat=True)) == ["submit"]


def test_each_step_records_its_deadline_and_a_late_step_marks_the_petition(desk):
    p = submit(desk["unit"])
    services.act(p, "request_info", actor=desk["reception"], note="Xin thời gian, địa điểm.", at=at(2026, 10, 12, 9))
    event = p.events.get(action="request_info")
    assert (event.due_at, event.on_time) == (at(2026, 10, 12, 9), True) and p.missed_at is None
    services.supply_info(p, phone="0987654321", note="Sáng 2/10 tại quầy.", at=at(2026, 10, 13, 9))
    services.act(p, "answer", actor=desk["reception"], note="Đã nhắc nhở cán bộ.", at=at(2026, 10, 27, 9))
    assert p.missed_at == at(2026, 10, 26, 9) and p.due_at == at(2026, 10, 29, 9)  # publish ≤ 2 working days
    services.act(p, "publish", actor=desk["head"], at=at(2026, 10, 28, 9))
    assert p.status == PetitionStatus.PUBLISHED and p.closed_at == at(2026, 10, 28, 9) and p.due_at is None
    assert [e.on_time for e in p.events.order_by("at")] == [None, True, None, False, True]


def test_a_transfer_restarts_the_clock_at_the_new_unit(desk):
    p = submit(desk["unit"])
    services.act(p, "transfer", actor=desk["reception"], note="Thuộc xã Hai.", to_unit=desk["other"],
                 at=at(2026, 10, 19, 9))
    assert p.unit == desk["other"] and p.clock_started_at == at(2026, 10, 19, 9)
    assert p.due_at == at(2026, 11, 9, 9) and p.missed_at is None
    # The first unit can no longer act on it; the new one can.
    with pytest.raises(FeedbackError, match="không có quyền"):
        services.act(p, "reject", actor=desk["reception"], note="x", at=at(2026, 10, 20, 9))
    services.act(p, "reject", actor=desk["other_head"], note="Trùng nội dung.", at=at(2026, 10, 21, 9))
    assert p.status == PetitionStatus.REJECTED and p.missed_at is None  # 2 days from the transfer


def test_only_the_head_publishes_and_the_provincial_office_only_transfers(desk):
    p = submit(desk["unit"])
    services.act(p, "answer", actor=desk["reception"], note="Trả lời.", at=at(2026, 10, 6, 9))
    with pytest.raises(FeedbackError, match="không có quyền"):
        services.act(p, "publish", actor=desk["reception"], at=at(2026, 10, 6, 10))
    q = submit(desk["unit"])
    with pytest.raises(FeedbackError, match="không có quyền"):
        services.act(q, "answer", actor=desk["province"], note="x", at=at(2026, 10, 6, 9))
    services.act(q, "transfer", actor=desk["province"], note="Chuyển đúng nơi.", to_unit=desk["other"],
                 at=at(2026, 10, 6, 9))
    assert q.unit == desk["other"]


def test_bad_steps_are_refused_and_change_nothing(desk):
    p = submit(desk["unit"])
    before = (p.status, p.events.count())
    cases = [
        (dict(action="publish", actor=desk["head"]), "Không thể công khai trả lời"),
        (dict(action="answer", actor=desk["reception"], note="  "), "Hãy nhập nội dung"),
        (dict(action="transfer", actor=desk["reception"], note="x", to_unit=desk["unit"]), "đơn vị khác"),
        (dict(action="answer", actor=desk["reception"], note="x", at=at(2026, 10, 4, 9)), "sớm hơn"),
    ]
    for kwargs, message in cases:
        kwargs.setdefault("at", at(2026, 10, 6, 9))
        with pytest.raises(FeedbackError, match=message):
            services.act(p, kwargs.pop("action"), **kwargs)
    with pytest.raises(FeedbackError, match="Số điện thoại không khớp"):
        services.supply_info(p, phone="0900000000", note="x", at=at(2026, 10, 6, 9))
    p.refresh_from_db()
    assert (p.status, p.events.count()) == before


def test_re_raising_links_to_a_closed_petition_of_the_same_petitioner(desk):
    first = submit(desk["unit"])
    with pytest.raises(FeedbackError, match="vẫn đang được xử lý"):
        submit(desk["unit"], earlier=first)
    services.act(first, "reject", actor=desk["reception"], note="Không rõ nội dung.", at=at(2026, 10, 6, 9))
    with pytest.raises(FeedbackError, match="Số điện thoại không khớp"):
        submit(desk["unit"], earlier=first, petitioner_phone="0911111111")
    again = submit(desk["unit"], at(2026, 10, 7, 9), earlier=first)
    assert list(first.re_raises.all()) == [again]
    assert Petition.objects.count() == 2


def test_a_dossier_petition_must_name_the_units_dossier(desk):
    proc = factories.procedure(level="commune")
    dossier = Dossier.objects.create(code="D1", procedure=proc, unit=desk["other"], received_unit=desk["other"],
                                     applicant_kind="individual", applicant_name="B", applicant_id="1",
                                     channel="direct", status=Status.RETURNED)
    with pytest.raises(FeedbackError, match="không do đơn vị"):
        submit(desk["unit"], dossier=dossier)
    assert submit(desk["other"], dossier=dossier).dossier == dossier


def test_rating_only_a_returned_dossier_once(desk):
    proc = factories.procedure(level="commune")
    dossier = Dossier.objects.create(code="D1", procedure=proc, unit=desk["unit"], received_unit=desk["unit"],
                                     applicant_kind="individual", applicant_name="B", applicant_id="1",
                                     channel="direct", status=Status.IN_PROCESS)
    with pytest.raises(FeedbackError, match="đã trả kết quả"):
        services.rate_dossier(dossier, satisfied=True)
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED)
    dossier.refresh_from_db()
    services.rate_dossier(dossier, satisfied=False, comment=" Chờ lâu ")
    with pytest.raises(FeedbackError, match="đã được đánh giá"):
        services.rate_dossier(dossier, satisfied=True)
    assert list(Rating.objects.values_list("satisfied", "comment")) == [(False, "Chờ lâu")]


def test_likes_and_dislikes_one_per_voter(desk):
    p = submit(desk["unit"])
    with pytest.raises(FeedbackError, match="đã công khai"):
        services.react(p, voter="a", like=True)
    services.act(p, "answer", actor=desk["reception"], note="Trả lời.", at=at(2026, 10, 6, 9))
    services.act(p, "publish", actor=desk["head"], at=at(2026, 10, 6, 10))
    services.react(p, voter="a", like=True)
    services.react(p, voter="a", like=True)
    services.react(p, voter="b", like=False)
    services.react(p, voter="c", like=False)
    assert (p.likes, p.dislikes) == (1, 2)
    services.react(p, voter="c", like=True)  # changed their mind
    assert (p.likes, p.dislikes) == (2, 1)
    assert PetitionEvent.objects.filter(petition=p).count() == 3
