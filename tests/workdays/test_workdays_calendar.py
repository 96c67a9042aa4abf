"""Dated cases, computed by hand, on the Vietnamese calendar 2024–2028 (holidays package 0.109)."""
from datetime import date, time, timedelta
from fractions import Fraction

import pytest

from motcua.workdays.calendar import OfficeHours, TimeUnit, WorkCalendar, vietnam_public_holidays

from .conftest import at

WD, WH, DAYS, MONTHS, IN_DAY = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.DAYS,
    TimeUnit.MONTHS,
    TimeUnit.IN_DAY,
)


# -- the holidays package ------------------------------------------------------------------------


def test_package_holidays_2026_and_2027():
    holidays, swapped = vietnam_public_holidays([2026, 2027])
    tet_2026 = {date(2026, 2, d) for d in range(16, 21)}
    tet_2027 = {date(2027, 2, d) for d in range(4, 11)}
    assert tet_2026 <= holidays and tet_2027 <= holidays
    assert {date(2026, 4, 30), date(2026, 5, 1), date(2026, 4, 27)} <= holidays  # 27/4: Hùng Kings observed
    assert {date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)} <= holidays
    assert swapped == {date(2026, 8, 22)}  # only the requested years
    assert all(d.year in (2026, 2027) for d in holidays)


def test_no_years_no_holidays():
    assert vietnam_public_holidays([]) == (set(), set())


# -- days --------------------------------------------------------------------------------------


def test_working_days(vn_calendar):
    cal = vn_calendar
    assert cal.is_working_day(date(2026, 2, 13))  # Friday before Tết
    assert not any(cal.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert cal.is_working_day(date(2026, 2, 23))
    assert not any(cal.is_working_day(date(2027, 2, d)) for d in range(4, 11))
    assert cal.is_working_day(date(2027, 2, 11))
    assert cal.is_working_day(date(2026, 8, 22))  # Saturday swapped into a working day
    assert not cal.is_working_day(date(2026, 8, 23))
    assert not cal.is_working_day(date(2026, 8, 31))
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_explicit_holiday_beats_swapped_weekend_day():
    cal = WorkCalendar([date(2026, 8, 22)], [date(2026, 8, 22)])
    assert not cal.is_working_day(date(2026, 8, 22))


def test_ordinals_count_working_days(vn_calendar):
    cal = vn_calendar
    # Tết 2026: Fri 13 Feb and Mon 23 Feb are consecutive working days.
    assert cal.working_day_ordinal(date(2026, 2, 23)) - cal.working_day_ordinal(date(2026, 2, 13)) == 1
    assert cal.working_day_ordinal(date(2026, 2, 18)) == cal.working_day_ordinal(date(2026, 2, 13))
    rows = list(cal.calendar_rows(date(2026, 8, 20), date(2026, 8, 24)))
    assert [(d.day, w) for d, w, _ in rows] == [(20, True), (21, True), (22, True), (23, False), (24, True)]
    assert [o - rows[0][2] for _, _, o in rows] == [0, 1, 2, 2, 3]
    assert cal.working_day_with_ordinal(rows[2][2]) == date(2026, 8, 22)
    assert cal.working_days(date(2026, 2, 12), date(2026, 2, 24)) == [
        date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 23), date(2026, 2, 24)
    ]


# -- deadlines in working time -------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, amount, unit, expected",
    [
        # Tết 2026 (16–20 Feb off): Fri 13 Feb 16:00 leaves 1 h of the day; +1 → Mon 23 Feb 16:00.
        (at(2026, 2, 13, 16), 1, WD, at(2026, 2, 23, 16)),
        (at(2026, 2, 13, 16), 2, WD, at(2026, 2, 24, 16)),
        # Tết 2027 (Thu 4 – Wed 10 Feb off).
        (at(2027, 2, 3, 9), 1, WD, at(2027, 2, 11, 9)),
        (at(2027, 2, 3, 9), 2, WD, at(2027, 2, 12, 9)),
        (at(2027, 2, 3, 7, 30), 1, WD, at(2027, 2, 3, 17)),  # a whole day: end of that day
        (at(2027, 2, 3, 7, 30), 2, WD, at(2027, 2, 11, 17)),
        # 30/4 – 1/5 2026 (Thu, Fri) and Hùng Kings observed on Mon 27 Apr.
        (at(2026, 4, 29, 14), 1, WD, at(2026, 5, 4, 14)),
        (at(2026, 4, 24, 10), 3, WD, at(2026, 5, 4, 10)),  # Tue 28, Wed 29, Mon 4 May
        # 2/9 2026: Mon 31 Aug – Wed 2 Sep off; Saturday 22 Aug is a working day.
        (at(2026, 8, 28, 16, 30), 1, WD, at(2026, 9, 3, 16, 30)),
        (at(2026, 8, 21, 9), 1, WD, at(2026, 8, 22, 9)),
        (at(2026, 8, 21, 9), 2, WD, at(2026, 8, 24, 9)),
        # The day-boundary rule.
        (at(2026, 3, 2, 7, 30), 1, WD, at(2026, 3, 2, 17)),  # Mon 07:30 + 1 → Mon 17:00
        (at(2026, 3, 2, 10), 1, WD, at(2026, 3, 3, 10)),  # Mon 10:00 + 1 → Tue 10:00
        (at(2026, 3, 6, 7, 30), 5, WD, at(2026, 3, 12, 17)),  # Fri … Thu
        # Lunch: a limit ending on the morning/afternoon boundary is due when the office
        # reopens at 13:30 (the whole break shares one working position).
        (at(2026, 3, 2, 13, 30), 1, WD, at(2026, 3, 3, 13, 30)),  # Mon 13:30 + 1 → Tue 13:30
        (at(2026, 3, 2, 12, 0), 1, WD, at(2026, 3, 3, 13, 30)),  # counted from 13:30
        (at(2026, 3, 2, 11, 30), 1, WD, at(2026, 3, 3, 13, 30)),  # 11:30 is received at 13:30
        (at(2026, 3, 2, 7, 30), Fraction(8, 15), WD, at(2026, 3, 2, 13, 30)),  # exactly 4 h
        (at(2026, 3, 2, 13, 30), 5, WD, at(2026, 3, 9, 13, 30)),  # over a weekend
        # Fri 13 Feb 2026 13:30 + 1 → after Tết, Mon 23 Feb 13:30.
        (at(2026, 2, 13, 13, 30), 1, WD, at(2026, 2, 23, 13, 30)),
        # ... but a limit ending exactly at the end of a day stays 17:00 of that day, never
        # 07:30 of the next working day (here, after Tết).
        (at(2026, 2, 13, 7, 30), 1, WD, at(2026, 2, 13, 17)),
        (at(2026, 2, 12, 13, 30), 1, WD, at(2026, 2, 13, 13, 30)),
        # Working hours: 1 h = 7.5 h / 8 = 56 min 15 s of office time.
        (at(2026, 3, 2, 7, 30), 8, WH, at(2026, 3, 2, 17)),
        (at(2026, 3, 2, 7, 30), 4, WH, at(2026, 3, 2, 11, 15)),
        (at(2026, 3, 2, 10), 4, WH, at(2026, 3, 2, 15, 45)),
        (at(2026, 3, 2, 16), 2, WH, at(2026, 3, 3, 8, 22, 30)),
        (at(2026, 3, 2, 16), 8, WH, at(2026, 3, 3, 16)),
        # 09:37:30 + 2 h (112.5 min of office time) ends at 11:30 → due at 13:30.
        (at(2026, 3, 2, 9, 37, 30), 2, WH, at(2026, 3, 2, 13, 30)),
        # 11:15 + 4 h (225 min) = 15 min before lunch + 13:30–17:00: the close stays 17:00.
        (at(2026, 3, 2, 11, 15), 4, WH, at(2026, 3, 2, 17)),
        # Online at 20:00: counted from 07:30 the next working day.
        (at(2026, 3, 3, 20), 1, WD, at(2026, 3, 4, 17)),
        (at(2026, 3, 3, 20), 3, WH, at(2026, 3, 4, 10, 18, 45)),
        (at(2026, 2, 21, 10), 1, WD, at(2026, 2, 23, 17)),  # a Tết Saturday
        # Zero: the reception instant itself.
        (at(2026, 3, 3, 20), 0, WD, at(2026, 3, 4, 7, 30)),
    ],
)
def test_working_time_deadlines(vn_calendar, start, amount, unit, expected):
    due = vn_calendar.add(start, amount, unit)
    assert due == expected
    assert due.tzinfo == vn_calendar.tz
    per_day = 8 if unit is WH else 1
    assert vn_calendar.working_time_between(start, due) == Fraction(amount) / per_day


def test_sixty_working_days_across_tet(vn_calendar):
    # Fri 13 Feb 2026 16:00 + 60: Feb 23–27 (5), March (22), April minus 27, 30 (20), → 47 by
    # 29 Apr; May 4–8 (5) → 52; May 11–15 → 57; 18, 19, 20 → 60.
    assert vn_calendar.add(at(2026, 2, 13, 16), 60, WD) == at(2026, 5, 20, 16)


# -- in the day, calendar days, months -----------------------------------------------------------


@pytest.mark.parametrize(
    "start, expected",
    [
        (at(2026, 3, 2, 14, 59), at(2026, 3, 2, 17)),  # before 15:00 → the same day
        (at(2026, 3, 2, 15, 0), at(2026, 3, 3, 17)),  # at 15:00 → the next working day
        (at(2026, 3, 6, 16, 0), at(2026, 3, 9, 17)),  # Friday after 15:00 → Monday
        (at(2026, 2, 13, 16, 0), at(2026, 2, 23, 17)),  # Friday before Tết → after Tết
        (at(2026, 3, 2, 20, 0), at(2026, 3, 3, 17)),  # online at 20:00 → received 07:30 next day
        (at(2026, 3, 7, 10, 0), at(2026, 3, 9, 17)),  # Saturday → Monday 07:30 → Monday
    ],
)
def test_in_the_day(vn_calendar, start, expected):
    assert vn_calendar.add(start, 1, IN_DAY) == expected


@pytest.mark.parametrize(
    "start, amount, unit, expected",
    [
        (at(2026, 3, 2, 9), 5, DAYS, at(2026, 3, 9, 17)),  # Sat 7 Mar → Mon 9 Mar
        (at(2026, 4, 20, 9), 10, DAYS, at(2026, 5, 4, 17)),  # Thu 30/4, Fri 1/5 off → Mon 4/5
        (at(2026, 3, 2, 9), 2, DAYS, at(2026, 3, 4, 17)),
        (at(2026, 1, 30, 10), 1, MONTHS, at(2026, 3, 2, 17)),  # 30 Jan + 1 month = Sat 28 Feb
        (at(2026, 1, 15, 10), 1, MONTHS, at(2026, 2, 23, 17)),  # Sun 15 Feb, then Tết → 23 Feb
        (at(2026, 3, 10, 10), 3, MONTHS, at(2026, 6, 10, 17)),
    ],
)
def test_calendar_days_and_months(vn_calendar, start, amount, unit, expected):
    assert vn_calendar.add(start, amount, unit) == expected


def test_units_as_strings(vn_calendar):
    assert vn_calendar.add(at(2026, 3, 2, 10), 1, "working_days") == at(2026, 3, 3, 10)


# -- instants ----------------------------------------------------------------------------------


def test_next_working_instant(vn_calendar):
    cal = vn_calendar
    assert cal.next_working_instant(at(2026, 3, 2, 10)) == at(2026, 3, 2, 10)
    assert cal.next_working_instant(at(2026, 3, 2, 7)) == at(2026, 3, 2, 7, 30)
    assert cal.next_working_instant(at(2026, 3, 2, 11, 30)) == at(2026, 3, 2, 13, 30)
    assert cal.next_working_instant(at(2026, 3, 2, 17)) == at(2026, 3, 3, 7, 30)
    assert cal.next_working_instant(at(2026, 3, 3, 20)) == at(2026, 3, 4, 7, 30)
    assert cal.next_working_instant(at(2026, 2, 13, 18)) == at(2026, 2, 23, 7, 30)


def test_other_time_zones_are_converted(vn_calendar):
    from datetime import timezone

    utc = at(2026, 3, 2, 10).astimezone(timezone.utc)  # 03:00 UTC
    due = vn_calendar.add(utc, 1, WD)
    assert due == at(2026, 3, 3, 10) and due.tzinfo == vn_calendar.tz


def test_working_time_between(vn_calendar):
    cal = vn_calendar
    assert cal.working_time_between(at(2026, 3, 2, 7, 30), at(2026, 3, 2, 17)) == 1
    assert cal.working_time_between(at(2026, 3, 2, 17), at(2026, 3, 2, 7, 30)) == -1
    assert cal.working_time_between(at(2026, 3, 2, 11), at(2026, 3, 2, 14)) == Fraction(2, 15)  # 1 h
    assert cal.working_time_between(at(2026, 2, 13, 16), at(2026, 2, 23, 8, 30)) == Fraction(4, 15)
    assert cal.working_time_between(at(2026, 2, 14), at(2026, 2, 22, 23)) == 0


def test_other_office_hours():
    hours = OfficeHours.parse("08:00-12:00,13:00-17:00", "16:00")
    cal = WorkCalendar([], [], hours)
    assert hours.day_length == timedelta(hours=8)
    # 09:00 + 3 h ends at the 12:00 lunch boundary: due when the office reopens, 13:00.
    assert cal.add(at(2026, 3, 2, 9), 3, WH) == at(2026, 3, 2, 13)
    assert cal.add(at(2026, 3, 2, 9), 4, WH) == at(2026, 3, 2, 14)
    assert cal.add(at(2026, 3, 2, 9), 8, WH) == at(2026, 3, 3, 9)
    assert cal.add(at(2026, 3, 2, 8), 8, WH) == at(2026, 3, 2, 17)  # the day's end stays 17:00
    assert cal.add(at(2026, 3, 2, 15, 30), 1, IN_DAY) == at(2026, 3, 2, 17)


def test_three_office_periods():
    # Each boundary between two periods of a day is the later period's start; the end of the
    # last period is the day's close. 1 working day = 2 + 2 + 4 = 8 h, so 1 working hour = 1 h.
    cal = WorkCalendar([], [], OfficeHours.parse("07:00-09:00,09:30-11:30,13:00-17:00", "15:00"))
    mon = (2026, 3, 2)
    assert cal.add(at(*mon, 7), 2, WH) == at(*mon, 9, 30)  # not 09:00
    assert cal.add(at(*mon, 7), 4, WH) == at(*mon, 13)  # not 11:30
    assert cal.add(at(*mon, 7), 8, WH) == at(*mon, 17)  # not Tue 07:00
    assert cal.add(at(*mon, 8), 1, WH) == at(*mon, 9, 30)
    assert cal.add(at(*mon, 8), 1, WD) == at(2026, 3, 3, 8)
    assert cal.add(at(*mon, 9, 30), 1, WD) == at(2026, 3, 3, 9, 30)  # Mon 09:30 + 1 → Tue 09:30
    assert cal.add(at(*mon, 9, 15), 1, WD) == at(2026, 3, 3, 9, 30)  # received at 09:30
    assert cal.add(at(*mon, 13), 1, WD) == at(2026, 3, 3, 13)
    assert cal.add(at(2026, 3, 6, 13), 2, WH) == at(2026, 3, 6, 15)
    # Fri 16:00–17:00 is 1 h; the other 2 h end at Mon 09:00, the first boundary → 09:30.
    assert cal.add(at(2026, 3, 6, 16), 3, WH) == at(2026, 3, 9, 9, 30)
    assert cal.working_time_between(at(2026, 3, 6, 16), at(2026, 3, 9, 9, 30)) == Fraction(3, 8)
    assert cal.instant_at(cal.position(at(*mon, 7)) + Fraction(1, 4)) == at(*mon, 9, 30)
    assert cal.instant_at(cal.position(at(*mon, 7)) + Fraction(1, 2)) == at(*mon, 13)
    assert cal.instant_at(cal.position(at(*mon, 7)) + 1) == at(*mon, 17)


def test_far_dates_fall_back_to_weekdays(vn_calendar):
    cal = vn_calendar
    assert cal.add(at(2035, 3, 2, 10), 5, WD) == at(2035, 3, 9, 10)  # Fri → next Fri
    assert cal.add(at(1999, 12, 31, 10), 1, WD) == at(2000, 1, 3, 10)  # Fri → Mon
    assert cal.working_day_ordinal(date(2040, 1, 2)) - cal.working_day_ordinal(date(2039, 12, 30)) == 1


# -- bad input ---------------------------------------------------------------------------------


def test_naive_datetime_is_refused(vn_calendar):
    from datetime import datetime

    with pytest.raises(ValueError, match="naive"):
        vn_calendar.add(datetime(2026, 3, 2, 10), 1, WD)
    with pytest.raises(ValueError, match="naive"):
        vn_calendar.next_working_instant(datetime(2026, 3, 2, 10))
    with pytest.raises(ValueError, match="naive"):
        vn_calendar.working_time_between(at(2026, 3, 2, 10), datetime(2026, 3, 2, 10))


@pytest.mark.parametrize("amount", [-1, Fraction(-1, 2), -0.5])
def test_negative_amount_is_refused(vn_calendar, amount):
    with pytest.raises(ValueError, match="must not be negative"):
        vn_calendar.add(at(2026, 3, 2, 10), amount, WD)


@pytest.mark.parametrize(
    "amount, unit, message",
    [
        ("5", WD, "must be a number"),
        (float("nan"), WD, "finite"),
        (True, WD, "must be a number"),
        (Fraction(3, 2), DAYS, "whole number"),
        (2, IN_DAY, "amount 1"),
        (1, "weeks", "unknown time unit"),
    ],
)
def test_bad_amount_or_unit(vn_calendar, amount, unit, message):
    with pytest.raises(ValueError, match=message):
        vn_calendar.add(at(2026, 3, 2, 10), amount, unit)


@pytest.mark.parametrize(
    "periods, cutoff, message",
    [
        ("07:30-11:30;13:30-17:00", "15:00", "not a period"),
        ("7h30-11:30", "15:00", "not a time of day"),
        ("07:30-11:30,13:30", "15:00", "not a period"),
        ("17:00-07:30", "15:00", "must start before it ends"),
        ("07:30-11:30,11:00-17:00", "15:00", "overlaps"),
        ("25:00-26:00", "15:00", "not a valid time"),
        ("", "15:00", "expected periods"),
        ("07:30-11:30,13:30-17:00", "3pm", "same-day cut-off"),
    ],
)
def test_bad_office_hours(periods, cutoff, message):
    with pytest.raises(ValueError, match=message):
        OfficeHours.parse(periods, cutoff)


def test_bad_office_hours_object():
    with pytest.raises(ValueError, match="at least one"):
        OfficeHours(periods=())
    assert OfficeHours.parse(" 07:30 - 11:30 , 13:30-17:00 ") == OfficeHours()
    assert OfficeHours().same_day_cutoff == time(15)


def test_bad_calendar_input():
    from datetime import datetime

    with pytest.raises(ValueError, match="expected dates"):
        WorkCalendar([datetime(2026, 1, 1)], [])
    with pytest.raises(ValueError, match="expected a date"):
        WorkCalendar().is_working_day("2026-01-01")
