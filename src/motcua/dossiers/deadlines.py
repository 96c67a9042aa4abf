"""Early warning (cảnh báo sớm): is an open dossier on track, at risk or overdue?

"Overdue" and "at risk" are not statuses (one-stop.md): they are derived from the clock, on the
province's work calendar, and cached on `Dossier.deadline_state` by `scan_deadlines` (a queryset
update: no transition, no event, no version bump).

The rules, all in working time (`WorkCalendar.working_time_between`):

* **The dossier's clock** reads the remaining working time from *now* to the current appointment
  (`current_appointment_at`: the appointment fixed at reception, moved by supplement pauses).
  While a supplement is requested (status 5) the clock is paused: the dossier is judged by the time
  that remained when the request was made (`supplement_requested_at`), however long the applicant
  takes.
  - overdue: now is past the current appointment, compared as instants — the index's own rule
    (ON_TIME: end ≤ the appointment moved by the paused supplement time, as instants), so a
    dossier due Friday 17:00 is overdue at 17:00:01, over the weekend and over Tết, though no
    office time has run since. A dossier whose supplement was requested twice
    counts as overdue too: the second request is only allowed after a warning that it will
    (transition service), and the index counts it late.
  - at risk: not overdue, and the remaining working time is below `MOTCUA_AT_RISK_WORKING_DAYS`
    (default 1 working day); exactly the threshold is still on track, exactly zero is at risk.
* **The current step's clock** (when the dossier has a current step with a `step_deadline_at`)
  reads the remaining working time to the step deadline in force, paused the same way: the
  deadline set when the step started, moved by the working time a later supplement request paused
  the clock (as the processing-control sheet, Mẫu 06, judges it). The step is overdue once the clock is past
  that deadline (as instants, like the dossier) and at risk when it is below `MOTCUA_AT_RISK_STEP_SHARE` (default 20 %) of the step's
  share of the time limit: `share_percent` of the dossier's total working time (reception →
  original appointment, which holds the time limit whatever its unit). A step deadline without a
  current step is not judged: a transfer to another unit clears the step but leaves the old
  deadline on the row.

Which threshold? one-stop.md says "the remaining time of the dossier (or of its current step) is
below a threshold (default 1 working day or 20 % of the step's share)". We apply *both* rules and
take the worse verdict — the stricter reading, which warns as soon as either rule fires:

    state = overdue   if the dossier's clock is overdue
            at_risk   if the dossier's clock is at risk, or the step is at risk or overdue
            on_track  otherwise

A late step makes the dossier at risk, not overdue: only the appointment makes a dossier overdue
(that is what the index and the applicant see). The step's own verdict is kept in `Assessment`.
A delay report (báo cáo chậm) does not change the verdict: the legal appointment is still the one
the dossier is judged by; the report only stops escalation (see `scan_deadlines`).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.dossiers.models import DeadlineState, DelayReport, Dossier, DossierEvent
from motcua.dossiers.transitions import Action, Status
from motcua.workdays.calendar import WORKING_HOURS_PER_DAY, WorkCalendar
from motcua.workdays.services import province_calendar

# The statuses in which a dossier has an appointment to keep: received, in process, waiting for a
# supplement (clock paused), waiting for payment. Status 1 (online, not yet received) has none.
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROCESS, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED)


_SEVERITY = {DeadlineState.ON_TRACK: 0, DeadlineState.AT_RISK: 1, DeadlineState.OVERDUE: 2}


def _fraction(value, name: str) -> Fraction:
    try:
        return Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name}: expected a number (e.g. 1 or 0.5), got {value!r}") from None


@dataclass(frozen=True)
class Thresholds:
    """When a dossier becomes "at risk" (ngưỡng cảnh báo sắp quá hạn)."""

    working_days: Fraction = Fraction(1)  # remaining working time of the dossier below this
    step_share: Fraction = Fraction(1, 5)  # remaining time of the step below this share of its allotment

    def __post_init__(self):
        object.__setattr__(self, "working_days", _fraction(self.working_days, "MOTCUA_AT_RISK_WORKING_DAYS"))
        object.__setattr__(self, "step_share", _fraction(self.step_share, "MOTCUA_AT_RISK_STEP_SHARE"))
        if self.working_days < 0:
            raise ValueError("MOTCUA_AT_RISK_WORKING_DAYS must not be negative")
        if not 0 <= self.step_share <= 1:
            raise ValueError("MOTCUA_AT_RISK_STEP_SHARE must be between 0 and 1 (e.g. 0.2 for 20 %)")

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(settings.MOTCUA_AT_RISK_WORKING_DAYS, settings.MOTCUA_AT_RISK_STEP_SHARE)


@dataclass(frozen=True)
class Assessment:
    """The verdict on one dossier at one instant, with the figures behind it (working days)."""

    state: str  # DeadlineState: the combined verdict stored on the dossier
    clock_state: str  # the dossier's own clock against its current appointment
    remaining: Fraction | None  # working time to the current appointment (negative: overdue by)
    paused: bool  # status 5: judged at the moment the supplement was requested
    step_state: str | None = None  # the current step against step_deadline_at (None: no step deadline)
    step_remaining: Fraction | None = None
    step_threshold: Fraction | None = None
    step_deadline: datetime | None = None  # the step deadline in force (moved by a supplement pause)

    @property
    def step_is_late(self) -> bool:
        return self.step_state in (DeadlineState.AT_RISK, DeadlineState.OVERDUE)


NOT_JUDGED = Assessment(DeadlineState.ON_TRACK, DeadlineState.ON_TRACK, None, False)


def _verdict(clock: datetime, deadline: datetime, remaining: Fraction, threshold: Fraction) -> str:
    """Overdue once `clock` is past `deadline` as instants (whether or not office time has run
    since: 17:30 is past 17:00); else at risk while the `remaining` working time is below `threshold`."""
    if clock > deadline:
        return DeadlineState.OVERDUE
    if remaining < threshold:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TRACK


STEP_ACTIONS = (Action.START_PROCESSING, Action.FORWARD)  # the actions that set a step and its deadline
_UNKNOWN = object()


def _step_threshold(dossier, step, calendar: WorkCalendar, thresholds: Thresholds) -> Fraction:
    """`step_share` of the current step's share of the time limit (working days)."""
    if dossier.received_at is None or dossier.appointment_at is None:
        return thresholds.working_days
    total = calendar.working_time_between(dossier.received_at, dossier.appointment_at)
    return thresholds.step_share * Fraction(step.share_percent) / 100 * max(total, Fraction(0))


def needs_step_start(dossier) -> bool:
    """Whether the step deadline in force depends on when the step started (a supplement came back)."""
    return bool(dossier.step_deadline_at and dossier.current_step_id and dossier.supplement_requested_at
                and dossier.supplement_received_at)


def step_starts(dossier_ids) -> dict[int, datetime]:
    """When the current step of each dossier started (its last START_PROCESSING/FORWARD): one query."""
    ids = sorted(set(dossier_ids))
    started: dict[int, datetime] = {}
    for i in range(0, len(ids), _UPDATE_CHUNK):
        started.update(DossierEvent.objects.filter(dossier_id__in=ids[i:i + _UPDATE_CHUNK], action__in=STEP_ACTIONS)
                       .values("dossier_id").annotate(last=Max("at")).values_list("dossier_id", "last"))
    return started


def step_deadline_in_force(dossier, calendar: WorkCalendar, step_started_at: datetime | None) -> datetime:
    """`step_deadline_at`, moved by the working time the clock was paused for a supplement requested
    after the step started (the services recompute the appointment then, not the step deadline)."""
    deadline = dossier.step_deadline_at
    requested, received = dossier.supplement_requested_at, dossier.supplement_received_at
    if requested is None or received is None or step_started_at is None or step_started_at > requested:
        return deadline
    return calendar.postpone(deadline, calendar.working_time_between(requested, received))


def assess(dossier, now: datetime, calendar: WorkCalendar | None = None,
           thresholds: Thresholds | None = None, *, step_started_at=_UNKNOWN) -> Assessment:
    """Judge `dossier` (a Dossier, or any object with its fields) at `now`. No query as long as
    `current_step` is loaded (select_related) or unset, and `step_started_at` (when the current step
    started) is given or not needed (`needs_step_start`); otherwise it is read from the event log."""
    calendar = calendar or province_calendar()
    thresholds = thresholds or Thresholds.from_settings()
    if dossier.status not in OPEN_STATUSES or dossier.current_appointment_at is None:
        return NOT_JUDGED
    paused = dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.supplement_requested_at is not None
    clock = dossier.supplement_requested_at if paused else now
    remaining = calendar.working_time_between(clock, dossier.current_appointment_at)
    clock_state = _verdict(clock, dossier.current_appointment_at, remaining, thresholds.working_days)
    if (dossier.supplement_count or 0) > 1:
        clock_state = DeadlineState.OVERDUE
    step_state = step_remaining = step_threshold = None
    step = getattr(dossier, "current_step", None) if getattr(dossier, "current_step_id", None) else None
    if dossier.step_deadline_at is not None and step is not None:
        if needs_step_start(dossier) and step_started_at is _UNKNOWN:
            step_started_at = step_starts([dossier.pk]).get(dossier.pk)
        in_force = step_deadline_in_force(dossier, calendar, None if step_started_at is _UNKNOWN else step_started_at)
        step_remaining = calendar.working_time_between(clock, in_force)
        step_threshold = _step_threshold(dossier, step, calendar, thresholds)
        step_state = _verdict(clock, in_force, step_remaining, step_threshold)
    if clock_state == DeadlineState.OVERDUE:
        state = DeadlineState.OVERDUE
    elif clock_state == DeadlineState.AT_RISK or step_state in (DeadlineState.AT_RISK, DeadlineState.OVERDUE):
        state = DeadlineState.AT_RISK
    else:
        state = DeadlineState.ON_TRACK
    return Assessment(state, clock_state, remaining, paused, step_state, step_remaining, step_threshold,
                      in_force if step_state is not None else None)


def deadline_state(dossier, now: datetime, calendar: WorkCalendar | None = None,
                   threshold: Thresholds | None = None) -> str:
    """on_track / at_risk / overdue (DeadlineState) of `dossier` at `now`: see the module docstring."""
    return assess(dossier, now, calendar, threshold).state


def format_working_time(days: Fraction) -> str:
    """A span of working time for people: "1 ngày 2 giờ 30 phút", in the spec's units (one working
    day = 8 working hours, whatever the length of the office day: 30 office minutes of a 7.5-hour day
    are 32 working minutes)."""
    minutes = round(abs(days) * WORKING_HOURS_PER_DAY * 60)
    d, rest = divmod(minutes, WORKING_HOURS_PER_DAY * 60)
    h, m = divmod(rest, 60)
    parts = [f"{d} ngày" if d else "", f"{h} giờ" if h else "", f"{m} phút" if m else ""]
    return " ".join(p for p in parts if p) or "0 phút"


# -- the scan ---------------------------------------------------------------------------------


@dataclass
class ScanSummary:
    scanned: int = 0
    on_track: int = 0
    at_risk: int = 0
    overdue: int = 0
    changed: int = 0  # dossiers whose stored deadline_state was updated
    notices: int = 0  # new in-app notifications (all kinds)
    escalated: int = 0  # of which escalations to heads
    emails: int = 0
    seconds: float = 0.0


_SCAN_FIELDS = ("id", "code", "status", "unit_id", "assignee_id", "received_at", "appointment_at",
                "current_appointment_at", "supplement_requested_at", "supplement_received_at", "supplement_count",
                "step_deadline_at",
                "deadline_state", "current_step", "current_step__name", "current_step__share_percent")
_UPDATE_CHUNK = 500


def scan_deadlines(now: datetime | None = None, *, calendar: WorkCalendar | None = None,
                   thresholds: Thresholds | None = None, send_mail: bool = True) -> ScanSummary:
    """Judge every open dossier at `now`, store the verdicts and notify: the `motcua scan-deadlines`
    command (idempotent; safe to run from cron at any rate).

    * `deadline_state` is updated with queryset updates, only where it changed and only while the
      dossier is still open (no transition, no event, no version bump: concurrent actions are not
      disturbed; a dossier changed meanwhile is corrected by the next run).
    * At risk / overdue: the assignee and the active heads of the dossier's unit get a notice of
      kind "at_risk" / "overdue", once per (recipient, dossier, kind) (the unique constraint).
    * At risk or overdue without any delay report: the heads get an "escalated" notice.
    * Notices are e-mailed to recipients with an address, each at most once (`emailed_at`).

    A handful of queries whatever the number of dossiers.
    """
    from motcua.dossiers import notifications
    from motcua.notify.officers import create_notices

    started = time.perf_counter()
    now = now or timezone.now()
    calendar = calendar or province_calendar()
    thresholds = thresholds or Thresholds.from_settings()
    summary = ScanSummary()
    changed: dict[str, list[int]] = defaultdict(list)
    flagged: list[tuple[Dossier, Assessment]] = []
    open_dossiers = Dossier.objects.filter(status__in=OPEN_STATUSES)
    step_started = step_starts(open_dossiers.filter(
        step_deadline_at__isnull=False, current_step__isnull=False, supplement_requested_at__isnull=False,
        supplement_received_at__isnull=False).values_list("pk", flat=True))
    rows = open_dossiers.select_related("current_step").only(*_SCAN_FIELDS).order_by("id")
    for dossier in rows.iterator(chunk_size=2000):
        verdict = assess(dossier, now, calendar, thresholds, step_started_at=step_started.get(dossier.pk))
        summary.scanned += 1
        setattr(summary, verdict.state, getattr(summary, verdict.state) + 1)
        if verdict.state != dossier.deadline_state:
            changed[verdict.state].append(dossier.pk)
        if verdict.state != DeadlineState.ON_TRACK:
            flagged.append((dossier, verdict))

    notices = notifications.deadline_notices(flagged, _with_delay_report([d.pk for d, _ in flagged]))
    with transaction.atomic():
        for state, ids in changed.items():
            for i in range(0, len(ids), _UPDATE_CHUNK):
                summary.changed += Dossier.objects.filter(
                    pk__in=ids[i:i + _UPDATE_CHUNK], status__in=OPEN_STATUSES,
                ).exclude(deadline_state=state).update(deadline_state=state)
        created = create_notices(notices)
    summary.notices = len(created)
    summary.escalated = sum(1 for n in created if n.kind == notifications.ESCALATED)
    if send_mail:
        summary.emails = notifications.send_pending_emails(kinds=notifications.DEADLINE_KINDS)
    summary.seconds = time.perf_counter() - started
    return summary


def _with_delay_report(dossier_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for i in range(0, len(dossier_ids), _UPDATE_CHUNK):
        found.update(DelayReport.objects.filter(dossier_id__in=dossier_ids[i:i + _UPDATE_CHUNK])
                     .values_list("dossier_id", flat=True))
    return found
