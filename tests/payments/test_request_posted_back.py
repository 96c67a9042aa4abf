"""Our own signed payment request, posted back to the notification endpoint, is not a result:
refused as malformed, nothing recorded, and the gateway's genuine success that follows still pays
(both gateways, through the real pages)."""
import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.payments.gateways import MalformedNotice, gateway
from motcua.payments.models import GatewayRoute, NotificationKind, Payment, PaymentNotification, PaymentStatus
from motcua.payments.services import settle_pending
from tests import factories as f
from tests.payments.conftest import FEE
from tests.payments.helpers import ipn_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_gateways(settings):
    """Configured gateways (no simulator), so that /thanh-toan/bat-dau/ hands out the signed redirect."""
    settings.MOTCUA_VNPAY_PAY_URL = "https://gw.test/pay"
    settings.MOTCUA_NATIONAL_PAY_URL = "https://paygov.test/pay"
    return settings


def _signed_request(client, dossier) -> tuple[Payment, dict]:
    started = client.post("/thanh-toan/bat-dau/", {"ma": dossier.code, "so": f.VALID_PID})
    assert started.status_code == 302 and started["Location"].startswith("https://")
    return Payment.objects.get(), dict(parse_qsl(urlsplit(started["Location"]).query))


def _unchanged(payment, dossier):
    row = Payment.objects.get(pk=payment.pk)
    assert (row.status, row.response_code, row.gateway_txn_no, row.paid_at, row.flagged) == (
        PaymentStatus.PENDING, "", "", None, False)
    assert not Payment.objects.exclude(status=PaymentStatus.PENDING).exists()  # no failed payment recorded
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PAYMENT_REQUESTED


def test_vnpay_request_posted_back_is_malformed_and_the_real_success_pays(client, waiting_dossier, real_gateways):
    payment, request = _signed_request(client, waiting_dossier)
    assert gateway("vnpay").verify(request)  # a genuine signature: only its shape gives it away
    for send in (client.get, client.post):
        answer = send("/thanh-toan/vnpay/ipn/", request).json()
        assert answer == {"RspCode": "99", "Message": "Input data required"}
    _unchanged(payment, waiting_dossier)
    logged = PaymentNotification.objects.filter(kind=NotificationKind.IPN)
    assert logged.count() == 2 and {n.answer_code for n in logged} == {"99"}
    assert all(n.signature_valid and n.payment_id is None and "vnp_ResponseCode" in n.outcome for n in logged)

    answer = client.post("/thanh-toan/vnpay/ipn/", ipn_params(payment)).json()
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    dossier = Dossier.objects.get(pk=waiting_dossier.pk)
    assert dossier.status == Status.IN_PROCESS and dossier.paid_at is not None


def test_national_request_posted_back_is_malformed_and_the_real_success_pays(client, waiting_dossier,
                                                                            real_gateways):
    GatewayRoute.objects.create(unit=waiting_dossier.unit, gateway="national")
    payment, request = _signed_request(client, waiting_dossier)
    gw = gateway("national")
    assert payment.gateway == "national" and gw.verify(request)
    post = lambda body: client.post("/thanh-toan/quoc-gia/ipn/", json.dumps(body),  # noqa: E731
                                    content_type="application/json")
    assert post(request).json() == {"maLoi": "99", "moTa": "Input data required"}
    _unchanged(payment, waiting_dossier)
    entry = PaymentNotification.objects.get(gateway="national", kind=NotificationKind.IPN)
    assert entry.signature_valid and entry.answer_code == "99" and "maKetQua" in entry.outcome

    genuine = gw.signed({"maDoiTac": gw.partner_code, "maGiaoDich": payment.txn_ref, "maGiaoDichNen": "QG7",
                         "soTien": str(FEE), "maKetQua": "00", "nganHang": "VCB",
                         "thoiGianThanhToan": "20260601100000"})
    assert post(genuine).json() == {"maLoi": "00", "moTa": "Confirm Success"}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=waiting_dossier.pk).status == Status.IN_PROCESS


@pytest.mark.parametrize("field, value", [
    ("vnp_ResponseCode", ""), ("vnp_ResponseCode", "0"), ("vnp_ResponseCode", "٠٠"),  # Arabic-Indic zeros
    ("vnp_TransactionNo", ""), ("vnp_Amount", "５０００"), ("vnp_TxnRef", ""),
])
def test_a_result_field_missing_or_malformed_is_refused(waiting_dossier, real_gateways, field, value):
    from motcua.payments.services import handle_ipn
    from tests.payments.helpers import start

    payment, _ = start(waiting_dossier)
    gw = gateway("vnpay")
    params = {k: v for k, v in ipn_params(payment).items() if k != "vnp_SecureHash"}
    assert handle_ipn(gw.signed({**params, field: value}))["RspCode"] == "99"
    _unchanged(payment, waiting_dossier)
    with pytest.raises(MalformedNotice) as refused:
        gw.notice({**params, field: value})
    assert refused.value.fields == [field]


def test_a_query_answer_without_result_fields_settles_nothing(waiting_dossier, real_gateways):
    from datetime import timedelta

    from django.utils import timezone

    from tests.payments.helpers import start

    payment, _ = start(waiting_dossier)
    gw = gateway("vnpay")

    def answers_without_a_transaction_number(body):
        return gw.sign_query_response({"vnp_ResponseId": "1", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
                                       "vnp_TmnCode": gw.tmn_code, "vnp_TxnRef": payment.txn_ref,
                                       "vnp_Amount": str(FEE * 100), "vnp_TransactionStatus": "02"})

    counts = settle_pending(now=timezone.now() + timedelta(hours=1), transport=answers_without_a_transaction_number)
    assert counts["refused"] == 1 and counts["settled"] == 0
    _unchanged(payment, waiting_dossier)
    assert PaymentNotification.objects.get(kind=NotificationKind.QUERY).answer_code == "99"
