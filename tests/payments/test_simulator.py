"""The citizen pays from the tracking page through the local gateway simulator (test client)."""
from urllib.parse import urlsplit

import pytest

from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.transitions import Status
from motcua.payments.models import NotificationKind, Payment, PaymentNotification, PaymentStatus
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]


def _path(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _to_simulator(client, dossier):
    page = client.post("/tra-cuu/", {"ma": dossier.code, "so": f.VALID_PID}, follow=True)
    assert "Thanh toán trực tuyến" in page.content.decode()
    response = client.post("/thanh-toan/bat-dau/", {"ma": dossier.code, "so": f.VALID_PID})
    assert response.status_code == 302
    location = response["Location"]
    assert urlsplit(location).path == "/thanh-toan/gia-lap/" and "vnp_SecureHash=" in location
    page = client.get(_path(location))
    assert page.status_code == 200
    html = page.content.decode()
    for button in ("Thanh toán", "Hủy", "Lỗi"):
        assert f">{button}</button>" in html
    return page.context["params"]


def _press(client, params, outcome):
    response = client.post("/thanh-toan/gia-lap/", {**params, "outcome": outcome})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/thanh-toan/ket-qua/"
    return client.get(_path(response["Location"]))


def test_pay_through_the_simulator(client, waiting_dossier):
    params = _to_simulator(client, waiting_dossier)
    result = _press(client, params, "pay")
    assert result.status_code == 200
    assert 'data-status="paid"' in result.content.decode()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PAID
    d = Dossier.objects.get(pk=waiting_dossier.pk)
    assert d.status == Status.IN_PROCESS and d.payment_channel == PaymentChannel.PROVINCE_GATEWAY
    kinds = sorted(PaymentNotification.objects.values_list("kind", flat=True))
    assert kinds == [NotificationKind.IPN, NotificationKind.RETURN]
    page = client.post("/tra-cuu/", {"ma": d.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert "Thanh toán trực tuyến" not in page and "Đang xử lý" in page


@pytest.mark.parametrize("outcome, status", [("cancel", PaymentStatus.CANCELLED), ("error", PaymentStatus.FAILED)])
def test_cancel_or_error_leaves_the_dossier_waiting(client, waiting_dossier, outcome, status):
    result = _press(client, _to_simulator(client, waiting_dossier), outcome)
    assert f'data-status="{status}"' in result.content.decode()
    assert Dossier.objects.get(pk=waiting_dossier.pk).status == Status.PAYMENT_REQUESTED
    # the button is still offered: the applicant can try again and pay
    _press(client, _to_simulator(client, waiting_dossier), "pay")
    assert Dossier.objects.get(pk=waiting_dossier.pk).status == Status.IN_PROCESS


def test_forged_return_is_shown_as_invalid_and_changes_nothing(client, waiting_dossier):
    params = _to_simulator(client, waiting_dossier)
    response = client.get("/thanh-toan/ket-qua/", {"vnp_TxnRef": params["vnp_TxnRef"], "vnp_ResponseCode": "00",
                                                    "vnp_Amount": params["vnp_Amount"], "vnp_SecureHash": "ab"})
    assert response.status_code == 400 and "sai chữ ký" in response.content.decode()
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert not PaymentNotification.objects.get().signature_valid


def test_simulator_refuses_a_tampered_request(client, waiting_dossier):
    params = _to_simulator(client, waiting_dossier)
    response = client.post("/thanh-toan/gia-lap/", {**params, "vnp_Amount": "100", "outcome": "pay"})
    assert response.status_code == 400
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_simulator_can_be_switched_off(client, waiting_dossier, settings):
    params = _to_simulator(client, waiting_dossier)
    settings.MOTCUA_PAYMENT_SIMULATOR = False
    assert client.get("/thanh-toan/gia-lap/", params).status_code == 404


def test_no_button_without_anything_to_pay(client, db):
    from tests.payments.conftest import make_waiting_dossier

    d = make_waiting_dossier(request_payment=False)
    page = client.post("/tra-cuu/", {"ma": d.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert "Thanh toán trực tuyến" not in page
    assert client.post("/thanh-toan/bat-dau/", {"ma": d.code, "so": "000000000000"}).status_code == 404
    response = client.post("/thanh-toan/bat-dau/", {"ma": d.code, "so": f.VALID_PID}, follow=True)
    assert "không có khoản phí" in response.content.decode()
