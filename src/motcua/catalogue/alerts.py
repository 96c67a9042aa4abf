"""Alerts as the deadlines of publication decisions approach (`motcua catalogue alerts`).

Two deadlines per announced procedure (see `deadlines`): the province's decision must be dated
by `decide_by` while it is still a draft, and once issued the procedure must be public on the
National Database by `publish_by`. A deadline not yet met is *approaching* from
MOTCUA_PUBLICATION_ALERT_WORKING_DAYS (default 3) working days before it, *overdue* after it.

Each (procedure of a decision, deadline, stage) is alerted once — `PublicationAlert` is unique on
it — so the command can run from cron as often as wanted. An alert goes to the heads of the owner
unit (the procedure's implementing department; the provincial office for commune-level
procedures, as for consistency findings) as an in-app notice (`notify.models.Notification`,
kind "publication", no dossier) and by e-mail to those with an address — through the officers'
notices' one mailer (`notify.officers.send_pending_emails`): each e-mailed at most once, and
one whose send failed is retried by the next run, like every other notice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalogue.checks import OwnerResolver
from motcua.catalogue.models import (
    AlertStage,
    DecisionStatus,
    PublicationAlert,
    PublicationDeadline,
    PublicationItem,
)
from motcua.catalogue.publications import item_deadlines
from motcua.notify.models import Notification
from motcua.notify.officers import send_pending_emails
from motcua.units.selectors import heads_by_unit
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.services import province_calendar


NOTICE_KIND = "publication"  # an officer's notice about a publication deadline: no dossier
NOTICE_TITLES = {NOTICE_KIND: "Thời hạn công bố thủ tục hành chính"}


def alert_working_days() -> int:
    return int(settings.MOTCUA_PUBLICATION_ALERT_WORKING_DAYS)


@dataclass
class AlertRun:
    alerts: int = 0
    notices: int = 0
    emails: int = 0

    def summary(self) -> str:
        return (f"Cảnh báo thời hạn công bố: {self.alerts} cảnh báo mới, {self.notices} thông báo, "
                f"{self.emails} thư điện tử.")


def stage_of(calendar: WorkCalendar, today: dt.date, due_on: dt.date, window: int) -> str | None:
    left = calendar.working_day_ordinal(due_on) - calendar.working_day_ordinal(today)
    if today > due_on:
        return AlertStage.OVERDUE
    if left <= window:
        return AlertStage.APPROACHING
    return None


def _message(item: PublicationItem, deadline: str, stage: str, due_on: dt.date) -> str:
    what = f"thủ tục {item.procedure_code} «{item.name or (item.procedure.name if item.procedure_id else '')}»"
    decision = item.decision
    if deadline == PublicationDeadline.DECIDE:
        head = (f"Dự thảo quyết định công bố {what} phải được ban hành chậm nhất ngày {due_on:%d/%m/%Y} "
                f"(5 ngày làm việc trước ngày văn bản {item.legal_basis or ''} có hiệu lực "
                f"{item.effective_on:%d/%m/%Y}).")
    else:
        head = (f"Quyết định {decision.number} ngày {decision.decided_on:%d/%m/%Y}: {what} phải được công khai "
                f"trên CSDL quốc gia về TTHC chậm nhất ngày {due_on:%d/%m/%Y}.")
    return f"{'Đã quá hạn. ' if stage == AlertStage.OVERDUE else 'Sắp đến hạn. '}{head}"


def due_alerts(today: dt.date, calendar: WorkCalendar, window: int) -> list[tuple[PublicationItem, str, str, dt.date]]:
    """(item, deadline, stage, due date) of every deadline not met that is approaching or overdue."""
    items = (PublicationItem.objects.select_related("decision", "procedure__agency", "national_change")
             .exclude(decision__status=DecisionStatus.DRAFT, effective_on__isnull=True)
             .filter(decision__published_national_on__isnull=True).order_by("id"))
    wanted = []
    for item in items:
        d = item_deadlines(item, calendar)
        if item.decision.status == DecisionStatus.DRAFT:
            deadline, due_on = PublicationDeadline.DECIDE, d.decide_by
        else:
            deadline, due_on = PublicationDeadline.PUBLISH, d.publish_by
        stage = stage_of(calendar, today, due_on, window)
        if stage:
            wanted.append((item, deadline, stage, due_on))
    return wanted


def _owner_key(item: PublicationItem) -> tuple[str | None, str | None]:
    if item.procedure_id:
        return item.procedure.level, item.procedure.agency.code if item.procedure.agency_id else None
    change = item.national_change
    return (change.level, change.agency_code or None) if change else (None, None)


def run_alerts(*, now: dt.datetime | None = None, send_email: bool = True) -> AlertRun:
    """Alert every approaching or overdue deadline not alerted yet at that stage; then e-mail every
    publication notice not e-mailed yet (this run's, and those a failed send left unsent)."""
    now = now or timezone.now()
    calendar = province_calendar()
    wanted = due_alerts(timezone.localtime(now).date(), calendar, alert_working_days())
    run = AlertRun()
    if wanted:
        run.alerts, run.notices = _record_alerts(wanted, now)
    if send_email:
        run.emails = send_pending_emails(Notification.objects.filter(kind=NOTICE_KIND, dossier__isnull=True),
                                         NOTICE_TITLES)
    return run


def _record_alerts(wanted, now) -> tuple[int, int]:
    """Record the alerts not recorded yet and their in-app notices: (alerts, notices) added."""
    alerts = 0
    done = set(PublicationAlert.objects.filter(item__in=[w[0] for w in wanted])
               .values_list("item_id", "deadline", "stage"))
    fresh = [w for w in wanted if (w[0].pk, w[1], w[2]) not in done]
    owner = OwnerResolver(code for item, *_ in fresh for _level, code in [_owner_key(item)])
    units = {item.pk: owner(*_owner_key(item)) for item, *_ in fresh}
    heads = heads_by_unit(u.pk for u in units.values() if u is not None)
    notices = []
    for item, deadline, stage, due_on in fresh:
        unit, message = units[item.pk], _message(item, deadline, stage, due_on)
        try:
            with transaction.atomic():
                PublicationAlert.objects.create(item=item, deadline=deadline, stage=stage, due_on=due_on, unit=unit,
                                                message=message, created_at=now)
                made = Notification.objects.bulk_create([
                    Notification(recipient_id=r, kind=NOTICE_KIND, message=message)
                    for r in heads.get(unit.pk if unit else None, [])])
        except IntegrityError:  # a concurrent run alerted it first
            continue
        alerts += 1
        notices.extend(made)
    return alerts, len(notices)
