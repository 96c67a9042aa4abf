"""Reporting periods: months, quarters, years, year to date, any date range (local dates)."""
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """[start, end) in local dates; `key` names it: 2026-10, 2026-Q4, 2026, 2026-YTD-10, 2026-03-01..2026-03-15."""

    key: str
    start: date
    end: date

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError(f"period {self.key}: end {self.end} must be after start {self.start}")


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def month(year: int, month_: int) -> Period:
    if not 1 <= month_ <= 12:
        raise ValueError(f"tháng {month_} không tồn tại")
    return Period(f"{year}-{month_:02d}", _month_start(year, month_), _month_start(year, month_ + 1))


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValueError(f"quý {q} không tồn tại")
    return Period(f"{year}-Q{q}", _month_start(year, 3 * q - 2), _month_start(year, 3 * q + 1))


def year(year_: int) -> Period:
    return Period(str(year_), date(year_, 1, 1), date(year_ + 1, 1, 1))


def year_to_date(year_: int, through_month: int) -> Period:
    if not 1 <= through_month <= 12:
        raise ValueError(f"tháng {through_month} không tồn tại")
    return Period(f"{year_}-YTD-{through_month:02d}", date(year_, 1, 1), _month_start(year_, through_month + 1))


def date_range(first: date, last: date) -> Period:
    """Both days included."""
    return Period(f"{first.isoformat()}..{last.isoformat()}", first, last + timedelta(days=1))


def parse(key: str) -> Period:
    """The period a key names (the inverse of Period.key), or ValueError."""
    try:
        if ".." in key:
            first, last = key.split("..")
            return date_range(date.fromisoformat(first), date.fromisoformat(last))
        parts = key.split("-")
        if len(parts) == 1:
            return year(int(parts[0]))
        if parts[1].startswith("Q"):
            return quarter(int(parts[0]), int(parts[1][1:]))
        if parts[1] == "YTD":
            return year_to_date(int(parts[0]), int(parts[2]))
        return month(int(parts[0]), int(parts[1]))
    except (ValueError, IndexError):
        raise ValueError(f"không hiểu kỳ '{key}' (ví dụ: 2026-10, 2026-Q4, 2026, 2026-YTD-10, "
                         "2026-03-01..2026-03-15)") from None
