"""ON_TIME by the clock: the end and the appointment (moved later by the paused supplement time)
are compared as instants (service-index.md, "ON_TIME in detail"), not as positions on the office
clock, which stands still outside office hours. Dated cases on the real calendar of October 2026
(Mon 5 – Sun 11), on DuckDB and on the live database."""
from datetime import timedelta

import pytest

from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.index.engine import periods as P
from motcua.index.engine.facts import dossier_items, unit_facts
from motcua.index.live import live_inputs
from motcua.units.models import Role
from tests import factories as f
from tests.factories import at
from tests.index.builders import CALENDAR, COMMUNE, inputs

OCT = P.month(2026, 10)

# (what, received, appointment, finished, on time?) — the appointment as a 3-working-day
# procedure gives it (07:30 + 3 working days = 17:00 of the third day), or as recorded.
CASES = [
    ("after hours", at(2026, 10, 5, 7, 30), at(2026, 10, 7, 17, 0), at(2026, 10, 7, 17, 30), False),
    ("at the close", at(2026, 10, 5, 7, 30), at(2026, 10, 7, 17, 0), at(2026, 10, 7, 17, 0), True),
    ("next morning at opening", at(2026, 10, 5, 7, 30), at(2026, 10, 7, 17, 0), at(2026, 10, 8, 7, 30), False),
    ("over lunch", at(2026, 10, 5, 9, 0), at(2026, 10, 8, 11, 30), at(2026, 10, 8, 12, 15), False),
    ("at 11:30 sharp", at(2026, 10, 5, 9, 0), at(2026, 10, 8, 11, 30), at(2026, 10, 8, 11, 30), True),
    ("on the weekend", at(2026, 10, 7, 7, 30), at(2026, 10, 9, 17, 0), at(2026, 10, 10, 9, 0), False),
    ("exactly at the appointment", at(2026, 10, 5, 9, 0), at(2026, 10, 8, 9, 0), at(2026, 10, 8, 9, 0), True),
    ("a second later", at(2026, 10, 5, 9, 0), at(2026, 10, 8, 9, 0), at(2026, 10, 8, 9, 0, 1), False),
]

# A supplement requested Tue 6 Oct and completed the same day: the appointment Thu 8 Oct 09:00
# moves later by the working time in between (WorkCalendar.postpone).
PAUSED = [
    # 09:00 → 17:00 is 6 office hours: Thu 09:00 + 6 h ends on the day boundary, due Thu 17:00.
    ("moved to the close, finished 17:30", (at(2026, 10, 6, 9), at(2026, 10, 6, 17)), at(2026, 10, 8, 17, 30), False),
    ("moved to the close, finished 17:00", (at(2026, 10, 6, 9), at(2026, 10, 6, 17)), at(2026, 10, 8, 17, 0), True),
    ("moved to the close, finished Fri 07:30", (at(2026, 10, 6, 9), at(2026, 10, 6, 17)), at(2026, 10, 9, 7, 30), False),
    # 09:00 → 11:30 is 2.5 h: Thu 09:00 + 2.5 h ends on the lunch break, due when it ends (13:30).
    ("moved to lunch, finished 12:15", (at(2026, 10, 6, 9), at(2026, 10, 6, 11, 30)), at(2026, 10, 8, 12, 15), True),
    ("moved to lunch, finished 13:31", (at(2026, 10, 6, 9), at(2026, 10, 6, 11, 30)), at(2026, 10, 8, 13, 31), False),
    # Requested and completed in the same evening: nothing paused, the appointment stays.
    ("nothing paused", (at(2026, 10, 6, 18), at(2026, 10, 6, 20)), at(2026, 10, 8, 9, 0, 1), False),
]
APPOINTMENT = at(2026, 10, 8, 9, 0)


def test_the_cases_are_what_the_calendar_says():
    """The appointments above are the calendar's (3 working days from reception), except the 11:30
    ones (as recorded by another system), and each moved appointment is `postpone`'s."""
    for what, received, appointment, _, _ in CASES:
        if appointment.time().minute != 30 or appointment.hour != 11:
            assert CALENDAR.add(received, 3, "working_days") == appointment, what
    moved = {what: CALENDAR.postpone(APPOINTMENT, CALENDAR.working_time_between(*pause))
             for what, pause, _, _ in PAUSED}
    assert moved["moved to the close, finished 17:00"] == at(2026, 10, 8, 17, 0)
    assert moved["moved to lunch, finished 12:15"] == at(2026, 10, 8, 13, 30)
    assert moved["nothing paused"] == APPOINTMENT
    for what, pause, finished, expected in PAUSED:
        assert (finished <= moved[what]) is expected, what


def _row(received, appointment, finished, pause=None) -> dict:
    row = {"received_at": received, "appointment_at": appointment, "status": 9, "finished_at": finished}
    if pause:
        row |= {"supplement_count": 1, "supplement_requested_at": pause[0], "supplement_received_at": pause[1]}
    return row


def _verdicts(table_inputs, period=OCT, as_of=None) -> dict[int, bool]:
    rows = dossier_items(table_inputs, period, as_of=as_of).select("dossier_id", "ON_TIME_num").to_pyarrow()
    return {r["dossier_id"]: r["ON_TIME_num"] for r in rows.to_pylist()}


def test_duckdb_judges_by_the_clock():
    rows = [_row(r, a, e) for _, r, a, e, _ in CASES] + [_row(at(2026, 10, 5, 9), APPOINTMENT, e, p)
                                                          for _, p, e, _ in PAUSED]
    expected = [ok for *_, ok in CASES] + [ok for *_, ok in PAUSED]
    names = [c[0] for c in CASES] + [c[0] for c in PAUSED]
    got = _verdicts(inputs(rows))
    assert {n: got[i] for i, n in enumerate(names, start=1)} == dict(zip(names, expected))


def test_an_open_dossier_is_judged_at_the_instant_of_evaluation():
    """Due Fri 9 Oct 17:00 and still open: on time at 17:00, late at 17:30 and over the weekend,
    though the office clock has not moved since 17:00."""
    row = {"received_at": at(2026, 10, 7, 7, 30), "appointment_at": at(2026, 10, 9, 17), "status": 4}
    t = inputs([row])
    assert _verdicts(t, as_of=at(2026, 10, 9, 17, 0)) == {1: True}
    assert _verdicts(t, as_of=at(2026, 10, 9, 17, 30)) == {1: False}
    assert _verdicts(t, as_of=at(2026, 10, 11, 10, 0)) == {1: False}
    # Due Fri 30 Oct 17:00, open when October ends (Sun 1 Nov 00:00): late in October.
    month_end = {"received_at": at(2026, 10, 28, 7, 30), "appointment_at": at(2026, 10, 30, 17), "status": 4}
    facts = unit_facts(inputs([month_end]), [OCT]).to_pyarrow().to_pylist()
    assert next((r["ON_TIME_num"], r["ON_TIME_den"]) for r in facts if r["unit_id"] == COMMUNE) == (0, 1)


def test_without_an_appointment_the_deadline_is_an_instant_too():
    """No appointment recorded: the deadline is reception + the time limit (3 working days from
    Mon 07:30 = Wed 17:00), compared as an instant."""
    no_appt = [{"received_at": at(2026, 10, 5, 7, 30), "status": 9, "finished_at": end}
               for end in (at(2026, 10, 7, 17), at(2026, 10, 7, 17, 30), at(2026, 10, 10, 9))]
    assert _verdicts(inputs(no_appt)) == {1: True, 2: False, 3: False}


def test_the_engine_follows_postpone_minute_by_minute():
    """Every 20 minutes from Thu 8 Oct 06:00 to Mon 12 Oct 09:00, for pauses ending inside an
    office period, on the lunch break and on a day boundary: the engine's verdict is
    `end ≤ WorkCalendar.postpone(appointment, pause)`."""
    pauses = [None, (at(2026, 10, 6, 9), at(2026, 10, 6, 10)), (at(2026, 10, 6, 9), at(2026, 10, 6, 11, 30)),
              (at(2026, 10, 6, 9), at(2026, 10, 6, 17)), (at(2026, 10, 6, 17), at(2026, 10, 7, 7, 30))]
    ends = [at(2026, 10, 8, 6) + timedelta(minutes=20 * k) for k in range(int(99 * 3))]
    rows, expected = [], []
    for pause in pauses:
        paused = CALENDAR.working_time_between(*pause) if pause else 0
        due = CALENDAR.postpone(APPOINTMENT, paused)
        for end in ends:
            rows.append(_row(at(2026, 10, 5, 9), APPOINTMENT, end, pause))
            expected.append(end <= due)
    got = _verdicts(inputs(rows))
    wrong = [(rows[i]["finished_at"], rows[i]["supplement_requested_at"] if "supplement_count" in rows[i] else None)
             for i in range(len(rows)) if got[i + 1] != expected[i]]
    assert not wrong, f"{len(wrong)} verdicts differ from postpone, e.g. {wrong[:3]}"


# -- the live database: the same cases through the transition service ------------------------------


@pytest.mark.django_db
def test_the_live_database_judges_by_the_clock():
    desk = f.desk()  # a department with a 3-working-day procedure
    reception, processing, head = (desk[r.value] for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD))

    def dossier(received, appointment, finished, pause=None) -> Dossier:
        d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT,
                         action=Action.RECEIVE, actor=reception, at=received,
                         applicant=Applicant(ApplicantKind.INDIVIDUAL, "Lê Văn G", f.VALID_PID))
        if d.appointment_at != appointment:  # the 11:30 appointments: as recorded by another system
            Dossier.objects.filter(pk=d.pk).update(appointment_at=appointment, current_appointment_at=appointment)
            d.refresh_from_db()
        transition(d, Action.START_PROCESSING, actor=processing, at=received)
        if pause:
            transition(d, Action.REQUEST_SUPPLEMENT, actor=processing, at=pause[0])
            transition(d, Action.RECEIVE_SUPPLEMENT, actor=reception, at=pause[1])
        return transition(d, Action.COMPLETE, actor=head, at=finished)

    expected = {dossier(r, a, e).pk: (what, ok) for what, r, a, e, ok in CASES}
    expected |= {dossier(at(2026, 10, 5, 9), APPOINTMENT, e, p).pk: (what, ok) for what, p, e, ok in PAUSED}
    got = _verdicts(live_inputs())
    assert {what: got[pk] for pk, (what, _) in expected.items()} == dict(expected.values())
