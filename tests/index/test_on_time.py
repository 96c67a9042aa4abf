"""ON_TIME, rule by rule, with dated dossiers on the real Vietnamese calendar."""
from motcua.index.engine import periods as P
from motcua.index.engine.facts import unit_facts
from motcua.index.engine.methodology import QD766_PORTAL_2026
from tests.factories import at
from tests.index.builders import COMMUNE, PROVINCE, inputs, procedure

OCT = P.month(2026, 10)
NOV = P.month(2026, 11)


def on_time(dossiers, period=OCT, procedures=None, as_of=None, methodology=None):
    """(numerator, denominator) of ON_TIME for the commune."""
    facts = unit_facts(inputs(dossiers, procedures), [period], as_of=as_of,
                       methodology=methodology).to_pyarrow().to_pylist()
    row = next(r for r in facts if r["unit_id"] == COMMUNE)
    return row["ON_TIME_num"], row["ON_TIME_den"]


RECEIVED = dict(received_at=at(2026, 10, 5, 9, 0), appointment_at=at(2026, 10, 8, 9, 0))


def test_finished_before_or_at_the_appointment_is_on_time():
    assert on_time([{**RECEIVED, "status": 9, "finished_at": at(2026, 10, 8, 9, 0)}]) == (1, 1)
    assert on_time([{**RECEIVED, "status": 9, "finished_at": at(2026, 10, 8, 9, 1)}]) == (0, 1)


def test_processed_outranks_returned_and_stopped():
    # Processed on time, result handed back late: the processing time counts.
    d = {**RECEIVED, "status": 10, "finished_at": at(2026, 10, 7, 9), "returned_at": at(2026, 10, 20, 9)}
    assert on_time([d]) == (1, 1)
    # Returned with no processed time recorded: the return counts.
    assert on_time([{**RECEIVED, "status": 10, "returned_at": at(2026, 10, 9, 9)}]) == (0, 1)
    # Withdrawn by the applicant after reception, before the appointment: on time.
    assert on_time([{**RECEIVED, "status": 7, "closed_at": at(2026, 10, 6, 9)}]) == (1, 1)


def test_one_supplement_pauses_the_clock():
    # Requested Tue 6 Oct 09:00, completed Fri 9 Oct 09:00: 3 working days paused.
    base = {**RECEIVED, "status": 9, "supplement_count": 1,
            "supplement_requested_at": at(2026, 10, 6, 9), "supplement_received_at": at(2026, 10, 9, 9)}
    assert on_time([{**base, "finished_at": at(2026, 10, 13, 9)}]) == (1, 1)  # 8 Oct + 3 wd = 13 Oct 09:00
    assert on_time([{**base, "finished_at": at(2026, 10, 13, 9, 5)}]) == (0, 1)


def test_a_pending_supplement_ends_at_the_request():
    d = {**RECEIVED, "status": 5, "supplement_count": 1, "supplement_requested_at": at(2026, 10, 7, 9)}
    assert on_time([d]) == (1, 1)  # the applicant's silence does not make the unit late
    late_request = {**d, "supplement_requested_at": at(2026, 10, 8, 10)}
    assert on_time([late_request]) == (0, 1)


def test_a_second_supplement_request_means_overdue():
    d = {**RECEIVED, "status": 9, "finished_at": at(2026, 10, 6, 9), "supplement_count": 2,
         "supplement_requested_at": at(2026, 10, 5, 10), "supplement_received_at": at(2026, 10, 5, 11)}
    assert on_time([d]) == (0, 1)


def test_the_supplement_limit_is_the_methodologys():
    twice = {**RECEIVED, "status": 9, "finished_at": at(2026, 10, 6, 9), "supplement_count": 2,
             "supplement_requested_at": at(2026, 10, 5, 10), "supplement_received_at": at(2026, 10, 5, 11)}
    once = {**twice, "supplement_count": 1}
    lenient = QD766_PORTAL_2026.with_changes(version="test-two-supplements", max_supplement_requests=2)
    strict = QD766_PORTAL_2026.with_changes(version="test-no-supplement", max_supplement_requests=0)
    assert on_time([twice, once]) == (1, 2)
    assert on_time([twice, once], methodology=lenient) == (2, 2)
    assert on_time([twice, once], methodology=strict) == (0, 2)
    # Still open at the period's end, judged there under the same limit.
    pending = {**RECEIVED, "status": 5, "supplement_count": 2, "supplement_requested_at": at(2026, 10, 6, 9)}
    assert on_time([pending]) == (0, 1)
    assert on_time([pending], methodology=lenient) == (1, 1)


def test_the_original_appointment_counts_not_an_apology():
    # The apology's new date is recorded elsewhere; appointment_at stays the one given at reception.
    assert on_time([{**RECEIVED, "status": 9, "finished_at": at(2026, 10, 12, 9)}]) == (0, 1)


def test_without_an_appointment_the_time_limit_counts_in_its_unit():
    no_appt = {"received_at": at(2026, 10, 5, 9), "status": 9}
    # 3 working days from Mon 09:00 → Thu 09:00.
    assert on_time([{**no_appt, "finished_at": at(2026, 10, 8, 9)}]) == (1, 1)
    assert on_time([{**no_appt, "finished_at": at(2026, 10, 8, 9, 30)}]) == (0, 1)
    hours = [procedure(time_limit=8, time_unit="working_hours")]
    assert on_time([{**no_appt, "finished_at": at(2026, 10, 6, 9)}], procedures=hours) == (1, 1)
    assert on_time([{**no_appt, "finished_at": at(2026, 10, 6, 10)}], procedures=hours) == (0, 1)
    days = [procedure(time_limit=10, time_unit="days")]
    assert on_time([{**no_appt, "finished_at": at(2026, 10, 15, 9)}], procedures=days) == (1, 1)
    assert on_time([{**no_appt, "finished_at": at(2026, 10, 15, 9, 1)}], procedures=days) == (0, 1)


def test_open_dossiers_at_the_period_end():
    open_ok = {"received_at": at(2026, 10, 28, 9), "appointment_at": at(2026, 11, 4, 9), "status": 4}
    open_late = {"received_at": at(2026, 10, 20, 9), "appointment_at": at(2026, 10, 23, 9), "status": 4}
    assert on_time([open_ok]) == (1, 1)
    assert on_time([open_late]) == (0, 1)
    # Still open in November: judged again there, and now overdue.
    assert on_time([open_ok], period=NOV) == (0, 1)
    # The current month is judged at the moment of evaluation, not at its end.
    assert on_time([open_ok], period=NOV, as_of=at(2026, 11, 3, 12)) == (1, 1)


def test_dossiers_finished_before_the_period_are_not_in_it():
    d = {**RECEIVED, "status": 9, "finished_at": at(2026, 10, 7, 9)}
    assert on_time([d], period=NOV) == (0, 0)


def test_refused_dossiers_count_nowhere():
    assert on_time([{**RECEIVED, "status": 3, "closed_at": at(2026, 10, 5, 9, 30)}]) == (0, 0)


def test_the_province_sums_its_units():
    facts = unit_facts(inputs([{**RECEIVED, "status": 9, "finished_at": at(2026, 10, 7, 9)},
                               {**RECEIVED, "status": 9, "finished_at": at(2026, 10, 9, 9)}]), [OCT])
    province = next(r for r in facts.to_pyarrow().to_pylist() if r["unit_id"] == PROVINCE)
    assert (province["ON_TIME_num"], province["ON_TIME_den"]) == (1, 2)
