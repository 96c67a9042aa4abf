"""`motcua demo`: the demo province, in steps that print their progress and can resume.

A newcomer's first start must not wait for a year of history. The load is planned as steps
(`DemoStep`): the core one needs to log in and work — the organisation, the catalogue and the
running month's dossiers — then the history: the certified copies, the past months (oldest first),
ratings and petitions, publication decisions, and the index of every finished month. `make run`
loads the core, starts serving and finishes the history in a background process (`motcua demo
--history`); the pages show how far it got (`motcua.demo.context`). Every step commits in small
transactions with its progress, so a load cut short resumes where it stopped and gives the same
province as one loaded at once.
"""
import time
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from motcua.catalogue.models import Procedure
from motcua.demo.certified_copies import load_certified_copies
from motcua.demo.feedback import load_feedback
from motcua.demo.index import publish_history
from motcua.demo.models import DemoLoad, DemoStep
from motcua.demo.organisation import load_organisation
from motcua.demo.procedures import load_catalogue
from motcua.demo.publications import load_publications
from motcua.demo.simulation import DossierSimulator
from motcua.dossiers.models import DelayReport, Dossier, DossierEvent
from motcua.units.models import Officer, Unit
from motcua.workdays.services import ensure_calendar_table


@dataclass
class DemoSummary:
    units: int
    officers: int
    procedures: int
    dossiers: int
    events: int
    delay_reports: int
    seconds: float


def months_back(until: datetime, months: int) -> list[tuple[int, int]]:
    y, m = until.year, until.month
    out = []
    for _ in range(months):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _month_key(year: int, month: int) -> str:
    return f"month:{year}-{month:02d}"


def plan_demo(*, province_code: int, months: int, per_month: int, seed: int, until: datetime | None = None,
              progress=print) -> DemoLoad:
    """Create the organisation and the catalogue and plan the steps; the dossiers come with `run_steps`."""
    until = timezone.localtime(until or timezone.now())  # the province's months, as run_steps reads them
    ensure_calendar_table()
    history = months_back(until, months)
    keys = ([_month_key(*history[-1])] + ["copies"] + [_month_key(*ym) for ym in history[:-1]]
            + ["feedback", "publications", "index"])
    with transaction.atomic():  # one commit, not one per row
        province = load_organisation(province_code)
        procedures = load_catalogue(seed)
        load = DemoLoad.objects.create(seed=seed, months=months, per_month=per_month, until=until)
        DemoStep.objects.bulk_create(DemoStep(load=load, position=n, key=key) for n, key in enumerate(keys))
    progress(f"Tổ chức: {province.name}, {province.children.count()} đơn vị; {procedures} thủ tục.")
    return load


CORE_STEPS = 1  # the running month: what a newcomer works with


def pending_steps(load: DemoLoad):
    return load.steps.filter(done_at=None)


def run_steps(load: DemoLoad, *, progress=print, limit: int | None = None) -> int:
    """Run the load's pending steps in order (at most `limit`); returns how many were done."""
    until = timezone.localtime(load.until)
    history = months_back(until, load.months)
    steps = list(pending_steps(load))[:limit]
    simulator = DossierSimulator(load.seed, until) if any(s.key.startswith("month:") for s in steps) else None
    month_steps = load.steps.filter(key__startswith="month:", position__gte=CORE_STEPS).count()
    for step in steps:
        t0 = time.perf_counter()

        def done(unit_code: str, step=step) -> None:
            DemoStep.objects.filter(pk=step.pk).update(cursor=unit_code)

        if step.key.startswith("month:"):
            year, month = map(int, step.key.removeprefix("month:").split("-"))
            made = simulator.run_month(year, month, load.per_month, after=step.cursor,
                                       done=_with_progress(done, progress, f"  Tháng {month:02d}/{year}",
                                                           len(simulator.profiles)))
            _finish(step)
            if step.position < CORE_STEPS:
                place = " (tháng đang diễn ra)"
            else:
                place = f", lịch sử {month_steps - pending_steps(load).filter(key__startswith='month:').count()}/{month_steps} tháng"
            progress(f"  Tháng {month:02d}/{year}: {made.dossiers:>6} hồ sơ, {made.events:>7} sự kiện "
                     f"({time.perf_counter() - t0:.1f} s){place}")
        elif step.key == "copies":
            progress("Chứng thực bản sao điện tử: mỗi xã một bản sao ký số…")
            copies = load_certified_copies(load.seed, date(*history[0], 1), until, after=step.cursor, done=done)
            _finish(step)
            progress(f"Chứng thực bản sao điện tử: {copies} xã đã cấp ({time.perf_counter() - t0:.1f} s).")
        elif step.key == "feedback":
            with transaction.atomic():
                load_feedback(load.seed, until, progress)
                _finish(step)
        elif step.key == "publications":
            with transaction.atomic():
                announced = load_publications(load.seed, until, history)
                _finish(step)
            progress(f"Quyết định công bố TTHC: {announced} thủ tục.")
        elif step.key == "index":
            # Computing and publishing a month again changes nothing, so a cut-short step is redone.
            progress("Chỉ số phục vụ: tính và công bố các tháng đã kết thúc…")
            published = publish_history(history, until, progress)
            _finish(step)
            progress(f"Chỉ số phục vụ: {published} tháng đã công bố ({time.perf_counter() - t0:.1f} s).")
    return len(steps)


def _finish(step: DemoStep) -> None:
    DemoStep.objects.filter(pk=step.pk).update(done_at=timezone.now())


def _with_progress(done, progress, label: str, units: int):
    """`done`, and a line at every quarter of the units, so that a long month is never silent."""
    seen = [0]

    def report(unit_code: str) -> None:
        done(unit_code)
        seen[0] += 1
        if seen[0] % max(1, units // 4) == 0 and seen[0] < units:
            progress(f"{label}: {seen[0]}/{units} đơn vị…")
    return report


def summary(seconds: float) -> DemoSummary:
    return DemoSummary(units=Unit.objects.count(), officers=Officer.objects.count(),
                       procedures=Procedure.objects.count(), dossiers=Dossier.objects.count(),
                       events=DossierEvent.objects.count(), delay_reports=DelayReport.objects.count(),
                       seconds=seconds)


def load_demo(*, province_code: int, months: int, per_month: int, seed: int, until: datetime | None = None,
              progress=print) -> DemoSummary:
    """The whole demo province at once (the core and its history)."""
    started = time.perf_counter()
    load = plan_demo(province_code=province_code, months=months, per_month=per_month, seed=seed, until=until,
                     progress=progress)
    run_steps(load, progress=progress)
    return summary(time.perf_counter() - started)
