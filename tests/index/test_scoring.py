"""Scoring rules: lin, thr, zero denominators, scope, groups, totals, bands and ranks."""
import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.index.engine.methodology import QD766_PORTAL_2026 as M
from motcua.index.engine.scoring import band, group_scores, rank, round_half_up, score, total

I = M.indicator


# -- score -----------------------------------------------------------------------------------------

def test_lin_is_max_times_rate_unrounded():
    assert score(I("PUBLIC_CONTENT_FULL"), 87, 89) == 2 * 87 / 89  # portal shows 1.96
    assert score(I("ON_TIME"), 144625, 184513) == 20 * 144625 / 184513  # 15.676…
    assert score(I("ON_TIME"), 0, 10) == 0.0
    assert score(I("ON_TIME"), 10, 10) == 20.0


def test_thr_reaches_full_points_at_the_threshold():
    reused = I("REUSED_DATA")  # max 2, threshold 80 %
    assert score(reused, 40, 100) == pytest.approx(1.0)
    assert score(reused, 80, 100) == 2.0
    assert score(reused, 95, 100) == 2.0  # capped
    assert score(reused, 3160, 184513) == pytest.approx(2 * (3160 / 184513) / 0.8)  # portal 0.04, lin would be 0.03
    channel = I("ONLINE_CHANNEL")  # max 4, threshold 50 %
    assert score(channel, 1, 4) == pytest.approx(2.0)
    assert score(channel, 1, 2) == 4.0
    satisfaction = I("DOSSIER_SATISFACTION")  # max 6, threshold 90 %
    assert score(satisfaction, 144574, 184513) == pytest.approx(6 * (144574 / 184513) / 0.9)  # 5.22


@pytest.mark.parametrize("code, expected", [
    ("ON_TIME", 0.0), ("DOSSIER_SYNC", 0.0), ("DOSSIER_SATISFACTION", 0.0), ("REUSED_DATA", 0.0),
    ("E_CERTIFIED_COPY", 2.0), ("PETITION_ON_TIME", 6.0), ("PETITION_SATISFACTION", 6.0),
])
def test_zero_denominator_follows_the_indicators_rule(code, expected):
    assert score(I(code), 0, 0) == expected
    assert score(I(code), None, None) == expected  # the portal's "no data" (E_CERTIFIED_COPY: null/null → 2)


def test_scope_and_communes_where_an_indicator_does_not_apply():
    province_only = replace(I("PUBLISH_ON_TIME"), scope=frozenset({"P"}))
    assert score(province_only, 1, 2, level="P") == 3.0
    assert score(province_only, 1, 2, level="C") == 6.0  # commune_not_applicable="full" (the portal's behaviour)
    assert score(replace(province_only, commune_not_applicable="zero"), 1, 2, level="C") == 0.0
    assert score(replace(province_only, commune_not_applicable="none"), 1, 2, level="C") is None
    commune_only = replace(I("PUBLISH_ON_TIME"), scope=frozenset({"C"}))
    assert score(commune_only, 1, 2, level="P") is None  # not scored
    assert score(I("PUBLISH_ON_TIME"), 1, 2, level="C") == 3.0  # in scope: scored as usual


@pytest.mark.parametrize("numerator, denominator", [(-1, 5), (1, -5), (None, 5)])
def test_invalid_counts_are_refused(numerator, denominator):
    with pytest.raises(ValueError):
        score(I("ON_TIME"), numerator, denominator)


@given(st.sampled_from(M.indicators), st.integers(0, 10**6), st.integers(1, 10**6))
def test_a_score_lies_between_zero_and_the_maximum(indicator, numerator, denominator):
    numerator = min(numerator, denominator)
    value = score(indicator, numerator, denominator)
    assert 0.0 <= value <= indicator.max_points


# -- groups and totals -------------------------------------------------------------------------------

def test_group_scores_sum_indicators_and_none_adds_nothing():
    scores = {"PUBLISH_ON_TIME": None, "PUBLIC_UPDATE_ON_TIME": None, "PUBLIC_CONTENT_FULL": 2 * 87 / 89,
              "DOSSIER_SYNC": 6.0, "ON_TIME": 15.5}
    groups = group_scores(M, scores)
    assert list(groups) == ["G1", "G2", "G3a", "G3b", "G4", "G5"]
    assert groups["G1"] == pytest.approx(6 + 2 * 87 / 89)
    assert groups["G2"] == 15.5
    assert groups["G3a"] == groups["G3b"] == groups["G4"] == groups["G5"] == 0.0
    assert total(M, scores) == pytest.approx(6 + 2 * 87 / 89 + 15.5)
    assert total(M, {}) == 0.0


def test_group_scores_refuse_unknown_indicators():
    with pytest.raises(KeyError):
        group_scores(M, {"NOT_AN_INDICATOR": 1.0})


def test_full_marks_total_100():
    assert total(M, {i.code: float(i.max_points) for i in M.indicators}) == 100.0


def test_score_decimals_rounds_each_indicator_half_up_before_summing():
    rounded = M.with_changes(version="test-rounded", score_decimals=2)
    scores = {"PUBLIC_CONTENT_FULL": 0.125, "DOSSIER_SYNC": 1.004}
    assert group_scores(M, scores)["G1"] == pytest.approx(1.129)
    assert group_scores(rounded, scores)["G1"] == pytest.approx(0.13 + 1.00)
    assert round_half_up(2.345) == 2.35 and round_half_up(0.125) == 0.13 and round_half_up(4.694960) == 4.69


# -- bands ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("points, label", [
    (100, "Xuất sắc"), (90, "Xuất sắc"), (89.99, "Tốt"), (80, "Tốt"), (79.999, "Khá"), (70, "Khá"),
    (69.99, "Trung bình"), (50, "Trung bình"), (49.99, "Yếu"), (0, "Yếu"),
])
def test_bands_at_the_cut_offs(points, label):
    assert band(M, points).label_vi == label


def test_float_noise_does_not_drop_a_total_below_a_cut_off():
    noisy = sum([0.1] * 900)  # 89.99999999999…, mathematically 90
    assert noisy < 90
    assert band(M, noisy).label_vi == "Xuất sắc"


def test_bands_are_configurable():
    from motcua.index.engine.methodology import Band

    strict = M.with_changes(version="test-bands", bands=(Band("Đạt", 60), Band("Không đạt", 0)))
    assert band(strict, 60).label_vi == "Đạt" and band(strict, 59.9).label_vi == "Không đạt"


# -- ranks ---------------------------------------------------------------------------------------------

def test_ties_share_a_rank_competition_style():
    assert rank({"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert rank({"a": 50.0, "b": 50.0, "c": 50.0}) == {"a": 1, "b": 1, "c": 1}
    assert rank({"x": 10.0, "y": 20.0, "z": 20.0, "w": 30.0}) == {"w": 1, "y": 2, "z": 2, "x": 4}
    assert rank({}) == {}


def test_float_noise_is_a_tie_and_displayed_ties_on_request():
    assert rank({"a": 0.1 + 0.2, "b": 0.3, "c": 0.2}) == {"a": 1, "b": 1, "c": 3}
    assert rank({"a": 0.1 + 0.2, "b": 0.3}, decimals=None) == {"a": 1, "b": 2}
    assert rank({"a": 85.004, "b": 84.996, "c": 80.0}, decimals=2) == {"a": 1, "b": 1, "c": 3}
    assert math.isclose(sum(rank({"a": 1.0}).values()), 1)
