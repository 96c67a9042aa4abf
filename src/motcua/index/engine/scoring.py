"""Pure scoring: indicator scores, group scores, totals, rating bands and ranks.

All rules come from a `Methodology`; nothing here knows an indicator by name. Scores are unrounded
floats (displays show 2 decimals) unless the methodology asks for the portal's rounding.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from motcua.index.engine.methodology import COMMUNE, Band, Indicator, Methodology

# Totals within this distance of a band's cut-off belong to the band: float sums of unrounded scores
# must not turn an exact 90 into "Tốt".
BAND_EPSILON = 1e-9


def score(indicator: Indicator, numerator: float | None, denominator: float | None,
          *, level: str | None = None) -> float | None:
    """The indicator's points for numerator / denominator.

    lin: max × r; thr: min(max, max × r / threshold). A zero or missing denominator scores 0 or the
    maximum, per the indicator's `zero_denominator`. With `level` ("P" or "C") outside the
    indicator's scope: a commune gets `commune_not_applicable` ("full", "zero", or None for "none"),
    any other level None (not scored). None adds nothing to a group.
    """
    m = float(indicator.max_points)
    if level is not None and level not in indicator.scope:
        if level != COMMUNE:
            return None
        return {"full": m, "zero": 0.0, "none": None}[indicator.commune_not_applicable]
    if not denominator:
        return m if indicator.zero_denominator == "full" else 0.0
    if numerator is None or numerator < 0 or denominator < 0:
        raise ValueError(f"{indicator.code}: invalid numerator/denominator {numerator!r}/{denominator!r}")
    rate = numerator / denominator
    if indicator.rule == "lin":
        return m * rate
    return min(m, m * rate / indicator.threshold)


def round_half_up(value: float, decimals: int = 2) -> float:
    """Commercial rounding of the decimal value as displayed (2.345 → 2.35), not banker's rounding."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def group_scores(methodology: Methodology, indicator_scores: Mapping[str, float | None]) -> dict[str, float]:
    """Each group's points: the sum of its indicators' scores (None adds nothing; every group is present)."""
    groups = {g.code: 0.0 for g in methodology.groups}
    for code, value in indicator_scores.items():
        group = methodology.indicator(code).group
        if value is None:
            continue
        if methodology.score_decimals is not None:
            value = round_half_up(value, methodology.score_decimals)
        groups[group] += value
    return groups


def total(methodology: Methodology, indicator_scores: Mapping[str, float | None]) -> float:
    """The unit's total out of 100: the sum of its group scores."""
    return sum(group_scores(methodology, indicator_scores).values())


def band(methodology: Methodology, total_points: float) -> Band:
    """The highest band whose cut-off the total reaches (Xuất sắc ≥ 90, Tốt ≥ 80, … by default)."""
    for b in methodology.bands:  # highest cut-off first
        if total_points >= b.min_total - BAND_EPSILON:
            return b
    return methodology.bands[-1]


def rank(values: Mapping[str, float], *, decimals: int | None = 9) -> dict[str, int]:
    """Competition ranking, highest value first; ties share a rank (1, 2, 2, 4).

    Values are compared after rounding to `decimals` (default 9: float noise is not a difference;
    pass 2 to rank on the displayed scores, None to compare exactly).
    """
    key = (lambda v: v) if decimals is None else (lambda v: round(v, decimals))
    ordered = sorted(values.items(), key=lambda item: -key(item[1]))
    ranks: dict[str, int] = {}
    previous = None
    for position, (unit, value) in enumerate(ordered, start=1):
        if previous is None or key(value) != previous[1]:
            previous = (position, key(value))
        ranks[unit] = previous[0]
    return ranks
