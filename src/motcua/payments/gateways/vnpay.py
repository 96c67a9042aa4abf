"""A VNPAY-style gateway (API 2.1.0): signed redirect, return URL, IPN, transaction query, refund.

Signing: the `vnp_*` parameters other than vnp_SecureHash/vnp_SecureHashType, sorted by name,
each value url-encoded with `quote_plus`, joined as `k=v&k=v`; vnp_SecureHash is the hex
HMAC-SHA512 of that string under the merchant's secret. Amounts travel ×100 (vnp_Amount).
An IPN is answered with JSON {"RspCode", "Message"}: 00 confirmed, 01 order not found,
02 already confirmed, 04 invalid amount, 97 invalid signature, 99 other error.

The transaction query (vnp_Command=querydr, JSON over HTTPS) signs the pipe-joined values of a
fixed field list, request and response alike (QUERY_REQUEST_FIELDS, QUERY_RESPONSE_FIELDS). The
refund (vnp_Command=refund, vnp_TransactionType 02 full / 03 partial) is signed the same way over
REFUND_REQUEST_FIELDS and REFUND_RESPONSE_FIELDS; its answer's vnp_ResponseCode 00 means accepted.
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from motcua.payments import conf
from motcua.dossiers.models import PaymentChannel
from motcua.payments.gateways.base import MalformedNotice, Notice, NoticeOutcome, RefundResult, missing_fields

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")

# vnp_ResponseCode values the simulator and the handler know.
SUCCESS = "00"
CANCELLED_BY_PAYER = "24"
INSUFFICIENT_FUNDS = "51"

# What makes a return, an IPN or a query answer a result: without them (our own payment request,
# signed with the same secret, has the transaction and the amount but none of the rest) it says
# nothing about a transaction and is refused as malformed.
RESULT_FORMATS = {"vnp_TxnRef": r".{1,100}", "vnp_Amount": r"[0-9]{1,18}", "vnp_ResponseCode": r"[0-9]{2}",
                  "vnp_TransactionNo": r"[0-9]{1,20}"}

QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")
QUERY_PENDING = "01"  # vnp_TransactionStatus: not finished yet
REFUND_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                         "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                         "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
REFUND_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                          "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                          "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo")
REFUND_FULL, REFUND_PARTIAL = "02", "03"


def pipe_sign(values: dict, fields: tuple[str, ...], secret: str) -> str:
    data = "|".join(str(values.get(name, "")) for name in fields)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def canonical(params: dict) -> str:
    """The string that is signed: sorted vnp_ fields except the hash ones, values quote_plus-encoded."""
    items = sorted((k, str(v)) for k, v in params.items()
                   if k.startswith("vnp_") and k not in HASH_FIELDS and v is not None and str(v) != "")
    return "&".join(f"{k}={quote_plus(v)}" for k, v in items)


def sign(params: dict, secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha512).hexdigest()


@dataclass(frozen=True)
class VnpayGateway:
    tmn_code: str
    hash_secret: str
    pay_url: str
    api_url: str = ""  # querydr and refund; empty: the local simulator answers
    name = "vnpay"
    channel = PaymentChannel.PROVINCE_GATEWAY

    @classmethod
    def from_settings(cls, pay_url: str | None = None) -> "VnpayGateway":
        return cls(conf.vnpay_tmn_code(), conf.vnpay_hash_secret(), pay_url or conf.vnpay_pay_url(),
                   conf.vnpay_api_url())

    def endpoint(self, command: str) -> str:
        """Where the query and refund calls go: one API address, the command is in the body."""
        return self.api_url

    @staticmethod
    def txn_ref_of(params: dict) -> str:
        return str(params.get("vnp_TxnRef", ""))[:64]

    # -- outgoing ---------------------------------------------------------------------------------

    def payment_params(self, *, txn_ref: str, amount_vnd: int, order_info: str, return_url: str,
                       client_ip: str, at: datetime, locale: str = "vn") -> dict:
        created = at.astimezone(VN)
        return {
            "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(int(amount_vnd) * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info, "vnp_OrderType": "other", "vnp_Locale": locale,
            "vnp_ReturnUrl": return_url, "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": f"{created:%Y%m%d%H%M%S}",
        }

    def signed(self, params: dict) -> dict:
        return {**params, "vnp_SecureHash": sign(params, self.hash_secret)}

    def redirect_url(self, params: dict) -> str:
        """The gateway address the payer's browser is sent to."""
        params = self.signed(params)
        query = canonical(params) + "&vnp_SecureHash=" + params["vnp_SecureHash"]
        return f"{self.pay_url}{'&' if '?' in self.pay_url else '?'}{query}"

    # -- incoming ---------------------------------------------------------------------------------

    def verify(self, params: dict) -> bool:
        """True when vnp_SecureHash is the HMAC of the other vnp_ fields and the merchant is us."""
        given = str(params.get("vnp_SecureHash", ""))
        if not given or params.get("vnp_TmnCode") not in (None, self.tmn_code):
            return False
        return hmac.compare_digest(given.lower(), sign(params, self.hash_secret))

    @staticmethod
    def notice(params: dict) -> Notice:
        """What a (verified) return or IPN says; MalformedNotice when it has not the result fields."""
        if missing := missing_fields(params, RESULT_FORMATS):
            raise MalformedNotice(missing)
        raw_amount = int(params["vnp_Amount"])
        amount = raw_amount // 100 if raw_amount % 100 == 0 else None
        code = str(params.get("vnp_ResponseCode", ""))
        status = str(params.get("vnp_TransactionStatus", code))
        if code == SUCCESS and status == SUCCESS:
            outcome = NoticeOutcome.PAID
        elif code == CANCELLED_BY_PAYER:
            outcome = NoticeOutcome.CANCELLED
        else:
            outcome = NoticeOutcome.FAILED
        return Notice(txn_ref=str(params.get("vnp_TxnRef", "")), amount_vnd=amount, outcome=outcome,
                      response_code=code, gateway_txn_no=str(params.get("vnp_TransactionNo", "")),
                      bank_code=str(params.get("vnp_BankCode", "")))

    # -- transaction query ------------------------------------------------------------------------

    def query_request(self, *, request_id: str, txn_ref: str, transaction_date: datetime, at: datetime,
                      client_ip: str = "127.0.0.1") -> dict:
        body = {
            "vnp_RequestId": request_id, "vnp_Version": VERSION, "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code, "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": f"Tra cuu giao dich {txn_ref}",
            "vnp_TransactionDate": f"{transaction_date.astimezone(VN):%Y%m%d%H%M%S}",
            "vnp_CreateDate": f"{at.astimezone(VN):%Y%m%d%H%M%S}", "vnp_IpAddr": client_ip,
        }
        return {**body, "vnp_SecureHash": pipe_sign(body, QUERY_REQUEST_FIELDS, self.hash_secret)}

    def verify_query_request(self, body: dict) -> bool:
        given = str(body.get("vnp_SecureHash", "")).lower()
        return bool(given) and body.get("vnp_TmnCode") == self.tmn_code and hmac.compare_digest(
            given, pipe_sign(body, QUERY_REQUEST_FIELDS, self.hash_secret))

    def sign_query_response(self, body: dict) -> dict:
        return {**body, "vnp_SecureHash": pipe_sign(body, QUERY_RESPONSE_FIELDS, self.hash_secret)}

    def verify_query_response(self, body: dict) -> bool:
        given = str(body.get("vnp_SecureHash", "")).lower()
        return bool(given) and hmac.compare_digest(given, pipe_sign(body, QUERY_RESPONSE_FIELDS, self.hash_secret))

    @classmethod
    def query_notice(cls, body: dict) -> Notice | None:
        """What a (verified) query answer says, or None when the gateway knows no final outcome."""
        if str(body.get("vnp_ResponseCode")) != SUCCESS or str(body.get("vnp_TransactionStatus")) == QUERY_PENDING:
            return None
        return cls.notice(body)

    # -- refund -----------------------------------------------------------------------------------

    def refund_request(self, *, request_id: str, txn_ref: str, amount_vnd: int, gateway_txn_no: str,
                       transaction_date: datetime, created_by: str, reason: str, at: datetime, full: bool = True,
                       client_ip: str = "127.0.0.1") -> dict:
        body = {
            "vnp_RequestId": request_id, "vnp_Version": VERSION, "vnp_Command": "refund",
            "vnp_TmnCode": self.tmn_code, "vnp_TransactionType": REFUND_FULL if full else REFUND_PARTIAL,
            "vnp_TxnRef": txn_ref, "vnp_Amount": str(int(amount_vnd) * 100), "vnp_TransactionNo": gateway_txn_no,
            "vnp_TransactionDate": f"{transaction_date.astimezone(VN):%Y%m%d%H%M%S}", "vnp_CreateBy": created_by,
            "vnp_CreateDate": f"{at.astimezone(VN):%Y%m%d%H%M%S}", "vnp_IpAddr": client_ip, "vnp_OrderInfo": reason,
        }
        return {**body, "vnp_SecureHash": pipe_sign(body, REFUND_REQUEST_FIELDS, self.hash_secret)}

    def verify_refund_request(self, body: dict) -> bool:
        given = str(body.get("vnp_SecureHash", "")).lower()
        return bool(given) and body.get("vnp_TmnCode") == self.tmn_code and hmac.compare_digest(
            given, pipe_sign(body, REFUND_REQUEST_FIELDS, self.hash_secret))

    def sign_refund_response(self, body: dict) -> dict:
        return {**body, "vnp_SecureHash": pipe_sign(body, REFUND_RESPONSE_FIELDS, self.hash_secret)}

    def verify_refund_response(self, body: dict) -> bool:
        given = str(body.get("vnp_SecureHash", "")).lower()
        return bool(given) and hmac.compare_digest(given, pipe_sign(body, REFUND_RESPONSE_FIELDS, self.hash_secret))

    @staticmethod
    def refund_result(body: dict) -> RefundResult:
        """What a (verified) refund answer says."""
        code = str(body.get("vnp_ResponseCode", ""))
        return RefundResult(accepted=code == SUCCESS, code=code, message=str(body.get("vnp_Message", "")),
                            refund_txn_no=str(body.get("vnp_TransactionNo", "")))

    @staticmethod
    def answer(rsp: tuple[str, str]) -> dict:
        return {"RspCode": rsp[0], "Message": rsp[1]}
