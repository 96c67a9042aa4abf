"""Computing, storing and publishing the index of a period."""
import hashlib
import json
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.index.engine import periods
from motcua.index.engine.compute import UnitResult, check_measured, score_all
from motcua.index.engine.facts import unit_facts
from motcua.index.engine.methodology import DEFAULT_VERSION, get_methodology
from motcua.index.live import live_inputs
from motcua.index.models import IndicatorScore, Snapshot, SnapshotStatus, UnitScore
from motcua.units.models import Unit


class SnapshotError(Exception):
    """A refused index operation; the message is for people (Vietnamese)."""


def period_end(period: periods.Period) -> datetime:
    return timezone.make_aware(datetime.combine(period.end, time.min))


def evaluation_instant(period: periods.Period, now: datetime) -> datetime:
    """A period is judged at its end, or now while it is still running."""
    return min(period_end(period), now)


def calculate(period: periods.Period, as_of: datetime, methodology_version: str = DEFAULT_VERSION) -> list[UnitResult]:
    """Every unit's scores for the period, from the facts counted under the methodology's own
    rules (e.g. its supplement limit for ON_TIME)."""
    methodology = get_methodology(methodology_version)
    try:
        check_measured(methodology)
    except ValueError as exc:
        raise SnapshotError(f"Phương pháp {methodology_version} có chỉ số hệ thống chưa đo được: {exc}") from None
    facts = unit_facts(live_inputs(), [period], as_of=as_of, methodology=methodology).to_pyarrow().to_pylist()
    kinds = dict(Unit.objects.values_list("pk", "kind"))
    return score_all(methodology, facts, kinds)


def fingerprint(results: list[UnitResult]) -> str:
    numbers = sorted([r.unit_id, round(r.total, 9), r.rank,
                      [(i.code, i.numerator, i.denominator) for i in r.indicators]] for r in results)
    return hashlib.sha256(json.dumps(numbers).encode()).hexdigest()


def _store(snapshot: Snapshot, results: list[UnitResult]) -> None:
    scores = UnitScore.objects.bulk_create(
        UnitScore(snapshot=snapshot, unit_id=r.unit_id, total=r.total, band=r.band, rank=r.rank, groups=dict(r.groups))
        for r in results)
    IndicatorScore.objects.bulk_create(
        # Every indicator is measured now (`compute.check_measured`); `measured` stays False only
        # in snapshots computed before motcua measured them all, whose scorecards still say so.
        IndicatorScore(unit_score=s, code=i.code, numerator=i.numerator, denominator=i.denominator, score=i.score,
                       measured=True)
        for s, r in zip(scores, results) for i in r.indicators)


@transaction.atomic
def compute(period_key: str, *, reason: str = "", now: datetime | None = None,
            methodology_version: str = DEFAULT_VERSION) -> Snapshot:
    """Compute the period from the recorded facts and store it.

    A draft is replaced; a published period is never overwritten: the same numbers change nothing,
    different numbers need a reason and become the next revision (the old one is kept, superseded).
    """
    period = periods.parse(period_key)
    now = now or timezone.now()
    as_of = evaluation_instant(period, now)
    results = calculate(period, as_of, methodology_version)
    digest = fingerprint(results)
    latest = Snapshot.objects.select_for_update().filter(period=period.key).order_by("-revision").first()
    if latest is not None and latest.status == SnapshotStatus.PUBLISHED:
        if latest.fingerprint == digest:
            return latest
        if not reason.strip():
            raise SnapshotError(f"Kỳ {period.key} đã công bố; số liệu mới khác số đã công bố. "
                              "Cần ghi lý do để tạo bản sửa đổi.")
        latest.status = SnapshotStatus.SUPERSEDED
        latest.save(update_fields=["status"])
    fields = dict(methodology_version=methodology_version, as_of=as_of, computed_at=now, fingerprint=digest,
                  methodology=json.loads(get_methodology(methodology_version).to_json()))
    if latest is not None and latest.status == SnapshotStatus.DRAFT:
        latest.unit_scores.all().delete()
        for name, value in fields.items():
            setattr(latest, name, value)
        latest.save()
        snapshot = latest
    elif latest is None:
        snapshot = Snapshot.objects.create(period=period.key, revision=0, **fields)
    else:  # a revision of a published period: published at once, with its reason
        snapshot = Snapshot.objects.create(period=period.key, revision=latest.revision + 1, reason=reason.strip(),
                                           status=SnapshotStatus.PUBLISHED, published_at=now, **fields)
    _store(snapshot, results)
    return snapshot


def same_days_before(period: periods.Period, as_of: datetime) -> periods.Period:
    """The first days of the previous month matching the days a running month has had by `as_of`:
    what its live figures are compared with (a week of November with a week of October, not with all
    of October)."""
    start = periods.parse(period.key).start
    previous = periods.month(start.year - (start.month == 1), (start.month - 2) % 12 + 1)
    days = max(0, (timezone.localtime(as_of).date() - start).days)
    return periods.date_range(previous.start, min(previous.start + timedelta(days=days), previous.end - timedelta(days=1)))


def compute_running_month(now: datetime | None = None) -> Snapshot:
    """The live index (`motcua index compute --current`, the hourly task, the dashboard's button): the
    running month from the recorded facts, and the same days of the previous month to compare with."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    snapshot = compute(periods.month(local.year, local.month).key, now=now)
    compute(same_days_before(periods.parse(snapshot.period), snapshot.as_of).key, now=now)
    return snapshot


@transaction.atomic
def publish(period_key: str, *, now: datetime | None = None) -> Snapshot:
    """Freeze the period's draft; publishing it again changes nothing."""
    period = periods.parse(period_key)
    latest = Snapshot.objects.select_for_update().filter(period=period.key).order_by("-revision").first()
    if latest is None:
        raise SnapshotError(f"Kỳ {period.key} chưa được tính.")
    if latest.status == SnapshotStatus.DRAFT:
        if latest.as_of < period_end(period):
            raise SnapshotError(f"Số liệu kỳ {period.key} được tính khi kỳ chưa kết thúc; "
                                "hãy tính lại sau khi kỳ kết thúc rồi mới công bố.")
        latest.status, latest.published_at = SnapshotStatus.PUBLISHED, now or timezone.now()
        latest.save(update_fields=["status", "published_at"])
    return latest
