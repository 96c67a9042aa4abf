"""The province's work calendar and working-time arithmetic (lịch làm việc, thời hạn giải quyết).

Pure Python: no Django here, so the dossier rules, the index engines and the tests share one
definition of "working time".

Model
-----
* A day is a working day iff it is Monday–Friday and not a holiday, or it is a weekend day
  swapped into a working day (ngày làm bù); an explicit holiday beats everything.
* Working time is measured in working days. One working day is the sum of the office periods
  (7.5 h with the default 07:30–11:30, 13:30–17:00) and one working hour is 1/8 of a working day
  (one-stop.md: "one working day = 8 working hours").
* Every instant has a *working position*: the working time elapsed since a fixed epoch. It only
  advances during office periods on working days and is flat at night, over lunch, on weekends
  and on holidays. A deadline is the instant at which the position reaches
  ``position(received) + limit``. Where several instants share that position (a flat stretch),
  the deadline is the earliest of them inside an office period [start, end) of a working day,
  except that the end of a working day's last period stays that day's close. Hence a limit
  that ends on the boundary between two office periods of a day (the lunch break) is due when
  the later period starts (13:30: received Monday 13:30 + 1 working day → due Tuesday 13:30;
  07:30 + exactly 4 office hours → 13:30), and a limit that ends exactly on a day boundary is
  due at the end of that working day (17:00), never at 07:30 of the next.

Positions are integers of microseconds of working time, exposed as exact ``Fraction`` s of a
working day. The only rounding is up to a whole microsecond when ``amount × day length`` is not
a whole number of microseconds (never the case for whole working days or hours with office
hours given to the minute).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from numbers import Rational
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

__all__ = [
    "DEFAULT_TZ",
    "OfficeHours",
    "TimeUnit",
    "WorkCalendar",
    "WORKING_HOURS_PER_DAY",
    "vietnam_public_holidays",
]

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WORKING_HOURS_PER_DAY = 8  # one-stop.md: one working day = 8 working hours
_EPOCH = date(2000, 1, 3)  # a Monday; working-day ordinals count from here (any fixed day works)
_MICRO = 1_000_000
_DAY_MICROS = 86_400 * _MICRO


def _micros(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _MICRO + t.microsecond


def _time_of(micros: int) -> time:
    seconds, micro = divmod(micros, _MICRO)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def _parse_time(text: str, what: str) -> time:
    match = _HHMM.match(text)
    if not match:
        raise ValueError(f"{what}: {text!r} is not a time of day in HH:MM form (e.g. 07:30)")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{what}: {text!r} is not a valid time of day (00:00–23:59)")
    return time(hour, minute, second)


# --------------------------------------------------------------------------------------------
# Office hours
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeHours:
    """Office periods of a working day (giờ làm việc) and the same-day cut-off (giờ nhận hồ sơ
    trả trong ngày)."""

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    same_day_cutoff: time = time(15, 0)

    def __post_init__(self) -> None:
        try:
            periods = tuple((start, end) for start, end in self.periods)
        except (TypeError, ValueError):
            raise ValueError(
                "office hours: periods must be a sequence of (start, end) time pairs"
            ) from None
        if not periods:
            raise ValueError("office hours: at least one office period is required")
        previous_end: time | None = None
        for start, end in periods:
            if not isinstance(start, time) or not isinstance(end, time):
                raise ValueError("office hours: each period must be a pair of datetime.time")
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office hours: period times are local wall-clock times (no tzinfo)")
            if start >= end:
                raise ValueError(
                    f"office hours: period {start:%H:%M}-{end:%H:%M} must start before it ends"
                )
            if previous_end is not None and start < previous_end:
                raise ValueError(
                    f"office hours: period starting {start:%H:%M} overlaps or precedes the "
                    f"previous one ending {previous_end:%H:%M}; list periods in order"
                )
            previous_end = end
        if not isinstance(self.same_day_cutoff, time) or self.same_day_cutoff.tzinfo is not None:
            raise ValueError("office hours: same_day_cutoff must be a naive datetime.time")
        object.__setattr__(self, "periods", periods)

    @classmethod
    def parse(cls, periods: str, same_day_cutoff: str = "15:00") -> OfficeHours:
        """Parse ``"07:30-11:30,13:30-17:00"`` and ``"15:00"`` (the MOTCUA_* settings)."""
        if not isinstance(periods, str) or not periods.strip():
            raise ValueError(
                "office hours: expected periods like '07:30-11:30,13:30-17:00', got "
                f"{periods!r}"
            )
        parsed = []
        for chunk in periods.split(","):
            bounds = chunk.split("-")
            if len(bounds) != 2:
                raise ValueError(
                    f"office hours: {chunk.strip()!r} is not a period 'HH:MM-HH:MM' "
                    "(periods are separated by commas, e.g. '07:30-11:30,13:30-17:00')"
                )
            parsed.append(
                (
                    _parse_time(bounds[0], "office hours"),
                    _parse_time(bounds[1], "office hours"),
                )
            )
        if not isinstance(same_day_cutoff, str):
            raise ValueError(f"same-day cut-off: expected 'HH:MM', got {same_day_cutoff!r}")
        return cls(tuple(parsed), _parse_time(same_day_cutoff, "same-day cut-off"))

    @property
    def day_length(self) -> timedelta:
        """Office time in one working day (7 h 30 min by default)."""
        return timedelta(microseconds=self.day_micros)

    @property
    def day_micros(self) -> int:
        return sum(_micros(end) - _micros(start) for start, end in self.periods)

    @property
    def opens(self) -> time:
        return self.periods[0][0]

    @property
    def closes(self) -> time:
        return self.periods[-1][1]

    def __str__(self) -> str:
        return ",".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.periods)


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


class TimeUnit(str, Enum):
    """Unit of a procedure's time limit (đơn vị thời hạn giải quyết)."""

    WORKING_DAYS = "working_days"  # ngày làm việc
    WORKING_HOURS = "working_hours"  # giờ làm việc (1/8 working day)
    DAYS = "days"  # ngày (calendar days)
    MONTHS = "months"  # tháng
    IN_DAY = "in_day"  # trong ngày

    def __str__(self) -> str:
        return self.value


def _as_fraction(amount, unit: TimeUnit) -> Fraction:
    if isinstance(amount, bool):
        raise ValueError(f"time limit must be a number, got {amount!r}")
    if isinstance(amount, (int, Rational)):
        value = Fraction(amount)
    elif isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ValueError(f"time limit must be a finite number, got {amount!r}")
        value = Fraction(amount)
    elif isinstance(amount, float):
        if not math.isfinite(amount):
            raise ValueError(f"time limit must be a finite number, got {amount!r}")
        value = Fraction(repr(amount))
    else:
        raise ValueError(f"time limit must be a number, got {amount!r} ({type(amount).__name__})")
    if value < 0:
        raise ValueError(f"time limit must not be negative, got {amount} {unit.value}")
    return value


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


def _weekdays_through(d: date) -> int:
    """Signed count of Monday–Friday dates in [_EPOCH, d] (so differences count (a, b])."""
    n = (d - _EPOCH).days + 1
    weeks, rest = divmod(n, 7)
    return 5 * weeks + min(rest, 5)


def _weekday_with_count(count: int) -> date:
    """The Monday–Friday date ``d`` with ``_weekdays_through(d) == count``."""
    weeks, rest = divmod(count - 1, 5)
    return _EPOCH + timedelta(days=7 * weeks + rest)


class WorkCalendar:
    """A work calendar: holidays, swapped Saturdays, office hours and the local time zone.

    All datetimes given must be timezone-aware; results are in the calendar's time zone.
    Treat an instance as immutable: it precomputes its tables once.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        working_weekend_days: Iterable[date] = (),
        hours: OfficeHours | None = None,
        tz: tzinfo | str = DEFAULT_TZ,
    ) -> None:
        self.holidays: frozenset[date] = _date_set(holidays, "holidays")
        self.working_weekend_days: frozenset[date] = _date_set(
            working_weekend_days, "working_weekend_days"
        )
        hours = OfficeHours() if hours is None else hours
        if not isinstance(hours, OfficeHours):
            raise ValueError(f"hours must be an OfficeHours, got {type(hours).__name__}")
        self.hours = hours
        if isinstance(tz, str):
            tz = ZoneInfo(tz)
        if not isinstance(tz, tzinfo):
            raise ValueError(f"tz must be a tzinfo or a zone name, got {tz!r}")
        self.tz = tz
        self._precompute()

    def __repr__(self) -> str:
        return (
            f"<WorkCalendar {len(self.holidays)} holidays, {len(self.working_weekend_days)} "
            f"working weekend days, hours {self.hours}, cut-off "
            f"{self.hours.same_day_cutoff:%H:%M}, {self.tz}>"
        )

    # -- precomputation ------------------------------------------------------------------------

    def _precompute(self) -> None:
        hours = self.hours
        self._bounds = tuple((_micros(s), _micros(e)) for s, e in hours.periods)
        self._day_micros = hours.day_micros
        self._cutoff_micros = _micros(hours.same_day_cutoff)

        # Dense tables over the years that hold a special date; outside them the calendar is
        # plain Monday–Friday, shifted by the net effect of the special dates before.
        special = self.holidays | self.working_weekend_days
        if special:
            lo = date(max(min(special).year - 1, 1), 1, 1)
            hi = date(min(max(special).year + 1, 9999), 12, 31)
        else:
            lo = hi = _EPOCH
        ordinals: list[int] = []
        working: list[date] = []
        ordinal = _weekdays_through(lo - timedelta(days=1))  # no special date before lo
        d = lo
        one = timedelta(days=1)
        while d <= hi:
            if self._is_working_day_uncached(d):
                ordinal += 1
                working.append(d)
            ordinals.append(ordinal)
            d += one
        self._lo, self._hi = lo, hi
        self._ordinals = ordinals
        self._working = working  # working days in [lo, hi], ordinals consecutive
        self._first_ordinal = ordinals[(working[0] - lo).days] if working else ordinals[0] + 1
        # after the range the calendar is plain Monday–Friday shifted by this many days
        self._shift_after = ordinals[-1] - _weekdays_through(hi)

    def _is_working_day_uncached(self, d: date) -> bool:
        if d in self.holidays:
            return False
        return d.weekday() < 5 or d in self.working_weekend_days

    # -- days ----------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """True iff ``d`` is a working day (ngày làm việc)."""
        d = _as_date(d)
        return self._is_working_day_uncached(d)

    def working_day_ordinal(self, d: date) -> int:
        """Number of working days in [epoch, d]: increases by one exactly on working days, so
        ``working_day_ordinal(b) - working_day_ordinal(a)`` counts working days in (a, b]."""
        d = _as_date(d)
        if d < self._lo:
            return _weekdays_through(d)
        if d > self._hi:
            return _weekdays_through(d) + self._shift_after
        return self._ordinals[(d - self._lo).days]

    def working_day_with_ordinal(self, ordinal: int) -> date:
        """The working day whose ``working_day_ordinal`` is ``ordinal``."""
        index = ordinal - self._first_ordinal
        if 0 <= index < len(self._working):
            return self._working[index]
        if index < 0:
            return _weekday_with_count(ordinal)
        return _weekday_with_count(ordinal - self._shift_after)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.working_day_with_ordinal(self.working_day_ordinal(d) + 1)

    def working_day_on_or_after(self, d: date) -> date:
        d = _as_date(d)
        return d if self.is_working_day(d) else self.next_working_day(d)

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days in [start, end]."""
        first = self.working_day_ordinal(start) + (0 if self.is_working_day(start) else 1)
        last = self.working_day_ordinal(end)
        return [self.working_day_with_ordinal(k) for k in range(first, last + 1)]

    def calendar_rows(self, start: date, end: date) -> Iterator[tuple[date, bool, int]]:
        """``(date, is_working_day, working_day_ordinal)`` for every date in [start, end]: the
        precomputed table SQL engines join."""
        start, end = _as_date(start), _as_date(end)
        one = timedelta(days=1)
        d = start
        while d <= end:
            yield d, self.is_working_day(d), self.working_day_ordinal(d)
            d += one

    # -- instants ------------------------------------------------------------------------------

    def _local(self, dt: datetime, what: str = "datetime") -> datetime:
        if not isinstance(dt, datetime):
            raise ValueError(f"{what} must be a datetime, got {type(dt).__name__}")
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(
                f"{what} {dt.isoformat()} is naive; pass a timezone-aware datetime "
                f"(e.g. in {self.tz})"
            )
        return dt.astimezone(self.tz)

    def _at(self, d: date, micros: int) -> datetime:
        return datetime.combine(d, _time_of(micros), tzinfo=self.tz)

    def _position(self, local: datetime) -> int:
        """Working position of a local datetime in microseconds of working time."""
        d = local.date()
        ordinal = self.working_day_ordinal(d)
        if not self._is_working_day_uncached(d):
            return ordinal * self._day_micros
        now = _micros(local.time())
        elapsed = 0
        for start, end in self._bounds:
            if now <= start:
                break
            elapsed += min(now, end) - start
        return (ordinal - 1) * self._day_micros + elapsed

    def _instant(self, position: int) -> datetime:
        """The instant of working position ``position`` (microseconds), on a working day.

        ``position`` belongs to the working day whose start it is strictly after and whose end it
        is at or before, so a day boundary is the END of the earlier working day (17:00, never
        07:30 of the next). Within that day it is the instant in an office period [start, end)
        with that position, except that the end of the day's last period is the day's close; so
        a boundary between two periods of the day (the lunch break) is the later period's start
        (13:30, not 11:30)."""
        ordinal, offset = divmod(position, self._day_micros)
        if offset == 0:
            offset = self._day_micros  # a day boundary is the END of the previous working day
        else:
            ordinal += 1
        d = self.working_day_with_ordinal(ordinal)
        done = 0
        last = len(self._bounds) - 1
        for i, (start, end) in enumerate(self._bounds):
            length = end - start
            # Strictly before this period's end, or the day's last period (its end is the close).
            # At the end of an earlier period we go on: the next period starts at offset - done = 0.
            if offset < done + length or i == last:
                return self._at(d, start + offset - done)
            done += length
        raise AssertionError("unreachable: offset beyond the office day")  # pragma: no cover

    def position(self, dt: datetime) -> Fraction:
        """Working time (in working days) elapsed from the calendar's epoch to ``dt``."""
        return Fraction(self._position(self._local(dt)), self._day_micros)

    def instant_at(self, position: Fraction | int) -> datetime:
        """The instant at which the working position reaches ``position`` (working days, rounded
        up to a whole microsecond): inside an office period of a working day, or at a day's close
        if ``position`` is a day boundary; a boundary between two periods of a day is the later
        period's start (see the module docstring)."""
        micros = math.ceil(Fraction(position) * self._day_micros)
        return self._instant(micros)

    def is_office_time(self, dt: datetime) -> bool:
        local = self._local(dt)
        if not self._is_working_day_uncached(local.date()):
            return False
        now = _micros(local.time())
        return any(start <= now < end for start, end in self._bounds)

    def next_working_instant(self, dt: datetime) -> datetime:
        """``dt`` itself if it falls inside an office period on a working day, else the start of
        the next office period (an online dossier submitted outside office hours counts as
        received then)."""
        local = self._local(dt)
        d = local.date()
        if self._is_working_day_uncached(d):
            now = _micros(local.time())
            for start, end in self._bounds:
                if now < start:
                    return self._at(d, start)
                if now < end:
                    return local
        return self._at(self.next_working_day(d), self._bounds[0][0])

    def end_of_working_day(self, d: date) -> datetime:
        """Close of office (17:00 by default) on ``d``."""
        return self._at(_as_date(d), self._bounds[-1][1])

    # -- deadlines -----------------------------------------------------------------------------

    def add(self, start: datetime, amount, unit: TimeUnit | str) -> datetime:
        """The deadline (ngày hẹn trả) for a time limit of ``amount`` ``unit`` from reception
        at ``start``.

        * ``WORKING_DAYS`` / ``WORKING_HOURS``: working time (a working hour is 1/8 working
          day); fractions allowed. Counted from ``next_working_instant(start)``; amount 0 gives
          that instant. A positive amount is due inside an office period of a working day, or at
          the close (17:00) if it ends exactly at the end of a working day; one that ends on the
          lunch break (the boundary between two periods of a day) is due when the office reopens
          (13:30), e.g. received Monday 13:30 + 1 working day → Tuesday 13:30.
        * ``IN_DAY``: received before the cut-off (15:00) → close of that working day; at or after
          it → close of the next working day. ``amount`` must be 1 (0 is accepted as the same).
        * ``DAYS`` / ``MONTHS``: calendar days / months (whole numbers) from the reception date;
          due at close of office that day, or of the next working day if it is not one.
        """
        unit = _as_unit(unit)
        value = _as_fraction(amount, unit)
        received = self.next_working_instant(self._local(start, "start"))
        if unit in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS):
            if unit is TimeUnit.WORKING_HOURS:
                value /= WORKING_HOURS_PER_DAY
            if value == 0:
                return received
            return self._instant(self._position(received) + math.ceil(value * self._day_micros))
        if value.denominator != 1:
            raise ValueError(f"a time limit in {unit.value} must be a whole number, got {amount}")
        n = int(value)
        day = received.date()
        if unit is TimeUnit.IN_DAY:
            if n not in (0, 1):
                raise ValueError(f"an 'in the day' time limit takes amount 1, got {amount}")
            if _micros(received.time()) >= self._cutoff_micros:
                day = self.next_working_day(day)
            return self.end_of_working_day(day)
        if unit is TimeUnit.DAYS:
            target = day + timedelta(days=n)
        else:
            target = day + relativedelta(months=n)
        return self.end_of_working_day(self.working_day_on_or_after(target))

    def postpone(self, appointment: datetime, paused) -> datetime:
        """The appointment moved later by ``paused`` working days (the working time a supplement
        request stopped the clock; one-stop.md, Deadlines): ``appointment`` itself when nothing was
        paused, else the instant ``add`` gives — the same as computing the deadline afresh, so a
        move that ends on a day boundary is due at that day's close (17:00). The one rule the
        services, the early warning, the control sheet and the index engine follow (the engine
        restates it in SQL: ``index.engine.facts._by_clock``)."""
        paused = Fraction(paused)
        if paused < 0:
            raise ValueError(f"paused working time must not be negative, got {paused}")
        return self._local(appointment, "appointment") if paused == 0 else self.add(
            appointment, paused, TimeUnit.WORKING_DAYS)

    def working_time_between(self, a: datetime, b: datetime) -> Fraction:
        """Working time from ``a`` to ``b`` in working days (negative if ``b < a``): office time
        on working days only. Multiply by 8 for working hours."""
        pa = self._position(self._local(a, "a"))
        pb = self._position(self._local(b, "b"))
        return Fraction(pb - pa, self._day_micros)


def _as_unit(unit) -> TimeUnit:
    try:
        return TimeUnit(unit)
    except ValueError:
        choices = ", ".join(u.value for u in TimeUnit)
        raise ValueError(f"unknown time unit {unit!r}; expected one of: {choices}") from None


def _as_date(d) -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise ValueError(f"expected a date, got {d!r}")
    return d


def _date_set(values: Iterable[date], what: str) -> frozenset[date]:
    result = set()
    for value in values:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"{what}: expected dates, got {value!r}")
        result.add(value)
    return frozenset(result)


# --------------------------------------------------------------------------------------------
# Vietnam's public holidays
# --------------------------------------------------------------------------------------------


def vietnam_public_holidays(years: Iterable[int]) -> tuple[set[date], set[date]]:
    """``(holidays, working_weekend_days)`` for ``years`` from the ``holidays`` package: New
    Year, lunar Tết (29/30 to day 5), Hùng Kings' day (lunar 10/3), 30/4, 1/5, 2/9 (+1 day),
    Vietnam Cultural Day (24/11 from 2026), observed and compensatory days off, and the weekend
    days swapped into working days by government notice (e.g. Saturday 2026-08-22)."""
    import holidays as holidays_package

    years = sorted({int(y) for y in years})
    if not years:
        return set(), set()
    calendar = holidays_package.Vietnam(years=years)
    wanted = set(years)
    days_off = {d for d in calendar if d.year in wanted}
    swapped = {d for d in getattr(calendar, "weekend_workdays", ()) if d.year in wanted}
    return days_off, swapped - days_off
