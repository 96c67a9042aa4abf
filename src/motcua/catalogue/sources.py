"""Snapshots of the three sources, each kept as a dated version (`SourceSnapshot` + `SourceRecord`s).

* **National Database** (CSDLQG về TTHC): JSON shaped like the national procedure record — a list
  of records, or the national API's envelope ``{"code": "OK", "data": {"items": [...]}}`` — with
  the national keys ``code``, ``name``, ``state`` (PUBLISHED / UPDATED / ABOLISHED…) and, where
  given, ``level``, ``agencyCode``, ``implementingAgency``, ``timeLimit`` (a number with
  ``timeUnit``, or text such as "15 ngày làm việc"), ``fees``, ``components``, ``legalBases``,
  ``onlineLevel``; other keys (``id``, ``departmentId``…) are kept in the raw record. Or an Excel
  workbook like the national export: a sheet (named "Thủ tục", else the first) whose header row
  (found among the first rows, under any title) has "Mã thủ tục", "Tên thủ tục", "Tình trạng",
  "Cấp thực hiện", "Cơ quan thực hiện", "Mã cơ quan thực hiện", "Thời hạn giải quyết",
  "Đơn vị thời hạn", "Phí, lệ phí", "Thành phần hồ sơ", "Căn cứ pháp lý", "Mức độ trực tuyến".
* **The province's own catalogue**: taken from motcua's Procedure tables via `io.export_json`.
* **The one-stop portal's service list**: JSON (a list) or CSV with ``code``, ``name``,
  ``online_level``, ``status``, ``time_limit`` (and ``time_unit``), ``fee`` — or their Vietnamese
  headers.

A key or header that is absent means the source does not state that field (None): it is then
not compared. Every import checks every row and reports *all* errors, each with its row (Excel/CSV
line number, the header being line 1; JSON record index from 0) and field, in Vietnamese; a single
error and nothing is written.

Cell conventions: several components, legal bases or fees in one cell are separated by line
breaks or ';'. A component is "Tên giấy tờ (N)" — N copies, 1 when not given — or a JSON object
with ``name`` and ``quantity`` (or ``originalCount`` + ``copyCount``). A legal basis is a
document number ("23/2015/NĐ-CP"), found inside longer text too. A fee is a number of đồng, a list
of ``{"name", "amount"}``, or text whose amounts in đồng are added up ("Không", "Miễn phí" = 0).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.catalogue import io as catalogue_io
from motcua.catalogue.io import BadValue, to_decimal
from motcua.catalogue.consistency import IN_FORCE, Record, format_components, format_vnd
from motcua.catalogue.models import (
    OnlineLevel,
    ProcedureLevel,
    ProcedureStatus,
    Source,
    SourceRecord,
    SourceSnapshot,
    TimeUnit,
)
from motcua.catalogue.services import RowError, RowRef

BIG = 2**63 - 1

# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------


@dataclass
class SnapshotResult:
    source: str
    errors: list[RowError] = field(default_factory=list)
    snapshot: SourceSnapshot | None = None
    row_count: int = 0
    same_as: SourceSnapshot | None = None  # an earlier version with the same content (sha256)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        label = Source(self.source).label
        if self.errors:
            return f"Có {len(self.errors)} lỗi; không ghi gì vào cơ sở dữ liệu ({label})."
        text = f"Đã lưu bản chụp {label} ngày {self.snapshot.taken_on:%d/%m/%Y}: {self.row_count} thủ tục."
        if self.same_as is not None:
            text += f" (Nội dung trùng với bản nhập lúc {self.same_as.imported_at:%d/%m/%Y %H:%M}.)"
        return text


@dataclass
class ParsedRow:
    ref: RowRef
    record: Record
    raw: dict
    fee_summary: str = ""


# --------------------------------------------------------------------------------------------
# value parsing
# --------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _text(raw, max_length: int | None = None) -> str:
    if isinstance(raw, (bool, list, dict, dt.date)):
        raise BadValue("phải là chuỗi ký tự")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = " ".join(unicodedata.normalize("NFC", str(raw)).split())
    if max_length and len(text) > max_length:
        raise BadValue(f"dài quá {max_length} ký tự (hiện có {len(text)})")
    return text


def parse_code(raw) -> str:
    if not isinstance(raw, str):
        raise BadValue("phải nhập dạng văn bản (ví dụ '1.001234'), không phải số")
    code = raw.strip()
    if not code:
        raise BadValue("không được để trống")
    if re.search(r"\s", code):
        raise BadValue("không được chứa khoảng trắng")
    if len(code) > 20:
        raise BadValue("dài quá 20 ký tự")
    return code


def _lookup(table: dict[str, str]) -> dict[str, str]:
    return {_norm(k): v for k, v in table.items()}


_UNITS = _lookup({
    "working_days": TimeUnit.WORKING_DAYS, "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ": TimeUnit.WORKING_DAYS,
    "working_hours": TimeUnit.WORKING_HOURS, "giờ làm việc": TimeUnit.WORKING_HOURS, "giờ": TimeUnit.WORKING_HOURS,
    "days": TimeUnit.DAYS, "ngày": TimeUnit.DAYS, "ngày theo lịch": TimeUnit.DAYS,
    "months": TimeUnit.MONTHS, "tháng": TimeUnit.MONTHS,
    "in_day": TimeUnit.IN_DAY, "trong ngày": TimeUnit.IN_DAY, "trong ngày làm việc": TimeUnit.IN_DAY,
})
_UNIT_HELP = "'ngày làm việc', 'giờ làm việc', 'ngày', 'tháng', 'trong ngày'"


def _unit(raw) -> str:
    value = _UNITS.get(_norm(raw).strip(" .")) if isinstance(raw, str) else None
    if value is None:
        raise BadValue(f"đơn vị thời hạn '{raw}' không hợp lệ; chọn trong: {_UNIT_HELP}")
    return value


def _amount(value: Decimal) -> Decimal:
    if value <= 0:
        raise BadValue("phải là số dương")
    if value != value.quantize(Decimal("0.01")):
        raise BadValue("chỉ được tối đa 2 chữ số thập phân")
    if value >= 10_000:
        raise BadValue("phải nhỏ hơn 10.000")
    return value.quantize(Decimal("0.01"))


_TIME_TEXT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(.*?)\s*$")


def parse_time_limit(limit_raw, unit_raw) -> tuple[Decimal | None, str | None]:
    """(amount, unit) from a number and a unit, or from text such as '15 ngày làm việc'."""
    unit = None if _blank(unit_raw) else _unit(unit_raw)
    if _blank(limit_raw):
        if unit == TimeUnit.IN_DAY:
            return None, unit
        if unit:
            raise BadValue("phải nhập thời hạn khi có đơn vị thời hạn")
        return None, None
    if isinstance(limit_raw, str) and not _TIME_TEXT.match(limit_raw):
        if _UNITS.get(_norm(limit_raw).strip(" .")) == TimeUnit.IN_DAY:
            return None, TimeUnit.IN_DAY
        raise BadValue(f"không đọc được thời hạn '{limit_raw}' (ví dụ: '15 ngày làm việc', 'Trong ngày')")
    if isinstance(limit_raw, str):
        number, rest = _TIME_TEXT.match(limit_raw).groups()
        if rest:
            text_unit = _unit(rest)
            if unit and unit != text_unit:
                raise BadValue(f"đơn vị '{rest}' khác cột đơn vị thời hạn")
            unit = text_unit
        value = to_decimal(number)
    else:
        value = to_decimal(limit_raw)
    if not unit:
        raise BadValue("thiếu đơn vị thời hạn (ví dụ '15 ngày làm việc')")
    if unit == TimeUnit.IN_DAY:
        return None, unit
    return _amount(value), unit


_MONEY = re.compile(r"(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*(?:đồng|đ|vnđ|vnd)(?![\wđ])", re.IGNORECASE)
_FREE = ("không", "miễn", "khong", "mien", "0")


def _money(raw) -> int:
    if isinstance(raw, bool):
        raise BadValue("phải là số tiền (đồng)")
    if isinstance(raw, str):
        text = raw.strip()
        if re.fullmatch(r"\d{1,3}([.,\s]\d{3})+", text):
            text = re.sub(r"[.,\s]", "", text)
        raw = text
    try:
        value = to_decimal(raw)
    except BadValue:
        raise BadValue("phải là số tiền (đồng)") from None
    if value != value.to_integral_value() or value < 0:
        raise BadValue("phải là số nguyên không âm (đồng)")
    if value > BIG:
        raise BadValue("quá lớn")
    return int(value)


def parse_fee(raw) -> tuple[int | None, str]:
    """(total in đồng, summary) from a number, a list of fees, or text."""
    if _blank(raw) and raw != []:
        return None, ""
    if isinstance(raw, list):
        total, parts = 0, []
        for i, item in enumerate(raw):
            if isinstance(item, dict):
                keys = {_norm(k): k for k in item}
                key = next((keys[k] for k in ("amount", "amount_vnd", "amountvnd", "mucthu", "muc_thu")
                            if k in keys), None)
                if key is None:
                    raise BadValue(f"[{i}]: thiếu mức thu ('amount')")
                try:
                    amount = _money(item[key])
                except BadValue as bad:
                    raise BadValue(f"[{i}].{key}: {bad}") from None
                name = str(item.get("name") or item.get("ten") or "Phí, lệ phí")
            else:
                try:
                    amount = _money(item)
                except BadValue as bad:
                    raise BadValue(f"[{i}]: {bad}") from None
                name = "Phí, lệ phí"
            total += amount
            parts.append(f"{name}: {format_vnd(amount)}")
        return total, "; ".join(parts)
    if isinstance(raw, str) and not re.fullmatch(r"[\d.,\s]+", raw.strip()):
        amounts = [_money(m.group(1)) for m in _MONEY.finditer(raw)]
        if not amounts:
            if _norm(raw).startswith(_FREE):
                return 0, raw.strip()
            raise BadValue(f"không đọc được mức phí '{raw}' (ghi số tiền kèm 'đồng', hoặc 'Không')")
        return sum(amounts), " ".join(raw.split())
    amount = _money(raw)
    return amount, format_vnd(amount)


_COUNT_SUFFIX = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def _component_from_text(text: str) -> tuple[str, int]:
    text = " ".join(text.split()).strip(" -•+*")
    match = _COUNT_SUFFIX.match(text)
    if match:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(2))]
        if numbers:
            return match.group(1).strip(), sum(numbers)
    return text, 1


def _count(item: dict, keys: dict[str, str], names: tuple[str, ...]) -> int | None:
    found = [keys[k] for k in names if k in keys]
    if not found:
        return None
    value = item[found[0]]
    if _blank(value):
        return 0
    try:
        number = to_decimal(value)
    except BadValue:
        raise BadValue(f"'{found[0]}' phải là số nguyên") from None
    if number != number.to_integral_value() or number < 0:
        raise BadValue(f"'{found[0]}' phải là số nguyên không âm")
    return int(number)


def parse_components(raw) -> tuple[tuple[str, int], ...] | None:
    if _blank(raw) and raw != []:
        return None
    items = raw if isinstance(raw, list) else [p for p in re.split(r"[;\n]", str(raw)) if p.strip()]
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            keys = {_norm(k): k for k in item}
            name_key = next((keys[k] for k in ("name", "ten", "tengiayto") if k in keys), None)
            if name_key is None or _blank(item[name_key]):
                raise BadValue(f"[{i}]: thiếu tên giấy tờ ('name')")
            try:
                quantity = _count(item, keys, ("quantity", "count", "soluong", "so_luong"))
                if quantity is None:
                    original = _count(item, keys, ("originalcount", "original_count", "banchinh")) or 0
                    copy = _count(item, keys, ("copycount", "copy_count", "bansao")) or 0
                    quantity = original + copy if (original or copy) else 1
            except BadValue as bad:
                raise BadValue(f"[{i}]: {bad}") from None
            out.append((_text(item[name_key]), quantity))
        elif isinstance(item, str) and item.strip():
            out.append(_component_from_text(item))
        else:
            raise BadValue(f"[{i}]: phải là tên giấy tờ hoặc một đối tượng JSON")
    return tuple(out)


#: A document number: "60/2014/QH13", "23/2015/NĐ-CP", "1234/QĐ-UBND" (its last part has a letter, so
#: a date such as 16/02/2015 is not one).
_DOC_NUMBER = re.compile(r"\d+(?:/\d{4})?/[0-9]*[A-Za-zĐđ][0-9A-Za-zĐđ]*(?:-[0-9A-Za-zĐđ]+)*")


def parse_legal_bases(raw) -> tuple[str, ...] | None:
    if _blank(raw) and raw != []:
        return None
    items = raw if isinstance(raw, list) else [p for p in re.split(r"[;\n]", str(raw)) if p.strip()]
    out: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            keys = {_norm(k): k for k in item}
            key = next((keys[k] for k in ("number", "documentnumber", "document_number", "sokyhieu", "so_ky_hieu")
                        if k in keys), None)
            if key is None or _blank(item[key]):
                raise BadValue(f"[{i}]: thiếu số ký hiệu văn bản ('number')")
            numbers = [_text(item[key], 100)]
        elif isinstance(item, str):
            numbers = _DOC_NUMBER.findall(unicodedata.normalize("NFC", item))
            if not numbers:
                raise BadValue(f"không thấy số ký hiệu văn bản trong '{item.strip()}' (ví dụ 23/2015/NĐ-CP)")
        else:
            raise BadValue(f"[{i}]: phải là số ký hiệu văn bản hoặc một đối tượng JSON")
        for number in numbers:
            if number not in out:
                out.append(number)
    return tuple(out)


def _choice_parser(table: dict[str, str], help_text: str) -> Callable[[Any], str]:
    lookup = _lookup(table)

    def parse(raw) -> str:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(int(raw)) if float(raw).is_integer() else str(raw)
        value = lookup.get(_norm(raw).strip(" .")) if isinstance(raw, str) else None
        if value is None:
            raise BadValue(f"giá trị '{raw}' không hợp lệ; chọn trong: {help_text}")
        return value

    return parse


parse_level = _choice_parser({
    "province": ProcedureLevel.PROVINCE, "cấp tỉnh": ProcedureLevel.PROVINCE, "tỉnh": ProcedureLevel.PROVINCE,
    "provincial": ProcedureLevel.PROVINCE,
    "commune": ProcedureLevel.COMMUNE, "cấp xã": ProcedureLevel.COMMUNE, "xã": ProcedureLevel.COMMUNE,
    "cấp xã, phường": ProcedureLevel.COMMUNE, "cấp xã, phường, đặc khu": ProcedureLevel.COMMUNE,
}, "'Cấp tỉnh', 'Cấp xã'")

parse_online_level = _choice_parser({
    "full": OnlineLevel.FULL, "toàn trình": OnlineLevel.FULL, "trực tuyến toàn trình": OnlineLevel.FULL,
    "dvc trực tuyến toàn trình": OnlineLevel.FULL, "mức độ 4": OnlineLevel.FULL, "4": OnlineLevel.FULL,
    "partial": OnlineLevel.PARTIAL, "một phần": OnlineLevel.PARTIAL, "trực tuyến một phần": OnlineLevel.PARTIAL,
    "dvc trực tuyến một phần": OnlineLevel.PARTIAL, "mức độ 3": OnlineLevel.PARTIAL, "3": OnlineLevel.PARTIAL,
    "none": OnlineLevel.NONE, "không": OnlineLevel.NONE, "không cung cấp trực tuyến": OnlineLevel.NONE,
    "cung cấp thông tin": OnlineLevel.NONE, "mức độ 2": OnlineLevel.NONE, "2": OnlineLevel.NONE,
}, "'Toàn trình', 'Một phần', 'Không' (hoặc full, partial, none)")

parse_status = _choice_parser({
    "published": ProcedureStatus.PUBLISHED, "đã công bố": ProcedureStatus.PUBLISHED,
    "công bố": ProcedureStatus.PUBLISHED, "new": ProcedureStatus.PUBLISHED,
    "published_amended": ProcedureStatus.PUBLISHED_AMENDED, "updated": ProcedureStatus.PUBLISHED_AMENDED,
    "amended": ProcedureStatus.PUBLISHED_AMENDED, "đã công bố sửa đổi, bổ sung": ProcedureStatus.PUBLISHED_AMENDED,
    "sửa đổi, bổ sung": ProcedureStatus.PUBLISHED_AMENDED,
    "abolished": ProcedureStatus.ABOLISHED, "cancelled": ProcedureStatus.ABOLISHED,
    "canceled": ProcedureStatus.ABOLISHED, "revoked": ProcedureStatus.ABOLISHED,
    "đã bãi bỏ": ProcedureStatus.ABOLISHED, "bãi bỏ": ProcedureStatus.ABOLISHED,
    "inactive": ProcedureStatus.ABOLISHED, "ngừng áp dụng": ProcedureStatus.ABOLISHED,
    "ngừng cung cấp": ProcedureStatus.ABOLISHED, "hết hiệu lực": ProcedureStatus.ABOLISHED,
    "in_force": IN_FORCE, "active": IN_FORCE, "đang áp dụng": IN_FORCE, "đang hoạt động": IN_FORCE,
    "còn hiệu lực": IN_FORCE, "đang cung cấp": IN_FORCE,
}, "'Đã công bố', 'Đã công bố sửa đổi, bổ sung', 'Đã bãi bỏ', 'Đang áp dụng' "
   "(hoặc PUBLISHED, UPDATED, ABOLISHED, active, inactive)")


# --------------------------------------------------------------------------------------------
# rows → records
# --------------------------------------------------------------------------------------------

#: field → accepted JSON keys / column headers (compared case- and accent-exactly after folding case).
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "maTTHC", "ma_thu_tuc", "procedureCode", "procedure_code", "Mã thủ tục", "Mã TTHC"),
    "name": ("name", "tenTTHC", "ten_thu_tuc", "serviceName", "service_name", "Tên thủ tục", "Tên TTHC",
             "Tên dịch vụ"),
    "status": ("state", "status", "trang_thai", "Tình trạng", "Trạng thái"),
    "level": ("level", "implementationLevel", "cap_thuc_hien", "Cấp thực hiện"),
    "agency_code": ("agencyCode", "agency_code", "departmentCode", "Mã cơ quan thực hiện"),
    "agency_text": ("implementingAgency", "implementing_agency", "agency", "Cơ quan thực hiện"),
    "time_limit": ("timeLimit", "time_limit", "thoi_han", "Thời hạn giải quyết", "Thời hạn"),
    "time_unit": ("timeUnit", "time_unit", "Đơn vị thời hạn"),
    "fee": ("fees", "fee", "fee_vnd", "feeVnd", "phi_le_phi", "Phí, lệ phí", "Phí, lệ phí (đồng)", "Phí"),
    "components": ("components", "thanh_phan_ho_so", "Thành phần hồ sơ"),
    "legal_bases": ("legalBases", "legalBasis", "legal_bases", "can_cu_phap_ly", "Căn cứ pháp lý"),
    "online_level": ("onlineLevel", "online_level", "muc_do", "Mức độ trực tuyến", "Mức độ"),
}
NATIONAL_FIELDS = tuple(ALIASES)
PORTAL_FIELDS = ("code", "name", "status", "time_limit", "time_unit", "fee", "online_level")
REQUIRED = ("code", "name")
HEADERS = {"code": "Mã thủ tục", "name": "Tên thủ tục"}
_ALIAS_LOOKUP = {field: {_norm(a) for a in aliases} for field, aliases in ALIASES.items()}


def _locate(keys, fields) -> dict[str, Any]:
    """field → the first key (JSON key or header) that names it."""
    found: dict[str, Any] = {}
    for key in keys:
        if not isinstance(key, str):
            continue
        n = _norm(key)
        for f in fields:
            if f not in found and n in _ALIAS_LOOKUP[f]:
                found[f] = key
                break
    return found


def _row_to_record(values: dict[str, Any], labels: dict[str, str], ref: RowRef, errors: list[RowError]):
    """`values`: field → raw value (absent = not stated). Returns (Record, fee summary) or None."""
    before = len(errors)
    out: dict[str, Any] = {}

    def run(label_key: str, fn, *args):
        try:
            return fn(*args)
        except BadValue as bad:
            errors.append(RowError(ref.sheet, ref.row, labels.get(label_key, label_key), str(bad)))
            return None

    for key in REQUIRED:
        if _blank(values.get(key)):
            errors.append(RowError(ref.sheet, ref.row, labels.get(key, HEADERS[key]), "không được để trống"))
    if not _blank(values.get("code")):
        out["code"] = run("code", parse_code, values["code"])
    if not _blank(values.get("name")):
        out["name"] = run("name", _text, values["name"], 1000)
    simple = {
        "status": parse_status, "level": parse_level, "online_level": parse_online_level,
        "agency_code": lambda raw: _text(raw, 20), "agency_text": _text,
        "components": parse_components, "legal_bases": parse_legal_bases,
    }
    for key, fn in simple.items():
        if key in values and (not _blank(values[key]) or (values[key] == [] and key in ("components", "legal_bases"))):
            out[key] = run(key, fn, values[key])
    if "time_limit" in values or "time_unit" in values:
        unit_ok = _blank(values.get("time_unit")) or run("time_unit", _unit, values["time_unit"]) is not None
        pair = run("time_limit", parse_time_limit, values.get("time_limit"), values.get("time_unit")) \
            if unit_ok else None
        if pair:
            out["time_limit"], out["time_unit"] = pair
    fee_summary = ""
    if "fee" in values:
        fee = run("fee", parse_fee, values["fee"])
        if fee:
            out["fee_total_vnd"], fee_summary = fee
    if len(errors) > before:
        return None
    return Record(**out), fee_summary


def _check_duplicates(rows: list[ParsedRow], errors: list[RowError], code_label) -> None:
    seen: dict[str, RowRef] = {}
    for row in rows:
        first = seen.get(row.record.code)
        if first is None:
            seen[row.record.code] = row.ref
            continue
        where = f"dòng {first.row}" if first.sheet is not None else f"bản ghi [{first.row}]"
        errors.append(RowError(row.ref.sheet, row.ref.row, code_label(row),
                               f"mã thủ tục {row.record.code} bị trùng ({where})"))


def _jsonable(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def parse_json_records(data, fields=NATIONAL_FIELDS) -> tuple[list[ParsedRow], list[RowError]]:
    """Records from decoded JSON: a list, or an envelope {"data": {"items": [...]}} / {"items": [...]}."""
    if isinstance(data, dict):
        inner = data.get("data") if isinstance(data.get("data"), dict) else data
        for key in ("items", "procedures", "services"):
            if isinstance(inner.get(key), list):
                data = inner[key]
                break
    if not isinstance(data, list):
        return [], [RowError(None, None, "", "tệp JSON phải là một danh sách thủ tục (hoặc có 'data.items')")]
    rows, errors = [], []
    for index, item in enumerate(data):
        ref = RowRef(None, index)
        if not isinstance(item, dict):
            errors.append(RowError(None, index, "", "mỗi thủ tục phải là một đối tượng JSON"))
            continue
        located = _locate(item.keys(), fields)
        values = {f: item[k] for f, k in located.items()}
        labels = {f: str(k) for f, k in located.items()} | {f: ALIASES[f][0] for f in fields if f not in located}
        parsed = _row_to_record(values, labels, ref, errors)
        if parsed is not None:
            rows.append(ParsedRow(ref, parsed[0], _jsonable(item), parsed[1]))
    _check_duplicates(rows, errors, lambda row: "code")
    return rows, errors


def _table_rows(sheet: str, header_row: int, header: list, data_rows, fields):
    """Rows of a table (Excel sheet or CSV) → ParsedRows; `data_rows` are (line number, cells)."""
    rows, errors = [], []
    located = _locate(header, fields)
    positions = {f: header.index(k) for f, k in located.items()}
    labels = {f: str(k).strip() for f, k in located.items()}
    for key in REQUIRED:
        if key not in positions:
            errors.append(RowError(sheet, header_row, HEADERS[key], "thiếu cột bắt buộc"))
    if errors:
        return rows, errors
    for number, cells in data_rows:
        ref = RowRef(sheet, number)
        values = {f: (cells[j] if j < len(cells) else None) for f, j in positions.items()}
        parsed = _row_to_record(values, labels, ref, errors)
        raw = {str(h).strip(): _jsonable(c) for h, c in zip(header, cells) if h not in (None, "") and not _blank(c)}
        if parsed is not None:
            rows.append(ParsedRow(ref, parsed[0], raw, parsed[1]))
    _check_duplicates(rows, errors, lambda row: labels["code"])
    return rows, errors


def parse_national_xlsx(stream: BinaryIO | str) -> tuple[list[ParsedRow], list[RowError]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return [], [RowError(None, None, "", f"không đọc được tệp Excel (.xlsx): {exc}")]
    try:
        name = catalogue_io.PROCEDURE_SHEET if catalogue_io.PROCEDURE_SHEET in workbook.sheetnames \
            else workbook.sheetnames[0]
        ws = workbook[name]
        ws.reset_dimensions()
        header, header_row, data = None, None, []
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = list(cells)
            if header is None:
                if "code" in _locate(cells, ("code",)):
                    header, header_row = cells, number
                elif number >= 20:
                    break
                continue
            if all(_blank(c) for c in cells):
                continue
            data.append((number, cells))
        if header is None:
            return [], [RowError(name, None, "", "không thấy dòng tiêu đề có cột 'Mã thủ tục' (trong 20 dòng đầu)")]
        return _table_rows(name, header_row, header, data, NATIONAL_FIELDS)
    finally:
        workbook.close()


def parse_portal_csv(text: str) -> tuple[list[ParsedRow], list[RowError]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = list(csv.reader(_io.StringIO(text), dialect))
    if not lines:
        return [], [RowError("CSV", None, "", "tệp CSV trống")]
    header = [h.strip() for h in lines[0]]
    data = [(i, cells) for i, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    return _table_rows("CSV", 1, header, data, PORTAL_FIELDS)


# --------------------------------------------------------------------------------------------
# the province's own catalogue
# --------------------------------------------------------------------------------------------


def record_from_export(rec: dict) -> tuple[Record, str]:
    """A normalised Record (and fee summary) from one `io.export_json` record."""
    fees = rec.get("fees") or []
    total = sum(f["amount_vnd"] for f in fees)
    summary = "; ".join(f"{f['name']}: {format_vnd(f['amount_vnd'])}" for f in fees) or format_vnd(0)
    limit = rec.get("time_limit")
    return Record(
        code=rec["code"], name=rec["name"], level=rec["level"] or None, agency_code=rec.get("agency") or None,
        agency_text=rec.get("implementing_agency_text") or None,
        time_limit=None if limit is None or rec.get("time_unit") == TimeUnit.IN_DAY else Decimal(str(limit)),
        time_unit=rec.get("time_unit") or None,
        fee_total_vnd=total,
        components=tuple((c["name"], c["original_count"] + c["copy_count"]) for c in rec.get("components") or []),
        legal_bases=tuple(b["document_number"] for b in rec.get("legal_bases") or []),
        online_level=rec.get("online_level") or None, status=rec.get("status") or None,
    ), summary


# --------------------------------------------------------------------------------------------
# writing a snapshot
# --------------------------------------------------------------------------------------------


def _source_record(snapshot: SourceSnapshot, row: ParsedRow) -> SourceRecord:
    r = row.record
    return SourceRecord(
        snapshot=snapshot, code=r.code, name=r.name, level=r.level, agency_code=r.agency_code,
        agency_text=r.agency_text, time_limit=r.time_limit, time_unit=r.time_unit, fee_total_vnd=r.fee_total_vnd,
        fee_summary=row.fee_summary,
        components=None if r.components is None else [list(c) for c in r.components],
        components_summary="" if r.components is None else format_components(r.components),
        legal_bases=None if r.legal_bases is None else list(r.legal_bases),
        online_level=r.online_level, status=r.status, raw=row.raw,
    )


def save_snapshot(
    source: str, rows: list[ParsedRow], errors: list[RowError], *, sha256: str, taken_on: dt.date | None = None,
    imported_by=None, file_name: str = "",
) -> SnapshotResult:
    """Keep the rows as a new dated version of `source` — or nothing at all if there is an error."""
    result = SnapshotResult(source=source, errors=list(errors))
    if result.errors:
        return result
    taken_on = taken_on or timezone.localdate()
    result.same_as = SourceSnapshot.objects.filter(source=source, sha256=sha256).order_by("-imported_at").first()
    with transaction.atomic():
        snapshot = SourceSnapshot.objects.create(
            source=source, taken_on=taken_on, imported_by=imported_by, file_name=file_name[:255], sha256=sha256,
            row_count=len(rows),
        )
        SourceRecord.objects.bulk_create([_source_record(snapshot, row) for row in rows], batch_size=500)
    result.snapshot, result.row_count = snapshot, len(rows)
    return result


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _decode_json(data: bytes) -> tuple[Any, list[RowError]]:
    try:
        return json.loads(data.decode("utf-8-sig")), []
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [RowError(None, None, "", f"tệp JSON không hợp lệ: {exc}")]


def import_national_json(data: bytes, **kwargs) -> SnapshotResult:
    """A National Database snapshot from the bytes of a JSON file; all-or-nothing."""
    decoded, errors = _decode_json(data)
    rows, more = parse_json_records(decoded, NATIONAL_FIELDS) if not errors else ([], [])
    return save_snapshot(Source.NATIONAL, rows, errors + more, sha256=_sha256(data), **kwargs)


def import_national_xlsx(data: bytes, **kwargs) -> SnapshotResult:
    """A National Database snapshot from the bytes of an Excel workbook; all-or-nothing."""
    rows, errors = parse_national_xlsx(_io.BytesIO(data))
    return save_snapshot(Source.NATIONAL, rows, errors, sha256=_sha256(data), **kwargs)


def import_portal_json(data: bytes, **kwargs) -> SnapshotResult:
    """The one-stop portal's service list from the bytes of a JSON file; all-or-nothing."""
    decoded, errors = _decode_json(data)
    rows, more = parse_json_records(decoded, PORTAL_FIELDS) if not errors else ([], [])
    return save_snapshot(Source.PORTAL, rows, errors + more, sha256=_sha256(data), **kwargs)


def import_portal_csv(data: bytes, **kwargs) -> SnapshotResult:
    """The one-stop portal's service list from the bytes of a CSV file (UTF-8); all-or-nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SnapshotResult(Source.PORTAL, [RowError("CSV", None, "", f"tệp CSV phải mã hóa UTF-8: {exc}")])
    rows, errors = parse_portal_csv(text)
    return save_snapshot(Source.PORTAL, rows, errors, sha256=_sha256(data), **kwargs)


def snapshot_provincial(queryset: QuerySet | None = None, **kwargs) -> SnapshotResult:
    """The province's own catalogue (motcua's Procedure tables) as a new dated version."""
    records = catalogue_io.export_json(queryset)
    rows = []
    for index, rec in enumerate(records):
        record, summary = record_from_export(rec)
        rows.append(ParsedRow(RowRef(None, index), record, rec, summary))
    data = json.dumps(records, ensure_ascii=False, sort_keys=True).encode("utf-8")
    kwargs.setdefault("file_name", "")
    return save_snapshot(Source.PROVINCIAL, rows, [], sha256=_sha256(data), **kwargs)


IMPORTERS: dict[tuple[str, str], Callable[..., SnapshotResult]] = {
    (Source.NATIONAL, "json"): import_national_json,
    (Source.NATIONAL, "xlsx"): import_national_xlsx,
    (Source.PORTAL, "json"): import_portal_json,
    (Source.PORTAL, "csv"): import_portal_csv,
}


def import_file(source: str, path: str | Path, fmt: str | None = None, **kwargs) -> SnapshotResult:
    """Import a file of `source` (format from the extension unless `fmt`); all-or-nothing."""
    path = Path(path)
    fmt = (fmt or path.suffix.lower().lstrip(".")).lower()
    importer = IMPORTERS.get((source, fmt))
    if importer is None:
        formats = ", ".join(f for s, f in IMPORTERS if s == source) or "—"
        return SnapshotResult(source, [RowError(None, None, "", f"định dạng '{fmt}' không dùng được cho nguồn này "
                                                               f"(chọn: {formats})")])
    kwargs.setdefault("file_name", path.name)
    return importer(path.read_bytes(), **kwargs)


def latest_snapshots() -> dict[str, SourceSnapshot | None]:
    """The latest snapshot of each source (by date taken, then import time)."""
    return {
        source: SourceSnapshot.objects.filter(source=source).order_by("-taken_on", "-imported_at", "-id").first()
        for source in Source.values
    }


def records_of(snapshot: SourceSnapshot | None) -> dict[str, Record] | None:
    """The normalised Records of a snapshot (None for no snapshot)."""
    if snapshot is None:
        return None
    out = {}
    for r in SourceRecord.objects.filter(snapshot=snapshot).defer("raw").iterator(chunk_size=2000):
        out[r.code] = Record(
            code=r.code, name=r.name, level=r.level, agency_code=r.agency_code, agency_text=r.agency_text,
            time_limit=r.time_limit, time_unit=r.time_unit, fee_total_vnd=r.fee_total_vnd,
            components=None if r.components is None else tuple((n, int(c)) for n, c in r.components),
            legal_bases=None if r.legal_bases is None else tuple(r.legal_bases),
            online_level=r.online_level, status=r.status,
        )
    return out
