"""The government's calendar notices (`workdays/notices.json`) drive the province calendar.

Expectations come from the notices themselves: a table typed from reading each notice, and an
oracle built from the notices alone (Monday–Friday, minus their days off, plus their working
days), never from the calendar under test or the `holidays` package.
"""
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.workdays import notices as N
from motcua.workdays import services
from motcua.workdays.calendar import vietnam_public_holidays
from motcua.workdays.models import CalendarDay

from .conftest import at

pytestmark = pytest.mark.django_db

NOTICES = N.load_notices()

# occasion -> [(received, working days, due)], each read off the notice's text.
DATED = {
    "Tết Dương lịch 2024": [(at(2023, 12, 29, 10), 1, at(2024, 1, 2, 10))],
    "Tết Âm lịch 2024": [(at(2024, 2, 7, 10), 1, at(2024, 2, 15, 10))],
    "Giỗ Tổ Hùng Vương 2024": [(at(2024, 4, 17, 10), 1, at(2024, 4, 19, 10))],
    "Ngày Chiến thắng 30/4 và Quốc tế lao động 1/5 năm 2024": [
        (at(2024, 4, 26, 10), 1, at(2024, 5, 2, 10)),
        (at(2024, 5, 3, 10), 1, at(2024, 5, 4, 10)),  # Saturday 4/5 worked for Monday 29/4
    ],
    "Quốc khánh 2024": [(at(2024, 8, 30, 10), 1, at(2024, 9, 4, 10))],
    "Tết Dương lịch 2025": [(at(2024, 12, 31, 10), 1, at(2025, 1, 2, 10))],
    "Tết Âm lịch 2025": [(at(2025, 1, 24, 10), 1, at(2025, 2, 3, 10))],
    "Giỗ Tổ Hùng Vương 2025": [(at(2025, 4, 4, 10), 1, at(2025, 4, 8, 10))],
    "Ngày Chiến thắng 30/4 và Quốc tế lao động 1/5 năm 2025": [
        (at(2025, 4, 25, 10), 1, at(2025, 4, 26, 10)),  # Saturday 26/4 worked for Friday 2/5
        (at(2025, 4, 29, 10), 1, at(2025, 5, 5, 10)),
    ],
    "Quốc khánh 2025": [(at(2025, 8, 29, 10), 1, at(2025, 9, 3, 10))],
    "Tết Dương lịch 2026": [
        (at(2025, 12, 31, 10), 1, at(2026, 1, 5, 10)),  # Friday 2/1 off ...
        (at(2026, 1, 9, 10), 1, at(2026, 1, 10, 10)),  # ... worked on Saturday 10/1
    ],
    "Tết Âm lịch 2026": [(at(2026, 2, 13, 10), 1, at(2026, 2, 23, 10))],
    "Giỗ Tổ Hùng Vương 2026": [(at(2026, 4, 24, 10), 1, at(2026, 4, 28, 10))],
    "Ngày Chiến thắng 30/4 và Quốc tế lao động 1/5 năm 2026": [(at(2026, 4, 29, 10), 1, at(2026, 5, 4, 10))],
    "Quốc khánh 2026": [
        (at(2026, 8, 21, 10), 1, at(2026, 8, 22, 10)),  # Saturday 22/8 worked for Monday 31/8
        (at(2026, 8, 28, 10), 1, at(2026, 9, 3, 10)),
    ],
}


def notice_oracle(day: date) -> bool:
    """A working day by the notices alone."""
    if any(day in n.work for n in NOTICES):
        return True
    return day.weekday() < 5 and not any(day in n.off for n in NOTICES)


def oracle_step(day: date, step: int) -> date:
    day += timedelta(step)
    while not notice_oracle(day):
        day += timedelta(step)
    return day


def test_every_notice_has_dated_deadlines():
    assert sorted(DATED) == sorted(n.occasion for n in NOTICES)


@pytest.mark.parametrize("occasion", sorted(DATED))
def test_dated_deadlines_read_off_the_notice(occasion):
    for received, amount, due in DATED[occasion]:
        assert services.deadline(received, amount, "working_days") == due, (occasion, received)


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: n.occasion)
def test_calendar_and_table_follow_each_notice(notice):
    """Around every notice, the calendar and the precomputed table (`migrate` filled it) say what the
    notice says; one working day from the last working day before it lands on the first after it."""
    calendar = services.province_calendar()
    first, last = notice.days[0] - timedelta(7), notice.days[-1] + timedelta(7)
    table = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day"))
    for n in range((last - first).days + 1):
        day = first + timedelta(n)
        assert calendar.is_working_day(day) == notice_oracle(day), day
        if day.year >= 2024:
            assert table[day] == notice_oracle(day), day
    ten = lambda d: at(d.year, d.month, d.day, 10)  # noqa: E731
    for day in notice.work:
        assert services.deadline(ten(oracle_step(day, -1)), 1, "working_days") == ten(day)
    if notice.off:
        before = oracle_step(notice.off[0], -1)
        assert services.deadline(ten(before), 1, "working_days") == ten(oracle_step(before, +1))


def test_the_notice_wins_where_the_package_disagrees():
    """12729/VPCP-KGVX: Friday 2/1/2026 off, Saturday 10/1/2026 worked; the package has neither."""
    package_off, package_work = vietnam_public_holidays([2026])
    assert date(2026, 1, 2) not in package_off and date(2026, 1, 10) not in package_work
    official_off, official_work = N.official_days([2026])
    assert date(2026, 1, 2) in official_off and date(2026, 1, 10) in official_work
    calendar = services.province_calendar()
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert calendar.is_working_day(date(2026, 1, 10))
    assert not CalendarDay.objects.get(date=date(2026, 1, 2)).is_working_day
    assert CalendarDay.objects.get(date=date(2026, 1, 10)).is_working_day


def test_calendar_check_command_gives_the_notice_deadlines():
    out = StringIO()
    call_command("calendar", "check", "2025-12-31T10:00", "1", "working_days", stdout=out)
    assert "deadline    2026-01-05 10:00 Mon" in out.getvalue()
    out = StringIO()
    call_command("calendar", "check", "2026-01-09T10:00", "1", "working_days", stdout=out)
    assert "deadline    2026-01-10 10:00 Sat" in out.getvalue()


def test_notices_command_lists_them():
    out = StringIO()
    call_command("calendar", "notices", "--year", "2026", stdout=out)
    text = out.getvalue()
    assert "Tết Dương lịch 2026: 12729/VPCP-KGVX (Văn phòng Chính phủ, 25/12/2025; checked: news)" in text
    assert "làm bù: 10/01/2026 Thứ Bảy" in text
    assert "Quốc khánh 2026: 9441/TB-BNV" in text and "làm bù: 22/08/2026 Thứ Bảy" in text
    assert "Tết Âm lịch 2025" not in text
    assert text.rstrip().endswith(f"{sum(any(d.year == 2026 for d in n.days) for n in NOTICES)} notices")


def test_each_notice_cites_its_document():
    for notice in NOTICES:
        assert notice.document and notice.issuer and notice.url.startswith("http")
        assert notice.checked in N.CHECKED
        assert notice.issued <= notice.days[0]


def test_a_new_notice_is_one_line_and_reaches_the_table_on_migrate(tmp_path, monkeypatch):
    """A line for Vietnam Culture Day 2026 worked (a hypothetical notice) reaches the calendar, and
    `migrate` rewrites the precomputed table."""
    lines = N.NOTICES_FILE.read_text(encoding="utf-8").rstrip().removesuffix("]").rstrip()
    extra = {"occasion": "Ngày Văn hóa Việt Nam 2026", "document": "1/TB-TEST", "issued": "2026-11-01",
             "issuer": "Bộ Nội vụ", "off": ["2026-11-23"], "work": ["2026-11-28"], "checked": "text",
             "url": "https://example.test/1"}
    path = tmp_path / "notices.json"
    path.write_text(f"{lines},\n{json.dumps(extra, ensure_ascii=False)}\n]\n", encoding="utf-8")
    assert len(N.load_notices(path)) == len(NOTICES) + 1
    monkeypatch.setattr(N, "NOTICES_FILE", path)
    services._official_days.cache_clear()
    services.invalidate_calendar_cache()
    try:
        assert CalendarDay.objects.get(date=date(2026, 11, 23)).is_working_day
        call_command("migrate", verbosity=0)
        assert not CalendarDay.objects.get(date=date(2026, 11, 23)).is_working_day
        assert CalendarDay.objects.get(date=date(2026, 11, 28)).is_working_day
        assert services.deadline(at(2026, 11, 20, 10), 1, "working_days") == at(2026, 11, 25, 10)
        assert services.ensure_calendar_table() == 0  # up to date: not rewritten
    finally:
        services._official_days.cache_clear()
        services.invalidate_calendar_cache()


def test_rebuild_command_restores_a_tampered_table():
    CalendarDay.objects.filter(date=date(2026, 1, 2)).update(is_working_day=True)
    out = StringIO()
    call_command("calendar", "rebuild", stdout=out)
    assert f"({len(NOTICES)} government notices applied)" in out.getvalue()
    assert not CalendarDay.objects.get(date=date(2026, 1, 2)).is_working_day


@pytest.mark.parametrize("change, message", [
    ({"work": ["2026-01-09"]}, "a swapped working day is a weekly rest day"),
    ({"checked": "rumour"}, "checked must be one of text, news, law"),
    ({"off": ["2026-01-04/2026-01-01"]}, "ends before it starts"),
    ({"issued": "25/12/2025"}, "is not a date YYYY-MM-DD"),
    ({"off": [], "work": []}, "grants days off or working days"),
])
def test_a_malformed_notice_is_refused(change, message):
    raw = {"occasion": "x", "document": "1/TB", "issued": "2025-12-25", "issuer": "y",
           "off": ["2026-01-02"], "work": ["2026-01-10"], "checked": "text", "url": "https://e.test"} | change
    with pytest.raises(ValueError, match=message):
        N.parse_notices([raw])


def test_a_day_both_off_and_worked_is_refused():
    base = {"document": "1/TB", "issued": "2025-12-25", "issuer": "y", "checked": "text", "url": "https://e.test"}
    with pytest.raises(ValueError, match="2026-01-10 is both a day off and a working day"):
        N.parse_notices([base | {"occasion": "a", "off": ["2026-01-10"], "work": []},
                         base | {"occasion": "b", "off": [], "work": ["2026-01-10"]}])
