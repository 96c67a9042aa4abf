from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.workdays.calendar import OfficeHours, WorkCalendar, vietnam_public_holidays

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=0, minute=0, second=0):
    """An aware datetime in Vietnam time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VN)


@pytest.fixture(scope="session")
def vn_calendar() -> WorkCalendar:
    holidays, swapped = vietnam_public_holidays(range(2024, 2029))
    return WorkCalendar(holidays, swapped, OfficeHours.parse("07:30-11:30,13:30-17:00", "15:00"))


@pytest.fixture(autouse=True)
def _fresh_province_calendar():
    """A test's rolled-back overrides must not survive in the per-process calendar cache."""
    from motcua.workdays.services import invalidate_calendar_cache

    invalidate_calendar_cache()
    yield
    invalidate_calendar_cache()
