"""The index's readers find their way by clicking, on a desktop and on a phone: the provincial office
from its login to the published rankings, from a unit's score down to the late dossier behind it, and
to the chairman's report; a commune officer's and the administrator's homes; a citizen on the public
index (ranking, scorecard, open data) without logging in. Every page reached is sound
(`checks.assert_sound`: no console error, no sideways scroll, no serious accessibility violation)."""
import subprocess

import pytest

from motcua.index import reports, services
from motcua.units.models import Officer, Role
from tests.e2e.checks import assert_sound, watch_console
from tests.e2e.test_dossier_journey import login
from tests.index.test_reports import NOW, build_province

pytestmark = pytest.mark.django_db(transaction=True)
SIZES = [(1366, 768), (390, 844)]


@pytest.fixture
def published_month():
    """Two months as the demo leaves them: September published, October published with its report;
    October's late dossier at Sở Xây dựng costs it points."""
    province = build_province()
    services.compute("2026-09", now=NOW)
    services.publish("2026-09", now=NOW)
    province["report"] = reports.monthly("2026-10", now=NOW).report
    Officer.objects.create_user(username="vanphong", password="x-pass-123", role=Role.PROVINCIAL_OFFICE,
                                first_name="Văn phòng UBND tỉnh")
    Officer.objects.create_user(username="quantri", password="x-pass-123", role=Role.ADMIN)
    return province


def step(page, errors, click, *, url_part=None):
    page.click(click)
    if url_part:
        page.wait_for_url(f"**{url_part}**")
    page.wait_for_load_state()
    assert_sound(page, errors)


@pytest.mark.parametrize("width, height", SIZES)
def test_the_provincial_office_reads_drills_down_and_downloads_the_report(live_server, new_page, published_month,
                                                                         width, height):
    page = new_page(width, height)
    # a unit's page and the drill-down run the engine live: on a shared two-core machine that can take
    # longer than Playwright's 30 s default
    page.set_default_timeout(90_000)
    errors = watch_console(page)
    login(page, live_server.url, "vanphong")
    assert_sound(page, errors)

    step(page, errors, "header nav a:has-text('Quản lý chỉ số')", url_part="/quan-ly/chi-so/")
    assert page.locator("#month option[selected]").inner_text() == "2026-10"
    # the published rankings, straight from the office's page
    step(page, errors, "nav.index-links a:has-text('Trang công khai')", url_part="/chi-so/")
    step(page, errors, "main a:has-text('Xếp hạng các sở, ban, ngành')", url_part="/chi-so/2026-10/so-ban-nganh/")
    assert page.locator("#ranking tbody tr").count() == 2

    # from a unit's score to the dossier that cost it points
    page.go_back()
    page.go_back()
    page.wait_for_url("**/quan-ly/chi-so/")
    step(page, errors, "#live-department a:has-text('Sở Xây dựng')", url_part="/quan-ly/chi-so/don-vi/")
    step(page, errors, "#indicators tr:has(td:text-is('G2')) a", url_part="/chi-so/2026-10/")
    late = page.locator("main table tbody tr a").first
    code = late.inner_text()
    late.click()
    page.wait_for_load_state()
    assert code in page.inner_text("main h1")
    assert_sound(page, errors)

    # the chairman's report of October
    step(page, errors, "header nav a:has-text('Quản lý chỉ số')", url_part="/quan-ly/chi-so/")
    with page.expect_download() as download:
        page.click("#reports a:has-text('PDF')")
    text = subprocess.run(["pdftotext", "-layout", download.value.path(), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Chỉ số phục vụ người dân, doanh nghiệp tháng 10/2026" in text
    assert "CHÁNH VĂN PHÒNG" in text


@pytest.mark.parametrize("width, height", SIZES)
def test_a_commune_officer_and_the_administrator_start_their_day(live_server, new_page, published_month,
                                                                 width, height):
    commune = new_page(width, height)
    errors = watch_console(commune)
    login(commune, live_server.url, "07627-reception")
    assert_sound(commune, errors)
    step(commune, errors, "header nav a:has-text('Quản lý chỉ số')", url_part="/quan-ly/ho-tro/")

    admin = new_page(width, height)
    errors = watch_console(admin)
    login(admin, live_server.url, "quantri")
    assert_sound(admin, errors)
    step(admin, errors, "header nav a:has-text('Quản lý chỉ số')", url_part="/quan-ly/chi-so/")


@pytest.mark.parametrize("width, height", SIZES)
def test_a_citizen_reads_the_public_index_without_logging_in(live_server, new_page, published_month, width, height):
    page = new_page(width, height)
    errors = watch_console(page)
    page.goto(f"{live_server.url}/chi-so/")
    assert_sound(page, errors)
    step(page, errors, "main a:has-text('Xếp hạng các xã, phường')", url_part="/chi-so/2026-10/xa-phuong/")
    step(page, errors, "#ranking a:has-text('Xã Đông Phong')", url_part="/chi-so/2026-10/don-vi/07627/")
    step(page, errors, "nav.index-links a:has-text('Dữ liệu mở')", url_part="/chi-so/du-lieu-mo/")
    assert page.locator("#files a[href$='/2026-10/lan-0.csv']").count() == 1
