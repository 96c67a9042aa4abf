"""Marginal gains: one more item in a numerator, and what each open dossier could still bring."""
import pytest

from motcua.index.engine import periods as P
from motcua.index.engine.gains import E_RESULT, FINISH_ON_TIME, PAID_ONLINE, indicator_gain, period_gains
from motcua.index.engine.methodology import PROVINCE as LEVEL_P
from motcua.index.engine.methodology import QD766_PORTAL_2026 as M
from motcua.index.engine.scoring import round_half_up
from tests.factories import at
from tests.index.builders import COMMUNE, PROVINCE, inputs, procedure


def test_a_linear_indicator_gains_its_share_of_the_maximum():
    facts = {"ON_TIME_num": 1, "ON_TIME_den": 3}
    assert indicator_gain(M, "commune", facts, "ON_TIME") == pytest.approx(20 * 2 / 3 - 20 * 1 / 3)
    assert indicator_gain(M, "department", facts, "ON_TIME", converted=2) == pytest.approx(20 - 20 / 3)


def test_a_threshold_indicator_gains_nothing_past_its_threshold():
    # ONLINE_CHANNEL: 4 points from 50 % online.
    assert indicator_gain(M, "commune", {"ONLINE_CHANNEL_num": 1, "ONLINE_CHANNEL_den": 4}, "ONLINE_CHANNEL") == \
        pytest.approx(4 - 4 * 0.25 / 0.5)
    assert indicator_gain(M, "commune", {"ONLINE_CHANNEL_num": 2, "ONLINE_CHANNEL_den": 4}, "ONLINE_CHANNEL") == 0


def test_no_more_items_move_than_the_denominator_holds_outside_the_numerator():
    facts = {"ON_TIME_num": 3, "ON_TIME_den": 4}
    assert indicator_gain(M, "commune", facts, "ON_TIME", converted=10) == pytest.approx(20 - 15)
    assert indicator_gain(M, "commune", {"ON_TIME_num": 4, "ON_TIME_den": 4}, "ON_TIME") == 0
    assert indicator_gain(M, "commune", {}, "ON_TIME") == 0  # zero denominator: nothing to move
    assert indicator_gain(M, "commune", {}, "PETITION_ON_TIME") == 0  # full points already (zero rule "full")


def test_commune_rules_and_rounding_come_from_the_methodology():
    province_only = M.with_changes(version="test-province-only", indicators=tuple(
        i if i.code != "ON_TIME" else type(i)(**{**i.__dict__, "scope": frozenset({LEVEL_P})}) for i in M.indicators))
    facts = {"ON_TIME_num": 1, "ON_TIME_den": 3}
    assert indicator_gain(province_only, "commune", facts, "ON_TIME") == 0  # not applicable: its maximum anyway
    assert indicator_gain(province_only, "department", facts, "ON_TIME") == pytest.approx(20 / 3)
    rounded = M.with_changes(version="test-rounded", score_decimals=2)
    assert indicator_gain(rounded, "commune", facts, "ON_TIME") == pytest.approx(
        round_half_up(40 / 3) - round_half_up(20 / 3))


def test_a_negative_number_of_items_is_refused():
    with pytest.raises(ValueError, match="phải ≥ 0"):
        indicator_gain(M, "commune", {"ON_TIME_num": 1, "ON_TIME_den": 3}, "ON_TIME", converted=-1)


NOV = P.month(2026, 11)
NOW = at(2026, 11, 20, 12, 0)


def test_open_dossiers_gains_per_action():
    fee = [procedure(fee_bearing=True)]
    done = {"received_at": at(2026, 11, 2, 9), "appointment_at": at(2026, 11, 5, 9), "status": 9,
            "finished_at": at(2026, 11, 3, 9)}
    still_in_time = {"received_at": at(2026, 11, 18, 9), "appointment_at": at(2026, 11, 25, 9), "status": 4,
                     "fee_total_vnd": 50_000, "components_digitized": True}
    overdue = {"received_at": at(2026, 11, 4, 9), "appointment_at": at(2026, 11, 10, 9), "status": 4}
    data = inputs([done, still_in_time, overdue], fee)
    gains = period_gains(data, NOV, [COMMUNE], now=NOW, methodology=M)
    found = {(g.dossier_id, g.action, g.indicator): (g.unit_points, g.province_points) for g in gains}
    sat = 6 - 6 * 0.5 / 0.9  # DOSSIER_SATISFACTION (thr 90 %): 1/1 finished on time, then 2/2 rather than 1/2
    expected = {
        (2, FINISH_ON_TIME, "ON_TIME"): 20 * 2 / 3 - 20 * 1 / 3,  # overdue at the month's end if left open
        (2, FINISH_ON_TIME, "DOSSIER_SATISFACTION"): sat,
        (2, E_RESULT, "E_RESULT"): 6 * 1 / 2,  # the finished one has no e-result: 0/1, then 1/2
        (2, E_RESULT, "DIGITIZED"): 4 * 1 / 3,
        (2, PAID_ONLINE, "PAID_ONLINE"): 6.0,
        (2, PAID_ONLINE, "FEE_PROCEDURES_PAID_ONLINE"): 2.0,
        (3, E_RESULT, "E_RESULT"): 6 * 1 / 2,  # already overdue: it cannot be finished on time any more
    }
    assert found.keys() == expected.keys()
    for key, points in expected.items():
        assert found[key] == pytest.approx((points, points)), key  # the province sums only this commune
    assert [g.unit_points for g in gains] == sorted((g.unit_points for g in gains), reverse=True)
    assert {g.unit_id for g in gains} == {COMMUNE}


def test_a_signed_or_paid_dossier_has_nothing_left_to_gain_there():
    signed_and_paid = {"received_at": at(2026, 11, 18, 9), "appointment_at": at(2026, 11, 25, 9), "status": 4,
                       "result_signed": True, "fee_total_vnd": 50_000, "paid_at": at(2026, 11, 18, 10),
                       "payment_channel": "national"}
    data = inputs([signed_and_paid], [procedure(fee_bearing=True)])
    gains = period_gains(data, NOV, [COMMUNE, PROVINCE], now=NOW, methodology=M)
    assert {g.action for g in gains} == {FINISH_ON_TIME}


def test_an_ended_period_can_no_longer_change():
    open_late = {"received_at": at(2026, 10, 20, 9), "appointment_at": at(2026, 10, 23, 9), "status": 4}
    assert period_gains(inputs([open_late]), P.month(2026, 10), [COMMUNE], now=NOW, methodology=M) == []


def test_finishing_on_time_is_offered_only_until_the_appointment_by_the_clock():
    """Due Fri 20 Nov 17:00: at 17:00 it can still be finished on time; at 17:30 or on the Saturday
    it cannot, though no office time has run since (ON_TIME compares instants)."""
    due_friday = {"received_at": at(2026, 11, 18, 7, 30), "appointment_at": at(2026, 11, 20, 17), "status": 4}
    data = inputs([due_friday])
    actions = lambda now: {g.action for g in period_gains(data, NOV, [COMMUNE], now=now, methodology=M)}  # noqa: E731
    assert FINISH_ON_TIME in actions(at(2026, 11, 20, 17, 0))
    assert FINISH_ON_TIME not in actions(at(2026, 11, 20, 17, 30))
    assert FINISH_ON_TIME not in actions(at(2026, 11, 21, 10, 0))
