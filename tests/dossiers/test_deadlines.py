"""Early warning on the real province calendar: on track / at risk / overdue, the scan, notices."""
from fractions import Fraction
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.catalogue.models import ProcessStep
from motcua.dossiers.deadlines import Thresholds, assess, deadline_state, format_working_time, scan_deadlines
from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.models import ApplicantKind, Channel, DeadlineState, Dossier, DossierEvent, OutboxMessage
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Actor
from motcua.notify.models import Notification
from motcua.units.models import Role
from motcua.workdays.services import province_calendar
from tests import factories as f

pytestmark = pytest.mark.django_db
CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID)
ON_TRACK, AT_RISK, OVERDUE = DeadlineState.ON_TRACK, DeadlineState.AT_RISK, DeadlineState.OVERDUE
DEFAULT = Thresholds()


@pytest.fixture
def desk():
    desk = f.desk()
    dept = desk["unit"]
    desk["five_days"] = f.procedure(code="1.000005", agency=dept, time_limit="5")
    desk["deputy"] = f.officer(dept, Role.HEAD, username="stp-deputy")
    for key, email in [("processing", "xuly@stp.example"), ("head", "lanhdao@stp.example")]:
        desk[key].email = email
        desk[key].save(update_fields=["email"])
    return desk


def received(desk, at, procedure="procedure", start=True, **params):
    d = open_dossier(procedure=desk[procedure], unit=desk["unit"], applicant=CITIZEN, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=desk["reception"], at=at)
    if start:
        transition(d, Action.START_PROCESSING, actor=desk["processing"], at=d.received_at,
                   assignee_id=desk["processing"].pk, **params)
    return d


def state(d, now):
    return deadline_state(d, now, province_calendar(), DEFAULT)


# -- the dossier's clock ------------------------------------------------------------------------


@pytest.mark.parametrize("now, expected, remaining", [
    (f.at(2026, 3, 3, 9, 0), ON_TRACK, Fraction(2)),
    (f.at(2026, 3, 4, 9, 0), ON_TRACK, Fraction(1)),  # exactly the threshold: still on track
    (f.at(2026, 3, 4, 9, 1), AT_RISK, Fraction(449, 450)),
    (f.at(2026, 3, 4, 12, 30), AT_RISK, Fraction(2, 3)),  # lunch: the clock stands still
    (f.at(2026, 3, 5, 9, 0), AT_RISK, Fraction(0)),  # due now
    (f.at(2026, 3, 5, 9, 1), OVERDUE, Fraction(-1, 450)),
])
def test_dossier_clock_boundaries(desk, now, expected, remaining):
    d = received(desk, f.at(2026, 3, 2, 9, 0))  # Monday 09:00 + 3 working days
    assert d.appointment_at == f.at(2026, 3, 5, 9, 0)
    verdict = assess(d, now, province_calendar(), DEFAULT)
    assert (verdict.state, verdict.clock_state, verdict.remaining) == (expected, expected, remaining)
    assert not verdict.paused and verdict.step_state is None


def test_a_friday_close_is_overdue_by_the_clock(desk):
    """Due Friday 17:00: overdue from 17:00:01, over the weekend too, though no office time has run
    (the index's ON_TIME compares instants: service-index.md)."""
    d = received(desk, f.at(2026, 3, 2, 7, 30), procedure="five_days")
    assert d.current_appointment_at == f.at(2026, 3, 6, 17, 0)  # Friday close
    assert state(d, f.at(2026, 3, 6, 17, 0)) == AT_RISK
    assert state(d, f.at(2026, 3, 6, 17, 0, 1)) == OVERDUE
    assert state(d, f.at(2026, 3, 7, 12, 0)) == OVERDUE  # Saturday
    assert state(d, f.at(2026, 3, 9, 7, 30)) == OVERDUE


def test_tet_holidays_do_not_count(desk):
    # Wednesday 11 Feb 2026 + 3 working days: Thu 12, Fri 13, then Tết (14–22 Feb) → Monday 23 Feb.
    d = received(desk, f.at(2026, 2, 11, 9, 0))
    assert d.appointment_at == f.at(2026, 2, 23, 9, 0)
    assert state(d, f.at(2026, 2, 12, 9, 0)) == ON_TRACK
    # Ten calendar days to go, but only 6.5 office hours: at risk before the holiday.
    friday = assess(d, f.at(2026, 2, 13, 10, 0), province_calendar(), DEFAULT)
    assert (friday.state, friday.remaining) == (AT_RISK, Fraction(13, 15))
    # During Tết the clock stands at Friday's close: 1.5 office hours of Monday are left.
    tet = assess(d, f.at(2026, 2, 18, 12, 0), province_calendar(), DEFAULT)
    assert (tet.state, tet.remaining) == (AT_RISK, Fraction(1, 5))
    assert state(d, f.at(2026, 2, 23, 9, 0)) == AT_RISK
    assert state(d, f.at(2026, 2, 23, 9, 1)) == OVERDUE


# -- a paused clock ----------------------------------------------------------------------------


@pytest.mark.parametrize("requested, expected, remaining", [
    (f.at(2026, 3, 3, 9, 0), ON_TRACK, Fraction(2)),  # two working days left when asked
    (f.at(2026, 3, 4, 10, 0), AT_RISK, Fraction(13, 15)),  # 6.5 office hours left when asked
    (f.at(2026, 3, 5, 10, 0), OVERDUE, Fraction(-2, 15)),  # asked after the appointment had passed
])
def test_supplement_request_pauses_the_clock(desk, requested, expected, remaining):
    d = received(desk, f.at(2026, 3, 2, 9, 0))  # due Thu 5 Mar 09:00
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=requested)
    for now in (requested, f.at(2026, 3, 20, 9, 0), f.at(2026, 6, 1, 9, 0)):  # however long it takes
        verdict = assess(d, now, province_calendar(), DEFAULT)
        assert (verdict.state, verdict.remaining, verdict.paused) == (expected, remaining, True)


def test_clock_resumes_after_the_supplement_and_a_second_request_counts_as_overdue(desk):
    d = received(desk, f.at(2026, 3, 2, 9, 0))
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    transition(d, Action.RECEIVE_SUPPLEMENT, actor=desk["reception"], at=f.at(2026, 3, 20, 9, 0))
    assert d.current_appointment_at == f.at(2026, 3, 24, 9, 0)  # 13 working days paused
    assert d.appointment_at == f.at(2026, 3, 5, 9, 0)
    assert state(d, f.at(2026, 3, 20, 9, 0)) == ON_TRACK
    assert state(d, f.at(2026, 3, 23, 10, 0)) == AT_RISK
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 20, 10, 0),
               acknowledge_overdue=True)
    verdict = assess(d, f.at(2026, 3, 20, 10, 0), province_calendar(), DEFAULT)
    assert verdict.remaining > 1 and verdict.state == OVERDUE


def test_dossiers_without_a_clock_are_not_judged(desk):
    online = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN, channel=Channel.ONLINE,
                          action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, at=f.at(2026, 3, 2, 9, 0))
    done = received(desk, f.at(2026, 3, 2, 9, 0))
    transition(done, Action.COMPLETE, actor=desk["head"], at=f.at(2026, 3, 10, 9, 0))
    for d in (online, done):
        assert state(d, f.at(2026, 4, 1, 9, 0)) == ON_TRACK


# -- the current step --------------------------------------------------------------------------


@pytest.fixture
def in_review(desk):
    """5 working days (Mon 07:30 → Fri 17:00); step "Thẩm định" (60 % = 3 days) due Wed 17:00.
    Step threshold: 20 % × 3 days = 0.6 day = 4.5 office hours."""
    step = ProcessStep.objects.get(procedure=desk["five_days"], name="Thẩm định")
    return received(desk, f.at(2026, 3, 2, 7, 30), procedure="five_days", current_step_id=step.pk,
                    step_deadline_at=f.at(2026, 3, 4, 17, 0))


@pytest.mark.parametrize("now, expected, step_expected", [
    (f.at(2026, 3, 4, 10, 30), ON_TRACK, ON_TRACK),  # exactly 4.5 office hours left in the step
    (f.at(2026, 3, 4, 10, 31), AT_RISK, AT_RISK),  # the dossier itself still has 2.6 days
    (f.at(2026, 3, 5, 8, 0), AT_RISK, OVERDUE),  # a late step puts the dossier at risk, not overdue
    (f.at(2026, 3, 6, 16, 0), AT_RISK, OVERDUE),
    (f.at(2026, 3, 9, 8, 0), OVERDUE, OVERDUE),
])
def test_step_deadline_risk(desk, in_review, now, expected, step_expected):
    d = Dossier.objects.select_related("current_step").get(pk=in_review.pk)
    verdict = assess(d, now, province_calendar(), DEFAULT)
    assert verdict.step_threshold == Fraction(3, 5)
    assert (verdict.state, verdict.step_state) == (expected, step_expected)


def test_a_step_deadline_without_a_step_is_not_judged(desk):
    # e.g. left on the row by a transfer to another unit, which clears the step
    d = received(desk, f.at(2026, 3, 2, 7, 30), procedure="five_days", step_deadline_at=f.at(2026, 3, 3, 17, 0))
    verdict = assess(d, f.at(2026, 3, 4, 8, 0), province_calendar(), DEFAULT)
    assert verdict.step_state is None and verdict.state == ON_TRACK


def test_a_supplement_pause_moves_the_step_deadline_it_interrupted(desk, in_review):
    # Step "Thẩm định" due Wed 17:00; the clock stops Tue 07:30 → Thu 07:30: two working days.
    transition(in_review, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 7, 30))
    transition(in_review, Action.RECEIVE_SUPPLEMENT, actor=desk["reception"], at=f.at(2026, 3, 5, 7, 30))
    d = Dossier.objects.select_related("current_step").get(pk=in_review.pk)
    assert d.current_appointment_at == f.at(2026, 3, 10, 17, 0)
    verdict = assess(d, f.at(2026, 3, 5, 8, 0), province_calendar(), DEFAULT)
    assert verdict.step_deadline == f.at(2026, 3, 6, 17, 0)
    assert (verdict.state, verdict.step_state, verdict.step_remaining) == (ON_TRACK, ON_TRACK, Fraction(29, 15))
    scan_deadlines(f.at(2026, 3, 5, 8, 0), send_mail=False)
    assert Dossier.objects.get(pk=d.pk).deadline_state == ON_TRACK  # the scan reads the same event
    # A step started after the supplement came back keeps the deadline it was given.
    approval = ProcessStep.objects.get(procedure=desk["five_days"], name="Phê duyệt")
    transition(d, Action.FORWARD, actor=desk["processing"], at=f.at(2026, 3, 5, 8, 0), current_step_id=approval.pk,
               assignee_id=desk["head"].pk, step_deadline_at=f.at(2026, 3, 5, 12, 0))
    d = Dossier.objects.select_related("current_step").get(pk=d.pk)
    verdict = assess(d, f.at(2026, 3, 5, 11, 0), province_calendar(), DEFAULT)
    assert verdict.step_deadline == f.at(2026, 3, 5, 12, 0) and verdict.step_state == AT_RISK
    assert verdict.step_threshold == Fraction(3, 10)  # 20 % of 30 % of 5 days
    scan_deadlines(f.at(2026, 3, 5, 11, 0), send_mail=False)
    assert Dossier.objects.get(pk=d.pk).deadline_state == AT_RISK
    message = Notification.objects.get(recipient=desk["head"], kind="at_risk").message
    assert message == (f"Hồ sơ {d.code} có nguy cơ chậm ở bước đang xử lý (hạn trả kết quả 17:00 ngày 10/03/2026). "
                       "Bước «Phê duyệt» còn 32 phút làm việc đến hạn bước 12:00 ngày 05/03/2026.")


def test_thresholds_come_from_settings(desk, in_review, settings):
    settings.MOTCUA_AT_RISK_WORKING_DAYS = "2.5"
    settings.MOTCUA_AT_RISK_STEP_SHARE = 0.5
    thresholds = Thresholds.from_settings()
    assert thresholds == Thresholds(Fraction(5, 2), Fraction(1, 2))
    d = Dossier.objects.select_related("current_step").get(pk=in_review.pk)
    verdict = assess(d, f.at(2026, 3, 4, 14, 0), province_calendar(), thresholds)  # 2.4 days left
    assert verdict.clock_state == AT_RISK and verdict.step_threshold == Fraction(3, 2)
    settings.MOTCUA_AT_RISK_STEP_SHARE = "1.5"
    with pytest.raises(ValueError, match="between 0 and 1"):
        Thresholds.from_settings()


def test_working_time_is_shown_in_working_days_and_hours():
    assert format_working_time(Fraction(13, 15)) == "6 giờ 56 phút"
    assert format_working_time(Fraction(-9, 8)) == "1 ngày 1 giờ"
    assert format_working_time(Fraction(0)) == "0 phút"


# -- the scan ----------------------------------------------------------------------------------


@pytest.fixture
def scene(desk):
    """Judged at Wed 4 Mar 2026 09:30."""
    other = f.unit(code="SXD", name="Sở Xây dựng")
    outsider = f.officer(other, Role.HEAD)
    outsider.email = "lanhdao@sxd.example"
    outsider.save(update_fields=["email"])
    scene = {
        "risk": received(desk, f.at(2026, 3, 2, 9, 0)),  # due Thu 5 Mar 09:00
        "late": received(desk, f.at(2026, 2, 26, 9, 0)),  # due Tue 3 Mar 09:00
        "fine": received(desk, f.at(2026, 3, 3, 9, 0)),  # due Fri 6 Mar 09:00
        "reported": received(desk, f.at(2026, 3, 2, 9, 10)),
        "done": received(desk, f.at(2026, 2, 20, 9, 0)),
        "elsewhere": open_dossier(procedure=desk["procedure"], unit=other, applicant=CITIZEN, channel=Channel.DIRECT,
                                  action=Action.RECEIVE, actor=f.officer(other, Role.RECEPTION),
                                  at=f.at(2026, 3, 4, 9, 0)),
        "outsider": outsider,
    }
    transition(scene["done"], Action.COMPLETE, actor=desk["head"], at=f.at(2026, 3, 2, 9, 0))
    file_delay_report(scene["reported"], desk["processing"], "Chờ ý kiến Sở Xây dựng", "Hồ sơ liên thông",
                      "Đôn đốc cơ quan phối hợp", f.at(2026, 3, 10, 9, 0), now=f.at(2026, 3, 4, 9, 0))
    mail.outbox.clear()
    return scene


def notices(**filters):
    return set(Notification.objects.filter(**filters).values_list("recipient__username", "dossier__code", "kind"))


def test_scan_marks_notifies_escalates_and_is_idempotent(desk, scene):
    versions = dict(Dossier.objects.values_list("pk", "version"))
    events, outbox = DossierEvent.objects.count(), OutboxMessage.objects.count()
    now = f.at(2026, 3, 4, 9, 30)

    first = scan_deadlines(now)

    states = dict(Dossier.objects.values_list("code", "deadline_state"))
    code = {k: v.code for k, v in scene.items() if k != "outsider"}
    assert (states[code["risk"]], states[code["late"]], states[code["fine"]], states[code["reported"]]) == (
        AT_RISK, OVERDUE, ON_TRACK, AT_RISK)
    assert states[code["done"]] == ON_TRACK  # closed: not scanned
    assert states[code["elsewhere"]] == ON_TRACK  # received today by the other unit
    # The deadline state is not a status: no event, no outbox message, no version bump.
    assert dict(Dossier.objects.values_list("pk", "version")) == versions
    assert (DossierEvent.objects.count(), OutboxMessage.objects.count()) == (events, outbox)

    staff = ("stp-processing", "stp-head", "stp-deputy")
    expected = ({(u, code["risk"], "at_risk") for u in staff} | {(u, code["late"], "overdue") for u in staff}
                | {(u, code["reported"], "at_risk") for u in staff}
                # no delay report yet: escalated to the heads (the reported one is not)
                | {(u, c, "escalated") for u in staff[1:] for c in (code["risk"], code["late"])})
    assert notices() == expected
    assert (first.scanned, first.on_track, first.at_risk, first.overdue) == (5, 2, 2, 1)
    assert (first.changed, first.notices, first.escalated) == (3, 13, 4)
    # Mail to whoever has an address (the deputy has none; the other unit's head hears nothing).
    assert first.emails == len(mail.outbox) == 8
    assert sorted(m.to[0] for m in mail.outbox) == ["lanhdao@stp.example"] * 5 + ["xuly@stp.example"] * 3
    late_mail = next(m for m in mail.outbox if code["late"] in m.subject and m.to == ["xuly@stp.example"])
    assert late_mail.subject == f"[Một cửa] Hồ sơ quá hạn – hồ sơ {code['late']}"
    assert late_mail.body == (f"Hồ sơ {code['late']} đã quá hạn trả kết quả 09:00 ngày 03/03/2026: "
                              "quá 1 ngày 32 phút làm việc.")  # 30 office minutes = 1/15 day = 32 working minutes
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 8

    second = scan_deadlines(now)
    assert (second.changed, second.notices, second.escalated, second.emails) == (0, 0, 0, 0)
    assert notices() == expected and len(mail.outbox) == 8

    # Next day: the at-risk ones are overdue, a new kind of notice; the fine one is at risk now.
    # Nothing is repeated (the escalations of "risk" and "late" stand).
    third = scan_deadlines(f.at(2026, 3, 5, 10, 0))
    assert (third.on_track, third.at_risk, third.overdue) == (1, 1, 3)
    assert (third.notices, third.escalated, third.emails) == (3 + 3 + 3 + 2, 2, 7)
    assert notices(kind="overdue") == {(u, c, "overdue") for u in staff
                                       for c in (code["risk"], code["late"], code["reported"])}
    assert notices(dossier=scene["fine"]) == ({(u, code["fine"], "at_risk") for u in staff}
                                              | {(u, code["fine"], "escalated") for u in staff[1:]})
    assert len(mail.outbox) == 15
    assert not notices(recipient=scene["outsider"])


def test_scan_command_refuses_a_bad_instant_and_changes_nothing(desk, scene):
    from django.core.management import CommandError
    before = list(Dossier.objects.order_by("pk").values_list("deadline_state", flat=True))
    with pytest.raises(CommandError, match="không phải thời điểm ISO 8601"):
        call_command("scan-deadlines", "--now", "4/3/2026 9:30")
    assert list(Dossier.objects.order_by("pk").values_list("deadline_state", flat=True)) == before
    assert not Notification.objects.exists()


def test_scan_command_prints_a_summary_and_sends_nothing_twice(desk, scene):
    out = StringIO()
    call_command("scan-deadlines", "--now", "2026-03-04T09:30", stdout=out)
    text = out.getvalue()
    assert "Đã quét 5 hồ sơ đang giải quyết: 2 trong hạn, 2 sắp quá hạn, 1 quá hạn (3 thay đổi tình trạng)." in text
    assert "Đã gửi 13 thông báo mới (4 báo cáo lãnh đạo), 8 thư điện tử; thời gian" in text
    out = StringIO()
    call_command("scan-deadlines", "--now", "2026-03-04T09:30", stdout=out)
    assert "Đã gửi 0 thông báo mới (0 báo cáo lãnh đạo), 0 thư điện tử" in out.getvalue()
    assert len(mail.outbox) == 8 and Notification.objects.count() == 13


def test_scan_puts_a_dossier_back_on_track(desk, in_review):
    scan_deadlines(f.at(2026, 3, 4, 10, 31))
    assert Dossier.objects.get(pk=in_review.pk).deadline_state == AT_RISK  # its step is nearly due
    approval = ProcessStep.objects.get(procedure=desk["five_days"], name="Phê duyệt")
    transition(in_review, Action.FORWARD, actor=desk["processing"], at=f.at(2026, 3, 4, 10, 31),
               current_step_id=approval.pk, assignee_id=desk["head"].pk, step_deadline_at=f.at(2026, 3, 6, 17, 0))
    summary = scan_deadlines(f.at(2026, 3, 4, 10, 31))
    assert Dossier.objects.get(pk=in_review.pk).deadline_state == ON_TRACK and summary.changed == 1


def test_failed_mail_is_retried_by_the_next_run(desk, scene, monkeypatch):
    from django.core.mail import EmailMessage

    def down(self, fail_silently=False):
        raise OSError("mail server down")

    with monkeypatch.context() as m:
        m.setattr(EmailMessage, "send", down)
        first = scan_deadlines(f.at(2026, 3, 4, 9, 30))
    assert first.notices == 13 and first.emails == 0 and not mail.outbox
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    second = scan_deadlines(f.at(2026, 3, 4, 9, 30))
    assert second.notices == 0 and second.emails == len(mail.outbox) == 8


def test_scan_queries_do_not_grow_with_the_number_of_dossiers(desk, django_assert_max_num_queries):
    for minute in range(30):
        received(desk, f.at(2026, 3, 2, 9, minute))
    with django_assert_max_num_queries(20):
        summary = scan_deadlines(f.at(2026, 3, 4, 10, 0), send_mail=False)
    assert summary.at_risk == 30 and summary.notices == 30 * 3 + 30 * 2
