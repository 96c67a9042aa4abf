"""The provincial office opens the catalogue findings page, filters it, resolves a finding and
downloads the Excel export (Playwright, Debian's Chromium; the file is read back with openpyxl)."""
import openpyxl
import pytest

from motcua.catalogue.checks import FINDINGS_SHEET, SUMMARY_SHEET
from motcua.catalogue.models import Finding, FindingField, FindingKind, Severity, SourcePair
from motcua.units.models import Role, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def make_finding(code, unit, severity, kind=FindingKind.MISMATCH, field=FindingField.TIME_LIMIT) -> Finding:
    return Finding.objects.create(
        code=code, name=f"Thủ tục {code}", kind=kind, field=field if kind == FindingKind.MISMATCH else "",
        pair=SourcePair.NATIONAL_PROVINCIAL, reference_value="15 ngày làm việc", other_value="10 ngày làm việc",
        severity=severity, message=f"Thời hạn của {code} khác CSDLQG", owner_unit=unit,
        detected_at=f.at(2026, 11, 2, 9), due_at=f.at(2026, 11, 9, 17), last_seen_at=f.at(2026, 11, 2, 9))


def test_findings_page_and_excel_download(live_server, new_page, tmp_path):
    justice = f.unit()
    planning = f.unit("STC", "Sở Tài chính")
    office = f.unit("VPUB", "Văn phòng UBND tỉnh", kind=UnitKind.DEPARTMENT, parent=justice.parent)
    f.officer(office, Role.PROVINCIAL_OFFICE, "vpub")
    make_finding("1.000001", justice, Severity.HIGH)
    make_finding("1.000002", justice, Severity.LOW, kind=FindingKind.MISSING)
    make_finding("1.000003", planning, Severity.MEDIUM)

    page = new_page()
    page.goto(f"{live_server.url}/mot-cua/danh-muc/")
    page.wait_for_url("**/dang-nhap/**")
    page.fill("input[name=username]", "vpub")
    page.fill("input[name=password]", "x-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url("**/mot-cua/danh-muc/")
    main = page.inner_text("main")
    assert "1.000001" in main and "1.000002" in main and "1.000003" in main

    page.select_option("select[name=muc_do]", "high")
    page.click("main button:text-is('Lọc')")
    page.wait_for_url("**muc_do=high**")
    assert "1.000001" in page.inner_text("main") and "1.000003" not in page.inner_text("main")

    page.goto(f"{live_server.url}/mot-cua/danh-muc/?don_vi=STC")
    page.fill("main input[name=ghi_chu]", "Đã sửa thời hạn trên hệ thống của tỉnh")
    page.click("main button:text-is('Đã xử lý')")
    page.wait_for_load_state()
    assert "Đã ghi nhận xử lý" in page.inner_text("main")
    assert Finding.objects.get(code="1.000003").resolved_at is not None

    page.goto(f"{live_server.url}/mot-cua/danh-muc/")
    with page.expect_download() as download_info:
        page.click("text=Tải Excel")
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.name.startswith("sai-lech-danh-muc-") and path.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook[FINDINGS_SHEET].iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã thủ tục", "Tên thủ tục", "Loại sai lệch")
    assert [(r[0], r[7]) for r in rows[1:]] == [("1.000001", "Cao"), ("1.000002", "Thấp")]  # 1.000003 resolved
    assert rows[1][5:7] == ("15 ngày làm việc", "10 ngày làm việc")
    summary = list(workbook[SUMMARY_SHEET].iter_rows(values_only=True))
    assert summary[1][:2] == ("Sở Tư pháp", 2)
