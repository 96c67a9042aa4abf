"""Every write about fees and payments: one function per use case, one transaction each.

A gateway notification is trusted only when its signature checks and it carries the gateway's
result fields (our own signed payment request, posted back, has none: refused as malformed,
nothing recorded); it is logged whatever it says.
Settling is idempotent: the payment row is locked (select_for_update) and only a pending payment
can become paid, so a repeated or concurrent notification pays once (and the partial unique
constraint `one_paid_per_obligation` backs that up in the database). A notification that never
comes is replaced by a transaction query (`settle_pending`, command `motcua settle-payments`),
whose answer goes through the same locked path. Both gateways (`gateways.vnpay`,
`gateways.national`) go through the same functions; `gateway_name` picks the adapter.

Obligations are created when the dossier is submitted online or received at the desk
(`request_submission_obligation`), or at status 6 for the fee fixed on the dossier. The dossier
moves 6 → 4 (CONFIRM_PAYMENT by the system, or by the reception officer for cash) only when it is
waiting for payment and nothing else is owed. Whatever the status, every payment, refund or new
obligation then refreshes the dossier's payment facts — `fee_total_vnd`, `paid_at`,
`payment_channel`, which the service index reads — from the payment records
(`sync_dossier_payment_facts`): a fact update on those three columns, not a status change and no
event (the payment records are the audit trail).
"""
import logging
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from motcua.common.errors import AppError
from motcua.common.formatting import number
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.services import open_dossier, transition
from motcua.dossiers.transitions import TERMINAL, Action, Actor, Status
from motcua.payments.fees import fee_lines
from motcua.payments.gateways import base
from motcua.payments.gateways import gateway as get_gateway
from motcua.payments.gateways.base import NoticeOutcome
from motcua.payments.models import FeeObligation, NotificationKind, Payment, PaymentNotification, PaymentStatus
from motcua.payments.selectors import has_fee_due, uncovered_fee_vnd
from motcua.units import policy

log = logging.getLogger("motcua.payments")


class PaymentError(AppError):
    """A refused payment operation. The message is lazy: it is translated when shown, so the API
    (which renders errors in Vietnamese) and the pages (in the reader's language) both get theirs."""


def _formatted(message, values: dict):
    """`message % values`, formatted lazily like `message` itself."""
    return lazy(lambda: str(message) % values, str)()


# -- the dossier's payment facts -----------------------------------------------------------------

def sync_dossier_payment_facts(dossier_id: int) -> None:
    """Refresh `fee_total_vnd`, `paid_at` and `payment_channel` of the dossier from its payment
    records: the fee is the sum of its obligations not cancelled (waiting for payment, status 6,
    at least the fee fixed on the dossier); it is paid when all of it is covered and no obligation
    is open, at the time and by the channel of the last payment that paid one (a refunded payment
    pays nothing). A dossier without any obligation keeps its fields (fixed before this app)."""
    obligations = FeeObligation.objects.filter(dossier_id=dossier_id)
    if not obligations.exists():
        return
    status, fixed = Dossier.objects.filter(pk=dossier_id).values_list("status", "fee_total_vnd").get()
    due = obligations.filter(cancelled_at__isnull=True)
    covered = due.aggregate(total=Sum("amount_vnd"))["total"] or 0
    fee_total = max(fixed, covered) if status == Status.PAYMENT_REQUESTED else covered
    paid = fee_total <= covered and not due.filter(paid_at__isnull=True).exists()
    last = (Payment.objects.filter(obligation__in=due, status=PaymentStatus.PAID).order_by("-paid_at", "-id").first()
            if paid else None)
    Dossier.objects.filter(pk=dossier_id).update(
        fee_total_vnd=fee_total, paid_at=last.paid_at if last else None, payment_channel=last.channel if last else "")


# -- obligations ---------------------------------------------------------------------------------

def request_obligation(dossier: Dossier, *, pages: int = 1, copies: int = 1, description: str = "") -> FeeObligation:
    """The fee obligation of `dossier` computed from its procedure's fee schedule."""
    try:
        lines = fee_lines(dossier.procedure.fees.all(), pages=pages, copies=copies)
    except ValueError as exc:
        raise PaymentError(str(exc), "bad_quantity") from exc
    amount = sum(line.amount_vnd for line in lines)
    if amount <= 0:
        raise PaymentError(gettext_lazy("Thủ tục này không thu phí, lệ phí."), "no_fee")
    with transaction.atomic():
        obligation = FeeObligation.objects.create(
            dossier=dossier, amount_vnd=amount, lines=[line.as_dict() for line in lines],
            description=description or f"Phí, lệ phí hồ sơ {dossier.code}")
        sync_dossier_payment_facts(dossier.pk)
    return obligation


def fee_on_opening(procedure, action) -> int:
    """The fee fixed on a dossier when it is opened by ``action``: the procedure's fee schedule, or 0
    when reception is refused. A fee or charge is owed when the State provides the public service
    (Law on Fees and Charges 2015, Art. 3); a dossier refused at reception (status 3, refusal slip
    Mẫu 03) is not received, so nothing is processed and nothing is owed."""
    if Action(action) == Action.REFUSE:
        return 0
    return sum(f.amount_vnd for f in procedure.fees.all())


def open_dossier_owing_fees(*, procedure, action, **kwargs) -> Dossier:
    """`open_dossier` with its fee fixed (`fee_on_opening`) and, unless reception is refused, its
    obligation requested at once (payable at the desk or online): the one way online submission,
    reception and refusal at reception, on pages and over the API, open a dossier."""
    with transaction.atomic():
        dossier = open_dossier(procedure=procedure, action=action, fee_total_vnd=fee_on_opening(procedure, action),
                               **kwargs)
        if dossier.status != Status.REFUSED:
            request_submission_obligation(dossier)
    return dossier


def request_submission_obligation(dossier: Dossier, *, pages: int = 1, copies: int = 1) -> FeeObligation | None:
    """At submission online or reception at the desk: the obligation from the procedure's fee
    schedule (none for a procedure without fees), so that the applicant may pay at once."""
    if not any(fee.amount_vnd > 0 for fee in dossier.procedure.fees.all()):
        return None
    return request_obligation(dossier, pages=pages, copies=copies)


def open_obligation(dossier: Dossier) -> FeeObligation | None:
    return dossier.fee_obligations.filter(paid_at__isnull=True, cancelled_at__isnull=True).order_by("id").first()


def obligation_to_pay(dossier: Dossier) -> FeeObligation:
    """The obligation the applicant pays now: the open one, or — for a dossier waiting for payment
    (status 6) — one for the part of the fee fixed on the dossier (`fee_total_vnd`) that no
    obligation covers yet."""
    obligation = open_obligation(dossier)
    if obligation is not None:
        return obligation
    due = uncovered_fee_vnd(dossier)
    if dossier.status == Status.PAYMENT_REQUESTED and due > 0:
        return FeeObligation.objects.create(
            dossier=dossier, amount_vnd=due, description=f"Phí, lệ phí hồ sơ {dossier.code}",
            lines=[{"name": "Phí, lệ phí", "amount_vnd": due, "pages": None, "copies": 1}])
    raise PaymentError(gettext_lazy("Hồ sơ không có khoản phí, lệ phí nào cần thanh toán."), "nothing_to_pay")


# -- online payments -----------------------------------------------------------------------------

def new_txn_ref(prefix: str = "MC") -> str:
    return f"{prefix}{timezone.localtime():%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def start_online_payment(dossier: Dossier, *, return_url: str, client_ip: str = "", pay_url: str | None = None,
                         gateway_name: str = "vnpay", at: datetime | None = None) -> tuple[Payment, str]:
    """A pending payment for the dossier's open obligation, and the signed gateway address."""
    if Status(dossier.status) in TERMINAL:
        raise PaymentError(gettext_lazy("Hồ sơ đã kết thúc; không thể thanh toán."), "dossier_closed")
    adapter = get_gateway(gateway_name)
    if pay_url:
        adapter = replace(adapter, pay_url=pay_url)
    if not adapter.pay_url:
        raise PaymentError(gettext_lazy("Chưa cấu hình cổng thanh toán."), "gateway_not_configured")
    at = at or timezone.now()
    with transaction.atomic():
        obligation = obligation_to_pay(dossier)
        payment = Payment.objects.create(
            obligation=obligation, channel=adapter.channel, gateway=adapter.name,
            txn_ref=new_txn_ref(), amount_vnd=obligation.amount_vnd)
    params = adapter.payment_params(txn_ref=payment.txn_ref, amount_vnd=payment.amount_vnd,
                                    order_info=f"Thanh toan phi ho so {dossier.code}", return_url=return_url,
                                    client_ip=client_ip, at=at)
    return payment, adapter.redirect_url(params)


def _log(adapter, kind: str, params: dict, valid: bool, remote_addr: str | None) -> PaymentNotification:
    return PaymentNotification.objects.create(
        gateway=adapter.name, kind=kind, params=dict(params), txn_ref=adapter.txn_ref_of(params),
        signature_valid=valid, remote_addr=remote_addr or None)


def _close_log(entry: PaymentNotification, rsp: tuple[str, str], outcome: str, payment: Payment | None) -> None:
    PaymentNotification.objects.filter(pk=entry.pk).update(
        answer_code=rsp[0], outcome=outcome[:300], payment=payment)


def handle_ipn(params: dict, *, remote_addr: str | None = None, gateway_name: str = "vnpay") -> dict:
    """Process a server-to-server notification; returns the JSON answer the gateway expects."""
    params = {k: str(v) for k, v in params.items()}
    adapter = get_gateway(gateway_name)
    valid = adapter.verify(params)
    entry = _log(adapter, NotificationKind.IPN, params, valid, remote_addr)
    if not valid:
        log.warning("Payment notification refused: invalid signature (gateway=%s, txn_ref=%s, from %s)",
                    adapter.name, adapter.txn_ref_of(params), remote_addr)
        _close_log(entry, base.RSP_INVALID_SIGNATURE, "Sai chữ ký: từ chối", None)
        return adapter.answer(base.RSP_INVALID_SIGNATURE)
    try:
        notice = adapter.notice(params)
    except base.MalformedNotice as exc:  # e.g. our own signed request posted back: it changes nothing
        log.warning("Payment notification refused: %s (gateway=%s, txn_ref=%s, from %s)",
                    exc, adapter.name, adapter.txn_ref_of(params), remote_addr)
        _close_log(entry, base.RSP_MALFORMED, f"Thiếu trường kết quả ({', '.join(exc.fields)}): từ chối", None)
        return adapter.answer(base.RSP_MALFORMED)
    rsp, outcome, payment = _apply_notice(notice, adapter.name)
    if rsp[0] not in ("00", "02"):
        log.warning("Payment notification %s answered %s: %s", adapter.txn_ref_of(params), rsp[0], outcome)
    _close_log(entry, rsp, outcome, payment)
    return adapter.answer(rsp)


def _apply_notice(notice, gateway_name: str) -> tuple[tuple[str, str], str, Payment | None]:
    """Apply a verified notice under a row lock on its payment, in one transaction. A notice names
    only a payment made through the gateway that signed it."""
    payment = None
    try:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(txn_ref=notice.txn_ref, gateway=gateway_name).first()
            rsp, outcome = _apply(payment, notice) if payment else (base.RSP_NOT_FOUND, "Không có giao dịch")
    except DossierError as exc:  # the dossier could not move: nothing is kept; the gateway retries
        log.exception("Payment notice for %s could not be applied", notice.txn_ref)
        rsp, outcome = base.RSP_ERROR, f"Lỗi: {exc.message}"
    return rsp, outcome, payment


def _flag(payment: Payment, reason: str) -> None:
    payment.status, payment.flagged, payment.flag_reason = PaymentStatus.MISMATCH, True, reason
    payment.save(update_fields=["status", "flagged", "flag_reason", "updated_at"])


def _apply(payment: Payment, notice) -> tuple[tuple[str, str], str]:
    """Apply a verified notice to a locked payment (inside the caller's transaction)."""
    if notice.amount_vnd != payment.amount_vnd:
        if payment.status == PaymentStatus.PENDING:
            _flag(payment, f"Số tiền cổng báo ({notice.amount_vnd}) khác số tiền phải nộp ({payment.amount_vnd}).")
        return base.RSP_INVALID_AMOUNT, "Sai số tiền: gắn cờ đối soát, không ghi nhận thanh toán"
    if payment.status != PaymentStatus.PENDING:
        return base.RSP_ALREADY_CONFIRMED, f"Đã xử lý trước đó ({payment.status})"
    payment.response_code, payment.gateway_txn_no, payment.bank_code = (
        notice.response_code, notice.gateway_txn_no, notice.bank_code)
    if notice.outcome != NoticeOutcome.PAID:
        payment.status = PaymentStatus.CANCELLED if notice.outcome == NoticeOutcome.CANCELLED else PaymentStatus.FAILED
        payment.save()
        return base.RSP_CONFIRMED, f"Giao dịch không thành công ({notice.response_code})"
    obligation = FeeObligation.objects.select_for_update().get(pk=payment.obligation_id)
    if not obligation.is_open:
        payment.save(update_fields=["response_code", "gateway_txn_no", "bank_code"])
        _flag(payment, "Nghĩa vụ đã được thanh toán bằng giao dịch khác: cần hoàn tiền.")
        return base.RSP_CONFIRMED, "Thanh toán trùng: gắn cờ hoàn tiền"
    moved = _settle(payment, obligation, role=Actor.SYSTEM)
    return base.RSP_CONFIRMED, "Đã ghi nhận thanh toán" + ("; hồ sơ chuyển xử lý" if moved else "")


def _settle(payment: Payment, obligation: FeeObligation, *, actor=None, role=None, at: datetime | None = None) -> bool:
    """Mark payment and obligation paid; move the dossier out of status 6 when nothing else is
    owed; refresh the dossier's payment facts. Returns whether the dossier moved. Runs inside the
    caller's transaction."""
    at = at or timezone.now()
    payment.status, payment.paid_at = PaymentStatus.PAID, at
    payment.save()
    obligation.paid_at = at
    obligation.save(update_fields=["paid_at"])
    dossier = Dossier.objects.select_for_update().get(pk=obligation.dossier_id)
    moved = dossier.status == Status.PAYMENT_REQUESTED and not has_fee_due(dossier)
    if moved:
        _confirm(dossier, payment, actor=actor, role=role, at=at)
    sync_dossier_payment_facts(dossier.pk)
    return moved


def _confirm(dossier: Dossier, payment: Payment, *, actor=None, role=None, at: datetime | None = None) -> None:
    transition(dossier, Action.CONFIRM_PAYMENT, actor=actor, role=role, at=at, payment_channel=payment.channel,
               event_data={"txn_ref": payment.txn_ref, "amount_vnd": payment.amount_vnd})


def confirm_covered_dossiers() -> int:
    """Dossiers asked for payment (status 6) whose fee was already paid — at submission, before
    the officer asked — move on (CONFIRM_PAYMENT by the system, with the last payment's channel).
    Part of the settlement job; returns how many moved."""
    moved = 0
    waiting = Dossier.objects.filter(status=Status.PAYMENT_REQUESTED, fee_obligations__paid_at__isnull=False)
    for dossier_id in waiting.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
            last = Payment.objects.filter(obligation__dossier=dossier, status=PaymentStatus.PAID).order_by(
                "-paid_at", "-id").first()
            if dossier.status != Status.PAYMENT_REQUESTED or last is None or has_fee_due(dossier):
                continue
            _confirm(dossier, last, role=Actor.SYSTEM)
            sync_dossier_payment_facts(dossier.pk)
            moved += 1
    return moved


def record_return(params: dict, *, remote_addr: str | None = None, gateway_name: str = "vnpay") -> tuple[bool, Payment | None]:
    """The payer's browser came back: check and log the signature, change nothing (the IPN is the
    record). Returns (signature valid, the payment it names)."""
    params = {k: str(v) for k, v in params.items()}
    adapter = get_gateway(gateway_name)
    valid = adapter.verify(params)
    entry = _log(adapter, NotificationKind.RETURN, params, valid, remote_addr)
    payment = (Payment.objects.filter(txn_ref=adapter.txn_ref_of(params), gateway=adapter.name).first()
               if valid else None)
    if not valid:
        log.warning("Payment return refused: invalid signature (txn_ref=%s)", adapter.txn_ref_of(params))
    _close_log(entry, ("", ""), "Trình duyệt quay về" if valid else "Sai chữ ký", payment)
    return valid, payment


# -- calls to the gateway: query and refund ------------------------------------------------------

def http_transport(url: str, body: dict, timeout: float = 15) -> dict:
    """POST `body` as JSON to a configured gateway API and read its JSON answer."""
    import json
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
        return json.loads(response.read().decode())


def gateway_transport(adapter, command: str):
    """How a `command` ("query" or "refund") reaches the gateway: its configured API, else the
    local simulator."""
    from motcua.payments import conf

    if adapter.api_url:
        url = adapter.endpoint(command)
        return lambda body: http_transport(url, body)
    if conf.simulator_enabled():
        from motcua.payments import simulator

        return lambda body: simulator.serve_api(adapter, command, body)
    raise PaymentError(gettext_lazy("Chưa cấu hình địa chỉ API của cổng thanh toán."), "gateway_not_configured")


def settle_pending(*, now: datetime | None = None, min_age: timedelta = timedelta(minutes=15),
                   transport=None, gateway_name: str | None = None) -> dict:
    """Ask the gateways about every online payment still pending `min_age` after it started (its
    notification never came) and apply the answer exactly like an IPN; then move on the dossiers
    asked for a fee already paid (`confirm_covered_dossiers`). Safe to run repeatedly."""
    now = now or timezone.now()
    counts = {"queried": 0, "settled": 0, "unknown": 0, "refused": 0, "confirmed": 0}
    pending = Payment.objects.filter(status=PaymentStatus.PENDING, created_at__lte=now - min_age).exclude(gateway="")
    if gateway_name:
        pending = pending.filter(gateway=gateway_name)
    adapters = {}
    for payment in pending.order_by("created_at", "id"):
        if payment.gateway not in adapters:
            adapter = get_gateway(payment.gateway)
            adapters[payment.gateway] = (adapter, transport or gateway_transport(adapter, "query"))
        adapter, send = adapters[payment.gateway]
        counts["queried"] += 1
        body = adapter.query_request(request_id=secrets.token_hex(8), txn_ref=payment.txn_ref,
                                     transaction_date=payment.created_at, at=now)
        try:
            answer = {k: str(v) for k, v in send(body).items()}
        except (OSError, ValueError) as exc:
            log.warning("Transaction query for %s failed: %s", payment.txn_ref, exc)
            counts["unknown"] += 1
            continue
        valid = adapter.verify_query_response(answer) and adapter.txn_ref_of(answer) == payment.txn_ref
        entry = _log(adapter, NotificationKind.QUERY, answer, valid, None)
        if not valid:
            log.warning("Transaction query answer for %s refused: invalid signature", payment.txn_ref)
            _close_log(entry, base.RSP_INVALID_SIGNATURE, "Sai chữ ký: bỏ qua", payment)
            counts["refused"] += 1
            continue
        try:
            notice = adapter.query_notice(answer)
        except base.MalformedNotice as exc:
            log.warning("Transaction query answer for %s refused: %s", payment.txn_ref, exc)
            _close_log(entry, base.RSP_MALFORMED, f"Thiếu trường kết quả ({', '.join(exc.fields)}): bỏ qua", payment)
            counts["refused"] += 1
            continue
        if notice is None:
            _close_log(entry, ("", ""), "Cổng chưa có kết quả", payment)
            counts["unknown"] += 1
            continue
        rsp, outcome, _ = _apply_notice(notice, adapter.name)
        _close_log(entry, rsp, outcome, payment)
        counts["settled" if rsp[0] == "00" else "refused"] += 1
    counts["confirmed"] = confirm_covered_dossiers()
    return counts


# -- refund --------------------------------------------------------------------------------------

REFUNDABLE = (PaymentStatus.PAID, PaymentStatus.MISMATCH)


def refund(payment: Payment, head, *, reason: str, at: datetime | None = None, transport=None) -> Payment:
    """The head of the dossier's unit refunds a payment (a fee paid twice, a dossier refused or
    withdrawn after payment...). Online: a signed refund request to the gateway, applied only
    when the gateway accepts it; cash: given back at the desk. A refunded payment pays nothing:
    the obligation it paid is open again — or cancelled when the dossier is closed — and the
    dossier's payment facts follow. The dossier's status does not change."""
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(gettext_lazy("Cần ghi lý do hoàn tiền."), "reason_required")
    if getattr(head, "role", None) != Actor.HEAD:
        raise PaymentError(gettext_lazy("Chỉ lãnh đạo đơn vị được quyết định hoàn tiền."), "role_not_allowed")
    dossier = payment.obligation.dossier
    if head.unit_id not in (dossier.unit_id, dossier.received_unit_id):
        raise PaymentError(gettext_lazy("Lãnh đạo chỉ hoàn tiền hồ sơ của đơn vị mình."), "other_unit")
    if payment.status not in REFUNDABLE:
        raise PaymentError(gettext_lazy("Chỉ hoàn tiền giao dịch đã thu tiền."), "not_refundable")
    at = at or timezone.now()
    if payment.gateway:
        result = _ask_gateway_to_refund(payment, head, reason, at, transport)
        if not result.accepted:
            raise PaymentError(_formatted(gettext_lazy("Cổng thanh toán từ chối hoàn tiền (mã %(code)s: %(message)s)."),
                                          {"code": result.code, "message": result.message}),
                               "refund_refused")
        refund_txn_no = result.refund_txn_no
    else:
        refund_txn_no = ""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status not in REFUNDABLE:
            raise PaymentError(gettext_lazy("Giao dịch đã được hoàn tiền."), "not_refundable")
        paid_the_obligation = locked.status == PaymentStatus.PAID
        locked.status, locked.refunded_at, locked.refunded_by = PaymentStatus.REFUNDED, at, head
        locked.refund_reason, locked.refund_txn_no = reason, refund_txn_no
        locked.save()
        if paid_the_obligation:
            obligation = FeeObligation.objects.select_for_update().get(pk=locked.obligation_id)
            obligation.paid_at = None
            if Status(dossier.status) in TERMINAL:
                obligation.cancelled_at = at
            obligation.save(update_fields=["paid_at", "cancelled_at"])
        sync_dossier_payment_facts(dossier.pk)
    log.info("Payment %s refunded by %s: %s", locked.txn_ref, head.username, reason)
    return locked


def _ask_gateway_to_refund(payment: Payment, head, reason: str, at: datetime, transport) -> base.RefundResult:
    adapter = get_gateway(payment.gateway)
    send = transport or gateway_transport(adapter, "refund")
    body = adapter.refund_request(request_id=secrets.token_hex(8), txn_ref=payment.txn_ref,
                                  amount_vnd=payment.amount_vnd, gateway_txn_no=payment.gateway_txn_no,
                                  transaction_date=payment.paid_at or payment.created_at,
                                  created_by=head.username, reason=reason, at=at)
    try:
        answer = {k: str(v) for k, v in send(body).items()}
    except (OSError, ValueError) as exc:
        log.warning("Refund request for %s failed: %s", payment.txn_ref, exc)
        raise PaymentError(gettext_lazy("Không liên lạc được với cổng thanh toán; chưa hoàn tiền."),
                           "gateway_unreachable") from exc
    valid = adapter.verify_refund_response(answer) and adapter.txn_ref_of(answer) == payment.txn_ref
    entry = _log(adapter, NotificationKind.REFUND, answer, valid, None)
    if not valid:
        log.warning("Refund answer for %s refused: invalid signature", payment.txn_ref)
        _close_log(entry, base.RSP_INVALID_SIGNATURE, "Sai chữ ký: không ghi nhận hoàn tiền", payment)
        raise PaymentError(gettext_lazy("Trả lời của cổng thanh toán sai chữ ký; chưa ghi nhận hoàn tiền."),
                           "invalid_signature")
    result = adapter.refund_result(answer)
    _close_log(entry, (result.code, ""), "Cổng chấp nhận hoàn tiền" if result.accepted else "Cổng từ chối hoàn tiền",
               payment)
    return result


# -- cash at the desk ----------------------------------------------------------------------------

def pay_cash(dossier: Dossier, officer, *, amount_vnd: int, at: datetime | None = None) -> Payment:
    """The reception officer takes the fee in cash and issues an electronic receipt."""
    if officer.unit_id != dossier.unit_id and officer.unit_id != dossier.received_unit_id:
        raise PaymentError(gettext_lazy("Cán bộ chỉ thu phí hồ sơ của đơn vị mình."), "other_unit")
    if not policy.can_take_cash(officer):
        raise PaymentError(gettext_lazy("Chỉ cán bộ tiếp nhận được thu tiền mặt."), "role_not_allowed")
    if Status(dossier.status) in TERMINAL:
        raise PaymentError(gettext_lazy("Hồ sơ đã kết thúc; không thể thu phí."), "dossier_closed")
    at = at or timezone.now()
    with transaction.atomic():
        obligation = obligation_to_pay(dossier)
        obligation = FeeObligation.objects.select_for_update().get(pk=obligation.pk)
        if not obligation.is_open:
            raise PaymentError(gettext_lazy("Khoản phí này đã được thanh toán."), "already_paid")
        if amount_vnd != obligation.amount_vnd:
            raise PaymentError(_formatted(gettext_lazy("Số tiền thu (%(amount)s đồng) phải bằng số phải nộp (%(due)s đồng)."),
                                          {"amount": number(amount_vnd, vietnamese=True), "due": number(obligation.amount_vnd, vietnamese=True)}),
                               "amount_mismatch")
        payment = Payment.objects.create(obligation=obligation, channel=PaymentChannel.CASH,
                                         txn_ref=new_txn_ref("TM"), amount_vnd=amount_vnd, received_by=officer)
        payment.receipt_number = f"BL{timezone.localtime(at):%y%m%d}-{payment.pk:06d}"
        payment.save(update_fields=["receipt_number"])
        try:
            _settle(payment, obligation, actor=officer, at=at)
        except DossierError as exc:
            raise PaymentError(exc.message, exc.code) from exc
    return payment
