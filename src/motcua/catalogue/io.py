"""Import and export of the catalogue: nested JSON records and an Excel workbook.

One column table (`SHEETS`) drives both formats, so JSON keys, Excel headers, value parsing and
error messages never drift apart. Parsing only checks each value; cross-row checks and the
all-or-nothing write are in `services.import_catalogue`.

JSON: a list of records, one per procedure, with the lists `methods`, `fees`, `components`,
`legal_bases`, `steps` and `publications` nested (keys as on the National Database where they
exist: `code`, `name`). Excel: sheet "Thủ tục" has one row per procedure, the other sheets one
row per child keyed by "Mã thủ tục"; choices are written as their Vietnamese labels (codes are
accepted too), booleans as Có/Không, dates as dates.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils import translation

from motcua.catalogue import selectors
from motcua.catalogue.models import (
    ChangeType,
    FeeKind,
    Method,
    OnlineLevel,
    ProcedureLevel,
    ProcedureStatus,
    Subject,
    TimeUnit,
)
from motcua.catalogue.services import (
    CHILD_KEYS,
    INVALID,
    ChildInput,
    ImportResult,
    ProcedureInput,
    RowError,
    RowRef,
    import_catalogue,
)
from motcua.common.spreadsheets import new_workbook
from motcua.units.models import Role

# --------------------------------------------------------------------------------------------
# the column table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # JSON key and model field
    header: str  # Excel header
    kind: str  # code | str | text | decimal | percent | int | bool | choice | choices | date | unit
    required: bool = False
    choices: Any = None  # a TextChoices class
    default: Any = None
    max_length: int | None = None
    max_value: int | None = None
    width: int = 14


SMALL = 32767
BIG = 2**63 - 1

PROCEDURE_COLUMNS = (
    Column("code", "Mã thủ tục", "code", required=True, max_length=20, width=12),
    Column("name", "Tên thủ tục", "str", required=True, max_length=1000, width=60),
    Column("field", "Lĩnh vực", "str", default="", max_length=255, width=24),
    Column("level", "Cấp thực hiện", "choice", required=True, choices=ProcedureLevel, width=12),
    Column("agency", "Mã cơ quan thực hiện", "unit", max_length=20, width=14),
    Column("implementing_agency_text", "Cơ quan thực hiện", "text", default="", width=30),
    Column("time_limit", "Thời hạn", "decimal", width=10),
    Column("time_unit", "Đơn vị thời hạn", "choice", choices=TimeUnit, default="", width=16),
    Column("subjects", "Đối tượng thực hiện", "choices", choices=Subject, default=[], width=30),
    Column("requirements", "Yêu cầu, điều kiện", "text", default="", width=30),
    Column("result_name", "Kết quả thực hiện", "str", default="", max_length=1000, width=30),
    Column("result_is_document", "Kết quả là giấy tờ", "bool", default=True, width=10),
    Column("online_level", "Mức độ trực tuyến", "choice", choices=OnlineLevel, default=OnlineLevel.NONE, width=22),
    Column("status", "Tình trạng", "choice", choices=ProcedureStatus, default=ProcedureStatus.PUBLISHED, width=22),
    Column("fee_note", "Ghi chú phí, lệ phí", "text", default="", width=30),
)

CHILD_COLUMNS = {
    "methods": (
        Column("method", "Cách thức", "choice", required=True, choices=Method, width=18),
        Column("time_limit", "Thời hạn", "decimal", width=10),
        Column("time_unit", "Đơn vị thời hạn", "choice", choices=TimeUnit, default="", width=16),
        Column("fee_vnd", "Phí, lệ phí (đồng)", "int", default=0, max_value=BIG, width=14),
        Column("description", "Mô tả", "text", default="", width=40),
    ),
    "fees": (
        Column("name", "Tên phí, lệ phí", "str", required=True, max_length=500, width=40),
        Column("amount_vnd", "Mức thu (đồng)", "int", required=True, max_value=BIG, width=14),
        Column("kind", "Loại", "choice", choices=FeeKind, default=FeeKind.FEE, width=10),
        Column("per_page", "Tính theo trang", "bool", default=False, width=10),
        Column("note", "Ghi chú", "text", default="", width=30),
    ),
    "components": (
        Column("order", "Thứ tự", "int", max_value=SMALL, width=8),
        Column("name", "Tên giấy tờ", "str", required=True, max_length=1000, width=50),
        Column("original_count", "Số bản chính", "int", default=0, max_value=SMALL, width=10),
        Column("copy_count", "Số bản sao", "int", default=0, max_value=SMALL, width=10),
        Column("required", "Bắt buộc", "bool", default=True, width=10),
        Column("template_name", "Mẫu đơn, tờ khai", "str", default="", max_length=500, width=30),
        Column("note", "Ghi chú", "text", default="", width=30),
    ),
    "legal_bases": (
        Column("document_number", "Số ký hiệu", "str", required=True, max_length=100, width=20),
        Column("title", "Trích yếu", "text", default="", width=50),
        Column("issued_on", "Ngày ban hành", "date", width=12),
        Column("effective_on", "Ngày có hiệu lực", "date", width=12),
    ),
    "steps": (
        Column("order", "Thứ tự", "int", max_value=SMALL, width=8),
        Column("name", "Tên bước", "str", required=True, max_length=200, width=30),
        Column("share_percent", "Tỷ lệ thời gian (%)", "percent", required=True, width=12),
        Column("role", "Vai trò thực hiện", "choice", choices=Role, default="", width=20),
    ),
    "publications": (
        Column("number", "Số quyết định", "str", required=True, max_length=100, width=18),
        Column("title", "Trích yếu", "text", default="", width=40),
        Column("issuer_unit", "Mã cơ quan ban hành", "unit", required=True, max_length=20, width=14),
        Column("decided_on", "Ngày quyết định", "date", required=True, width=12),
        Column("published_national_on", "Ngày công khai trên CSDLQG", "date", width=14),
        Column("change_type", "Loại công bố", "choice", required=True, choices=ChangeType, width=16),
    ),
}

PROCEDURE_SHEET = "Thủ tục"
CHILD_SHEETS = {
    "methods": "Cách thức",
    "fees": "Phí, lệ phí",
    "components": "Thành phần hồ sơ",
    "legal_bases": "Căn cứ pháp lý",
    "steps": "Quy trình",
    "publications": "Quyết định công bố",
}
GUIDE_SHEET = "Hướng dẫn"
PROCEDURE_CODE_HEADER = "Mã thủ tục"
YES, NO = "Có", "Không"
ORDERED_CHILDREN = ("components", "steps")  # `order` defaults to the position


# --------------------------------------------------------------------------------------------
# value parsing (shared by both formats)
# --------------------------------------------------------------------------------------------


class BadValue(Exception):
    """One cell or field that cannot be read; the message says why, in Vietnamese."""


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _choice_lookup(choices) -> dict[str, str]:
    return _choice_lookup_in(choices, translation.get_language())


@functools.lru_cache(maxsize=64)
def _choice_lookup_in(choices, language) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[_norm(value)] = value
        lookup[_norm(str(label))] = value
        with translation.override("vi"):
            lookup[_norm(str(label))] = value
    return lookup


def _choice_help(choices) -> str:
    with translation.override("vi"):
        return ", ".join(f"'{label}'" for _value, label in choices.choices)


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _to_text(raw, col: Column) -> str:
    if isinstance(raw, bool) or isinstance(raw, (list, dict)):
        raise BadValue("phải là chuỗi ký tự")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.date, dt.datetime)):
        raise BadValue("phải là chuỗi ký tự")
    text = str(raw)
    if col.kind != "text":
        text = text.strip()
    if col.max_length and len(text) > col.max_length:
        raise BadValue(f"dài quá {col.max_length} ký tự (hiện có {len(text)})")
    return text


def to_decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise BadValue("phải là số")
    if isinstance(raw, (int, float, Decimal)):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # 1,5 (dấu phẩy thập phân)
    else:
        raise BadValue("phải là số")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise BadValue("phải là số") from None
    if not value.is_finite():
        raise BadValue("phải là số")
    return value


_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def _to_int(raw) -> int:
    if isinstance(raw, bool):
        raise BadValue("phải là số nguyên")
    if isinstance(raw, str):
        text = raw.strip()
        if _THOUSANDS.match(text):
            text = re.sub(r"[.,\s]", "", text)
        raw = text
    try:
        value = to_decimal(raw)
    except BadValue:
        raise BadValue("phải là số nguyên") from None
    if value != value.to_integral_value():
        raise BadValue("phải là số nguyên")
    return int(value)


def _to_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = _norm(raw)
        if text in {"có", "co", "x", "true", "yes", "1", "đúng"}:
            return True
        if text in {"không", "khong", "false", "no", "0", "sai"}:
            return False
    raise BadValue(f"phải là '{YES}' hoặc '{NO}'")


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _to_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise BadValue("phải là một ngày (không kèm giờ)")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(raw.strip(), fmt).date()
            except ValueError:
                pass
    raise BadValue("phải là ngày dạng dd/mm/yyyy (hoặc yyyy-mm-dd)")


def parse_value(col: Column, raw, position: int | None = None):
    """Parse one raw value of `col`; raises BadValue with a Vietnamese message."""
    if col.kind == "choices":
        if _is_blank(raw) or raw == []:
            return list(col.default or [])
        if isinstance(raw, str):
            items = [part for part in re.split(r"[;\n]", raw) if part.strip()]
        elif isinstance(raw, list):
            items = raw
        else:
            raise BadValue("phải là danh sách")
        lookup, values = _choice_lookup(col.choices), []
        for part in items:
            value = lookup.get(_norm(part)) if isinstance(part, str) else None
            if value is None:
                raise BadValue(f"giá trị '{part}' không hợp lệ; chọn trong: {_choice_help(col.choices)}")
            if value in values:
                raise BadValue(f"giá trị '{part}' bị lặp")
            values.append(value)
        return values

    if col.kind == "text" and isinstance(raw, str):
        return raw  # free text is kept exactly, whitespace included
    if _is_blank(raw):
        if col.required:
            raise BadValue("không được để trống")
        if col.key == "order" and position is not None:
            return position + 1
        return list(col.default) if isinstance(col.default, list) else col.default

    kind = col.kind
    if kind == "code":
        if not isinstance(raw, str):
            raise BadValue("phải nhập dạng văn bản (ví dụ '1.001234'), không phải số")
        value = _to_text(raw, col)
        if re.search(r"\s", value):
            raise BadValue("không được chứa khoảng trắng")
        return value
    if kind in ("str", "text", "unit"):
        return _to_text(raw, col)
    if kind == "decimal":
        value = to_decimal(raw)
        if value <= 0:
            raise BadValue("phải là số dương")
        if value != value.quantize(Decimal("0.01")):
            raise BadValue("chỉ được tối đa 2 chữ số thập phân")
        if value >= 10_000:
            raise BadValue("phải nhỏ hơn 10.000")
        return value.quantize(Decimal("0.01"))
    if kind == "percent":
        value = to_decimal(raw)
        if value <= 0 or value > 100:
            raise BadValue("phải là số lớn hơn 0 và không quá 100")
        if value != value.quantize(Decimal("0.01")):
            raise BadValue("chỉ được tối đa 2 chữ số thập phân")
        return value.quantize(Decimal("0.01"))
    if kind == "int":
        value = _to_int(raw)
        if value < 0:
            raise BadValue("phải là số nguyên không âm")
        if col.max_value is not None and value > col.max_value:
            raise BadValue(f"không được lớn hơn {col.max_value}")
        return value
    if kind == "bool":
        return _to_bool(raw)
    if kind == "choice":
        value = _choice_lookup(col.choices).get(_norm(raw)) if isinstance(raw, str) else None
        if value is None:
            raise BadValue(f"giá trị '{raw}' không hợp lệ; chọn trong: {_choice_help(col.choices)}")
        return value
    if kind == "date":
        return _to_date(raw)
    raise AssertionError(kind)


def _parse_row(columns, raw: dict, ref: RowRef, errors: list[RowError], position=None) -> dict:
    values = {}
    for col in columns:
        try:
            values[col.key] = parse_value(col, raw.get(col.key), position)
        except BadValue as bad:
            values[col.key] = INVALID
            errors.append(ref.error(col.key, str(bad)))
    return values


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def _json_number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _json_date(value: dt.date | None):
    return value.isoformat() if value else None


def procedure_record(proc) -> dict:
    """The JSON record of one procedure (use `selectors.with_details` to avoid N+1 queries)."""
    return {
        "code": proc.code,
        "name": proc.name,
        "field": proc.field,
        "level": proc.level,
        "agency": proc.agency.code if proc.agency_id else None,
        "implementing_agency_text": proc.implementing_agency_text,
        "time_limit": _json_number(proc.time_limit),
        "time_unit": proc.time_unit,
        "subjects": list(proc.subjects or []),
        "requirements": proc.requirements,
        "result_name": proc.result_name,
        "result_is_document": proc.result_is_document,
        "online_level": proc.online_level,
        "status": proc.status,
        "fee_note": proc.fee_note,
        "methods": [
            {
                "method": m.method, "time_limit": _json_number(m.time_limit), "time_unit": m.time_unit,
                "fee_vnd": m.fee_vnd, "description": m.description,
            }
            for m in proc.methods.all()
        ],
        "fees": [
            {"name": f.name, "amount_vnd": f.amount_vnd, "kind": f.kind, "per_page": f.per_page, "note": f.note}
            for f in proc.fees.all()
        ],
        "components": [
            {
                "order": c.order, "name": c.name, "original_count": c.original_count, "copy_count": c.copy_count,
                "required": c.required, "template_name": c.template_name, "note": c.note,
            }
            for c in proc.components.all()
        ],
        "legal_bases": [
            {
                "document_number": b.document_number, "title": b.title,
                "issued_on": _json_date(b.issued_on), "effective_on": _json_date(b.effective_on),
            }
            for b in proc.legal_bases.all()
        ],
        "steps": [
            {"order": s.order, "name": s.name, "share_percent": _json_number(s.share_percent), "role": s.role}
            for s in proc.steps.all()
        ],
        "publications": [
            {
                "number": i.decision.number, "title": i.decision.title, "issuer_unit": i.decision.issuer_unit.code,
                "decided_on": _json_date(i.decision.decided_on),
                "published_national_on": _json_date(i.decision.published_national_on),
                "change_type": i.change_type,
            }
            for i in proc.publication_items.all()
        ],
    }


def export_json(queryset: QuerySet | None = None) -> list[dict]:
    """One nested record per procedure, ordered by code."""
    return [procedure_record(p) for p in selectors.with_details(queryset)]


def parse_json(records) -> tuple[list[ProcedureInput], list[RowError]]:
    errors: list[RowError] = []
    if isinstance(records, dict) and isinstance(records.get("procedures"), list):
        records = records["procedures"]
    if not isinstance(records, list):
        return [], [RowError(None, None, "", "tệp JSON phải là một danh sách thủ tục")]
    inputs = []
    known = {c.key for c in PROCEDURE_COLUMNS} | set(CHILD_KEYS)
    for index, record in enumerate(records):
        ref = RowRef(None, index)
        if not isinstance(record, dict):
            errors.append(ref.error("", "mỗi thủ tục phải là một đối tượng JSON"))
            continue
        for key in record:
            if key not in known:
                errors.append(ref.error(str(key), "trường không xác định"))
        values = _parse_row(PROCEDURE_COLUMNS, record, ref, errors)
        children: dict[str, list[ChildInput] | None] = {}
        for key in CHILD_KEYS:
            raw_rows = record.get(key)
            if raw_rows is None:
                children[key] = None
                continue
            if not isinstance(raw_rows, list):
                errors.append(ref.error(key, "phải là một danh sách"))
                children[key] = None
                continue
            columns = CHILD_COLUMNS[key]
            child_known = {c.key for c in columns}
            rows = []
            for pos, raw in enumerate(raw_rows):
                child_ref = RowRef(None, index, prefix=f"{key}[{pos}].")
                if not isinstance(raw, dict):
                    errors.append(RowError(None, index, f"{key}[{pos}]", "phải là một đối tượng JSON"))
                    continue
                for extra in raw:
                    if extra not in child_known:
                        errors.append(child_ref.error(str(extra), "trường không xác định"))
                rows.append(ChildInput(child_ref, _parse_row(columns, raw, child_ref, errors, pos)))
            children[key] = rows
        inputs.append(ProcedureInput(ref, values, children))
    return inputs, errors


def import_json(records, *, dry_run: bool = False) -> ImportResult:
    """Validate and upsert the records (a list of `export_json` records); all-or-nothing."""
    inputs, errors = parse_json(records)
    return import_catalogue(inputs, errors, dry_run=dry_run)


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------


def _cell_value(col: Column, value):
    """A model value as written into a cell (None for an empty cell)."""
    if value is None or value == "":
        return None
    if col.kind == "choice":
        return _label(col.choices, value)
    if col.kind == "choices":
        return "; ".join(_label(col.choices, v) for v in value) or None
    if col.kind == "bool":
        return YES if value else NO
    if col.kind in ("decimal", "percent") and isinstance(value, Decimal):
        return _json_number(value)
    return value


def _label(choices, value) -> str:
    try:
        with translation.override("vi"):
            return str(choices(value).label)
    except ValueError:
        return str(value)  # not a known choice any more: keep the stored value


def export_xlsx(queryset: QuerySet | None, stream: BinaryIO | str) -> None:
    """Write the workbook to `stream` (a binary file object or a path)."""
    records = export_json(queryset)
    workbook, fmt_header, fmt_text, fmt_wrap, fmt_date = new_workbook(stream)
    fmt_plain = workbook.add_format({"valign": "top"})
    fmt_money = workbook.add_format({"num_format": "#,##0", "valign": "top"})

    def sheet(name, columns, rows, code_first):
        ws = workbook.add_worksheet(name)
        headers = ([PROCEDURE_CODE_HEADER] if code_first else []) + [c.header for c in columns]
        widths = ([12] if code_first else []) + [c.width for c in columns]
        for j, (header, width) in enumerate(zip(headers, widths)):
            ws.write_string(0, j, header, fmt_header)
            ws.set_column(j, j, width)
        ws.freeze_panes(1, 1 if code_first else 2)
        ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
        last_row = max(len(rows) + 500, 1000)
        for j, col in enumerate(columns, start=1 if code_first else 0):
            if col.kind == "choice":
                with translation.override("vi"):
                    labels = [str(label) for _v, label in col.choices.choices]
                if sum(len(x) + 1 for x in labels) < 250:
                    ws.data_validation(1, j, last_row, j, {"validate": "list", "source": labels,
                                                           "ignore_blank": True, "error_type": "warning"})
            elif col.kind == "bool":
                ws.data_validation(1, j, last_row, j, {"validate": "list", "source": [YES, NO]})
        for i, (code, values) in enumerate(rows, start=1):
            j0 = 0
            if code_first:
                ws.write_string(i, 0, code, fmt_text)
                j0 = 1
            for j, col in enumerate(columns, start=j0):
                value = _cell_value(col, values.get(col.key))
                if value is None:
                    continue
                if col.kind == "date":
                    ws.write_datetime(i, j, dt.datetime.combine(value if isinstance(value, dt.date)
                                                                else dt.date.fromisoformat(value), dt.time()),
                                      fmt_date)
                elif col.kind in ("int", "decimal", "percent"):
                    ws.write_number(i, j, value, fmt_money if col.kind == "int" and col.max_value == BIG else fmt_plain)
                elif col.kind in ("code", "unit", "str", "choice", "choices", "bool"):
                    ws.write_string(i, j, str(value), fmt_text if col.kind in ("code", "unit") else fmt_plain)
                else:
                    ws.write_string(i, j, str(value), fmt_wrap)
        return ws

    sheet(PROCEDURE_SHEET, PROCEDURE_COLUMNS, [(r["code"], r) for r in records], code_first=False)
    for key, name in CHILD_SHEETS.items():
        sheet(name, CHILD_COLUMNS[key], [(r["code"], child) for r in records for child in r[key]], code_first=True)
    _guide_sheet(workbook, fmt_header, fmt_wrap)
    workbook.close()


_KIND_HELP = {
    "code": "Văn bản, ví dụ 1.001234",
    "str": "Văn bản",
    "text": "Văn bản",
    "unit": "Mã đơn vị trong danh mục đơn vị",
    "decimal": "Số dương, tối đa 2 chữ số thập phân",
    "percent": "Số > 0 và ≤ 100; tổng các bước của một thủ tục = 100",
    "int": "Số nguyên không âm",
    "bool": f"{YES} / {NO}",
    "date": "Ngày (dd/mm/yyyy)",
}


def _guide_sheet(workbook, fmt_header, fmt_wrap) -> None:
    ws = workbook.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 3, 80)
    for j, header in enumerate(("Trang", "Cột", "Bắt buộc", "Giá trị")):
        ws.write_string(0, j, header, fmt_header)
    i = 1
    sheets = [(PROCEDURE_SHEET, PROCEDURE_COLUMNS)] + [(CHILD_SHEETS[k], CHILD_COLUMNS[k]) for k in CHILD_SHEETS]
    for name, columns in sheets:
        if name != PROCEDURE_SHEET:
            ws.write_row(i, 0, [name, PROCEDURE_CODE_HEADER, YES, "Mã thủ tục có trong trang 'Thủ tục'"], fmt_wrap)
            i += 1
        for col in columns:
            if col.kind in ("choice", "choices"):
                help_text = _choice_help(col.choices) + ("; nhiều giá trị cách nhau bởi ';'" if col.kind == "choices" else "")
            else:
                help_text = _KIND_HELP[col.kind]
            ws.write_row(i, 0, [name, col.header, YES if col.required else "", help_text], fmt_wrap)
            i += 1
    ws.write_string(i + 1, 0, "Nhập từ tệp: mỗi thủ tục được cập nhật theo mã (hoặc thêm mới); các dòng của nó "
                              "trong những trang khác thay thế toàn bộ dòng cũ. Có lỗi thì không ghi gì.")


def _read_sheet(ws) -> tuple[list, list[tuple[int, tuple]]]:
    """Header cells and (Excel row number, values) of the non-empty data rows."""
    ws.reset_dimensions()
    header, rows = None, []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if header is None:
            header = list(values)
            continue
        if all(_is_blank(v) for v in values):
            continue
        rows.append((number, values))
    return header or [], rows


def _map_header(header, columns, sheet_name, errors, code_first) -> dict[str, int]:
    wanted = {}
    for col in columns:
        wanted[_norm(col.header)] = col.key
        wanted[_norm(col.key)] = col.key
    if code_first:
        wanted[_norm(PROCEDURE_CODE_HEADER)] = "procedure_code"
        wanted["procedure_code"] = "procedure_code"
    positions: dict[str, int] = {}
    for j, cell in enumerate(header):
        if isinstance(cell, str) and _norm(cell) in wanted:
            positions.setdefault(wanted[_norm(cell)], j)
    required = [c for c in columns if c.required] + (
        [Column("procedure_code", PROCEDURE_CODE_HEADER, "code", required=True)] if code_first else []
    )
    for col in required:
        if col.key not in positions:
            errors.append(RowError(sheet_name, 1, col.header, "thiếu cột bắt buộc"))
    return positions


_CODE_COLUMN = Column("procedure_code", PROCEDURE_CODE_HEADER, "code", required=True, max_length=20)


def parse_xlsx(stream: BinaryIO | str) -> tuple[list[ProcedureInput], list[RowError]]:
    import zipfile

    from openpyxl import load_workbook

    errors: list[RowError] = []
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        return [], [RowError(None, None, "", f"không đọc được tệp Excel (.xlsx): {exc}")]
    try:
        if PROCEDURE_SHEET not in workbook.sheetnames:
            return [], [RowError(PROCEDURE_SHEET, None, "", "thiếu trang tính 'Thủ tục'")]
        headers = {c.key: c.header for c in PROCEDURE_COLUMNS}
        header, rows = _read_sheet(workbook[PROCEDURE_SHEET])
        positions = _map_header(header, PROCEDURE_COLUMNS, PROCEDURE_SHEET, errors, code_first=False)
        if errors:
            return [], errors
        inputs: list[ProcedureInput] = []
        by_code: dict[str, ProcedureInput] = {}
        for number, cells in rows:
            raw = {key: (cells[j] if j < len(cells) else None) for key, j in positions.items()}
            ref = RowRef(PROCEDURE_SHEET, number, headers=headers)
            item = ProcedureInput(ref, _parse_row(PROCEDURE_COLUMNS, raw, ref, errors))
            code = item.values.get("code")
            if code:
                by_code.setdefault(code, item)
            inputs.append(item)

        for key, name in CHILD_SHEETS.items():
            if name not in workbook.sheetnames:
                continue  # a missing sheet leaves those rows unchanged
            for item in inputs:
                item.children[key] = []
            columns = CHILD_COLUMNS[key]
            headers = {c.key: c.header for c in columns} | {"procedure_code": PROCEDURE_CODE_HEADER}
            header, rows = _read_sheet(workbook[name])
            sheet_errors: list[RowError] = []
            positions = _map_header(header, columns, name, sheet_errors, code_first=True)
            errors.extend(sheet_errors)
            if sheet_errors:
                continue
            orphans: dict[str, list[int]] = {}  # unknown procedure code → its rows (one error per code)
            for number, cells in rows:
                raw = {k: (cells[j] if j < len(cells) else None) for k, j in positions.items()}
                ref = RowRef(name, number, headers=headers)
                try:
                    code = parse_value(_CODE_COLUMN, raw.get("procedure_code"))
                except BadValue as bad:
                    errors.append(ref.error("procedure_code", str(bad)))
                    code = None
                owner = by_code.get(code) if code else None
                if code and owner is None:
                    if code not in orphans:
                        orphans[code] = []
                        errors.append(ref.error("procedure_code", ""))  # message filled in below
                    orphans[code].append(number)
                position = len(owner.children[key]) if owner else None
                child = ChildInput(ref, _parse_row(columns, raw, ref, errors, position))
                if owner:
                    owner.children[key].append(child)
            for code, numbers in orphans.items():
                i = next(i for i, e in enumerate(errors) if e.sheet == name and e.row == numbers[0] and not e.message)
                more = f" (các dòng {', '.join(map(str, numbers))})" if len(numbers) > 1 else ""
                errors[i] = RowError(name, numbers[0], PROCEDURE_CODE_HEADER,
                                     f"mã thủ tục {code} không có trong trang '{PROCEDURE_SHEET}'{more}")
        for item in inputs:
            for key in CHILD_SHEETS:
                item.children.setdefault(key, None)
        return inputs, errors
    finally:
        workbook.close()


def import_xlsx(stream: BinaryIO | str, *, dry_run: bool = False) -> ImportResult:
    """Validate and upsert the procedures of a workbook (as written by `export_xlsx`); all-or-nothing."""
    inputs, errors = parse_xlsx(stream)
    return import_catalogue(inputs, errors, dry_run=dry_run)
