"""Rankings read from stored snapshots: never an engine run.

Every page, report and open-data file about the index goes through here. A month's public figures
are its latest published revision; the "current" figures are the newest month's latest snapshot,
draft or published. Nothing here writes a model.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from motcua.index import services
from motcua.index.charts import format_points
from motcua.index.engine import periods
from motcua.index.engine.compute import NO_DATA
from motcua.index.engine.methodology import Methodology
from motcua.index.models import IndicatorScore, MonthlyReport, Snapshot, SnapshotStatus, UnitScore

MONTH_KEY = re.compile(r"^\d{4}-\d{2}$")
RANKED_KINDS = ("department", "commune")
TREND_MONTHS = 12


@lru_cache(maxsize=8)
def _methodology(version: str, frozen: str) -> Methodology:
    return Methodology.from_dict(json.loads(frozen))


def methodology_of(snapshot: Snapshot) -> Methodology:
    """The methodology stored with the snapshot (not the code's current one)."""
    return _methodology(snapshot.methodology_version, json.dumps(snapshot.methodology, sort_keys=True))


# -- how a band and an empty denominator read ----------------------------------------------------------

NO_DATA_LABEL = gettext_noop("Không có dữ liệu")
# The default methodology's band labels, for the English catalogue (a methodology's own labels are data).
BAND_LABELS = (gettext_noop("Xuất sắc"), gettext_noop("Tốt"), gettext_noop("Khá"), gettext_noop("Trung bình"),
               gettext_noop("Yếu"))


def band_text(band: str) -> str:
    """A stored band as people read it, in the active language: a unit without activity in the period
    (`compute.NO_DATA`) reads "Không có dữ liệu", never a band. Every page, report and file uses this."""
    return gettext(NO_DATA_LABEL if band == NO_DATA else band)


def display_name(text: str) -> str:
    """A methodology's group name or indicator description in the active language: the default
    methodology's are in the catalogue; another methodology's own wording shows as written."""
    return gettext(text)


def rate_text(numerator: int, denominator: int) -> str:
    """An indicator's rate as people read it: "64,93 %", or "Không có dữ liệu" for an empty
    denominator (the score then follows the indicator's `zero_denominator` rule)."""
    return f"{format_points(100 * numerator / denominator)} %" if denominator else gettext(NO_DATA_LABEL)


# -- which snapshot ----------------------------------------------------------------------------------

def is_month(period_key: str) -> bool:
    return bool(MONTH_KEY.match(period_key))


def previous_month(period_key: str) -> str:
    start = periods.parse(period_key).start
    return periods.month(start.year - (start.month == 1), (start.month - 2) % 12 + 1).key


def published(period_key: str) -> Snapshot | None:
    """The period's public figures: its latest published revision (superseded ones are history)."""
    return Snapshot.objects.filter(period=period_key, status=SnapshotStatus.PUBLISHED).order_by("-revision").first()


def latest(period_key: str) -> Snapshot | None:
    """The period's newest figures, draft or published."""
    return (Snapshot.objects.filter(period=period_key).exclude(status=SnapshotStatus.SUPERSEDED)
            .order_by("-revision").first())


def published_months() -> list[str]:
    keys = Snapshot.objects.filter(status=SnapshotStatus.PUBLISHED).values_list("period", flat=True).distinct()
    return sorted((k for k in keys if is_month(k)), reverse=True)


def finished_months(now, count: int = TREND_MONTHS) -> list[str]:
    """The `count` months before the running one, newest first, whose report is not made yet: what
    the office can still publish and report."""
    local = timezone.localtime(now)
    key, months = periods.month(local.year, local.month).key, []
    for _ in range(count):
        key = previous_month(key)
        months.append(key)
    reported = set(MonthlyReport.objects.filter(snapshot__period__in=months).values_list("snapshot__period", flat=True))
    return [m for m in months if m not in reported]


def computed_months() -> list[str]:
    """Every month with figures (draft or published), newest first: what the dashboard can show."""
    keys = Snapshot.objects.exclude(status=SnapshotStatus.SUPERSEDED).values_list("period", flat=True).distinct()
    return sorted((k for k in keys if is_month(k)), reverse=True)


def current() -> Snapshot | None:
    """The newest month's latest snapshot: the live index (a draft while the month runs)."""
    months = computed_months()
    return latest(months[0]) if months else None


def revisions(period_key: str) -> list[Snapshot]:
    """Every published or superseded revision of a period, newest first (the corrections' history)."""
    return list(Snapshot.objects.filter(period=period_key).exclude(status=SnapshotStatus.DRAFT).order_by("-revision"))


# -- rankings ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    unit_id: int
    code: str
    name: str
    kind: str
    total: float
    band: str
    rank: int | None
    groups: dict
    previous_total: float | None = None
    previous_rank: int | None = None

    @property
    def change(self) -> float | None:
        return None if self.previous_total is None else self.total - self.previous_total

    @property
    def has_data(self) -> bool:
        return self.band != NO_DATA


def _scores(snapshot: Snapshot, kind: str | None = None):
    scores = UnitScore.objects.filter(snapshot=snapshot).select_related("unit")
    return scores.filter(unit__kind=kind) if kind else scores


def _group_order(snapshot: Snapshot) -> list[str]:
    return [g.code for g in methodology_of(snapshot).groups]


def _row(score: UnitScore, before: UnitScore | None, order: list[str]) -> Row:
    # in the methodology's group order: a JSON column need not keep its keys' order (PostgreSQL's jsonb doesn't)
    return Row(score.unit_id, score.unit.code, score.unit.name, score.unit.kind, score.total, score.band, score.rank,
               {code: score.groups.get(code, 0.0) for code in order},
               before.total if before else None, before.rank if before else None)


def comparison_snapshot(snapshot: Snapshot) -> Snapshot | None:
    """What a month is compared with, like with like: a finished month with the previous month's
    published figures; a running month (figures as of a day inside it) with the same days of the
    previous month."""
    if not is_month(snapshot.period):
        return None
    period = periods.parse(snapshot.period)
    if snapshot.as_of < services.period_end(period):
        return latest(services.same_days_before(period, snapshot.as_of).key)
    return published(previous_month(snapshot.period))


def ranking(snapshot: Snapshot, kind: str) -> list[Row]:
    """Units of one kind, best first, each with its previous month's total and rank."""
    before = comparison_snapshot(snapshot)
    previous = {s.unit_id: s for s in _scores(before, kind)} if before else {}
    order = _group_order(snapshot)
    rows = [_row(s, previous.get(s.unit_id), order) for s in _scores(snapshot, kind)]
    return sorted(rows, key=lambda r: (r.rank or 10**6, r.name))


def province_row(snapshot: Snapshot) -> Row | None:
    before = comparison_snapshot(snapshot)
    score = _scores(snapshot, "province").first()
    if score is None:
        return None
    return _row(score, _scores(before, "province").first() if before else None, _group_order(snapshot))


def unit_row(snapshot: Snapshot, unit_id: int) -> Row | None:
    score = _scores(snapshot).filter(unit_id=unit_id).first()
    if score is None:
        return None
    before = comparison_snapshot(snapshot)
    return _row(score, _scores(before).filter(unit_id=unit_id).first() if before else None, _group_order(snapshot))


def movers(rows: list[Row], n: int = 5) -> tuple[list[Row], list[Row]]:
    """The n biggest risers and the n biggest fallers by points since the previous month."""
    changed = [r for r in rows if r.change and r.has_data]
    ups = sorted((r for r in changed if r.change > 0), key=lambda r: -r.change)[:n]
    downs = sorted((r for r in changed if r.change < 0), key=lambda r: r.change)[:n]
    return ups, downs


def weakest(rows: list[Row], n: int = 5) -> list[Row]:
    """The n lowest totals among units with data (a unit without dossiers is not weak, it had no work)."""
    return sorted((r for r in rows if r.has_data), key=lambda r: (r.total, r.name))[:n]


def band_counts(snapshot: Snapshot, rows: list[Row]) -> list[tuple[str, int]]:
    """How many units in each band as people read them, and last how many had no data."""
    counts = {b.label_vi: 0 for b in methodology_of(snapshot).bands} | {NO_DATA: 0}
    for r in rows:
        counts[r.band] = counts.get(r.band, 0) + 1
    counts[NO_DATA] = counts.pop(NO_DATA)
    return [(band_text(band), n) for band, n in counts.items()]


# -- scorecards --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorLine:
    code: str
    description: str
    group: str
    numerator: int
    denominator: int
    score: float | None
    max_points: float
    measured: bool

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def rate_text(self) -> str:
        return rate_text(self.numerator, self.denominator)

    @property
    def lost(self) -> float:
        return self.max_points - (self.score or 0.0)


@dataclass(frozen=True)
class GroupLine:
    code: str
    name: str
    score: float
    max_points: float
    indicators: list[IndicatorLine] = field(default_factory=list)


def indicator_lines(snapshot: Snapshot, indicators) -> list[IndicatorLine]:
    methodology = methodology_of(snapshot)
    lines = []
    for i in indicators:
        spec = methodology.indicator(i.code)
        lines.append(IndicatorLine(i.code, display_name(spec.description_vi), spec.group, i.numerator, i.denominator, i.score,
                                   spec.max_points, i.measured))
    return lines


def scorecard(snapshot: Snapshot, unit_id: int) -> list[GroupLine]:
    """The unit's groups, each with its indicators (numerator, denominator, rate, score, maximum)."""
    score = UnitScore.objects.filter(snapshot=snapshot, unit_id=unit_id).first()
    if score is None:
        return []
    lines = indicator_lines(snapshot, score.indicators.all())
    return [GroupLine(g.code, display_name(g.name_vi), score.groups.get(g.code, 0.0), g.max_points,
                      [line for line in lines if line.group == g.code])
            for g in methodology_of(snapshot).groups]


def weakest_indicators_of(snapshot: Snapshot, unit_id: int, n: int = 3) -> list[IndicatorLine]:
    """The unit's indicators that lose the most points (measured ones only: the rest is not the unit's doing)."""
    lines = indicator_lines(snapshot, IndicatorScore.objects.filter(unit_score__snapshot=snapshot,
                                                                    unit_score__unit_id=unit_id, measured=True))
    return sorted((line for line in lines if line.lost > 1e-9), key=lambda line: -line.lost)[:n]


@dataclass(frozen=True)
class IndicatorLoss:
    code: str
    description: str
    group: str
    max_points: float
    average_score: float
    units_below_half: int
    units: int

    @property
    def average_lost(self) -> float:
        return self.max_points - self.average_score


def weakest_indicators(snapshot: Snapshot, kind: str | None = None, n: int = 5) -> list[IndicatorLoss]:
    """Indicators that lose the most points on average across the ranked units (measured ones only)."""
    rows = IndicatorScore.objects.filter(unit_score__snapshot=snapshot, measured=True).exclude(unit_score__band=NO_DATA)
    rows = rows.filter(unit_score__unit__kind=kind) if kind else rows.filter(unit_score__unit__kind__in=RANKED_KINDS)
    methodology = methodology_of(snapshot)
    by_code: dict[str, list[float]] = {}
    for code, value in rows.values_list("code", "score"):
        by_code.setdefault(code, []).append(value or 0.0)
    losses = []
    for code, values in by_code.items():
        spec = methodology.indicator(code)
        losses.append(IndicatorLoss(code, display_name(spec.description_vi), spec.group, spec.max_points, sum(values) / len(values),
                                    sum(v < spec.max_points / 2 for v in values), len(values)))
    return sorted((x for x in losses if x.average_lost > 1e-9), key=lambda x: -x.average_lost)[:n]


# -- trends ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrendPoint:
    period: str
    total: float
    rank: int | None
    band: str


def trend(unit_id: int, until: str, months: int = TREND_MONTHS) -> list[TrendPoint]:
    """The unit's published monthly totals over the `months` months ending with `until`, oldest first."""
    keys = [until]
    while len(keys) < months:
        keys.append(previous_month(keys[-1]))
    scores = (UnitScore.objects.filter(snapshot__period__in=keys, snapshot__status=SnapshotStatus.PUBLISHED,
                                       unit_id=unit_id)
              .values_list("snapshot__period", "total", "rank", "band"))
    points = {period: TrendPoint(period, total, rank, band) for period, total, rank, band in scores}
    return [points[k] for k in sorted(points)]


def month_label(period_key: str) -> str:
    """'10/2026' for '2026-10'; other period keys as they are."""
    return f"{period_key[5:]}/{period_key[:4]}" if is_month(period_key) else period_key
