"""Every write to the work calendar, and the province's calendar built from data.

The province calendar = the `holidays` package's Vietnamese holidays for MOTCUA_CALENDAR_YEARS,
corrected by the government's notices (`notices.json`, see `notices`), then by the admin-managed
`CalendarOverride` rows (the province's own decisions, each citing its source document), with
office hours and the same-day cut-off from MOTCUA_OFFICE_HOURS / MOTCUA_SAME_DAY_CUTOFF.

The calendar is cached per process and invalidated when an override is saved or deleted in this
process (see `signals`). Another process (e.g. the demo loader) sees the change on its next start
or after calling `invalidate_calendar_cache()`.
"""
from __future__ import annotations

import re
import threading
from datetime import date, datetime
from functools import lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from .calendar import OfficeHours, TimeUnit, WorkCalendar
from .models import CalendarDay, CalendarOverride, OverrideKind
from .notices import official_days

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


# -- configuration -----------------------------------------------------------------------------


EPOCH = date(1970, 1, 1)


def calendar_years(value: str | None = None) -> range:
    """Parse MOTCUA_CALENDAR_YEARS ("2024-2028" or "2026")."""
    text = (settings.MOTCUA_CALENDAR_YEARS if value is None else value).strip()
    match = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", text)
    if not match:
        raise ValueError(
            f"calendar years: expected 'YYYY-YYYY' or 'YYYY' (e.g. 2024-2028), got {text!r}"
        )
    start, end = int(match[1]), int(match[2] or match[1])
    if not 1900 <= start <= end <= 2200:
        raise ValueError(f"calendar years: {text!r} is not an increasing range of years")
    return range(start, end + 1)


def office_hours() -> OfficeHours:
    return OfficeHours.parse(settings.MOTCUA_OFFICE_HOURS, settings.MOTCUA_SAME_DAY_CUTOFF)


@lru_cache(maxsize=8)
def _official_days(years: tuple[int, ...]) -> tuple[frozenset[date], frozenset[date]]:
    holidays, swapped = official_days(years)
    return frozenset(holidays), frozenset(swapped)


def build_calendar(
    overrides: list[tuple[date, str]] | None = None, years: range | None = None
) -> WorkCalendar:
    """A WorkCalendar from the holidays package, the government's notices and ``overrides``
    (``(date, kind)`` pairs; read from the database when None). A notice beats the package; an
    override beats both."""
    years = calendar_years() if years is None else years
    if overrides is None:
        overrides = list(CalendarOverride.objects.values_list("date", "kind"))
    holidays, swapped = (set(s) for s in _official_days(tuple(years)))
    for day, kind in overrides:
        if kind == OverrideKind.HOLIDAY:
            holidays.add(day)
            swapped.discard(day)
        else:
            holidays.discard(day)
            if day.weekday() >= 5:
                swapped.add(day)
    return WorkCalendar(holidays, swapped, office_hours(), tz=settings.TIME_ZONE)


def _settings_key() -> tuple:
    return (
        settings.MOTCUA_OFFICE_HOURS,
        settings.MOTCUA_SAME_DAY_CUTOFF,
        settings.MOTCUA_CALENDAR_YEARS,
        settings.TIME_ZONE,
    )


def province_calendar() -> WorkCalendar:
    """The province's work calendar (cached; rebuilt after an override changes)."""
    global _cached
    key = _settings_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        calendar = build_calendar()
        _cached = (key, calendar)
        return calendar


def invalidate_calendar_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def deadline(start: datetime, amount, unit: TimeUnit | str) -> datetime:
    """The appointment (ngày hẹn trả) on the province calendar: see `WorkCalendar.add`."""
    return province_calendar().add(start, amount, unit)


# -- writes ------------------------------------------------------------------------------------


def _calendar_rows(years: range, using: str) -> list[CalendarDay]:
    overrides = list(CalendarOverride.objects.using(using).values_list("date", "kind"))
    calendar = build_calendar(overrides, years)
    return [
        CalendarDay(date=d, is_working_day=working, working_day_ordinal=ordinal,
                    day_number=(d - EPOCH).days)
        for d, working, ordinal in calendar.calendar_rows(date(years[0], 1, 1), date(years[-1], 12, 31))
    ]


def rebuild_calendar_table(years: range | None = None, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Replace the precomputed `CalendarDay` table for ``years`` (default MOTCUA_CALENDAR_YEARS)
    in one transaction. Returns the number of rows written."""
    years = calendar_years() if years is None else years
    with transaction.atomic(using=using):
        rows = _calendar_rows(years, using)
        CalendarDay.objects.using(using).all().delete()
        CalendarDay.objects.using(using).bulk_create(rows, batch_size=1000)
    return len(rows)


def ensure_calendar_table(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Rebuild the table unless it already holds exactly the calendar of the configured years, the
    notices and the overrides (after `migrate`: a new line of `notices.json` reaches the table).
    Returns the number of rows written (0 when it was up to date)."""
    years = calendar_years()
    expected = [(r.date, r.is_working_day, r.working_day_ordinal, r.day_number)
                for r in _calendar_rows(years, using)]
    stored = list(CalendarDay.objects.using(using).order_by("date")
                  .values_list("date", "is_working_day", "working_day_ordinal", "day_number"))
    if stored == expected:
        return 0
    return rebuild_calendar_table(years, using=using)


def save_override(override: CalendarOverride) -> CalendarOverride:
    """Validate and save an override, then rebuild the calendar table (one transaction)."""
    override.full_clean()
    with transaction.atomic():
        override.save()
        invalidate_calendar_cache()
        rebuild_calendar_table()
    transaction.on_commit(invalidate_calendar_cache)
    return override


def set_override(
    *, day: date, kind: OverrideKind | str, name: str, source_document: str
) -> CalendarOverride:
    """Declare ``day`` a holiday or a working day (creating or replacing its override)."""
    override = CalendarOverride.objects.filter(date=day).first() or CalendarOverride(date=day)
    override.kind = kind
    override.name = name
    override.source_document = source_document
    return save_override(override)


def delete_overrides(overrides) -> int:
    """Delete overrides (instances or a queryset), then rebuild the table (one transaction)."""
    with transaction.atomic():
        if hasattr(overrides, "delete") and not isinstance(overrides, CalendarOverride):
            count, _ = overrides.delete()
        else:
            items = [overrides] if isinstance(overrides, CalendarOverride) else list(overrides)
            count = 0
            for item in items:
                item.delete()
                count += 1
        invalidate_calendar_cache()
        rebuild_calendar_table()
    transaction.on_commit(invalidate_calendar_cache)
    return count


def delete_override(override: CalendarOverride) -> None:
    delete_overrides(override)


def table_exists(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return CalendarDay._meta.db_table in connection.introspection.table_names(cursor)
