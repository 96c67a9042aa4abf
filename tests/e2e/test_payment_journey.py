"""The citizen pays a fee from the tracking page through the local gateway simulator and sees the
dossier move on (Playwright, Debian's Chromium)."""
import pytest

from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.transitions import Status
from motcua.payments.models import Payment, PaymentStatus
from tests import factories as f
from tests.payments.conftest import make_waiting_dossier

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("first_try", ["Hủy", "Lỗi", None])
def test_pay_a_fee_online_from_the_tracking_page(live_server, new_page, settings, first_try):
    settings.MOTCUA_PAYMENT_SIMULATOR = True
    settings.MOTCUA_VNPAY_PAY_URL = ""
    dossier = make_waiting_dossier()
    page = new_page()
    page.goto(f"{live_server.url}/tra-cuu/?ma={dossier.code}&so={f.VALID_PID}")
    assert "Yêu cầu thực hiện nghĩa vụ tài chính" in page.inner_text("main")
    assert "50000 đồng" in page.inner_text("main")

    if first_try:  # the citizen gives up or the bank refuses, then tries again
        page.click("main button:has-text('Thanh toán trực tuyến')")
        page.wait_for_url("**/thanh-toan/gia-lap/**")
        page.click(f"main button:text-is('{first_try}')")
        page.wait_for_url("**/thanh-toan/ket-qua/**")
        assert ("Đã hủy" if first_try == "Hủy" else "Thất bại") in page.inner_text("#payment-result")
        page.click("text=Quay lại trang tra cứu hồ sơ")
        page.wait_for_url("**/tra-cuu/**")
        assert Dossier.objects.get(pk=dossier.pk).status == Status.PAYMENT_REQUESTED

    page.click("main button:has-text('Thanh toán trực tuyến')")
    page.wait_for_url("**/thanh-toan/gia-lap/**")
    assert "50000 đồng" in page.inner_text("main")
    page.click("main button:text-is('Thanh toán')")
    page.wait_for_url("**/thanh-toan/ket-qua/**")
    assert "Đã thanh toán" in page.inner_text("#payment-result")
    page.click("text=Quay lại trang tra cứu hồ sơ")
    page.wait_for_url("**/tra-cuu/**")
    main = page.inner_text("main")
    assert "Đang xử lý" in main and "Xác nhận đã thanh toán" in main
    assert page.locator("main button:has-text('Thanh toán trực tuyến')").count() == 0

    final = Dossier.objects.get(pk=dossier.pk)
    assert final.status == Status.IN_PROCESS and final.payment_channel == PaymentChannel.PROVINCE_GATEWAY
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
