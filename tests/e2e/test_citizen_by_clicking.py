"""The citizen's day found by clicking from the landing page only (plus typing into forms), on a
desktop and on a phone: submit online (after a refused try that keeps the chosen file), pay through
the payment simulator, answer a supplement request, see the new date after an apology, download
the signed result and verify it, rate it and file a petition. The officers' steps go through the
services. Every page reached is checked by `assert_sound`."""
from datetime import timedelta
from urllib.parse import urljoin

import pytest
from django.utils import timezone

from motcua.catalogue.models import Component, Fee
from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition
from motcua.dossiers.slips import appointment_in_force
from motcua.dossiers.transitions import Action, Status
from motcua.feedback.models import Petition, Rating
from motcua.results import identities, services as results
from motcua.units.models import Role, UnitKind
from motcua.workdays.services import province_calendar
from tests import factories as f
from tests.e2e.checks import assert_sound, watch_console

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(tmp_path):
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=province)
    identities.issue_test_identity(commune)
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", online_level="full",
                       time_limit="3", result_name="Giấy khai sinh")
    Component.objects.create(procedure=proc, order=1, name="Tờ khai đăng ký khai sinh", original_count=1)
    Fee.objects.create(procedure=proc, name="Lệ phí hộ tịch", amount_vnd=8_000)
    officers = {r: f.officer(commune, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(b"%PDF-1.4 to khai")
    return {"commune": commune, "procedure": proc, "officers": officers, "scan": str(scan), "tmp": tmp_path}


def later_working_day(after):
    """09:00 of the second working day after `after` (a new appointment the apology may set)."""
    calendar, day, found = province_calendar(), timezone.localtime(after).date(), 0
    while found < 2:
        day += timedelta(days=1)
        found += calendar.is_working_day(day)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9, 0))


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_citizens_day_by_clicking(live_server, new_page, settings, world, width, height):
    settings.MOTCUA_PAYMENT_SIMULATOR = True
    settings.MOTCUA_VNPAY_PAY_URL = ""
    officers = world["officers"]
    page = new_page(width, height)
    page.set_default_timeout(120_000)  # a long walk on a machine that may be busy
    errors = watch_console(page)

    def sound():
        page.wait_for_load_state()
        assert_sound(page, errors)

    def fetch(href):  # a link of the page, fetched with the page's cookies
        return page.request.get(urljoin(page.url, href))

    def reached(link_text):
        page.click(f"main a:has-text('{link_text}')")
        sound()

    page.goto(f"{live_server.url}/")
    sound()

    # Submit online: a refused first try keeps what was typed and the chosen file.
    reached("Nộp hồ sơ trực tuyến")
    reached("Đăng ký khai sinh")
    page.select_option("select[name=unit]", label="Xã Đại Sơn")
    page.fill("input[name=applicant_name]", "Nguyễn Thị Lan")
    page.fill("input[name=applicant_id]", "0240900")
    page.fill("input[name=applicant_phone]", "0912 345 678")
    page.set_input_files("input[type=file]", world["scan"])
    page.click("main button:has-text('Nộp hồ sơ')")
    sound()
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert" and page.evaluate("document.activeElement.id") == "error-summary"
    assert "Đã chọn: to-khai.pdf" in page.inner_text("#submission")
    assert page.input_value("input[name=applicant_name]") == "Nguyễn Thị Lan"
    summary.locator("a").first.click()
    page.fill("input[name=applicant_id]", f.VALID_PID)
    page.click("main button:has-text('Nộp hồ sơ')")
    page.wait_for_url("**/tra-cuu/?t=**")
    sound()
    assert f.VALID_PID not in page.url
    dossier = Dossier.objects.get()
    assert dossier.applicant_phone == "0912345678" and dossier.components.get().files.exists()
    assert "Hồ sơ đang chờ Bộ phận Một cửa" in page.inner_text("#next-step")

    # Pay through the simulator, then back to the tracking page with the e-receipt.
    page.click("main button:has-text('Thanh toán trực tuyến')")
    page.wait_for_url("**/thanh-toan/gia-lap/**")
    sound()
    page.click("main button:text-is('Thanh toán')")
    page.wait_for_url("**/thanh-toan/ket-qua/**")
    sound()
    page.click("text=Quay lại trang tra cứu hồ sơ")
    page.wait_for_url("**/tra-cuu/**")
    sound()
    receipt = page.locator("#fee a:has-text('Biên lai điện tử')")
    assert fetch(receipt.get_attribute("href")).headers["content-type"] == "application/pdf"

    # The desk receives it and asks for a document; the citizen answers.
    transition(dossier, Action.RECEIVE, actor=officers[Role.RECEPTION])
    transition(dossier, Action.START_PROCESSING, actor=officers[Role.PROCESSING])
    transition(dossier, Action.REQUEST_SUPPLEMENT, actor=officers[Role.PROCESSING], reason="Thiếu giấy chứng sinh",
               event_data={"items": ["Giấy chứng sinh (bản chính)"]})
    page.reload()
    sound()
    assert "Giấy chứng sinh (bản chính)" in page.inner_text("#supplement-items")
    form_02 = page.locator("#next-step a:has-text('Mẫu 02')").get_attribute("href")
    assert fetch(form_02).body().startswith(b"%PDF")
    page.set_input_files("form:has(button:has-text('Gửi bổ sung')) input[type=file]", world["scan"])
    page.click("main button:has-text('Gửi bổ sung')")
    sound()
    assert "Đã nhận giấy tờ bổ sung" in page.inner_text("#timeline")

    # An apology slip sets a new date: the page shows it and the slip.
    dossier.refresh_from_db()
    new_date = later_working_day(appointment_in_force(dossier, timezone.now()))
    file_delay_report(dossier, officers[Role.PROCESSING], reason="Chờ xác minh", cause="Phối hợp chậm",
                      remedy="Đôn đốc", new_appointment_at=new_date)
    page.reload()
    sound()
    assert timezone.localtime(new_date).strftime("%H:%M %d/%m/%Y") in page.inner_text("#appointment")
    form_04 = page.locator("#timeline a:has-text('Mẫu 04')").get_attribute("href")
    assert fetch(form_04).body().startswith(b"%PDF")

    # Completed: not "ready" until the head signs; then download and verify the signed result.
    results.complete(dossier, actor=officers[Role.PROCESSING])
    page.reload()
    sound()
    assert "chờ lãnh đạo cơ quan ký duyệt" in page.inner_text("#next-step")
    results.sign_result(dossier, actor=officers[Role.HEAD])
    page.reload()
    sound()
    assert "Kết quả đã sẵn sàng." in page.inner_text("#next-step")
    with page.expect_download() as download:
        page.click("#result-download")
    saved = world["tmp"] / "ket-qua.pdf"
    download.value.save_as(saved)
    page.click("nav a:has-text('Xác thực kết quả')")
    sound()
    page.set_input_files("input[name=file]", str(saved))
    page.click("main button:has-text('Kiểm tra')")
    sound()
    assert "Hợp lệ" in page.inner_text("#verdict")

    # The result is handed over; the citizen finds the dossier again, rates it and files a petition.
    dossier.refresh_from_db()  # signed by the worker's task
    results.return_result(dossier, actor=officers[Role.RECEPTION])
    page.click("nav a:has-text('Tra cứu hồ sơ')")
    sound()
    page.fill("input[name=ma]", dossier.code)
    page.fill("input[name=so]", f.VALID_PID)
    page.click("main button:has-text('Tra cứu')")
    page.wait_for_url("**/tra-cuu/?t=**")
    sound()
    page.check("input[name=satisfied][value='1']")
    page.click("main button:has-text('Gửi đánh giá')")
    sound()
    assert "Cảm ơn bạn đã đánh giá." in page.inner_text("main")
    reached("Gửi phản ánh, kiến nghị về hồ sơ này")
    page.select_option("select[name=unit]", label="Xã Đại Sơn")
    page.fill("input[name=title]", "Chờ lâu")
    page.fill("textarea[name=content]", "Hồ sơ trả chậm hơn hẹn ban đầu.")
    page.fill("input[name=petitioner_name]", "Nguyễn Thị Lan")
    page.fill("input[name=petitioner_phone]", "0912 345 678")
    page.click("main button:has-text('Gửi phản ánh')")
    sound()
    assert "Đã gửi phản ánh" in page.inner_text("main")
    petition = Petition.objects.get()
    assert petition.dossier == dossier and petition.petitioner_phone == "0912345678"
    assert Rating.objects.get().satisfied and Dossier.objects.get().status == Status.RETURNED
