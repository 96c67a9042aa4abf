"""Every write about fees and payments: one function per use case, one transaction each.

A gateway notification is trusted only when its signature checks; it is logged whatever it says.
Settling is idempotent: the payment row is locked (select_for_update) and only a pending payment
can become paid, so a repeated or concurrent notification pays once (and the partial unique
constraint `one_paid_per_obligation` backs that up in the database). A notification that never
comes is replaced by a transaction query (`settle_pending`, command `motcua settle-payments`),
whose answer goes through the same locked path.

The dossier moves 6 → 4 (CONFIRM_PAYMENT by the system, or by the reception officer for cash)
only when it is waiting for payment (status 6) and no other obligation of it is still open. A fee
paid while the dossier is in another status (paid at submission) is recorded on the payment and
the obligation only: `dossiers.services` has no action that records a payment outside status 6,
and nothing here writes the dossier row directly.
"""
import logging
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Actor, Status
from motcua.payments.fees import fee_lines
from motcua.payments.gateways import gateway as get_gateway
from motcua.payments.gateways import vnpay
from motcua.payments.gateways.base import NoticeOutcome
from motcua.payments.models import FeeObligation, NotificationKind, Payment, PaymentNotification, PaymentStatus

log = logging.getLogger("motcua.payments")

GATEWAY_CHANNELS = {"vnpay": PaymentChannel.PROVINCE_GATEWAY}


class PaymentError(Exception):
    """A refused payment operation; `message` for people (Vietnamese), `code` for machines."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


# -- obligations ---------------------------------------------------------------------------------

def request_obligation(dossier: Dossier, *, pages: int = 1, copies: int = 1, description: str = "") -> FeeObligation:
    """The fee obligation of `dossier` computed from its procedure's fee schedule."""
    try:
        lines = fee_lines(dossier.procedure.fees.all(), pages=pages, copies=copies)
    except ValueError as exc:
        raise PaymentError(str(exc), "bad_quantity") from exc
    amount = sum(line.amount_vnd for line in lines)
    if amount <= 0:
        raise PaymentError("Thủ tục này không thu phí, lệ phí.", "no_fee")
    return FeeObligation.objects.create(
        dossier=dossier, amount_vnd=amount, lines=[line.as_dict() for line in lines],
        description=description or f"Phí, lệ phí hồ sơ {dossier.code}")


def open_obligation(dossier: Dossier) -> FeeObligation | None:
    return dossier.fee_obligations.filter(paid_at__isnull=True, cancelled_at__isnull=True).order_by("id").first()


def obligation_to_pay(dossier: Dossier) -> FeeObligation:
    """The obligation the applicant pays now: the open one, or — for a dossier waiting for payment
    (status 6) without one — one for the fee fixed on the dossier (`fee_total_vnd`)."""
    obligation = open_obligation(dossier)
    if obligation is not None:
        return obligation
    if dossier.status == Status.PAYMENT_REQUESTED and dossier.fee_total_vnd > 0:
        return FeeObligation.objects.create(
            dossier=dossier, amount_vnd=dossier.fee_total_vnd, description=f"Phí, lệ phí hồ sơ {dossier.code}",
            lines=[{"name": "Phí, lệ phí", "amount_vnd": dossier.fee_total_vnd, "pages": None, "copies": 1}])
    raise PaymentError("Hồ sơ không có khoản phí, lệ phí nào cần thanh toán.", "nothing_to_pay")


# -- online payments -----------------------------------------------------------------------------

def new_txn_ref(prefix: str = "MC") -> str:
    return f"{prefix}{timezone.localtime():%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def start_online_payment(dossier: Dossier, *, return_url: str, client_ip: str = "", pay_url: str | None = None,
                         gateway_name: str = "vnpay", at: datetime | None = None) -> tuple[Payment, str]:
    """A pending payment for the dossier's open obligation, and the signed gateway address."""
    if dossier.status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
        raise PaymentError("Hồ sơ đã kết thúc; không thể thanh toán.", "dossier_closed")
    adapter = get_gateway(gateway_name)
    if pay_url:
        adapter = type(adapter)(adapter.tmn_code, adapter.hash_secret, pay_url)
    if not adapter.pay_url:
        raise PaymentError("Chưa cấu hình cổng thanh toán.", "gateway_not_configured")
    at = at or timezone.now()
    with transaction.atomic():
        obligation = obligation_to_pay(dossier)
        payment = Payment.objects.create(
            obligation=obligation, channel=GATEWAY_CHANNELS[gateway_name], gateway=gateway_name,
            txn_ref=new_txn_ref(), amount_vnd=obligation.amount_vnd)
    params = adapter.payment_params(txn_ref=payment.txn_ref, amount_vnd=payment.amount_vnd,
                                    order_info=f"Thanh toan phi ho so {dossier.code}", return_url=return_url,
                                    client_ip=client_ip, at=at)
    return payment, adapter.redirect_url(params)


def _log(gateway_name: str, kind: str, params: dict, valid: bool, remote_addr: str | None) -> PaymentNotification:
    return PaymentNotification.objects.create(
        gateway=gateway_name, kind=kind, params=dict(params), txn_ref=str(params.get("vnp_TxnRef", ""))[:64],
        signature_valid=valid, remote_addr=remote_addr or None)


def _close_log(entry: PaymentNotification, rsp: tuple[str, str], outcome: str, payment: Payment | None) -> None:
    PaymentNotification.objects.filter(pk=entry.pk).update(
        answer_code=rsp[0], outcome=outcome[:300], payment=payment)


def handle_ipn(params: dict, *, remote_addr: str | None = None, gateway_name: str = "vnpay") -> dict:
    """Process a server-to-server notification; returns the JSON answer the gateway expects."""
    params = {k: str(v) for k, v in params.items()}
    adapter = get_gateway(gateway_name)
    valid = adapter.verify(params)
    entry = _log(gateway_name, NotificationKind.IPN, params, valid, remote_addr)
    if not valid:
        log.warning("Payment notification refused: invalid signature (txn_ref=%s, from %s)",
                    params.get("vnp_TxnRef"), remote_addr)
        _close_log(entry, vnpay.RSP_INVALID_SIGNATURE, "Sai chữ ký: từ chối", None)
        return adapter.answer(vnpay.RSP_INVALID_SIGNATURE)
    rsp, outcome, payment = _apply_notice(adapter.notice(params))
    if rsp[0] not in ("00", "02"):
        log.warning("Payment notification %s answered %s: %s", params.get("vnp_TxnRef"), rsp[0], outcome)
    _close_log(entry, rsp, outcome, payment)
    return adapter.answer(rsp)


def _apply_notice(notice) -> tuple[tuple[str, str], str, Payment | None]:
    """Apply a verified notice under a row lock on its payment, in one transaction."""
    payment = None
    try:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().filter(txn_ref=notice.txn_ref).first()
            rsp, outcome = _apply(payment, notice) if payment else (vnpay.RSP_NOT_FOUND, "Không có giao dịch")
    except DossierError as exc:  # the dossier could not move: nothing is kept; the gateway retries
        log.exception("Payment notice for %s could not be applied", notice.txn_ref)
        rsp, outcome = vnpay.RSP_ERROR, f"Lỗi: {exc.message}"
    return rsp, outcome, payment


def _flag(payment: Payment, reason: str) -> None:
    payment.status, payment.flagged, payment.flag_reason = PaymentStatus.MISMATCH, True, reason
    payment.save(update_fields=["status", "flagged", "flag_reason", "updated_at"])


def _apply(payment: Payment, notice) -> tuple[tuple[str, str], str]:
    """Apply a verified notice to a locked payment (inside the caller's transaction)."""
    if notice.amount_vnd != payment.amount_vnd:
        if payment.status == PaymentStatus.PENDING:
            _flag(payment, f"Số tiền cổng báo ({notice.amount_vnd}) khác số tiền phải nộp ({payment.amount_vnd}).")
        return vnpay.RSP_INVALID_AMOUNT, "Sai số tiền: gắn cờ đối soát, không ghi nhận thanh toán"
    if payment.status != PaymentStatus.PENDING:
        return vnpay.RSP_ALREADY_CONFIRMED, f"Đã xử lý trước đó ({payment.status})"
    payment.response_code, payment.gateway_txn_no, payment.bank_code = (
        notice.response_code, notice.gateway_txn_no, notice.bank_code)
    if notice.outcome != NoticeOutcome.PAID:
        payment.status = PaymentStatus.CANCELLED if notice.outcome == NoticeOutcome.CANCELLED else PaymentStatus.FAILED
        payment.save()
        return vnpay.RSP_CONFIRMED, f"Giao dịch không thành công ({notice.response_code})"
    obligation = FeeObligation.objects.select_for_update().get(pk=payment.obligation_id)
    if not obligation.is_open:
        payment.save(update_fields=["response_code", "gateway_txn_no", "bank_code"])
        _flag(payment, "Nghĩa vụ đã được thanh toán bằng giao dịch khác: cần hoàn tiền.")
        return vnpay.RSP_CONFIRMED, "Thanh toán trùng: gắn cờ hoàn tiền"
    moved = _settle(payment, obligation, role=Actor.SYSTEM)
    return vnpay.RSP_CONFIRMED, "Đã ghi nhận thanh toán" + ("; hồ sơ chuyển xử lý" if moved else "")


def _settle(payment: Payment, obligation: FeeObligation, *, actor=None, role=None, at: datetime | None = None) -> bool:
    """Mark payment and obligation paid; move the dossier out of status 6 when nothing else is
    owed. Returns whether the dossier moved. Runs inside the caller's transaction."""
    at = at or timezone.now()
    payment.status, payment.paid_at = PaymentStatus.PAID, at
    payment.save()
    obligation.paid_at = at
    obligation.save(update_fields=["paid_at"])
    dossier = Dossier.objects.select_for_update().get(pk=obligation.dossier_id)
    still_owed = dossier.fee_obligations.filter(paid_at__isnull=True, cancelled_at__isnull=True).exists()
    if dossier.status != Status.PAYMENT_REQUESTED or still_owed:
        return False
    transition(dossier, Action.CONFIRM_PAYMENT, actor=actor, role=role, at=at, payment_channel=payment.channel,
               event_data={"txn_ref": payment.txn_ref, "amount_vnd": payment.amount_vnd})
    return True


def record_return(params: dict, *, remote_addr: str | None = None, gateway_name: str = "vnpay") -> tuple[bool, Payment | None]:
    """The payer's browser came back: check and log the signature, change nothing (the IPN is the
    record). Returns (signature valid, the payment it names)."""
    params = {k: str(v) for k, v in params.items()}
    adapter = get_gateway(gateway_name)
    valid = adapter.verify(params)
    entry = _log(gateway_name, NotificationKind.RETURN, params, valid, remote_addr)
    payment = Payment.objects.filter(txn_ref=params.get("vnp_TxnRef", "")).first() if valid else None
    if not valid:
        log.warning("Payment return refused: invalid signature (txn_ref=%s)", params.get("vnp_TxnRef"))
    _close_log(entry, ("", ""), "Trình duyệt quay về" if valid else "Sai chữ ký", payment)
    return valid, payment


# -- late notifications: the query job -----------------------------------------------------------

def http_transport(url: str, body: dict, timeout: float = 15) -> dict:
    """POST `body` as JSON to a configured gateway API and read its JSON answer."""
    import json
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
        return json.loads(response.read().decode())


def query_transport():
    """How transaction queries reach the gateway: its configured API, else the local simulator."""
    from motcua.payments import conf

    api_url = conf.vnpay_api_url()
    if api_url:
        return lambda body: http_transport(api_url, body)
    if conf.simulator_enabled():
        from motcua.payments import simulator

        return lambda body: simulator.querydr(get_gateway("vnpay"), body)
    raise PaymentError("Chưa cấu hình địa chỉ tra vấn giao dịch của cổng thanh toán.", "gateway_not_configured")


def settle_pending(*, now: datetime | None = None, min_age: timedelta = timedelta(minutes=15),
                   transport=None) -> dict:
    """Ask the gateway about every online payment still pending `min_age` after it started (its
    notification never came) and apply the answer exactly like an IPN. Safe to run repeatedly."""
    now = now or timezone.now()
    adapter = get_gateway("vnpay")
    transport = transport or query_transport()
    counts = {"queried": 0, "settled": 0, "unknown": 0, "refused": 0}
    pending = Payment.objects.filter(status=PaymentStatus.PENDING, gateway="vnpay", created_at__lte=now - min_age)
    for payment in pending.order_by("created_at", "id"):
        counts["queried"] += 1
        body = adapter.query_request(request_id=secrets.token_hex(8), txn_ref=payment.txn_ref,
                                     transaction_date=payment.created_at, at=now)
        try:
            answer = {k: str(v) for k, v in transport(body).items()}
        except (OSError, ValueError) as exc:
            log.warning("Transaction query for %s failed: %s", payment.txn_ref, exc)
            counts["unknown"] += 1
            continue
        valid = adapter.verify_query_response(answer) and answer.get("vnp_TxnRef") == payment.txn_ref
        entry = _log("vnpay", NotificationKind.QUERY, answer, valid, None)
        if not valid:
            log.warning("Transaction query answer for %s refused: invalid signature", payment.txn_ref)
            _close_log(entry, vnpay.RSP_INVALID_SIGNATURE, "Sai chữ ký: bỏ qua", payment)
            counts["refused"] += 1
            continue
        notice = adapter.query_notice(answer)
        if notice is None:
            _close_log(entry, ("", ""), f"Cổng chưa có kết quả ({answer.get('vnp_ResponseCode')})", payment)
            counts["unknown"] += 1
            continue
        rsp, outcome, _ = _apply_notice(notice)
        _close_log(entry, rsp, outcome, payment)
        counts["settled" if rsp[0] == "00" else "refused"] += 1
    return counts


# -- cash at the desk ----------------------------------------------------------------------------

def pay_cash(dossier: Dossier, officer, *, amount_vnd: int, at: datetime | None = None) -> Payment:
    """The reception officer takes the fee in cash and issues an electronic receipt."""
    if officer.unit_id != dossier.unit_id and officer.unit_id != dossier.received_unit_id:
        raise PaymentError("Cán bộ chỉ thu phí hồ sơ của đơn vị mình.", "other_unit")
    if officer.role != Actor.RECEPTION:
        raise PaymentError("Chỉ cán bộ tiếp nhận được thu tiền mặt.", "role_not_allowed")
    at = at or timezone.now()
    with transaction.atomic():
        obligation = obligation_to_pay(dossier)
        obligation = FeeObligation.objects.select_for_update().get(pk=obligation.pk)
        if not obligation.is_open:
            raise PaymentError("Khoản phí này đã được thanh toán.", "already_paid")
        if amount_vnd != obligation.amount_vnd:
            raise PaymentError(f"Số tiền thu ({amount_vnd:,} đồng) phải bằng số phải nộp "
                               f"({obligation.amount_vnd:,} đồng).", "amount_mismatch")
        payment = Payment.objects.create(obligation=obligation, channel=PaymentChannel.CASH,
                                         txn_ref=new_txn_ref("TM"), amount_vnd=amount_vnd, received_by=officer)
        payment.receipt_number = f"BL{timezone.localtime(at):%y%m%d}-{payment.pk:06d}"
        payment.save(update_fields=["receipt_number"])
        try:
            _settle(payment, obligation, actor=officer, at=at)
        except DossierError as exc:
            raise PaymentError(exc.message, exc.code) from exc
    return payment
