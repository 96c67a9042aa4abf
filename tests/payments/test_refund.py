"""Refunds: the head of unit decides, with a reason; the gateway (VNPAY-style or national) gets a
signed request and its signed answer is checked; a refunded payment no longer counts as paid."""
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.payments.gateways import gateway
from motcua.payments.models import FeeObligation, NotificationKind, Payment, PaymentNotification, PaymentStatus
from motcua.payments.services import PaymentError, handle_ipn, pay_cash, refund, start_online_payment
from motcua.payments.simulator import decide, serve_api
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.payments.conftest import FEE, make_waiting_dossier
from tests.payments.helpers import pay_in_simulator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]


def _officer(d, role):
    return Officer.objects.get_or_create(unit=d.unit, role=role, defaults={"username": f"{d.unit.code}-{role}"})[0]


@pytest.mark.parametrize("gateway_name", ["vnpay", "national"])
def test_head_refunds_an_online_payment_through_the_gateway(waiting_dossier, gateway_name):
    payment = pay_in_simulator(waiting_dossier, gateway_name)
    assert payment.status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=waiting_dossier.pk).paid_online
    head = _officer(waiting_dossier, Role.HEAD)
    refunded = refund(payment, head, reason="Thu trùng phí")
    assert (refunded.status, refunded.refunded_by, refunded.refund_reason) == (PaymentStatus.REFUNDED, head,
                                                                               "Thu trùng phí")
    assert refunded.refund_txn_no not in ("", "0")
    log = PaymentNotification.objects.get(kind=NotificationKind.REFUND)
    assert log.signature_valid and log.answer_code == "00" and log.gateway == gateway_name
    obligation = FeeObligation.objects.get(pk=payment.obligation_id)
    assert obligation.paid_at is None and obligation.cancelled_at is None  # owed again
    d = Dossier.objects.get(pk=waiting_dossier.pk)
    assert d.status == Status.IN_PROCESS and d.paid_at is None and d.payment_channel == "" and not d.paid_online
    assert d.fee_total_vnd == FEE
    # the gateway refunds once
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.PAID)
    with pytest.raises(PaymentError) as exc:
        refund(Payment.objects.get(pk=payment.pk), head, reason="Lần nữa")
    assert exc.value.code == "refund_refused" and "94" in exc.value.message


def test_refund_refusals_change_nothing(waiting_dossier):
    payment = pay_in_simulator(waiting_dossier)
    for role, reason, code in ((Role.HEAD, "  ", "reason_required"), (Role.RECEPTION, "Lý do", "role_not_allowed"),
                               (Role.PROCESSING, "Lý do", "role_not_allowed")):
        with pytest.raises(PaymentError) as exc:
            refund(payment, _officer(waiting_dossier, role), reason=reason)
        assert exc.value.code == code
    other_head = f.officer(f.unit("SYT", "Sở Y tế"), Role.HEAD)
    with pytest.raises(PaymentError) as exc:
        refund(payment, other_head, reason="Lý do")
    assert exc.value.code == "other_unit"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and not PaymentNotification.objects.filter(kind="refund").exists()
    assert Dossier.objects.get(pk=waiting_dossier.pk).paid_online


def test_a_duplicate_payment_flagged_for_refund_is_refunded_and_the_fee_stays_paid(waiting_dossier):
    adapter = gateway("vnpay")
    started = [start_online_payment(waiting_dossier, return_url="http://testserver/r", pay_url="https://gw.test/pay")
               for _ in range(2)]  # two browser tabs
    for _, url in started:
        signed, _notify = decide(adapter, dict(parse_qsl(urlsplit(url).query)), "pay")
        assert handle_ipn(signed)["RspCode"] == "00"
    kept, duplicate = (Payment.objects.get(pk=p.pk) for p, _ in started)
    assert kept.status == PaymentStatus.PAID and duplicate.status == PaymentStatus.MISMATCH and duplicate.flagged
    refund(duplicate, _officer(waiting_dossier, Role.HEAD), reason="Thanh toán trùng")
    assert Payment.objects.get(pk=duplicate.pk).status == PaymentStatus.REFUNDED
    d = Dossier.objects.get(pk=waiting_dossier.pk)
    assert d.paid_at == kept.paid_at and d.paid_online and FeeObligation.objects.get().paid_at == kept.paid_at


def test_cash_refund_of_a_withdrawn_dossier_cancels_the_obligation(db):
    d = make_waiting_dossier(request_payment=False)
    FeeObligation.objects.create(dossier=d, amount_vnd=FEE, description="Lệ phí")
    payment = pay_cash(d, _officer(d, Role.RECEPTION), amount_vnd=FEE)
    transition(Dossier.objects.get(pk=d.pk), Action.WITHDRAW, role="applicant", reason="Không cần nữa")
    refund(payment, _officer(d, Role.HEAD), reason="Công dân rút hồ sơ")
    assert not PaymentNotification.objects.exists()  # cash: no gateway call
    assert FeeObligation.objects.get().cancelled_at is not None
    after = Dossier.objects.get(pk=d.pk)
    assert (after.fee_total_vnd, after.paid_at, after.status) == (0, None, Status.WITHDRAWN)


@pytest.mark.parametrize("gateway_name", ["vnpay", "national"])
def test_a_refund_answer_with_a_bad_signature_is_not_applied(waiting_dossier, gateway_name):
    payment = pay_in_simulator(waiting_dossier, gateway_name)
    adapter = gateway(gateway_name)

    def forged(body):
        answer = serve_api(adapter, "refund", body)
        key = "vnp_SecureHash" if gateway_name == "vnpay" else "chuKy"
        return {**answer, key: "0" * 64}

    with pytest.raises(PaymentError) as exc:
        refund(payment, _officer(waiting_dossier, Role.HEAD), reason="Thu trùng", transport=forged)
    assert exc.value.code == "invalid_signature"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert not PaymentNotification.objects.get(kind=NotificationKind.REFUND).signature_valid


@pytest.mark.parametrize("gateway_name", ["vnpay", "national"])
def test_the_simulator_refuses_a_refund_request_with_a_bad_signature(waiting_dossier, gateway_name):
    from django.utils import timezone

    payment = pay_in_simulator(waiting_dossier, gateway_name)
    adapter = gateway(gateway_name)
    body = adapter.refund_request(request_id="r1", txn_ref=payment.txn_ref, amount_vnd=FEE,
                                  gateway_txn_no=payment.gateway_txn_no, transaction_date=payment.paid_at,
                                  created_by="head", reason="x", at=timezone.now())
    key = "vnp_SecureHash" if gateway_name == "vnpay" else "chuKy"
    answer = serve_api(adapter, "refund", {**body, key: "f" * 64})
    assert adapter.verify_refund_response(answer) and adapter.refund_result(answer).code == "97"
    assert adapter.refund_result(serve_api(adapter, "refund", body)).accepted
