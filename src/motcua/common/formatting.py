"""Numbers and dates as Vietnamese writes them: `200.000 đ`, `64,93` (dot for thousands, comma for
decimals), `05/03/2026`, `09 giờ 00 phút, ngày 05/03/2026` (times in Asia/Ho_Chi_Minh).

One place for every page, PDF, e-mail, SMS and Excel label, so the desk, the receipt and the
chairman's report never disagree (English pages keep the English separators through `number`)."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import formats, timezone

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _group(digits: str, separator: str) -> str:
    head, rest = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3:]
    return separator.join([head] + [rest[i:i + 3] for i in range(0, len(rest), 3)])


def number(value, places: int = 0, *, vietnamese: bool | None = None) -> str:
    """`value` with `places` decimals and grouped thousands; Vietnamese separators unless the active
    language is English (or `vietnamese` says otherwise)."""
    if value is None or value == "":
        return "–"
    if vietnamese is None:
        vietnamese = formats.get_format("DECIMAL_SEPARATOR") != "."
    thousands, decimal = (".", ",") if vietnamese else (",", ".")
    text = f"{abs(Decimal(str(value))):.{places}f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if Decimal(str(value)) < 0 and Decimal(text) != 0 else ""
    return sign + _group(whole, thousands) + (decimal + fraction if fraction else "")


def vnd(amount, unit: str | None = None) -> str:
    """An amount of money: 200000 → '200.000 đ' on Vietnamese pages, '200,000 VND' on English ones;
    letters and official documents (always Vietnamese) write the unit out: `unit="đồng"`."""
    if amount is None:
        return "–"
    if unit is not None:
        return f"{number(int(amount), vietnamese=True)} {unit}"
    vietnamese = formats.get_format("DECIMAL_SEPARATOR") != "."
    return f"{number(int(amount), vietnamese=vietnamese)} {'đ' if vietnamese else 'VND'}"


def local(dt: datetime | None) -> datetime | None:
    return None if dt is None else timezone.localtime(dt, VN)


def fmt_date(value: datetime | date | None) -> str:
    """dd/mm/yyyy (an aware datetime is taken in Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value:%d/%m/%Y}"


def fmt_datetime(value: datetime | None) -> str:
    """'09 giờ 00 phút, ngày 05/03/2026' as on the forms."""
    if value is None:
        return ""
    value = local(value)
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def fmt_short(value: datetime | None) -> str:
    """'09:00 05/03/2026' for tables."""
    if value is None:
        return ""
    value = local(value)
    return f"{value:%H:%M} {value:%d/%m/%Y}"


def date_line(place: str, day: date) -> str:
    """'Bắc Ninh, ngày 05 tháng 3 năm 2026': days below 10 and months 1–2 take a leading zero
    (the administrative-document rule of Decree 30/2020)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
