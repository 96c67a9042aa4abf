"""The local gateway simulator (MOTCUA_PAYMENT_SIMULATOR): plays VNPAY's side offline, for the
demo and the tests. It keeps its own ledger (SimulatedTransaction) so that it can answer a
transaction query for a payment whose notification it never sent ("late")."""
import secrets

from django.utils import timezone

from motcua.payments.gateways import vnpay
from motcua.payments.gateways.vnpay import VnpayGateway
from motcua.payments.models import SimulatedTransaction

OUTCOMES = {
    # button → (vnp_ResponseCode, vnp_TransactionStatus, IPN sent at once)
    "pay": (vnpay.SUCCESS, vnpay.SUCCESS, True),
    "late": (vnpay.SUCCESS, vnpay.SUCCESS, False),  # paid, but the notification is lost
    "cancel": (vnpay.CANCELLED_BY_PAYER, "02", True),
    "error": (vnpay.INSUFFICIENT_FUNDS, "02", True),
}


def decide(gateway: VnpayGateway, request_params: dict, outcome: str) -> tuple[dict, bool]:
    """The signed result of the payer's choice, recorded in the simulator's ledger; and whether
    the IPN goes out now."""
    response_code, status, notify = OUTCOMES[outcome]
    paid = status == vnpay.SUCCESS
    result = gateway.signed({
        "vnp_TmnCode": request_params["vnp_TmnCode"], "vnp_Amount": request_params["vnp_Amount"],
        "vnp_BankCode": "NCB", "vnp_OrderInfo": request_params.get("vnp_OrderInfo", ""),
        "vnp_ResponseCode": response_code, "vnp_TransactionStatus": status,
        "vnp_TxnRef": request_params["vnp_TxnRef"],
        "vnp_TransactionNo": str(secrets.randbelow(10**8)).zfill(8) if paid else "0",
        "vnp_PayDate": f"{timezone.localtime():%Y%m%d%H%M%S}", "vnp_CardType": "ATM",
    })
    SimulatedTransaction.objects.update_or_create(txn_ref=result["vnp_TxnRef"],
                                                  defaults={"result": result, "ipn_sent": notify})
    return result, notify


def querydr(gateway: VnpayGateway, body: dict) -> dict:
    """Answer a transaction query as the gateway would (91: transaction not found)."""
    base = {"vnp_ResponseId": secrets.token_hex(8), "vnp_Command": "querydr", "vnp_TmnCode": gateway.tmn_code,
            "vnp_TxnRef": str(body.get("vnp_TxnRef", ""))}
    if not gateway.verify_query_request(body):
        return gateway.sign_query_response({**base, "vnp_ResponseCode": "97", "vnp_Message": "Invalid signature"})
    known = SimulatedTransaction.objects.filter(txn_ref=base["vnp_TxnRef"]).first()
    if known is None:
        return gateway.sign_query_response({**base, "vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"})
    r = known.result
    return gateway.sign_query_response({
        **base, "vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success", "vnp_Amount": r["vnp_Amount"],
        "vnp_BankCode": r["vnp_BankCode"], "vnp_PayDate": r["vnp_PayDate"], "vnp_TransactionNo": r["vnp_TransactionNo"],
        "vnp_TransactionType": "01", "vnp_TransactionStatus": r["vnp_TransactionStatus"],
        "vnp_OrderInfo": r["vnp_OrderInfo"], "vnp_PromotionCode": "", "vnp_PromotionAmount": "",
    })
