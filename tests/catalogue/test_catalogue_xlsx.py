import datetime as dt
import io as _io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from motcua.catalogue.io import CHILD_SHEETS, PROCEDURE_SHEET, export_json, export_xlsx, import_xlsx
from motcua.catalogue.models import Procedure, ProcedureLevel

from .test_catalogue_json import snapshot, wipe_catalogue


@pytest.fixture
def catalogue(make_procedure, decision):
    make_procedure("1.001234", decision=decision)
    make_procedure("2.000815", level=ProcedureLevel.COMMUNE, time_limit=Decimal(1), time_unit="in_day",
                   online_level="full", status="published_amended", subjects=["individual", "foreigner"],
                   decision=decision, requirements="Dòng 1\nDòng 2", fee_note="")
    make_procedure("1.000999", status="abolished", online_level="none", result_is_document=False,
                   time_limit=None, time_unit="", subjects=[])


def to_bytes(queryset=None) -> bytes:
    buffer = _io.BytesIO()
    export_xlsx(queryset, buffer)
    return buffer.getvalue()


def edit(data: bytes, change) -> bytes:
    """Open a workbook with openpyxl (as a user would in Excel), change it, save it."""
    workbook = load_workbook(_io.BytesIO(data))
    change(workbook)
    out = _io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column(ws, header) -> int:
    return next(cell.column for cell in ws[1] if cell.value == header)


def test_workbook_layout(catalogue):
    workbook = load_workbook(_io.BytesIO(to_bytes()), read_only=True)
    assert workbook.sheetnames[:7] == [PROCEDURE_SHEET, *CHILD_SHEETS.values()]
    rows = list(workbook[PROCEDURE_SHEET].iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện")
    assert [r[0] for r in rows[1:]] == ["1.000999", "1.001234", "2.000815"]
    assert rows[3][3] == "Cấp xã"  # choices as Vietnamese labels
    steps = list(workbook["Quy trình"].iter_rows(values_only=True))
    assert steps[0] == ("Mã thủ tục", "Thứ tự", "Tên bước", "Tỷ lệ thời gian (%)", "Vai trò thực hiện")
    assert steps[2] == ("1.000999", 2, "Thẩm định", 60.5, "Cán bộ xử lý")
    legal = list(workbook["Căn cứ pháp lý"].iter_rows(values_only=True))
    assert legal[1][3] == dt.datetime(2015, 2, 16)
    workbook.close()


def test_round_trip_is_lossless(catalogue):
    before = export_json()
    data = to_bytes()
    wipe_catalogue()
    result = import_xlsx(_io.BytesIO(data))
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(result.created) == ["1.000999", "1.001234", "2.000815"]
    assert export_json() == before
    assert to_bytes() != b""  # and it exports again


def test_round_trip_through_a_resaved_workbook(catalogue):
    """A workbook opened and saved again by another program (openpyxl here) still imports."""
    before = export_json()
    data = edit(to_bytes(), lambda wb: None)
    wipe_catalogue()
    result = import_xlsx(_io.BytesIO(data))
    assert result.ok, [str(e) for e in result.errors]
    assert export_json() == before


def test_errors_carry_sheet_row_and_column_and_nothing_is_written(catalogue):
    before = snapshot()

    def break_it(wb):
        ws = wb[PROCEDURE_SHEET]
        ws.cell(3, column(ws, "Thời hạn")).value = -2
        ws.cell(4, column(ws, "Mã cơ quan thực hiện")).value = "KHONG-CO"
        ws.cell(2, column(ws, "Kết quả là giấy tờ")).value = "có lẽ"
        steps = wb["Quy trình"]
        steps.cell(7, column(steps, "Tỷ lệ thời gian (%)")).value = 50  # 1.001234: 10+50+19.5+10
        fees = wb["Phí, lệ phí"]
        fees.cell(fees.max_row + 1, 1).value = "9.999999"
        fees.cell(fees.max_row, 2).value = "Lệ phí lạc"
        fees.cell(fees.max_row, 3).value = 1000

    result = import_xlsx(_io.BytesIO(edit(to_bytes(), break_it)))
    messages = sorted(str(e) for e in result.errors)
    assert messages == sorted([
        "[Thủ tục] Dòng 3, cột 'Thời hạn': phải là số dương",
        "[Thủ tục] Dòng 4, cột 'Mã cơ quan thực hiện': không có đơn vị mã 'KHONG-CO'",
        "[Thủ tục] Dòng 2, cột 'Kết quả là giấy tờ': phải là 'Có' hoặc 'Không'",
        "[Quy trình] Dòng 6, cột 'Tỷ lệ thời gian (%)': "
        "tổng tỷ lệ thời gian các bước của thủ tục 1.001234 là 89.5%, phải bằng 100%",
        "[Phí, lệ phí] Dòng 8, cột 'Mã thủ tục': mã thủ tục 9.999999 không có trong trang 'Thủ tục'",
    ])
    assert result.created == [] and result.updated == []
    assert snapshot() == before


def test_failed_update_of_an_existing_procedure_changes_nothing(catalogue):
    before = snapshot()

    def change(wb):
        ws = wb[PROCEDURE_SHEET]
        ws.cell(2, column(ws, "Tên thủ tục")).value = "Tên mới (sẽ không ghi)"
        comps = wb["Thành phần hồ sơ"]
        comps.delete_rows(3, 1)
        comps.cell(2, column(comps, "Số bản chính")).value = "hai"

    result = import_xlsx(_io.BytesIO(edit(to_bytes(Procedure.objects.filter(code="1.001234")), change)))
    assert [str(e) for e in result.errors] == [
        "[Thành phần hồ sơ] Dòng 2, cột 'Số bản chính': phải là số nguyên"]
    assert snapshot() == before


def test_upsert_and_blank_rows(catalogue):
    def change(wb):
        ws = wb[PROCEDURE_SHEET]
        ws.cell(2, column(ws, "Tên thủ tục")).value = "Tên mới"
        row = ws.max_row + 2  # leaves a blank row in between
        for header, value in {"Mã thủ tục": "1.008888", "Tên thủ tục": "Thủ tục thêm", "Cấp thực hiện": "province",
                              "Mã cơ quan thực hiện": "STP", "Thời hạn": "2,5", "Đơn vị thời hạn": "ngày làm việc",
                              "Đối tượng thực hiện": "Tổ chức; Doanh nghiệp"}.items():
            ws.cell(row, column(ws, header)).value = value
        steps = wb["Quy trình"]
        steps.append(["1.008888", None, "Xử lý", 100, "head"])
        steps.cell(steps.max_row + 3, 1).value = "1.008888"
        steps.cell(steps.max_row, 3).value = "Lệch"
        steps.cell(steps.max_row, 4).value = "x"

    result = import_xlsx(_io.BytesIO(edit(to_bytes(), change)))
    # the bad step is on its real Excel row even after blank rows
    assert [str(e) for e in result.errors] == [
        "[Quy trình] Dòng 17, cột 'Tỷ lệ thời gian (%)': phải là số"]

    def change_ok(wb):
        change(wb)
        wb["Quy trình"].delete_rows(17, 1)

    result = import_xlsx(_io.BytesIO(edit(to_bytes(), change_ok)))
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == ["1.008888"] and len(result.updated) == 3
    new = Procedure.objects.get(code="1.008888")
    assert (new.time_limit, new.time_unit, new.subjects) == (Decimal("2.5"), "working_days", ["organisation", "enterprise"])
    assert [(s.order, s.name, s.role) for s in new.steps.all()] == [(1, "Xử lý", "head")]
    assert Procedure.objects.get(code="1.000999").name == "Tên mới"


def test_missing_child_sheet_leaves_those_rows_unchanged(catalogue):
    def change(wb):
        del wb["Quy trình"]
        wb["Phí, lệ phí"].delete_rows(2, 100)  # present but empty: the fees are removed

    result = import_xlsx(_io.BytesIO(edit(to_bytes(), change)))
    assert result.ok, [str(e) for e in result.errors]
    proc = Procedure.objects.get(code="1.001234")
    assert proc.steps.count() == 4 and proc.fees.count() == 0


def test_code_typed_as_a_number_is_rejected(catalogue):
    def change(wb):
        wb[PROCEDURE_SHEET].cell(2, 1).value = 1.00123

    result = import_xlsx(_io.BytesIO(edit(to_bytes(), change)))
    assert str(result.errors[0]) == (
        "[Thủ tục] Dòng 2, cột 'Mã thủ tục': phải nhập dạng văn bản (ví dụ '1.001234'), không phải số")
    # its rows elsewhere are now orphans: one error per sheet, listing the rows
    assert str(result.errors[1]) == (
        "[Cách thức] Dòng 2, cột 'Mã thủ tục': mã thủ tục 1.000999 không có trong trang 'Thủ tục' (các dòng 2, 3)")
    assert len(result.errors) == 6


def test_not_a_workbook_or_missing_sheet(db):
    result = import_xlsx(_io.BytesIO(b"not a zip"))
    assert not result.ok and "Excel" in result.errors[0].message
    wb = Workbook()
    wb.active.title = "Khác"
    out = _io.BytesIO()
    wb.save(out)
    result = import_xlsx(_io.BytesIO(out.getvalue()))
    assert [str(e) for e in result.errors] == ["[Thủ tục] thiếu trang tính 'Thủ tục'"]


def test_missing_required_column(db):
    wb = Workbook()
    ws = wb.active
    ws.title = PROCEDURE_SHEET
    ws.append(["Mã thủ tục", "Tên thủ tục"])
    ws.append(["1.000001", "X"])
    out = _io.BytesIO()
    wb.save(out)
    result = import_xlsx(_io.BytesIO(out.getvalue()))
    assert [str(e) for e in result.errors] == ["[Thủ tục] Dòng 1, cột 'Cấp thực hiện': thiếu cột bắt buộc"]
