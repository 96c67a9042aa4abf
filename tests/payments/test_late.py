"""A payment whose notification never comes is settled by the query job (querydr)."""
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Action, Status
from motcua.payments.gateways.vnpay import VnpayGateway
from motcua.payments.models import (
    NotificationKind, Payment, PaymentNotification, PaymentStatus, SimulatedTransaction,
)
from motcua.payments.services import handle_ipn, settle_pending
from tests import factories as f
from tests.payments.helpers import start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]
LATER = timedelta(minutes=20)


def _pay_late_in_simulator(client, dossier):
    response = client.post("/thanh-toan/bat-dau/", {"ma": dossier.code, "so": f.VALID_PID})
    page = client.get(f"{urlsplit(response['Location']).path}?{urlsplit(response['Location']).query}")
    assert ">Thanh toán, thông báo đến trễ</button>" in page.content.decode()
    back = client.post("/thanh-toan/gia-lap/", {**page.context["params"], "outcome": "late"})
    result = client.get(f"{urlsplit(back['Location']).path}?{urlsplit(back['Location']).query}")
    assert 'data-status="pending"' in result.content.decode()  # the return page changes nothing
    return Payment.objects.get()


def test_late_payment_is_settled_by_the_query_job(client, waiting_dossier):
    payment = _pay_late_in_simulator(client, waiting_dossier)
    assert Dossier.objects.get(pk=waiting_dossier.pk).status == Status.PAYMENT_REQUESTED
    # too young to query
    assert settle_pending()["queried"] == 0
    assert settle_pending(now=timezone.now() + LATER) == {"queried": 1, "settled": 1, "unknown": 0, "refused": 0, "confirmed": 0}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.gateway_txn_no
    d = Dossier.objects.get(pk=waiting_dossier.pk)
    assert d.status == Status.IN_PROCESS and d.events.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    log = PaymentNotification.objects.get(kind=NotificationKind.QUERY)
    assert log.signature_valid and log.answer_code == "00" and log.payment == payment
    # nothing pending any more; the lost IPN, arriving after all, is answered "already confirmed"
    assert settle_pending(now=timezone.now() + LATER)["queried"] == 0
    lost = SimulatedTransaction.objects.get(txn_ref=payment.txn_ref)
    assert not lost.ipn_sent and handle_ipn(lost.result)["RspCode"] == "02"
    assert Dossier.objects.get(pk=waiting_dossier.pk).version == d.version


def test_query_job_command(client, waiting_dossier):
    _pay_late_in_simulator(client, waiting_dossier)
    out = StringIO()
    call_command("settle-payments", "--min-age", "0", stdout=out)
    assert "1 ghi nhận" in out.getvalue()
    assert Dossier.objects.get(pk=waiting_dossier.pk).status == Status.IN_PROCESS


def test_unknown_to_the_gateway_stays_pending(waiting_dossier):
    payment, _ = start(waiting_dossier)  # the payer never reached the gateway
    assert settle_pending(now=timezone.now() + LATER)["unknown"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_forged_query_answer_is_refused(waiting_dossier):
    payment, _ = start(waiting_dossier)
    gw = VnpayGateway.from_settings()

    def forger(body):
        return VnpayGateway(gw.tmn_code, "not-the-secret", "").sign_query_response({
            "vnp_ResponseId": "1", "vnp_Command": "querydr", "vnp_ResponseCode": "00", "vnp_TmnCode": gw.tmn_code,
            "vnp_TxnRef": body["vnp_TxnRef"], "vnp_Amount": str(payment.amount_vnd * 100),
            "vnp_TransactionStatus": "00"})

    assert settle_pending(now=timezone.now() + LATER, transport=forger)["refused"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not PaymentNotification.objects.get(kind=NotificationKind.QUERY).signature_valid


def test_unreachable_gateway_is_retried_later(waiting_dossier):
    payment, _ = start(waiting_dossier)

    def down(body):
        raise OSError("connection refused")

    assert settle_pending(now=timezone.now() + LATER, transport=down)["unknown"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_query_request_signature():
    gw = VnpayGateway("TESTTMN1", "k", "")
    at = timezone.now()
    body = gw.query_request(request_id="r1", txn_ref="MC1", transaction_date=at, at=at)
    assert body["vnp_Command"] == "querydr" and gw.verify_query_request(body)
    assert not gw.verify_query_request({**body, "vnp_TxnRef": "MC2"})
