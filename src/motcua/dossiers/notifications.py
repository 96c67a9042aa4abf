"""The officers' notices about dossiers' deadlines (at risk, overdue, escalated to the head): who
gets which, and their wording. notify (`notify.officers`) stores and e-mails them.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from motcua.dossiers.deadlines import OPEN_STATUSES, Assessment, format_working_time
from motcua.dossiers.models import DeadlineState
from motcua.notify import officers
from motcua.notify.models import Notification
from motcua.notify.officers import Notice
from motcua.units.models import Officer
from motcua.units.selectors import heads_by_unit

AT_RISK = "at_risk"
OVERDUE = "overdue"
ESCALATED = "escalated"
DEADLINE_KINDS = (AT_RISK, OVERDUE, ESCALATED)
KIND_TITLES = {
    AT_RISK: "Hồ sơ sắp quá hạn",
    OVERDUE: "Hồ sơ quá hạn",
    ESCALATED: "Hồ sơ cần lãnh đạo chỉ đạo",
}
_CHUNK = 500


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


def send_pending_emails(kinds: Iterable[str] = DEADLINE_KINDS) -> int:
    """E-mail the notices of `kinds` about dossiers still open (or about no dossier) through
    notify's mailer; returns the number of messages sent."""
    return officers.send_pending_emails(
        Notification.objects.filter(Q(dossier__isnull=True) | Q(dossier__status__in=OPEN_STATUSES),
                                    kind__in=list(kinds)), KIND_TITLES)
