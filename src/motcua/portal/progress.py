"""What the tracking page tells the citizen: where the dossier stands, what happens next, and the
way there in plain words, with the documents that go with each step.

The dossier's event log is the officers' record; the citizen reads it told for them: every action
in plain Vietnamese (never a role name such as "applicant"), an officer's internal hand-over note
left out, and the papers the citizen was sent put in their place — the supplement request
(Mẫu 02) with the documents asked for, each apology slip (Mẫu 04) with the new date it set, each
payment with its e-receipt. "Result ready" is said only once the result can be taken: a document
result once the head has signed it (`results.services.awaits_signature`), otherwise when processing
is complete.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.slips import appointment_in_force
from motcua.dossiers.transitions import Action, Status
from motcua.payments.models import Payment, PaymentStatus
from motcua.limits import tracking
from motcua.results.selectors import signed_result
from motcua.results.services import awaits_signature

# Each action as the citizen is told it (the officers' labels are in `transitions.ACTION_LABELS`).
TOLD = {
    Action.SUBMIT_ONLINE: _("Bạn đã nộp hồ sơ trực tuyến"),
    Action.RECEIVE: _("Bộ phận Một cửa đã tiếp nhận hồ sơ"),
    Action.REFUSE: _("Hồ sơ không được tiếp nhận"),
    Action.START_PROCESSING: _("Hồ sơ được chuyển đến cán bộ giải quyết"),
    Action.FORWARD: _("Hồ sơ được chuyển sang bước giải quyết tiếp theo"),
    Action.TRANSFER: _("Hồ sơ được chuyển đến cơ quan khác để giải quyết tiếp"),
    Action.REQUEST_SUPPLEMENT: _("Cơ quan giải quyết đề nghị bạn bổ sung giấy tờ"),
    Action.RECEIVE_SUPPLEMENT: _("Đã nhận giấy tờ bổ sung; hồ sơ được giải quyết tiếp"),
    Action.REQUEST_PAYMENT: _("Cơ quan giải quyết đề nghị bạn nộp phí, lệ phí"),
    Action.CONFIRM_PAYMENT: _("Đã nhận phí, lệ phí"),
    Action.WITHDRAW: _("Hồ sơ đã được rút"),
    Action.STOP: _("Cơ quan giải quyết dừng giải quyết hồ sơ"),
    Action.COMPLETE: _("Cơ quan giải quyết đã xử lý xong hồ sơ"),
    Action.SIGN_RESULT: _("Lãnh đạo cơ quan đã ký số kết quả"),
    Action.RETURN_RESULT: _("Đã trả kết quả"),
}
# Whose reasons the citizen reads (an officer's hand-over note is not addressed to them).
REASON_TOLD = {Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.WITHDRAW}


@dataclass
class Entry:
    """One line of the citizen's timeline."""
    at: datetime
    told: str
    reason: str = ""
    items: list[str] = field(default_factory=list)
    new_appointment_at: datetime | None = None
    document_url: str = ""
    document_label: str = ""


def supplement_items(event) -> list[str]:
    """The documents a supplement request asked for (as Mẫu 02 lists them)."""
    data = event.data if isinstance(event.data, dict) else {}
    return [str(item) for item in data.get("items") or [] if str(item).strip()]


def paid_payments(dossier: Dossier):
    return Payment.objects.filter(obligation__dossier=dossier, status=PaymentStatus.PAID).order_by("paid_at", "pk")


def timeline(dossier: Dossier) -> list[Entry]:
    entries = []
    for event in dossier.events.order_by("seq"):
        entry = Entry(event.at, TOLD.get(event.action, event.get_action_display()),
                      reason=event.reason if event.action in REASON_TOLD else "")
        if event.action == Action.REQUEST_SUPPLEMENT:
            entry.items = supplement_items(event)
            entry.document_url = tracking.url_for(dossier, "portal:supplement_slip", seq=event.seq)
            entry.document_label = _("Phiếu yêu cầu bổ sung hồ sơ (Mẫu 02)")
        entries.append(entry)
    for report in dossier.delay_reports.all():
        entries.append(Entry(report.filed_at, _("Cơ quan giải quyết xin lỗi vì chậm trả kết quả và hẹn lại ngày trả"),
                             reason=report.reason, new_appointment_at=report.new_appointment_at,
                             document_url=tracking.url_for(dossier, "portal:apology_slip", pk=report.pk),
                             document_label=_("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)")))
    for payment in paid_payments(dossier):
        entries.append(Entry(payment.paid_at, _("Bạn đã thanh toán phí, lệ phí"),
                             document_url=tracking.url_for(dossier, "payments:receipt", txn_ref=payment.txn_ref),
                             document_label=_("Biên lai điện tử")))
    return sorted(entries, key=lambda e: e.at)


def stage(dossier: Dossier) -> str:
    """Where the dossier stands, for the sentence that says what happens next."""
    status = Status(dossier.status)
    if status == Status.PROCESSED:
        return "awaiting_signature" if awaits_signature(dossier) else "result_ready"
    return {
        Status.SUBMITTED_ONLINE: "awaiting_reception", Status.RECEIVED: "in_process", Status.IN_PROCESS: "in_process",
        Status.SUPPLEMENT_REQUESTED: "supplement", Status.PAYMENT_REQUESTED: "payment", Status.REFUSED: "refused",
        Status.WITHDRAWN: "withdrawn", Status.STOPPED: "stopped", Status.RETURNED: "returned",
    }[status]


def result_ready(dossier: Dossier) -> bool:
    return stage(dossier) in ("result_ready", "returned")


def current_appointment(dossier: Dossier) -> datetime | None:
    """The date the citizen holds now: the reception's, moved by a supplement or an apology slip."""
    if dossier.received_at is None:
        return None
    return appointment_in_force(dossier, timezone.now())


def last_supplement_request(dossier: Dossier):
    return dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("seq").last()


def summary(dossier: Dossier) -> dict:
    """Everything the tracking page shows about `dossier` (besides the forms)."""
    request = last_supplement_request(dossier) if dossier.status == Status.SUPPLEMENT_REQUESTED else None
    ready = result_ready(dossier)
    return {
        "stage": stage(dossier), "appointment_at": current_appointment(dossier),
        "original_appointment_at": dossier.appointment_at, "moved": dossier.delay_reports.exists(),
        "timeline": timeline(dossier), "supplement_request": request,
        "supplement_items": supplement_items(request) if request else [],
        "supplement_slip_url": tracking.url_for(dossier, "portal:supplement_slip", seq=request.seq) if request else "",
        "payments": [(p, tracking.url_for(dossier, "payments:receipt", txn_ref=p.txn_ref))
                     for p in paid_payments(dossier)],
        "result_url": tracking.url_for(dossier, "results:applicant_download")
        if ready and signed_result(dossier) else "",
        "paper_result": ready and dossier.result_paper,
    }
