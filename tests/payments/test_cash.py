"""Cash at the desk, and the electronic receipt."""
import pytest

from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.transitions import Action, Status
from motcua.payments.models import Payment, PaymentStatus
from motcua.payments.receipts import receipt_pdf
from motcua.payments.services import PaymentError, handle_ipn, pay_cash
from motcua.limits import tracking
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.dossiers.test_slips import pdf_text
from tests.payments.conftest import FEE
from tests.payments.helpers import ipn_params, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]


def _reception(d):
    return Officer.objects.get(unit=d.unit, role=Role.RECEPTION)


def test_cash_pays_moves_the_dossier_and_gives_a_receipt(waiting_dossier, tmp_path):
    officer = _reception(waiting_dossier)
    payment = pay_cash(waiting_dossier, officer, amount_vnd=FEE)
    assert payment.status == PaymentStatus.PAID and payment.channel == PaymentChannel.CASH
    assert payment.received_by == officer and payment.receipt_number.startswith("BL")
    d = Dossier.objects.get(pk=waiting_dossier.pk)
    assert d.status == Status.IN_PROCESS and d.payment_channel == PaymentChannel.CASH and not d.paid_online
    event = d.events.order_by("seq").last()
    assert event.action == Action.CONFIRM_PAYMENT and event.actor == officer
    text = pdf_text(receipt_pdf(payment), tmp_path)
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", f"Số: {payment.receipt_number}", waiting_dossier.code,
                     "Người nộp: Phạm D", "Tổng cộng 50.000", "Tiền mặt tại quầy", payment.txn_ref):
        assert expected in text


def test_no_receipt_before_payment(waiting_dossier):
    payment, _ = start(waiting_dossier)
    with pytest.raises(ValueError):
        receipt_pdf(payment)


def test_cash_refusals(waiting_dossier):
    officer = _reception(waiting_dossier)
    with pytest.raises(PaymentError) as exc:
        pay_cash(waiting_dossier, officer, amount_vnd=FEE - 1)
    assert exc.value.code == "amount_mismatch"
    processing = Officer.objects.get(unit=waiting_dossier.unit, role=Role.PROCESSING)
    with pytest.raises(PaymentError) as exc:
        pay_cash(waiting_dossier, processing, amount_vnd=FEE)
    assert exc.value.code == "role_not_allowed"
    other = f.officer(f.unit("SYT", "Sở Y tế"), Role.RECEPTION)
    with pytest.raises(PaymentError) as exc:
        pay_cash(waiting_dossier, other, amount_vnd=FEE)
    assert exc.value.code == "other_unit"
    assert not Payment.objects.exists()
    pay_cash(waiting_dossier, officer, amount_vnd=FEE)
    with pytest.raises(PaymentError) as exc:
        pay_cash(Dossier.objects.get(pk=waiting_dossier.pk), officer, amount_vnd=FEE)
    assert exc.value.code == "nothing_to_pay"


def test_online_payment_after_cash_is_flagged_for_refund(waiting_dossier):
    online, _ = start(waiting_dossier)
    pay_cash(waiting_dossier, _reception(waiting_dossier), amount_vnd=FEE)
    assert handle_ipn(ipn_params(online))["RspCode"] == "00"
    online.refresh_from_db()
    assert online.status == PaymentStatus.MISMATCH and online.flagged


def test_cash_view_and_receipt_access(client, waiting_dossier):
    officer = _reception(waiting_dossier)
    client.force_login(officer)
    response = client.post(f"/thanh-toan/tien-mat/{waiting_dossier.code}/", {"amount_vnd": "50.000"})
    payment = Payment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/thanh-toan/bien-lai/{payment.txn_ref}/"
    pdf = client.get(response["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    assert client.get(f"/thanh-toan/bien-lai/{payment.txn_ref}/").status_code == 404
    # The citizen opens it from the tracking page, whose token stands for the identification number.
    assert client.get(f"/thanh-toan/bien-lai/{payment.txn_ref}/", {"so": f.VALID_PID}).status_code == 404
    assert client.get(tracking.url_for(waiting_dossier, "payments:receipt", txn_ref=payment.txn_ref)).status_code == 200
    assert client.post(f"/thanh-toan/tien-mat/{waiting_dossier.code}/", {"amount_vnd": "1"}).status_code == 302  # to login
    assert Payment.objects.count() == 1


def test_cash_view_shows_errors(client, waiting_dossier):
    client.force_login(_reception(waiting_dossier))
    response = client.post(f"/thanh-toan/tien-mat/{waiting_dossier.code}/", {"amount_vnd": "abc"}, follow=True)
    assert "Số tiền không hợp lệ" in response.content.decode()
    other = f.officer(f.unit("SYT", "Sở Y tế"), Role.RECEPTION)
    client.force_login(other)
    assert client.post(f"/thanh-toan/tien-mat/{waiting_dossier.code}/", {"amount_vnd": "50000"}).status_code == 404
