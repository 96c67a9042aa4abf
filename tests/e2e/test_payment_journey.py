"""The citizen pays a fee from the tracking page through the local gateway simulator (VNPAY-style
and national platform sides) and sees the dossier move on (Playwright, Debian's Chromium)."""
import pytest

from motcua.catalogue.models import Component, Fee
from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.transitions import Status
from motcua.payments.models import GatewayRoute, Payment, PaymentStatus
from motcua.units.models import UnitKind
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
    assert "50.000 đ" in page.inner_text("main")

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
    assert "50.000 đ" in page.inner_text("main")
    page.click("main button:text-is('Thanh toán')")
    page.wait_for_url("**/thanh-toan/ket-qua/**")
    assert "Đã thanh toán" in page.inner_text("#payment-result")
    page.click("text=Quay lại trang tra cứu hồ sơ")
    page.wait_for_url("**/tra-cuu/**")
    main = page.inner_text("main")
    assert "Đang xử lý" in main and "Đã nhận phí, lệ phí" in main
    assert page.locator("main button:has-text('Thanh toán trực tuyến')").count() == 0

    final = Dossier.objects.get(pk=dossier.pk)
    assert final.status == Status.IN_PROCESS and final.payment_channel == PaymentChannel.PROVINCE_GATEWAY
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1


def test_pay_through_the_national_platform_right_after_submitting(live_server, new_page, settings, tmp_path):
    """The fee is due from submission: the citizen submits online, pays at once through the
    national payment platform (simulated), and the tracking page shows the fee paid."""
    settings.MOTCUA_PAYMENT_SIMULATOR = True
    settings.MOTCUA_NATIONAL_PAY_URL = ""
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=province)
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", online_level="full")
    Component.objects.create(procedure=proc, order=1, name="Tờ khai", original_count=1)
    Fee.objects.create(procedure=proc, name="Lệ phí hộ tịch", amount_vnd=8_000)
    GatewayRoute.objects.create(procedure=proc, gateway="national")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(b"%PDF-1.4 to khai")

    page = new_page()
    page.goto(f"{live_server.url}/dich-vu-cong/{proc.code}/")
    page.select_option("select[name=unit]", label=commune.name)
    page.fill("input[name=applicant_name]", "Nguyễn Thị Lan")
    page.fill("input[name=applicant_id]", f.VALID_PID)
    page.set_input_files("input[type=file]", str(scan))
    page.click("main button:has-text('Nộp hồ sơ')")
    page.wait_for_url("**/tra-cuu/**")
    assert "8.000 đ" in page.inner_text("main")
    page.click("main button:has-text('Thanh toán trực tuyến')")
    page.wait_for_url("**/thanh-toan/gia-lap/quoc-gia/**")
    assert "Nền tảng thanh toán quốc gia" in page.inner_text("main")
    page.click("main button:text-is('Thanh toán')")
    page.wait_for_url("**/thanh-toan/quoc-gia/ket-qua/**")
    assert "Đã thanh toán" in page.inner_text("#payment-result")
    page.click("text=Quay lại trang tra cứu hồ sơ")
    page.wait_for_url("**/tra-cuu/**")
    assert "Nền tảng thanh toán quốc gia" in page.inner_text("#fee")
    assert page.locator("main button:has-text('Thanh toán trực tuyến')").count() == 0

    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.paid_online
    assert dossier.payment_channel == PaymentChannel.NATIONAL_PLATFORM
