"""The national payment platform (Nền tảng thanh toán trên Cổng Dịch vụ công quốc gia, "PayGov").

ASSUMPTION: no public specification of the platform's merchant interface is available here. This
adapter defines the shape below, in the national portal's style (signed JSON over HTTPS, field
names in Vietnamese camelCase); when the real specification is obtained, only this module and the
national side of `payments.simulator` change. Until then it runs end to end against the simulator.

Every message is a flat object of string values. Its signature `chuKy` is the hex HMAC-SHA256,
under the secret shared with the platform, of the canonical JSON of every other field (keys
sorted, separators "," and ":", UTF-8, non-ASCII kept). Server-to-server calls are POSTs of JSON.

Payment (the payer's browser is sent to `pay_url` with the fields as query parameters):
  phienBan "1.0", lenh "thanhToan", maDoiTac (merchant code), maGiaoDich (our txn_ref), soTien
  (integer VND, not ×100), loaiTien "VND", noiDung, urlTraVe, diaChiIP, thoiGianTao
  (yyyyMMddHHmmss, Asia/Ho_Chi_Minh), chuKy.
Result (the browser's return, as query parameters; the notification, a JSON body POSTed to
/thanh-toan/quoc-gia/ipn/): maDoiTac, maGiaoDich, maGiaoDichNen (the platform's number), soTien,
  maKetQua ("00" paid, "24" cancelled by the payer, anything else failed), nganHang,
  thoiGianThanhToan, chuKy. Our answer: {"maLoi", "moTa"}, maLoi with VNPAY's RspCode meanings
  (00 confirmed, 01 not found, 02 already confirmed, 04 invalid amount, 97 bad signature, 99 error).
Query (POST {api}/truy-van): lenh "truyVan", maYeuCau, maDoiTac, maGiaoDich, thoiGianTao, chuKy
  → maLoi ("00" known, "91" unknown, "97" bad signature), moTa, the result fields, trangThai
  ("01" not finished, "00" paid, "02" not paid), chuKy.
Refund (POST {api}/hoan-tien): lenh "hoanTien", maYeuCau, maDoiTac, maGiaoDich, maGiaoDichNen,
  soTien, lyDo, nguoiYeuCau, thoiGianTao, chuKy → maLoi ("00" accepted, "91" unknown, "94" already
  refunded, "97" bad signature), moTa, maGiaoDichHoan, chuKy.
"""
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from motcua.dossiers.models import PaymentChannel
from motcua.payments import conf
from motcua.payments.gateways.base import MalformedNotice, Notice, NoticeOutcome, RefundResult, missing_fields

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "1.0"
SIGNATURE = "chuKy"
PAID, CANCELLED_BY_PAYER, FAILED = "00", "24", "51"
STATE_PENDING = "01"
# The result fields: a message without them — our own signed payment request is one — is refused
# as malformed rather than read as a failed payment.
RESULT_FORMATS = {"maGiaoDich": r".{1,100}", "soTien": r"[0-9]{1,18}", "maKetQua": r"[0-9]{2}",
                  "maGiaoDichNen": r"\S{1,100}"}


def canonical(message: dict) -> str:
    fields = {k: str(v) for k, v in message.items() if k != SIGNATURE and v is not None}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(message: dict, secret: str) -> str:
    return hmac.new(secret.encode(), canonical(message).encode(), hashlib.sha256).hexdigest()


def _stamp(at: datetime) -> str:
    return f"{at.astimezone(VN):%Y%m%d%H%M%S}"


@dataclass(frozen=True)
class NationalGateway:
    partner_code: str
    secret: str
    pay_url: str
    api_url: str = ""  # query and refund; empty: the local simulator answers
    name = "national"
    channel = PaymentChannel.NATIONAL_PLATFORM

    @classmethod
    def from_settings(cls, pay_url: str | None = None) -> "NationalGateway":
        return cls(conf.national_partner_code(), conf.national_secret(), pay_url or conf.national_pay_url(),
                   conf.national_api_url())

    def signed(self, message: dict) -> dict:
        message = {k: str(v) for k, v in message.items() if k != SIGNATURE}
        return {**message, SIGNATURE: sign(message, self.secret)}

    def verify(self, message: dict) -> bool:
        """True when chuKy signs the other fields and the partner is us."""
        given = str(message.get(SIGNATURE, "")).lower()
        if not given or message.get("maDoiTac") not in (None, self.partner_code):
            return False
        return hmac.compare_digest(given, sign(message, self.secret))

    @staticmethod
    def txn_ref_of(message: dict) -> str:
        return str(message.get("maGiaoDich", ""))[:64]

    # -- payment ----------------------------------------------------------------------------------

    def payment_params(self, *, txn_ref: str, amount_vnd: int, order_info: str, return_url: str,
                       client_ip: str, at: datetime) -> dict:
        return {"phienBan": VERSION, "lenh": "thanhToan", "maDoiTac": self.partner_code, "maGiaoDich": txn_ref,
                "soTien": str(int(amount_vnd)), "loaiTien": "VND", "noiDung": order_info, "urlTraVe": return_url,
                "diaChiIP": client_ip or "127.0.0.1", "thoiGianTao": _stamp(at)}

    def redirect_url(self, params: dict) -> str:
        return f"{self.pay_url}{'&' if '?' in self.pay_url else '?'}{urlencode(self.signed(params))}"

    @staticmethod
    def notice(message: dict) -> Notice:
        """What a (verified) return, notification or query answer says; MalformedNotice when it has
        not the result fields."""
        if missing := missing_fields(message, RESULT_FORMATS):
            raise MalformedNotice(missing)
        code = str(message["maKetQua"])
        outcome = {PAID: NoticeOutcome.PAID, CANCELLED_BY_PAYER: NoticeOutcome.CANCELLED}.get(code, NoticeOutcome.FAILED)
        return Notice(txn_ref=str(message.get("maGiaoDich", "")), amount_vnd=int(message["soTien"]),
                      outcome=outcome, response_code=code, gateway_txn_no=str(message.get("maGiaoDichNen", "")),
                      bank_code=str(message.get("nganHang", "")))

    @staticmethod
    def answer(rsp: tuple[str, str]) -> dict:
        return {"maLoi": rsp[0], "moTa": rsp[1]}

    # -- query ------------------------------------------------------------------------------------

    def endpoint(self, command: str) -> str:
        return f"{self.api_url.rstrip('/')}/{'truy-van' if command == 'query' else 'hoan-tien'}"

    def query_request(self, *, request_id: str, txn_ref: str, transaction_date: datetime, at: datetime,
                      client_ip: str = "127.0.0.1") -> dict:
        return self.signed({"lenh": "truyVan", "maYeuCau": request_id, "maDoiTac": self.partner_code,
                            "maGiaoDich": txn_ref, "thoiGianTao": _stamp(at)})

    def verify_query_response(self, body: dict) -> bool:
        return self.verify(body)

    @classmethod
    def query_notice(cls, body: dict) -> Notice | None:
        if str(body.get("maLoi")) != "00" or str(body.get("trangThai")) == STATE_PENDING:
            return None
        return cls.notice(body)

    # -- refund -----------------------------------------------------------------------------------

    def refund_request(self, *, request_id: str, txn_ref: str, amount_vnd: int, gateway_txn_no: str,
                       transaction_date: datetime, created_by: str, reason: str, at: datetime, full: bool = True,
                       client_ip: str = "127.0.0.1") -> dict:
        return self.signed({"lenh": "hoanTien", "maYeuCau": request_id, "maDoiTac": self.partner_code,
                            "maGiaoDich": txn_ref, "maGiaoDichNen": gateway_txn_no, "soTien": str(int(amount_vnd)),
                            "lyDo": reason, "nguoiYeuCau": created_by, "thoiGianTao": _stamp(at)})

    def verify_refund_response(self, body: dict) -> bool:
        return self.verify(body)

    @staticmethod
    def refund_result(body: dict) -> RefundResult:
        code = str(body.get("maLoi", ""))
        return RefundResult(accepted=code == "00", code=code, message=str(body.get("moTa", "")),
                            refund_txn_no=str(body.get("maGiaoDichHoan", "")))
