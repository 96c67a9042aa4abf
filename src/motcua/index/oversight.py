"""What the provincial office and the heads of unit see of the index: scoped selectors.

The office dashboard (every unit) needs `sees_everything`; a head sees their own unit only. Every
query of officer-visible records goes through `units.scoping.scoped`, and a refusal raises
PermissionDenied before anything is read.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import DeadlineState, DelayReport, Dossier, DossierEvent
from motcua.dossiers.transitions import TERMINAL, Status
from motcua.index import rankings
from motcua.index.engine import periods
from motcua.units import policy
from motcua.units.models import Officer, Unit
from motcua.units.scoping import scoped

OPEN_STATUSES = [s for s in Status if s not in TERMINAL and s != Status.PROCESSED]


def require_office(user) -> None:
    if not (isinstance(user, Officer) and user.is_active and user.sees_everything):
        raise PermissionDenied(_("Chỉ Văn phòng UBND tỉnh và quản trị hệ thống được xem trang này."))


def training_threshold(raw: str | None) -> tuple[float, str]:
    """The threshold asked for (0–100), or the configured one and an error message for bad input."""
    default = settings.MOTCUA_TRAINING_THRESHOLD
    if raw in (None, ""):
        return default, ""
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        return default, f"Ngưỡng '{raw}' không hợp lệ: hãy nhập một số từ 0 đến 100. Đang dùng ngưỡng {default:g}."
    return value, ""


@dataclass(frozen=True)
class TrainingCandidate:
    row: rankings.Row
    weakest: list


def training_candidates(user, snapshot, threshold: float) -> list[TrainingCandidate]:
    require_office(user)
    rows = [r for kind in rankings.RANKED_KINDS for r in rankings.ranking(snapshot, kind)
            if r.has_data and r.total < threshold]
    return [TrainingCandidate(r, rankings.weakest_indicators_of(snapshot, r.unit_id))
            for r in sorted(rows, key=lambda r: r.total)]


@dataclass(frozen=True)
class AtRisk:
    unit_id: int
    name: str
    at_risk: int
    overdue: int


def at_risk_by_unit(user) -> list[AtRisk]:
    """Open dossiers at risk or overdue, counted per unit, most overdue first."""
    open_dossiers = scoped(Dossier.objects.filter(status__in=OPEN_STATUSES), user)
    counts = (open_dossiers.filter(deadline_state__in=[DeadlineState.AT_RISK, DeadlineState.OVERDUE])
              .values("unit_id", "unit__name")
              .annotate(at_risk=Count("pk", filter=Q(deadline_state=DeadlineState.AT_RISK)),
                        overdue=Count("pk", filter=Q(deadline_state=DeadlineState.OVERDUE))))
    return sorted((AtRisk(c["unit_id"], c["unit__name"], c["at_risk"], c["overdue"]) for c in counts),
                  key=lambda a: (-a.overdue, -a.at_risk, a.name))


# -- heads of unit -----------------------------------------------------------------------------------

def unit_for(user, code: str | None = None) -> Unit:
    """The unit a head looks at: their own; the office may name any unit."""
    if not isinstance(user, Officer) or not user.is_active:
        raise PermissionDenied(_("Cần đăng nhập."))
    if user.sees_everything:
        unit = Unit.objects.filter(code=code).first() if code else None
        if unit is None:
            raise PermissionDenied(_("Hãy chọn một đơn vị."))
        return unit
    if not policy.head_of_a_unit(user):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị được xem bảng điểm của đơn vị."))
    return user.unit


@dataclass(frozen=True)
class OfficerFigures:
    officer: Officer
    handled: int  # distinct dossiers the officer acted on in the period
    finished: int  # of those, finished in the period
    on_time: int  # finished by the appointment given at reception
    overdue: int  # finished late, or still open and overdue
    e_results: int  # finished with a digitally signed electronic result
    delay_reports: int  # apology slips (Mẫu 04) filed in the period


def _bounds(period_key: str) -> tuple[datetime, datetime]:
    period = periods.parse(period_key)
    return (timezone.make_aware(datetime.combine(period.start, time.min)),
            timezone.make_aware(datetime.combine(period.end, time.min)))


def officer_figures(user, unit: Unit, period_key: str) -> list[OfficerFigures]:
    start, end = _bounds(period_key)
    dossiers = scoped(Dossier.objects.all(), user).filter(unit=unit)
    events = DossierEvent.objects.filter(dossier__in=dossiers, at__gte=start, at__lt=end, actor__isnull=False)
    delays = dict(DelayReport.objects.filter(dossier__in=dossiers, filed_at__gte=start, filed_at__lt=end)
                  .values("filed_by").annotate(n=Count("pk")).values_list("filed_by", "n"))
    figures = []
    for officer in Officer.objects.filter(unit=unit, is_active=True).order_by("role", "username"):
        mine = dossiers.filter(pk__in=events.filter(actor=officer).values("dossier"))
        finished = mine.filter(finished_at__gte=start, finished_at__lt=end)
        counts = mine.aggregate(
            handled=Count("pk"),
            finished=Count("pk", filter=Q(pk__in=finished.values("pk"))),
            # on time by the clock: the end against the appointment moved by the supplement pause
            # (current_appointment_at, kept by the supplement service with WorkCalendar.postpone)
            on_time=Count("pk", filter=Q(pk__in=finished.values("pk"), current_appointment_at__isnull=False,
                                         finished_at__lte=F("current_appointment_at"))),
            late=Count("pk", filter=Q(pk__in=finished.values("pk"), finished_at__gt=F("current_appointment_at"))),
            open_overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline_state=DeadlineState.OVERDUE)),
            e_results=Count("pk", filter=Q(pk__in=finished.values("pk"), result_signed=True)))
        figures.append(OfficerFigures(officer, counts["handled"], counts["finished"], counts["on_time"],
                                      counts["late"] + counts["open_overdue"], counts["e_results"],
                                      delays.get(officer.pk, 0)))
    return figures
