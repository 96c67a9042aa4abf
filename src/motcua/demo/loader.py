"""`motcua demo`: the whole demo province, loaded month by month with visible progress."""
import time
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from motcua.catalogue.models import Procedure
from motcua.demo.certified_copies import load_certified_copies
from motcua.demo.feedback import load_feedback
from motcua.demo.index import publish_history
from motcua.demo.organisation import load_organisation
from motcua.demo.procedures import load_catalogue
from motcua.demo.publications import load_publications
from motcua.demo.simulation import DossierSimulator
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.units.models import Officer
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


def load_demo(*, province_code: int, months: int, per_month: int, seed: int, until: datetime | None = None,
              progress=print) -> DemoSummary:
    started = time.perf_counter()
    until = until or timezone.now()
    ensure_calendar_table()
    with transaction.atomic():  # one commit, not one per row
        province = load_organisation(province_code)
        procedures = load_catalogue(seed)
    progress(f"Tổ chức: {province.name}, {province.children.count()} đơn vị; {procedures} thủ tục.")
    history = months_back(until, months)
    t0 = time.perf_counter()
    copies = load_certified_copies(seed, date(*history[0], 1), until)
    progress(f"Chứng thực bản sao điện tử: {copies} xã đã cấp ({time.perf_counter() - t0:.1f} s).")
    simulator = DossierSimulator(seed, until)
    for year, month in history:
        t0 = time.perf_counter()
        made = simulator.run_month(year, month, per_month)
        progress(f"  Tháng {month:02d}/{year}: {made.dossiers:>6} hồ sơ, {made.events:>7} sự kiện "
                 f"({time.perf_counter() - t0:.1f} s)")
    load_feedback(seed, until, progress)
    progress(f"Quyết định công bố TTHC: {load_publications(seed, until, months_back(until, months))} thủ tục.")
    t0 = time.perf_counter()
    progress("Chỉ số phục vụ: tính và công bố các tháng đã kết thúc…")
    published = publish_history(history, until, progress)
    progress(f"Chỉ số phục vụ: {published} tháng đã công bố ({time.perf_counter() - t0:.1f} s).")
    return DemoSummary(units=province.children.count() + 1, officers=Officer.objects.count(),
                       procedures=Procedure.objects.count(), dossiers=Dossier.objects.count(),
                       events=DossierEvent.objects.count(), delay_reports=simulator.counts.delay_reports,
                       seconds=time.perf_counter() - started)
