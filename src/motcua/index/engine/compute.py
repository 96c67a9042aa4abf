"""From numerators and denominators to scores, group totals, bands and ranks among peers."""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from motcua.index.engine.facts import INDICATORS
from motcua.index.engine.methodology import COMMUNE, PROVINCE, Methodology
from motcua.index.engine.scoring import band, group_scores, rank, score

# The stored band of a unit that had no activity: shown as "Không có dữ liệu", neither banded nor ranked.
NO_DATA = ""

# Unit kinds, their methodology level, and the peers they are ranked among.
LEVEL_OF_KIND = {"province": PROVINCE, "department": PROVINCE, "commune": COMMUNE}


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    numerator: int
    denominator: int
    score: float | None

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class UnitResult:
    period: str
    unit_id: int
    kind: str
    indicators: tuple[IndicatorResult, ...]
    groups: Mapping[str, float]
    total: float
    band: str  # NO_DATA for a unit without activity in the period (`has_activity`)
    rank: int | None  # among units of the same kind with data in the period; None for the province


def check_measured(methodology: Methodology) -> None:
    """Refuse a methodology naming an indicator the engine does not measure: scoring it by its
    zero-denominator rule alone would pass a guess for a figure."""
    unknown = [i.code for i in methodology.indicators if i.code not in INDICATORS]
    if unknown:
        raise ValueError(f"{methodology.version}: the engine measures no {', '.join(unknown)}")


def has_activity(methodology: Methodology, results: Iterable[IndicatorResult]) -> bool:
    """Whether any of the methodology's activity indicators has a denominator (the unit had work)."""
    return any(r.denominator for r in results if r.code in methodology.activity_indicators)


def score_unit(methodology: Methodology, period: str, unit_id: int, kind: str, facts: Mapping[str, int]) -> UnitResult:
    """The unit's scores from its row of `unit_facts` (a missing column counts 0). Every indicator
    of the methodology must be one the engine measures (`check_measured`)."""
    results = []
    for indicator in methodology.indicators:
        num = int(facts.get(f"{indicator.code}_num", 0))
        den = int(facts.get(f"{indicator.code}_den", 0))
        results.append(IndicatorResult(indicator.code, num, den, score(indicator, num, den, level=LEVEL_OF_KIND[kind])))
    scores = {r.code: r.score for r in results}
    groups = group_scores(methodology, scores)
    total = sum(groups.values())
    label = band(methodology, total).label_vi if has_activity(methodology, results) else NO_DATA
    return UnitResult(period, unit_id, kind, tuple(results), groups, total, label, None)


def score_all(methodology: Methodology, facts: Iterable[Mapping], kinds: Mapping[int, str]) -> list[UnitResult]:
    """Every (period, unit) row of `unit_facts`, scored and ranked among its peers."""
    check_measured(methodology)
    scored = [score_unit(methodology, row["period"], row["unit_id"], kinds[row["unit_id"]], row) for row in facts]
    ranks: dict[tuple[str, str], dict] = {}
    for r in scored:
        if r.kind != "province" and r.band != NO_DATA:
            ranks.setdefault((r.period, r.kind), {})[r.unit_id] = r.total
    ranked = {key: rank(values) for key, values in ranks.items()}
    return [UnitResult(**{**r.__dict__, "rank": ranked.get((r.period, r.kind), {}).get(r.unit_id)}) for r in scored]
