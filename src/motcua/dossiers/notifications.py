"""In-app notices to officers (thông báo), also e-mailed through Django's mail backend.

A notice is unique per (recipient, dossier, kind) — the model's constraint — so whoever creates
them can run again and again: only what is missing is added. Each notice is e-mailed at most once
(`emailed_at`, claimed before sending so that two overlapping runs never send it twice; what a
failed send left unsent is released and retried by the next run).
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.deadlines import OPEN_STATUSES, Assessment, format_working_time
from motcua.dossiers.models import DeadlineState, Notification
from motcua.units.models import Officer, Role

log = logging.getLogger(__name__)

AT_RISK = "at_risk"
OVERDUE = "overdue"
ESCALATED = "escalated"
DEADLINE_KINDS = (AT_RISK, OVERDUE, ESCALATED)
PUBLICATION = "publication"  # a publication deadline (catalogue.alerts): no dossier
KIND_TITLES = {
    AT_RISK: "Hồ sơ sắp quá hạn",
    OVERDUE: "Hồ sơ quá hạn",
    ESCALATED: "Hồ sơ cần lãnh đạo chỉ đạo",
    PUBLICATION: "Thời hạn công bố thủ tục hành chính",
}
_CHUNK = 500


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    dossier_id: int
    kind: str
    message: str


def _when(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%H:%M ngày %d/%m/%Y")


def at_risk_message(dossier, verdict: Assessment) -> str:
    parts = []
    if verdict.clock_state == DeadlineState.AT_RISK:
        text = (f"Hồ sơ {dossier.code} sắp quá hạn: còn {format_working_time(verdict.remaining)} làm việc "
                f"đến hạn trả kết quả {_when(dossier.current_appointment_at)}.")
        if verdict.paused:
            text += " Hồ sơ đang tạm dừng chờ bổ sung; thời gian còn lại tính đến lúc yêu cầu bổ sung."
        parts.append(text)
    else:
        parts.append(f"Hồ sơ {dossier.code} có nguy cơ chậm ở bước đang xử lý "
                     f"(hạn trả kết quả {_when(dossier.current_appointment_at)}).")
    if verdict.step_is_late:
        step = getattr(dossier, "current_step", None) if dossier.current_step_id else None
        name = f"Bước «{step.name}»" if step else "Bước hiện tại"
        if verdict.step_state == DeadlineState.OVERDUE:
            parts.append(f"{name} đã quá hạn bước {_when(verdict.step_deadline)}, "
                         f"quá {format_working_time(verdict.step_remaining)} làm việc.")
        else:
            parts.append(f"{name} còn {format_working_time(verdict.step_remaining)} làm việc "
                         f"đến hạn bước {_when(verdict.step_deadline)}.")
    return " ".join(parts)


def overdue_message(dossier, verdict: Assessment) -> str:
    if verdict.remaining is not None and verdict.remaining < 0:
        return (f"Hồ sơ {dossier.code} đã quá hạn trả kết quả {_when(dossier.current_appointment_at)}: "
                f"quá {format_working_time(verdict.remaining)} làm việc.")
    return f"Hồ sơ {dossier.code} bị tính là quá hạn vì đã yêu cầu bổ sung hồ sơ lần thứ hai."


def escalation_message(dossier, verdict: Assessment) -> str:
    how = "đã quá hạn" if verdict.state == DeadlineState.OVERDUE else "sắp quá hạn"
    return (f"Hồ sơ {dossier.code} {how} nhưng chưa có báo cáo chậm (lý do, nguyên nhân, biện pháp khắc phục) "
            f"và phiếu xin lỗi, hẹn lại ngày trả kết quả (Mẫu 04) gửi công dân. "
            f"Đề nghị lãnh đạo đơn vị chỉ đạo xử lý.")


def heads_by_unit(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active heads of unit (lãnh đạo đơn vị) of each unit: one query."""
    heads: dict[int, list[int]] = defaultdict(list)
    unit_ids = sorted(set(unit_ids))
    for i in range(0, len(unit_ids), _CHUNK):
        rows = (Officer.objects.filter(role=Role.HEAD, is_active=True, unit_id__in=unit_ids[i:i + _CHUNK])
                .order_by("pk").values_list("unit_id", "pk"))
        for unit_id, pk in rows:
            heads[unit_id].append(pk)
    return heads


def deadline_notices(flagged: list[tuple[object, Assessment]], with_delay_report: set[int]) -> list[Notice]:
    """The notices the scan wants for its at-risk and overdue dossiers: the assignee and the heads
    of the unit get "at_risk" or "overdue"; the heads also get "escalated" when the dossier has no
    delay report yet."""
    if not flagged:
        return []
    heads = heads_by_unit(d.unit_id for d, _ in flagged)
    assignees = {d.assignee_id for d, _ in flagged if d.assignee_id}
    assignees, active = sorted(assignees), set()
    for i in range(0, len(assignees), _CHUNK):
        active.update(Officer.objects.filter(pk__in=assignees[i:i + _CHUNK], is_active=True)
                      .values_list("pk", flat=True))
    notices = []
    for dossier, verdict in flagged:
        unit_heads = heads.get(dossier.unit_id, [])
        recipients = list(dict.fromkeys(
            ([dossier.assignee_id] if dossier.assignee_id in active else []) + unit_heads))
        if verdict.state == DeadlineState.OVERDUE:
            kind, message = OVERDUE, overdue_message(dossier, verdict)
        else:
            kind, message = AT_RISK, at_risk_message(dossier, verdict)
        notices.extend(Notice(r, dossier.pk, kind, message) for r in recipients)
        if dossier.pk not in with_delay_report:
            text = escalation_message(dossier, verdict)
            notices.extend(Notice(r, dossier.pk, ESCALATED, text) for r in unit_heads)
    return notices


def create_notices(notices: Iterable[Notice]) -> list[Notification]:
    """Add the notices that do not exist yet (per recipient, dossier, kind); returns those added.
    A few queries for any number of notices."""
    wanted = {(n.recipient_id, n.dossier_id, n.kind): n for n in notices}
    if not wanted:
        return []
    kinds = sorted({k for _, _, k in wanted})
    dossier_ids = sorted({d for _, d, _ in wanted})
    existing = set()
    for i in range(0, len(dossier_ids), _CHUNK):
        existing.update(Notification.objects.filter(kind__in=kinds, dossier_id__in=dossier_ids[i:i + _CHUNK])
                        .values_list("recipient_id", "dossier_id", "kind"))
    new = [Notification(recipient_id=r, dossier_id=d, kind=k, message=n.message)
           for (r, d, k), n in wanted.items() if (r, d, k) not in existing]
    # ignore_conflicts: a concurrent run that added the same notice in between is not an error.
    Notification.objects.bulk_create(new, batch_size=_CHUNK, ignore_conflicts=True)
    return new


def _subject(notification: Notification) -> str:
    title = KIND_TITLES.get(notification.kind, "Thông báo")
    code = f" – hồ sơ {notification.dossier.code}" if notification.dossier_id else ""
    return f"[Một cửa] {title}{code}"


def send_pending_emails(kinds: Iterable[str] = DEADLINE_KINDS) -> int:
    """E-mail every notice of `kinds` not e-mailed yet to its recipient (active, with an address),
    for dossiers still open (or about no dossier: publication deadlines). Returns the number of
    messages sent.

    Notices are claimed in batches before sending: one UPDATE stamps `emailed_at` with a token
    (this batch's instant) on the rows still unstamped, and only the rows carrying that token are
    sent — so two overlapping runs never send the same notice twice, on any database. At the first
    failed send (the mail server is down) the run stops and releases what it has not sent, for the
    next run; a crash between claim and send loses that mail (at most once, never twice).
    """
    pending = list(
        Notification.objects.filter(Q(dossier__isnull=True) | Q(dossier__status__in=OPEN_STATUSES),
                                    kind__in=list(kinds), emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="").order_by("pk").values_list("pk", flat=True))
    if not pending:
        return 0
    sent = 0
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    previous = None
    with get_connection() as connection:
        for i in range(0, len(pending), _CHUNK):
            batch = pending[i:i + _CHUNK]
            token = timezone.now()
            if previous is not None and token <= previous:
                token = previous + timedelta(microseconds=1)
            previous = token
            Notification.objects.filter(pk__in=batch, emailed_at__isnull=True).update(emailed_at=token)
            mine = Notification.objects.filter(pk__in=batch, emailed_at=token).select_related("recipient", "dossier")
            done = []
            try:
                for notice in mine.order_by("pk"):
                    EmailMessage(_subject(notice), notice.message, sender, [notice.recipient.email],
                                 connection=connection).send()
                    done.append(notice.pk)
            except Exception:  # the mail server is down: release what was not sent, the next run retries
                log.exception("e-mail of notifications failed after %s sent; the rest waits for the next run",
                              sent + len(done))
                Notification.objects.filter(pk__in=batch, emailed_at=token).exclude(pk__in=done).update(
                    emailed_at=None)
                return sent + len(done)
            sent += len(done)
    return sent
