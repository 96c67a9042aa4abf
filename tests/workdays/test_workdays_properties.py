"""Properties of working-time arithmetic, checked against a slow, obviously-correct reference."""
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays.calendar import OfficeHours, TimeUnit, WorkCalendar, vietnam_public_holidays

from .conftest import VN

HOLIDAYS, SWAPPED = vietnam_public_holidays(range(2024, 2029))
CAL = WorkCalendar(HOLIDAYS, SWAPPED, OfficeHours())
PERIODS = OfficeHours().periods
CLOSE = PERIODS[-1][1]
# Other office hours, for the rule "a boundary between two periods of a day is the later
# period's start; the end of the last period is the day's close": three periods, and three with
# two of them adjacent (09:00 ends one period and starts the next).
CALENDARS = [
    CAL,
    WorkCalendar(HOLIDAYS, SWAPPED, OfficeHours.parse("07:00-09:00,09:30-11:30,13:00-17:00")),
    WorkCalendar(HOLIDAYS, SWAPPED, OfficeHours.parse("07:00-09:00,09:00-11:30,13:00-16:30")),
]
calendars = st.sampled_from(CALENDARS)

BOUNDARIES = [
    time(h, m)
    for h, m in [
        (0, 0), (7, 0), (7, 30), (9, 0), (9, 30), (11, 30), (12, 0), (13, 0), (13, 30), (15, 0),
        (16, 30), (17, 0), (20, 0),
    ]
]
instants = st.one_of(
    st.datetimes(
        min_value=datetime(2023, 6, 1), max_value=datetime(2029, 6, 30),
        timezones=st.sampled_from([VN, timezone.utc]),
    ),
    # exactly on (or a microsecond either side of) the office-hour boundaries
    st.builds(
        lambda d, t, nudge: datetime.combine(d, t, tzinfo=VN) + timedelta(microseconds=nudge),
        st.dates(min_value=date(2023, 6, 1), max_value=date(2029, 6, 30)),
        st.sampled_from(BOUNDARIES),
        st.sampled_from([0, 0, 0, -1, 1]),
    ),
)
working_units = st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS])
all_counting_units = st.sampled_from(
    [TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.DAYS, TimeUnit.MONTHS]
)
amounts = st.integers(min_value=0, max_value=90)


def reference_add(cal: WorkCalendar, start: datetime, hours: int) -> datetime:
    """Walk office periods one by one, spending 1/8 of the office day (7.5 h / 8 by default) of
    office time per working hour. A limit used up exactly at a period's end is due then only if
    that is the day's close; otherwise it runs on to the next period's start (11:30 → 13:30)."""
    periods = cal.hours.periods
    remaining = cal.hours.day_length * hours / 8  # exact: office hours are given to the minute
    now = cal.next_working_instant(start)
    if not remaining:
        return now
    day = now.date()
    while True:
        if cal.is_working_day(day):
            for i, (opens, closes) in enumerate(periods):
                begin = max(datetime.combine(day, opens, tzinfo=cal.tz), now)
                end = datetime.combine(day, closes, tzinfo=cal.tz)
                if begin >= end:
                    continue
                is_close = i == len(periods) - 1
                if remaining < end - begin or (remaining == end - begin and is_close):
                    return begin + remaining
                remaining -= end - begin
        day += timedelta(days=1)


def in_office_or_at_close(cal: WorkCalendar, dt: datetime) -> bool:
    """``dt`` is on a working day, in the calendar's zone, and either inside an office period
    [start, end) but not at the day's opening (a positive limit never lands there: it would be
    the previous day's close), or exactly at the day's close. The end of any other period (11:30)
    is excluded: a limit ending there is due when the next period starts (13:30)."""
    if dt.tzinfo != cal.tz or not cal.is_working_day(dt.date()):
        return False
    periods = cal.hours.periods
    t = dt.time()
    if t == periods[0][0]:
        return False
    return t == periods[-1][1] or any(opens <= t < closes for opens, closes in periods)


@settings(max_examples=600)
@given(cal=calendars, start=instants, hours=st.integers(min_value=0, max_value=8 * 30))
def test_matches_reference(cal, start, hours):
    assert cal.add(start, hours, TimeUnit.WORKING_HOURS) == reference_add(cal, start, hours)
    if hours % 8 == 0:
        assert cal.add(start, hours // 8, TimeUnit.WORKING_DAYS) == reference_add(cal, start, hours)


@given(cal=calendars, start=instants, a=amounts, b=amounts, unit=all_counting_units)
def test_monotone_in_amount(cal, start, a, b, unit):
    a, b = min(a, b), max(a, b)
    assert cal.add(start, a, unit) <= cal.add(start, b, unit)


@given(cal=calendars, s1=instants, s2=instants, n=amounts, unit=st.sampled_from(list(TimeUnit)))
def test_monotone_in_start(cal, s1, s2, n, unit):
    s1, s2 = sorted((s1, s2))
    n = 1 if unit is TimeUnit.IN_DAY else n
    assert cal.add(s1, n, unit) <= cal.add(s2, n, unit)


@settings(max_examples=300)
@given(cal=calendars, start=instants, n=st.integers(min_value=1, max_value=90), unit=working_units)
def test_lands_in_office_hours_on_a_working_day(cal, start, n, unit):
    due = cal.add(start, n, unit)
    assert in_office_or_at_close(cal, due)
    assert due > cal.next_working_instant(start)


@given(start=instants, n=amounts, unit=st.sampled_from([TimeUnit.DAYS, TimeUnit.MONTHS, TimeUnit.IN_DAY]))
def test_day_units_end_at_close_of_a_working_day(start, n, unit):
    due = CAL.add(start, 1 if unit is TimeUnit.IN_DAY else n, unit)
    assert CAL.is_working_day(due.date()) and due.time() == CLOSE
    assert due >= CAL.next_working_instant(start)


@given(cal=calendars, start=instants, n=amounts)
def test_add_then_measure_gives_the_limit_back(cal, start, n):
    assert cal.working_time_between(start, cal.add(start, n, TimeUnit.WORKING_DAYS)) == n
    assert cal.working_time_between(start, cal.add(start, n, TimeUnit.WORKING_HOURS)) == Fraction(n, 8)


@given(
    start=instants,
    n=st.fractions(min_value=0, max_value=40, max_denominator=64),
)
def test_fractional_limits_round_up_to_the_microsecond(start, n):
    measured = CAL.working_time_between(start, CAL.add(start, n, TimeUnit.WORKING_DAYS))
    assert n <= measured < n + Fraction(1, 7_500 * 3_600_000)  # < 1 µs of a 7.5 h day


@given(a=instants, b=instants, c=instants)
def test_working_time_between_is_additive(a, b, c):
    ab, bc, ac = CAL.working_time_between(a, b), CAL.working_time_between(b, c), CAL.working_time_between(a, c)
    assert ab + bc == ac
    assert CAL.working_time_between(b, a) == -ab
    assert (ab >= 0) == (a <= b) or ab == 0


@given(dt=instants)
def test_next_working_instant(dt):
    nxt = CAL.next_working_instant(dt)
    assert nxt >= dt and CAL.is_office_time(nxt)
    assert CAL.next_working_instant(nxt) == nxt
    assert CAL.working_time_between(dt, nxt) == 0


# -- ordinals, on arbitrary calendars (exercises the dense table and the fallback outside it) --

dates = st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31))


@settings(max_examples=60)
@given(
    holidays=st.sets(st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31)), max_size=40),
    swapped=st.sets(st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31)), max_size=10),
    a=dates,
    b=dates,
)
def test_ordinal_counts_working_days(holidays, swapped, a, b):
    cal = WorkCalendar(holidays, swapped)
    a, b = sorted((a, b))
    brute = sum(
        1
        for i in range(1, (b - a).days + 1)
        if (d := a + timedelta(days=i)) not in holidays and (d.weekday() < 5 or d in swapped)
    )
    assert cal.working_day_ordinal(b) - cal.working_day_ordinal(a) == brute
    if cal.is_working_day(b):
        assert cal.working_day_with_ordinal(cal.working_day_ordinal(b)) == b
    nxt = cal.next_working_day(a)
    assert nxt > a and cal.is_working_day(nxt)
    assert all(not cal.is_working_day(a + timedelta(days=i)) for i in range(1, (nxt - a).days))
