"""The local gateway simulator (MOTCUA_PAYMENT_SIMULATOR): plays the VNPAY-style gateway and the
national payment platform offline, for the demo and the tests. It keeps its own ledger
(SimulatedTransaction) so that it can answer a transaction query for a payment whose
notification it never sent ("late"), and a refund request."""
import secrets
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from motcua.payments.gateways import national, vnpay
from motcua.payments.models import SimulatedTransaction

# button → (paid, cancelled by the payer, IPN sent at once)
OUTCOMES = {
    "pay": (True, False, True),
    "late": (True, False, False),  # paid, but the notification is lost
    "cancel": (False, True, True),
    "error": (False, False, True),
}


@dataclass(frozen=True)
class Order:
    """What the payer sees of a payment request."""

    txn_ref: str
    amount_vnd: int
    order_info: str
    return_url: str


def order(adapter, params: dict) -> Order:
    if adapter.name == national.NationalGateway.name:
        amount = params.get("soTien", "0")
        return Order(params.get("maGiaoDich", ""), int(amount) if amount.isdigit() else 0,
                     params.get("noiDung", ""), params.get("urlTraVe", ""))
    amount = params.get("vnp_Amount", "0")
    return Order(params.get("vnp_TxnRef", ""), int(amount) // 100 if amount.isdigit() else 0,
                 params.get("vnp_OrderInfo", ""), params.get("vnp_ReturnUrl", ""))


def _stamp() -> str:
    return f"{timezone.localtime():%Y%m%d%H%M%S}"


def _result(adapter, params: dict, outcome: str) -> dict:
    paid, cancelled, _notify = OUTCOMES[outcome]
    txn_no = str(secrets.randbelow(10**8)).zfill(8) if paid else "0"
    if adapter.name == national.NationalGateway.name:
        code = national.PAID if paid else national.CANCELLED_BY_PAYER if cancelled else national.FAILED
        return adapter.signed({
            "maDoiTac": params["maDoiTac"], "maGiaoDich": params["maGiaoDich"], "maGiaoDichNen": f"QG{txn_no}",
            "soTien": params["soTien"], "maKetQua": code, "nganHang": "VCB", "thoiGianThanhToan": _stamp()})
    code = vnpay.SUCCESS if paid else vnpay.CANCELLED_BY_PAYER if cancelled else vnpay.INSUFFICIENT_FUNDS
    return adapter.signed({
        "vnp_TmnCode": params["vnp_TmnCode"], "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB", "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_ResponseCode": code, "vnp_TransactionStatus": vnpay.SUCCESS if paid else "02",
        "vnp_TxnRef": params["vnp_TxnRef"], "vnp_TransactionNo": txn_no, "vnp_PayDate": _stamp(),
        "vnp_CardType": "ATM",
    })


def decide(adapter, request_params: dict, outcome: str) -> tuple[dict, bool]:
    """The signed result of the payer's choice, recorded in the simulator's ledger; and whether
    the IPN goes out now."""
    result = _result(adapter, request_params, outcome)
    notify = OUTCOMES[outcome][2]
    SimulatedTransaction.objects.update_or_create(txn_ref=adapter.txn_ref_of(result), defaults={
        "result": result, "ipn_sent": notify, "gateway": adapter.name})
    return result, notify


def serve_api(adapter, command: str, body: dict) -> dict:
    """Answer a server-to-server call ("query" or "refund") as the gateway would."""
    national_side = adapter.name == national.NationalGateway.name
    if command == "query":
        return _national_query(adapter, body) if national_side else _vnpay_query(adapter, body)
    if command == "refund":
        return _national_refund(adapter, body) if national_side else _vnpay_refund(adapter, body)
    raise ValueError(f"unknown command {command}")


def _known(adapter, txn_ref: str) -> SimulatedTransaction | None:
    return SimulatedTransaction.objects.filter(txn_ref=txn_ref, gateway=adapter.name).first()


def _vnpay_query(gateway: vnpay.VnpayGateway, body: dict) -> dict:
    """Answer a querydr (91: transaction not found)."""
    base = {"vnp_ResponseId": secrets.token_hex(8), "vnp_Command": "querydr", "vnp_TmnCode": gateway.tmn_code,
            "vnp_TxnRef": str(body.get("vnp_TxnRef", ""))}
    if not gateway.verify_query_request(body):
        return gateway.sign_query_response({**base, "vnp_ResponseCode": "97", "vnp_Message": "Invalid signature"})
    known = _known(gateway, base["vnp_TxnRef"])
    if known is None:
        return gateway.sign_query_response({**base, "vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"})
    r = known.result
    return gateway.sign_query_response({
        **base, "vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success", "vnp_Amount": r["vnp_Amount"],
        "vnp_BankCode": r["vnp_BankCode"], "vnp_PayDate": r["vnp_PayDate"], "vnp_TransactionNo": r["vnp_TransactionNo"],
        "vnp_TransactionType": "01", "vnp_TransactionStatus": r["vnp_TransactionStatus"],
        "vnp_OrderInfo": r["vnp_OrderInfo"], "vnp_PromotionCode": "", "vnp_PromotionAmount": "",
    })


def _national_query(gateway: national.NationalGateway, body: dict) -> dict:
    base = {"maDoiTac": gateway.partner_code, "maGiaoDich": gateway.txn_ref_of(body)}
    if not gateway.verify(body):
        return gateway.signed({**base, "maLoi": "97", "moTa": "Sai chữ ký"})
    known = _known(gateway, base["maGiaoDich"])
    if known is None:
        return gateway.signed({**base, "maLoi": "91", "moTa": "Không có giao dịch"})
    r = {k: v for k, v in known.result.items() if k != national.SIGNATURE}
    state = "00" if r["maKetQua"] == national.PAID else "02"
    return gateway.signed({**r, "maLoi": "00", "moTa": "Thành công", "trangThai": state})


def _refundable(known: SimulatedTransaction | None, paid: bool, amount_vnd: int, total_vnd: int) -> tuple[str, str]:
    """The gateway's verdict on a refund: (code, message), "00" when it is done."""
    if known is None or not paid:
        return "91", "Transaction not found or not paid"
    if known.refunded_vnd + amount_vnd > total_vnd:
        return "94", "Already refunded"
    return "00", "Refund success"


def _record_refund(known: SimulatedTransaction | None, code: str, amount_vnd: int) -> str:
    if code != "00":
        return "0"
    SimulatedTransaction.objects.filter(pk=known.pk).update(refunded_vnd=F("refunded_vnd") + amount_vnd)
    return str(secrets.randbelow(10**8)).zfill(8)


def _vnpay_refund(gateway: vnpay.VnpayGateway, body: dict) -> dict:
    base = {"vnp_ResponseId": secrets.token_hex(8), "vnp_Command": "refund", "vnp_TmnCode": gateway.tmn_code,
            "vnp_TxnRef": str(body.get("vnp_TxnRef", "")), "vnp_Amount": str(body.get("vnp_Amount", "")),
            "vnp_TransactionType": str(body.get("vnp_TransactionType", "")),
            "vnp_OrderInfo": str(body.get("vnp_OrderInfo", ""))}
    if not gateway.verify_refund_request(body):
        return gateway.sign_refund_response({**base, "vnp_ResponseCode": "97", "vnp_Message": "Invalid signature"})
    known = _known(gateway, base["vnp_TxnRef"])
    amount = int(base["vnp_Amount"]) // 100 if base["vnp_Amount"].isdigit() else 0
    paid = known is not None and known.result["vnp_TransactionStatus"] == vnpay.SUCCESS
    code, message = _refundable(known, paid, amount, int(known.result["vnp_Amount"]) // 100 if known else 0)
    return gateway.sign_refund_response({
        **base, "vnp_ResponseCode": code, "vnp_Message": message, "vnp_BankCode": "NCB", "vnp_PayDate": _stamp(),
        "vnp_TransactionNo": _record_refund(known, code, amount), "vnp_TransactionStatus": "05" if code == "00" else "",
    })


def _national_refund(gateway: national.NationalGateway, body: dict) -> dict:
    base = {"maDoiTac": gateway.partner_code, "maGiaoDich": gateway.txn_ref_of(body),
            "soTien": str(body.get("soTien", ""))}
    if not gateway.verify(body):
        return gateway.signed({**base, "maLoi": "97", "moTa": "Sai chữ ký"})
    known = _known(gateway, base["maGiaoDich"])
    amount = int(base["soTien"]) if base["soTien"].isdigit() else 0
    paid = known is not None and known.result["maKetQua"] == national.PAID
    code, message = _refundable(known, paid, amount, int(known.result["soTien"]) if known else 0)
    return gateway.signed({**base, "maLoi": code, "moTa": message,
                           "maGiaoDichHoan": _record_refund(known, code, amount)})
