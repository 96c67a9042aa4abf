"""The national payment platform adapter (an assumed shape: signed JSON, see gateways/national.py),
its simulator side, and how a dossier's gateway is chosen."""
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.transitions import Action, Status
from motcua.payments.gateways import NationalGateway, gateway
from motcua.payments.models import GatewayRoute, NotificationKind, Payment, PaymentNotification, PaymentStatus
from motcua.payments.selectors import gateway_for
from motcua.payments.services import handle_ipn, settle_pending
from tests import factories as f
from tests.payments.helpers import ipn_params, pay_in_simulator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]


def _path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_signature_covers_every_field_and_the_partner():
    gw = NationalGateway("DVC01", "s3cret", "https://pay.test")
    message = gw.signed({"maDoiTac": "DVC01", "maGiaoDich": "MC1", "soTien": "50000", "noiDung": "Lệ phí hộ tịch"})
    assert gw.verify(message)
    assert not gw.verify({**message, "soTien": "5000"})
    assert not gw.verify({**message, "thuaRa": "1"})  # an added field breaks the signature
    assert not NationalGateway("DVC02", "s3cret", "").verify(message)
    assert not NationalGateway("DVC01", "other", "").verify(message)
    assert not gw.verify({k: v for k, v in message.items() if k != "chuKy"})


def test_routes_pick_the_gateway_most_specific_first(waiting_dossier, settings):
    d = waiting_dossier
    assert gateway_for(d) == "vnpay"
    settings.MOTCUA_PAYMENT_GATEWAY = "paypal"
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_PAYMENT_GATEWAY"):
        gateway_for(d)
    settings.MOTCUA_PAYMENT_GATEWAY = "national"
    assert gateway_for(d) == "national"
    GatewayRoute.objects.create(unit=d.unit, gateway="vnpay")
    assert gateway_for(d) == "vnpay"
    GatewayRoute.objects.create(procedure=d.procedure, gateway="national")
    assert gateway_for(d) == "national"
    GatewayRoute.objects.create(procedure=d.procedure, unit=d.unit, gateway="vnpay")
    assert gateway_for(d) == "vnpay"
    other = f.unit("SYT", "Sở Y tế")
    GatewayRoute.objects.create(procedure=d.procedure, unit=other, gateway="national")
    assert gateway_for(d) == "vnpay"  # a route for another unit does not apply
    for twin in ({"unit": d.unit}, {"procedure": d.procedure}, {"procedure": d.procedure, "unit": d.unit}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            GatewayRoute.objects.create(gateway="national", **twin)
    assert GatewayRoute.objects.count() == 4


def test_citizen_pays_through_the_national_platform_simulator(client, waiting_dossier):
    GatewayRoute.objects.create(procedure=waiting_dossier.procedure, gateway="national")
    started = client.post("/thanh-toan/bat-dau/", {"ma": waiting_dossier.code, "so": f.VALID_PID})
    assert urlsplit(started["Location"]).path == "/thanh-toan/gia-lap/quoc-gia/" and "chuKy=" in started["Location"]
    page = client.get(_path(started["Location"]))
    assert page.status_code == 200 and "Nền tảng thanh toán quốc gia" in page.content.decode()
    assert page.context["amount_vnd"] == 50_000
    back = client.post("/thanh-toan/gia-lap/quoc-gia/", {**page.context["params"], "outcome": "pay"})
    assert urlsplit(back["Location"]).path == "/thanh-toan/quoc-gia/ket-qua/"
    result = client.get(_path(back["Location"]))
    assert result.status_code == 200 and 'data-status="paid"' in result.content.decode()
    payment = Payment.objects.get()
    assert (payment.gateway, payment.channel, payment.status) == ("national", PaymentChannel.NATIONAL_PLATFORM,
                                                                 PaymentStatus.PAID)
    assert payment.gateway_txn_no.startswith("QG")
    d = Dossier.objects.get(pk=waiting_dossier.pk)
    assert d.status == Status.IN_PROCESS and d.payment_channel == PaymentChannel.NATIONAL_PLATFORM and d.paid_online
    assert d.events.filter(action=Action.CONFIRM_PAYMENT).count() == 1


def test_a_tampered_request_is_refused_by_the_simulator(client, waiting_dossier):
    GatewayRoute.objects.create(unit=waiting_dossier.unit, gateway="national")
    started = client.post("/thanh-toan/bat-dau/", {"ma": waiting_dossier.code, "so": f.VALID_PID})
    tampered = _path(started["Location"]).replace("soTien=50000", "soTien=5")
    assert client.get(tampered).status_code == 400


def test_the_notification_endpoint_takes_signed_json(client, waiting_dossier):
    payment = pay_in_simulator(waiting_dossier, "national", outcome="late")
    gw = gateway("national")
    message = gw.signed({"maDoiTac": gw.partner_code, "maGiaoDich": payment.txn_ref, "maGiaoDichNen": "QG1",
                         "soTien": "50000", "maKetQua": "00", "nganHang": "VCB", "thoiGianThanhToan": "20260601100000"})
    post = lambda body: client.post("/thanh-toan/quoc-gia/ipn/", body, content_type="application/json")  # noqa: E731
    assert post(json.dumps({**message, "chuKy": "ab" * 32})).json()["maLoi"] == "97"
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert post(json.dumps(message)).json() == {"maLoi": "00", "moTa": "Confirm Success"}
    assert post(json.dumps(message)).json()["maLoi"] == "02"
    assert post("not json").status_code == 400
    assert post(json.dumps({**gw.signed({**message, "soTien": "1"})})).json()["maLoi"] == "04"
    assert Dossier.objects.get(pk=waiting_dossier.pk).events.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    refused = PaymentNotification.objects.filter(gateway="national", kind=NotificationKind.IPN, signature_valid=False)
    assert refused.count() == 1 and refused.get().answer_code == "97"


def test_a_vnpay_notice_cannot_settle_a_national_payment(waiting_dossier):
    payment = pay_in_simulator(waiting_dossier, "national", outcome="late")
    assert handle_ipn(ipn_params(payment))["RspCode"] == "01"  # not a payment of that gateway
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_a_late_national_payment_is_settled_by_the_query_job(waiting_dossier):
    payment = pay_in_simulator(waiting_dossier, "national", outcome="late")
    assert payment.status == PaymentStatus.PENDING
    later = timezone.now() + timedelta(minutes=20)
    assert settle_pending(now=later) == {"queried": 1, "settled": 1, "unknown": 0, "refused": 0, "confirmed": 0}
    assert Payment.objects.get().status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=waiting_dossier.pk).status == Status.IN_PROCESS
    log = PaymentNotification.objects.get(kind=NotificationKind.QUERY)
    assert log.gateway == "national" and log.signature_valid and log.answer_code == "00"
    assert settle_pending(now=later)["queried"] == 0
