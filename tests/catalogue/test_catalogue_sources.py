"""The three importers: good files become a dated version; any bad row → every error located, nothing written."""
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from motcua.catalogue import sources
from motcua.catalogue.consistency import IN_FORCE
from motcua.catalogue.models import Source, SourceRecord, SourceSnapshot
from tests.reference import PORTAL_2026_08

NATIONAL_SAMPLE = PORTAL_2026_08 / "formalities" / "code-2.000815-page-1.json"

NATIONAL_RECORDS = [
    {
        "id": "019d2bfd-0000-0000-0000-000000000001", "code": "1.001234", "name": "Cấp phiếu lý lịch tư pháp",
        "state": "PUBLISHED", "level": "Cấp tỉnh", "departmentId": "019d2be3-6a72", "agencyCode": "STP",
        "implementingAgency": "Sở Tư pháp", "timeLimit": "10 ngày làm việc",
        "fees": [{"name": "Phí cấp phiếu", "amount": 200000}],
        "components": [{"name": "Tờ khai", "originalCount": 1, "copyCount": 0},
                       {"name": "Bản sao CCCD", "quantity": 1}],
        "legalBases": [{"number": "28/2009/QH12", "title": "Luật Lý lịch tư pháp"}, "Nghị định 111/2010/NĐ-CP"],
        "onlineLevel": "Toàn trình",
    },
    {
        "code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "state": "UPDATED", "level": "commune",
        "timeLimit": 1, "timeUnit": "Trong ngày", "fees": "Lệ phí: 2.000 đồng/trang", "onlineLevel": "partial",
    },
    {"code": "1.000999", "name": "Thủ tục đã bãi bỏ", "state": "ABOLISHED"},
]


def nothing_written():
    return not SourceSnapshot.objects.exists() and not SourceRecord.objects.exists()


def as_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# -- national database, JSON ------------------------------------------------------------------


def test_the_national_api_envelope_as_captured(db):
    data = NATIONAL_SAMPLE.read_bytes()
    result = sources.import_national_json(data, taken_on=dt.date(2026, 8, 31), file_name=NATIONAL_SAMPLE.name)
    assert result.ok, result.errors
    snap = result.snapshot
    assert (snap.source, snap.taken_on, snap.row_count, snap.file_name) == (
        "national", dt.date(2026, 8, 31), 1, "code-2.000815-page-1.json")
    assert snap.sha256 == hashlib.sha256(data).hexdigest()
    record = snap.records.get()
    assert record.code == "2.000815" and record.name.startswith("Chứng thực bản sao từ bản chính")
    assert record.status == "published_amended"  # state UPDATED
    assert record.time_limit is None and record.components is None and record.fee_total_vnd is None
    assert len(record.raw["appliedDepartmentIds"]) == 3629  # the raw national record is kept whole
    assert "Đã lưu bản chụp CSDL quốc gia về TTHC ngày 31/08/2026: 1 thủ tục." in result.summary()


def test_national_json_fields_are_normalised(db):
    result = sources.import_national_json(as_bytes(NATIONAL_RECORDS))
    assert result.ok, result.errors
    records = {r.code: r for r in result.snapshot.records.all()}
    r = records["1.001234"]
    assert (r.level, r.agency_code, r.agency_text) == ("province", "STP", "Sở Tư pháp")
    assert (r.time_limit, r.time_unit) == (Decimal("10"), "working_days")
    assert (r.fee_total_vnd, r.fee_summary) == (200_000, "Phí cấp phiếu: 200.000 đồng")
    assert r.components == [["Tờ khai", 1], ["Bản sao CCCD", 1]]
    assert r.components_summary == "Tờ khai (1); Bản sao CCCD (1)"
    assert r.legal_bases == ["28/2009/QH12", "111/2010/NĐ-CP"]
    assert (r.online_level, r.status) == ("full", "published")
    assert r.raw["departmentId"] == "019d2be3-6a72"
    c = records["2.000815"]
    assert (c.level, c.time_limit, c.time_unit, c.fee_total_vnd, c.online_level, c.status) == (
        "commune", None, "in_day", 2_000, "partial", "published_amended")
    assert records["1.000999"].status == "abolished"
    assert result.snapshot.taken_on == timezone.localdate()  # by default


def test_national_json_bad_rows_are_all_reported_and_nothing_is_written(db):
    records = json.loads(json.dumps(NATIONAL_RECORDS))
    records[0]["timeLimit"] = "mười ngày"
    records[0]["fees"] = [{"name": "Phí", "amount": -5}]
    records[1]["state"] = "DRAFTING"
    records[1]["code"] = 2.000815
    records[2]["name"] = ""
    records.append({"code": "1.001234", "name": "Trùng mã", "legalBases": "Theo quy định hiện hành"})
    records.append("không phải đối tượng")
    result = sources.import_national_json(as_bytes(records))
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert messages == [
        "Bản ghi [0], trường 'timeLimit': không đọc được thời hạn 'mười ngày' "
        "(ví dụ: '15 ngày làm việc', 'Trong ngày')",
        "Bản ghi [0], trường 'fees': [0].amount: phải là số nguyên không âm (đồng)",
        "Bản ghi [1], trường 'code': phải nhập dạng văn bản (ví dụ '1.001234'), không phải số",
        "Bản ghi [1], trường 'state': giá trị 'DRAFTING' không hợp lệ; chọn trong: 'Đã công bố', "
        "'Đã công bố sửa đổi, bổ sung', 'Đã bãi bỏ', 'Đang áp dụng' (hoặc PUBLISHED, UPDATED, ABOLISHED, active, "
        "inactive)",
        "Bản ghi [2], trường 'name': không được để trống",
        "Bản ghi [3], trường 'legalBases': không thấy số ký hiệu văn bản trong 'Theo quy định hiện hành' "
        "(ví dụ 23/2015/NĐ-CP)",
        "Bản ghi [4]: mỗi thủ tục phải là một đối tượng JSON",
    ]
    assert "Có 7 lỗi; không ghi gì" in result.summary()
    assert nothing_written()


def test_national_json_duplicates_and_unreadable_files(db):
    dup = sources.import_national_json(as_bytes([{"code": "1.1", "name": "A"}, {"code": "1.1", "name": "B"}]))
    assert [str(e) for e in dup.errors] == ["Bản ghi [1], trường 'code': mã thủ tục 1.1 bị trùng (bản ghi [0])"]
    broken = sources.import_national_json(b"[{")
    assert str(broken.errors[0]).startswith("tệp JSON không hợp lệ")
    wrong = sources.import_national_json(as_bytes({"code": "OK", "data": {}}))
    assert str(wrong.errors[0]) == "tệp JSON phải là một danh sách thủ tục (hoặc có 'data.items')"
    assert nothing_written()


# -- national database, Excel -----------------------------------------------------------------

HEADERS = ["STT", "Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Cơ quan thực hiện", "Mã cơ quan thực hiện",
           "Thời hạn giải quyết", "Đơn vị thời hạn", "Phí, lệ phí", "Thành phần hồ sơ", "Căn cứ pháp lý",
           "Mức độ trực tuyến", "Tình trạng"]


def national_workbook(rows, headers=HEADERS, title=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách TTHC"
    if title:
        ws.append(["DANH SÁCH THỦ TỤC HÀNH CHÍNH CÔNG BỐ TRÊN CSDL QUỐC GIA"])
        ws.append([])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    [1, "1.001234", "Cấp phiếu lý lịch tư pháp", "Cấp tỉnh", "Sở Tư pháp", "STP", 10, "Ngày làm việc",
     "Lệ phí: 200.000 đồng", "Tờ khai (1 bản chính)\nBản sao CCCD (1 bản sao)",
     "Luật Lý lịch tư pháp số 28/2009/QH12; Nghị định 111/2010/NĐ-CP", "Toàn trình", "Đã công bố"],
    [2, "2.000815", "Chứng thực bản sao", "Cấp xã", "UBND cấp xã", None, "Trong ngày", None, "Không",
     "Bản chính giấy tờ", "23/2015/NĐ-CP", "Một phần", "Đã công bố sửa đổi, bổ sung"],
]


def test_national_excel_under_a_title(db):
    result = sources.import_national_xlsx(national_workbook(GOOD_ROWS), file_name="csdlqg.xlsx")
    assert result.ok, result.errors
    records = {r.code: r for r in result.snapshot.records.all()}
    r = records["1.001234"]
    assert (r.time_limit, r.time_unit, r.fee_total_vnd, r.agency_code, r.online_level) == (
        Decimal("10"), "working_days", 200_000, "STP", "full")
    assert r.components == [["Tờ khai", 1], ["Bản sao CCCD", 1]]
    assert r.legal_bases == ["28/2009/QH12", "111/2010/NĐ-CP"]
    assert r.raw["Mã thủ tục"] == "1.001234" and r.raw["STT"] == 1
    c = records["2.000815"]
    assert (c.level, c.time_unit, c.fee_total_vnd, c.components, c.status) == (
        "commune", "in_day", 0, [["Bản chính giấy tờ", 1]], "published_amended")


def test_national_excel_bad_rows_name_their_line_and_column(db):
    rows = [list(r) for r in GOOD_ROWS] + [
        [3, 1.001, "Mã là số", "Cấp tỉnh", None, None, 5, "ngày làm việc", None, None, None, None, None],
        [4, "1.000100", None, "Cấp huyện", None, None, 5, "tuần", "năm mươi nghìn", None, None, "Mức độ 5", None],
        [5, "1.001234", "Trùng", None, None, None, 12.345, "ngày", None, None, None, None, None],
    ]
    result = sources.import_national_xlsx(national_workbook(rows))
    sheet = "Danh sách TTHC"
    assert [str(e) for e in result.errors] == [
        f"[{sheet}] Dòng 6, cột 'Mã thủ tục': phải nhập dạng văn bản (ví dụ '1.001234'), không phải số",
        f"[{sheet}] Dòng 7, cột 'Tên thủ tục': không được để trống",
        f"[{sheet}] Dòng 7, cột 'Cấp thực hiện': giá trị 'Cấp huyện' không hợp lệ; chọn trong: 'Cấp tỉnh', 'Cấp xã'",
        f"[{sheet}] Dòng 7, cột 'Mức độ trực tuyến': giá trị 'Mức độ 5' không hợp lệ; chọn trong: 'Toàn trình', "
        "'Một phần', 'Không' (hoặc full, partial, none)",
        f"[{sheet}] Dòng 7, cột 'Đơn vị thời hạn': đơn vị thời hạn 'tuần' không hợp lệ; chọn trong: "
        "'ngày làm việc', 'giờ làm việc', 'ngày', 'tháng', 'trong ngày'",
        f"[{sheet}] Dòng 7, cột 'Phí, lệ phí': không đọc được mức phí 'năm mươi nghìn' (ghi số tiền kèm 'đồng', "
        "hoặc 'Không')",
        f"[{sheet}] Dòng 8, cột 'Thời hạn giải quyết': chỉ được tối đa 2 chữ số thập phân",
    ]
    assert nothing_written()
    dup = sources.import_national_xlsx(national_workbook(GOOD_ROWS + [GOOD_ROWS[0]]))
    assert [str(e) for e in dup.errors] == [
        f"[{sheet}] Dòng 6, cột 'Mã thủ tục': mã thủ tục 1.001234 bị trùng (dòng 4)"]
    assert nothing_written()


def test_national_excel_without_the_columns_or_not_a_workbook(db):
    no_name = sources.import_national_xlsx(national_workbook([], headers=["Mã thủ tục", "Tình trạng"], title=False))
    assert [str(e) for e in no_name.errors] == ["[Danh sách TTHC] Dòng 1, cột 'Tên thủ tục': thiếu cột bắt buộc"]
    no_header = sources.import_national_xlsx(national_workbook([["x"]], headers=["Tên"], title=False))
    assert "không thấy dòng tiêu đề có cột 'Mã thủ tục'" in str(no_header.errors[0])
    garbage = sources.import_national_xlsx(b"not a zip")
    assert str(garbage.errors[0]).startswith("không đọc được tệp Excel")
    assert nothing_written()


# -- the portal's service list ----------------------------------------------------------------

PORTAL_CSV = (
    "Mã thủ tục;Tên dịch vụ;Mức độ;Trạng thái;Thời hạn;Phí\n"
    "1.001234;Cấp phiếu lý lịch tư pháp;Toàn trình;Đang áp dụng;10 ngày làm việc;200.000\n"
    "2.000815;Chứng thực bản sao;Một phần;Ngừng áp dụng;Trong ngày;0\n"
    ";;;;;\n"
)


def test_portal_csv_with_vietnamese_headers(db):
    result = sources.import_portal_csv(("\ufeff" + PORTAL_CSV).encode("utf-8"), taken_on=dt.date(2026, 9, 1))
    assert result.ok, result.errors
    records = {r.code: r for r in result.snapshot.records.all()}
    r = records["1.001234"]
    assert (r.online_level, r.status, r.time_limit, r.time_unit, r.fee_total_vnd) == (
        "full", IN_FORCE, Decimal("10"), "working_days", 200_000)
    assert r.components is None and r.legal_bases is None and r.level is None  # not stated by the portal
    assert records["2.000815"].status == "abolished"
    assert r.raw == {"Mã thủ tục": "1.001234", "Tên dịch vụ": "Cấp phiếu lý lịch tư pháp", "Mức độ": "Toàn trình",
                     "Trạng thái": "Đang áp dụng", "Thời hạn": "10 ngày làm việc", "Phí": "200.000"}


def test_portal_csv_bad_rows(db):
    text = ("code,name,online_level,status,time_limit,fee\n"
            "1.001234,Cấp phiếu,level 9,active,10,abc\n"
            ",Không mã,full,active,,\n")
    result = sources.import_portal_csv(text.encode("utf-8"))
    assert [str(e) for e in result.errors] == [
        "[CSV] Dòng 2, cột 'online_level': giá trị 'level 9' không hợp lệ; chọn trong: 'Toàn trình', 'Một phần', "
        "'Không' (hoặc full, partial, none)",
        "[CSV] Dòng 2, cột 'time_limit': thiếu đơn vị thời hạn (ví dụ '15 ngày làm việc')",
        "[CSV] Dòng 2, cột 'fee': không đọc được mức phí 'abc' (ghi số tiền kèm 'đồng', hoặc 'Không')",
        "[CSV] Dòng 3, cột 'code': không được để trống",
    ]
    missing = sources.import_portal_csv(b"code,online_level\n1.1,full\n")
    assert [str(e) for e in missing.errors] == ["[CSV] Dòng 1, cột 'Tên thủ tục': thiếu cột bắt buộc"]
    assert str(sources.import_portal_csv(b"\xff\xfe").errors[0]).startswith("[CSV] tệp CSV phải mã hóa UTF-8")
    assert nothing_written()


def test_portal_json(db):
    good = [{"code": "1.001234", "name": "Cấp phiếu", "onlineLevel": "full", "status": "active",
             "timeLimit": 10, "timeUnit": "working_days", "fee": 200000}]
    result = sources.import_portal_json(as_bytes(good))
    assert result.ok, result.errors
    r = result.snapshot.records.get()
    assert (r.fee_total_vnd, r.time_limit, r.status, r.agency_code) == (200_000, Decimal("10"), IN_FORCE, None)
    bad = sources.import_portal_json(as_bytes([{"code": "1.1", "name": "X", "fee": True, "timeUnit": "ngày"}]))
    assert [str(e) for e in bad.errors] == [
        "Bản ghi [0], trường 'timeLimit': phải nhập thời hạn khi có đơn vị thời hạn",
        "Bản ghi [0], trường 'fee': phải là số tiền (đồng)",
    ]
    assert SourceSnapshot.objects.count() == 1


# -- the province's own catalogue -------------------------------------------------------------


def test_provincial_snapshot_from_the_procedure_tables(make_procedure, decision):
    make_procedure("1.001234", decision=decision)
    make_procedure("2.000815", level="commune", online_level="full")
    result = sources.snapshot_provincial(taken_on=dt.date(2026, 9, 2))
    assert result.ok and result.row_count == 2
    records = {r.code: r for r in result.snapshot.records.all()}
    r = records["1.001234"]
    assert (r.level, r.agency_code, r.agency_text, r.time_limit, r.time_unit) == (
        "province", "STP", "Sở Tư pháp", Decimal("15"), "working_days")
    assert r.fee_total_vnd == 52_000  # the fee schedule (50.000 + 2.000), not the methods' fees
    assert r.fee_summary == "Lệ phí cấp giấy: 50.000 đồng; Phí chứng thực: 2.000 đồng"
    assert r.components == [["Tờ khai", 1], ["Bản sao CCCD", 1]]
    assert r.legal_bases == ["23/2015/NĐ-CP", "01/2020/TT-BTP"]
    assert (r.online_level, r.status) == ("partial", "published")
    assert r.raw["publications"][0]["number"] == "1234/QĐ-UBND"  # the whole export record
    commune = records["2.000815"]
    assert (commune.level, commune.agency_code, commune.online_level) == ("commune", None, "full")


# -- dated versions ---------------------------------------------------------------------------


def test_every_import_is_a_new_dated_version_and_the_latest_is_by_date_taken(db, tmp_path):
    path = tmp_path / "csdlqg.json"
    path.write_bytes(as_bytes(NATIONAL_RECORDS))
    older = sources.import_file("national", path, taken_on=dt.date(2026, 9, 1)).snapshot
    newer = sources.import_file("national", path, taken_on=dt.date(2026, 9, 10))
    late_import_of_old_data = sources.import_file("national", path, taken_on=dt.date(2026, 8, 1)).snapshot
    assert newer.same_as == older and "Nội dung trùng với bản nhập lúc" in newer.summary()
    assert SourceSnapshot.objects.filter(source="national").count() == 3
    assert SourceRecord.objects.count() == 9
    latest = sources.latest_snapshots()
    assert latest == {"national": newer.snapshot, "provincial": None, "portal": None}
    assert late_import_of_old_data.file_name == "csdlqg.json"
    records = sources.records_of(newer.snapshot)
    assert records["1.001234"].components == (("Tờ khai", 1), ("Bản sao CCCD", 1))
    assert sources.records_of(None) is None


def test_import_file_refuses_a_format_the_source_does_not_have(db, tmp_path):
    path = tmp_path / "portal.xlsx"
    path.write_bytes(b"")
    result = sources.import_file(Source.PORTAL, path)
    assert str(result.errors[0]) == "định dạng 'xlsx' không dùng được cho nguồn này (chọn: json, csv)"
    assert nothing_written()


@pytest.mark.parametrize("raw, expected", [
    ("15 Ngày làm việc", (Decimal("15"), "working_days")),
    ("1,5 ngày làm việc", (Decimal("1.5"), "working_days")),
    ("8 giờ làm việc", (Decimal("8"), "working_hours")),
    ("03 tháng", (Decimal("3"), "months")),
    ("30 ngày", (Decimal("30"), "days")),
    ("Trong ngày", (None, "in_day")),
    (None, (None, None)),
])
def test_time_limit_text(raw, expected):
    assert sources.parse_time_limit(raw, None) == expected


@pytest.mark.parametrize("raw, total", [
    (50000, 50_000), ("50.000", 50_000), ("Lệ phí : 50.000 Đồng; Phí: 2.000 đồng/trang", 52_000),
    ("Miễn phí", 0), ("Không", 0), ([], 0), ([{"name": "A", "amount": "1.000"}, 500], 1_500), (None, None),
])
def test_fee_forms(raw, total):
    assert sources.parse_fee(raw)[0] == total


def test_legal_basis_numbers_inside_text_but_not_dates():
    assert sources.parse_legal_bases("Nghị định ngày 16/02/2015 số 23/2015/NĐ-CP, Luật 60/2014/QH13\n"
                                     "Quyết định 1234/QĐ-UBND") == ("23/2015/NĐ-CP", "60/2014/QH13", "1234/QĐ-UBND")
