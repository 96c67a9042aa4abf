"""Every case of a gateway notification (IPN)."""
import pytest

from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.transitions import Action, Status
from motcua.payments.models import FeeObligation, Payment, PaymentNotification, PaymentStatus
from motcua.payments.services import handle_ipn
from tests.payments.conftest import FEE, make_waiting_dossier
from tests.payments.helpers import ipn_params, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]


def _reload(d):
    return Dossier.objects.get(pk=d.pk)


def test_start_creates_a_pending_payment_for_the_fee(waiting_dossier):
    payment, url = start(waiting_dossier)
    assert payment.status == PaymentStatus.PENDING and payment.amount_vnd == FEE
    assert payment.channel == PaymentChannel.PROVINCE_GATEWAY
    assert url.startswith("https://gw.test/pay?") and f"vnp_TxnRef={payment.txn_ref}" in url
    assert "vnp_Amount=5000000" in url and "vnp_SecureHash=" in url
    assert FeeObligation.objects.get(dossier=waiting_dossier).amount_vnd == FEE
    again, _ = start(waiting_dossier)  # a second attempt pays the same obligation
    assert again.obligation_id == payment.obligation_id and again.txn_ref != payment.txn_ref


def test_success_pays_and_moves_the_dossier(waiting_dossier):
    payment, _ = start(waiting_dossier)
    assert handle_ipn(ipn_params(payment), remote_addr="203.0.113.5") == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.paid_at and payment.gateway_txn_no == "14012345"
    assert payment.obligation.paid_at is not None
    d = _reload(waiting_dossier)
    assert d.status == Status.IN_PROCESS and d.paid_at is not None
    assert d.payment_channel == PaymentChannel.PROVINCE_GATEWAY and d.paid_online
    event = d.events.order_by("seq").last()
    assert event.action == Action.CONFIRM_PAYMENT and event.actor_role == "system"
    assert event.data["txn_ref"] == payment.txn_ref and event.data["amount_vnd"] == FEE
    log = PaymentNotification.objects.get()
    assert log.signature_valid and log.answer_code == "00" and log.payment == payment
    assert log.remote_addr == "203.0.113.5" and log.params["vnp_TxnRef"] == payment.txn_ref


def test_repeated_notification_pays_once(waiting_dossier):
    payment, _ = start(waiting_dossier)
    params = ipn_params(payment)
    assert handle_ipn(params)["RspCode"] == "00"
    version = _reload(waiting_dossier).version
    for _ in range(3):
        assert handle_ipn(params) == {"RspCode": "02", "Message": "Order already confirmed"}
    d = _reload(waiting_dossier)
    assert d.version == version and d.events.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    assert PaymentNotification.objects.count() == 4


def test_wrong_signature_is_refused_and_logged(waiting_dossier, caplog):
    payment, _ = start(waiting_dossier)
    forged = {**ipn_params(payment), "vnp_Amount": "100"}  # tampered after signing
    with caplog.at_level("WARNING", logger="motcua.payments"):
        assert handle_ipn(forged, remote_addr="198.51.100.7") == {"RspCode": "97", "Message": "Invalid signature"}
    assert "invalid signature" in caplog.text
    unsigned = {k: v for k, v in ipn_params(payment).items() if k != "vnp_SecureHash"}
    assert handle_ipn(unsigned)["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert _reload(waiting_dossier).status == Status.PAYMENT_REQUESTED
    logs = PaymentNotification.objects.all()
    assert logs.count() == 2 and not any(n.signature_valid for n in logs)
    assert {n.answer_code for n in logs} == {"97"} and logs.filter(remote_addr="198.51.100.7").exists()


def test_amount_mismatch_is_flagged_not_paid(waiting_dossier):
    payment, _ = start(waiting_dossier)
    assert handle_ipn(ipn_params(payment, amount_vnd=FEE - 1)) == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.MISMATCH and payment.flagged and "49999" in payment.flag_reason
    assert payment.paid_at is None and payment.obligation.paid_at is None
    d = _reload(waiting_dossier)
    assert d.status == Status.PAYMENT_REQUESTED and d.paid_at is None
    # a later correct-amount notification for the flagged transaction does not pay it either
    assert handle_ipn(ipn_params(payment))["RspCode"] == "02"
    assert _reload(waiting_dossier).status == Status.PAYMENT_REQUESTED


def test_unknown_transaction(waiting_dossier):
    payment, _ = start(waiting_dossier)
    payment.txn_ref = "NOPE"
    assert handle_ipn(ipn_params(payment)) == {"RspCode": "01", "Message": "Order not found"}


@pytest.mark.parametrize("code, status", [("24", PaymentStatus.CANCELLED), ("51", PaymentStatus.FAILED)])
def test_cancelled_or_failed_then_paid_by_a_new_attempt(waiting_dossier, code, status):
    first, _ = start(waiting_dossier)
    assert handle_ipn(ipn_params(first, code=code))["RspCode"] == "00"
    first.refresh_from_db()
    assert first.status == status and first.response_code == code
    assert _reload(waiting_dossier).status == Status.PAYMENT_REQUESTED
    second, _ = start(_reload(waiting_dossier))
    assert handle_ipn(ipn_params(second))["RspCode"] == "00"
    assert _reload(waiting_dossier).status == Status.IN_PROCESS


def test_second_paid_transaction_for_one_obligation_is_flagged_for_refund(waiting_dossier):
    first, _ = start(waiting_dossier)
    second, _ = start(waiting_dossier)  # two browser tabs
    assert handle_ipn(ipn_params(first))["RspCode"] == "00"
    assert handle_ipn(ipn_params(second, txn_no="999"))["RspCode"] == "00"
    second.refresh_from_db()
    assert second.status == PaymentStatus.MISMATCH and second.flagged and "hoàn tiền" in second.flag_reason
    assert Payment.objects.filter(status=PaymentStatus.PAID).get() == first
    assert _reload(waiting_dossier).events.filter(action=Action.CONFIRM_PAYMENT).count() == 1


def test_paid_while_not_waiting_for_payment_records_the_facts_only(db):
    """Outside status 6 a payment moves no status and leaves no event, but the dossier's payment
    facts (which the index reads) follow the payment records."""
    from motcua.catalogue.models import Fee
    from motcua.payments.services import request_obligation

    d = make_waiting_dossier(request_payment=False)  # status 2, paid at submission
    Fee.objects.create(procedure=d.procedure, name="Lệ phí", amount_vnd=20_000)
    obligation = request_obligation(d)
    payment, _ = start(d)
    assert payment.obligation == obligation
    assert handle_ipn(ipn_params(payment))["RspCode"] == "00"
    payment.refresh_from_db()
    obligation.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and obligation.paid_at is not None
    after = _reload(d)
    assert after.status == Status.RECEIVED and after.version == d.version
    assert (after.paid_at, after.payment_channel, after.fee_total_vnd) == (payment.paid_at, "province", 20_000)
    assert after.paid_online and after.events.count() == 1


def test_dossier_waits_while_another_obligation_is_open(waiting_dossier):
    first, _ = start(waiting_dossier)
    FeeObligation.objects.create(dossier=waiting_dossier, amount_vnd=7_000, description="Phí khác")
    assert handle_ipn(ipn_params(first))["RspCode"] == "00"
    assert _reload(waiting_dossier).status == Status.PAYMENT_REQUESTED
    second, _ = start(waiting_dossier)
    assert second.amount_vnd == 7_000
    assert handle_ipn(ipn_params(second))["RspCode"] == "00"
    assert _reload(waiting_dossier).status == Status.IN_PROCESS


def test_ipn_endpoint_answers_json(client, waiting_dossier):
    payment, _ = start(waiting_dossier)
    params = ipn_params(payment)
    response = client.get("/thanh-toan/vnpay/ipn/", params)
    assert response.status_code == 200 and response.json() == {"RspCode": "00", "Message": "Confirm Success"}
    assert client.post("/thanh-toan/vnpay/ipn/", params).json()["RspCode"] == "02"  # POST, no CSRF token
    assert client.get("/thanh-toan/vnpay/ipn/", {**params, "vnp_SecureHash": "00"}).json()["RspCode"] == "97"
