import hashlib
import hmac
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from motcua.payments.gateways.base import NoticeOutcome
from motcua.payments.gateways.vnpay import VnpayGateway, canonical, sign

GW = VnpayGateway("TESTTMN1", "secret-key", "https://gw.example/pay")


def _params():
    return GW.payment_params(txn_ref="MC1", amount_vnd=50_000, order_info="Thanh toan phi ho so X-1",
                             return_url="http://127.0.0.1:8000/thanh-toan/ket-qua/", client_ip="10.0.0.1",
                             at=datetime(2026, 6, 1, 2, 0, tzinfo=ZoneInfo("UTC")))


def test_params_follow_the_protocol():
    p = _params()
    assert p["vnp_Amount"] == "5000000" and p["vnp_Version"] == "2.1.0" and p["vnp_Command"] == "pay"
    assert p["vnp_CreateDate"] == "20260601090000"  # GMT+7


def test_signature_is_hmac_sha512_over_sorted_urlencoded_fields():
    p = _params()
    expected_string = "&".join([
        "vnp_Amount=5000000", "vnp_Command=pay", "vnp_CreateDate=20260601090000", "vnp_CurrCode=VND",
        "vnp_IpAddr=10.0.0.1", "vnp_Locale=vn", "vnp_OrderInfo=Thanh+toan+phi+ho+so+X-1", "vnp_OrderType=other",
        "vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A8000%2Fthanh-toan%2Fket-qua%2F", "vnp_TmnCode=TESTTMN1",
        "vnp_TxnRef=MC1", "vnp_Version=2.1.0"])
    assert canonical(p) == expected_string
    assert sign(p, "secret-key") == hmac.new(b"secret-key", expected_string.encode(), hashlib.sha512).hexdigest()


def test_redirect_url_carries_a_verifiable_signature():
    url = GW.redirect_url(_params())
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://gw.example/pay"
    received = dict(parse_qsl(parts.query))
    assert GW.verify(received)
    assert GW.verify({**received, "vnp_SecureHash": received["vnp_SecureHash"].upper(), "vnp_SecureHashType": "SHA512"})


def test_tampering_or_another_merchant_or_key_fails():
    signed = GW.signed(_params())
    assert not GW.verify({**signed, "vnp_Amount": "100"})
    assert not GW.verify({k: v for k, v in signed.items() if k != "vnp_SecureHash"})
    assert not VnpayGateway("TESTTMN1", "other-key", "").verify(signed)
    assert not VnpayGateway("OTHER", "secret-key", "").verify(signed)


def test_notice_reading():
    base = {"vnp_TxnRef": "MC1", "vnp_Amount": "5000000", "vnp_TransactionNo": "123", "vnp_BankCode": "NCB"}
    ok = GW.notice({**base, "vnp_ResponseCode": "00", "vnp_TransactionStatus": "00"})
    assert (ok.outcome, ok.amount_vnd, ok.gateway_txn_no) == (NoticeOutcome.PAID, 50_000, "123")
    assert GW.notice({**base, "vnp_ResponseCode": "24", "vnp_TransactionStatus": "02"}).outcome == NoticeOutcome.CANCELLED
    assert GW.notice({**base, "vnp_ResponseCode": "51", "vnp_TransactionStatus": "02"}).outcome == NoticeOutcome.FAILED
    assert GW.notice({**base, "vnp_ResponseCode": "00", "vnp_TransactionStatus": "01"}).outcome == NoticeOutcome.FAILED
    assert GW.notice({**base, "vnp_Amount": "5000050", "vnp_ResponseCode": "00"}).amount_vnd is None
