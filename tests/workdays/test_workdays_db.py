"""The province calendar from data: overrides, the precomputed table, the admin and the command."""
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from motcua.workdays import services
from motcua.workdays.calendar import TimeUnit
from motcua.workdays.models import CalendarDay, CalendarOverride, OverrideKind

from .conftest import at

pytestmark = pytest.mark.django_db

WD = TimeUnit.WORKING_DAYS
DAYS_2024_2028 = 366 + 365 + 365 + 365 + 366


def test_province_calendar_from_package_and_settings():
    cal = services.province_calendar()
    assert cal is services.province_calendar()  # cached
    assert not cal.is_working_day(date(2026, 2, 16))
    assert cal.is_working_day(date(2026, 8, 22))
    assert str(cal.hours) == "07:30-11:30,13:30-17:00"
    assert services.deadline(at(2026, 2, 13, 16), 2, WD) == at(2026, 2, 24, 16)


def test_holiday_override_shifts_a_deadline():
    assert services.deadline(at(2026, 3, 2, 10), 1, WD) == at(2026, 3, 3, 10)
    services.set_override(
        day=date(2026, 3, 3), kind=OverrideKind.HOLIDAY, name="Nghỉ đột xuất",
        source_document="Quyết định 1/QĐ-UBND",
    )
    assert services.deadline(at(2026, 3, 2, 10), 1, WD) == at(2026, 3, 4, 10)
    assert not CalendarDay.objects.get(date=date(2026, 3, 3)).is_working_day


def test_working_day_override_on_a_saturday_counts():
    assert services.deadline(at(2026, 3, 6, 10), 1, WD) == at(2026, 3, 9, 10)
    override = services.set_override(
        day=date(2026, 3, 7), kind=OverrideKind.WORKING_DAY, name="Làm bù",
        source_document="Thông báo 6150/TB-BNV",
    )
    assert services.deadline(at(2026, 3, 6, 10), 1, WD) == at(2026, 3, 7, 10)
    assert CalendarDay.objects.get(date=date(2026, 3, 7)).is_working_day
    services.delete_override(override)
    assert services.deadline(at(2026, 3, 6, 10), 1, WD) == at(2026, 3, 9, 10)
    assert not CalendarDay.objects.get(date=date(2026, 3, 7)).is_working_day


def test_override_beats_the_package():
    # Vietnam Cultural Day (24/11/2026) is a holiday in the package; a notice could revoke it.
    assert not services.province_calendar().is_working_day(date(2026, 11, 24))
    services.set_override(
        day=date(2026, 11, 24), kind="working_day", name="Không nghỉ", source_document="Văn bản X"
    )
    assert services.province_calendar().is_working_day(date(2026, 11, 24))
    # and a holiday override on a swapped Saturday makes it a day off again
    services.set_override(day=date(2026, 8, 22), kind="holiday", name="Nghỉ", source_document="Văn bản Y")
    assert not services.province_calendar().is_working_day(date(2026, 8, 22))


def test_orm_writes_invalidate_the_cache():
    cal = services.province_calendar()
    CalendarOverride.objects.create(
        date=date(2026, 3, 3), kind="holiday", name="Nghỉ", source_document="Văn bản Z"
    )
    assert services.province_calendar() is not cal
    assert not services.province_calendar().is_working_day(date(2026, 3, 3))


def test_override_requires_a_source_document():
    with pytest.raises(ValidationError) as error:
        services.set_override(day=date(2026, 3, 3), kind="holiday", name="Nghỉ", source_document="")
    assert "source_document" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.set_override(day=date(2026, 3, 3), kind="weekend", name="Nghỉ", source_document="VB")
    assert not CalendarOverride.objects.exists()


def test_set_override_replaces_the_same_date():
    services.set_override(day=date(2026, 3, 3), kind="holiday", name="A", source_document="VB 1")
    services.set_override(day=date(2026, 3, 3), kind="working_day", name="B", source_document="VB 2")
    assert CalendarOverride.objects.get().name == "B"
    assert services.province_calendar().is_working_day(date(2026, 3, 3))


def test_calendar_table():
    assert services.rebuild_calendar_table() == DAYS_2024_2028
    rows = list(CalendarDay.objects.order_by("date").values_list("date", "is_working_day", "working_day_ordinal"))
    assert len(rows) == DAYS_2024_2028
    assert rows[0][0] == date(2024, 1, 1) and rows[-1][0] == date(2028, 12, 31)
    for (_, _, before), (_, working, ordinal) in zip(rows, rows[1:]):
        assert ordinal - before == (1 if working else 0)
    cal = services.province_calendar()
    assert all(cal.working_day_ordinal(d) == o and cal.is_working_day(d) == w for d, w, o in rows)
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).day_number == 20501  # days since 1970-01-01
    # SQL engines count working days in (a, b] as a difference of ordinals: Tết 2026.
    ordinal = dict((d, o) for d, _, o in rows)
    assert ordinal[date(2026, 2, 23)] - ordinal[date(2026, 2, 13)] == 1


def test_table_rebuilt_after_an_override():
    services.rebuild_calendar_table()
    before = CalendarDay.objects.get(date=date(2026, 12, 31)).working_day_ordinal
    services.set_override(day=date(2026, 3, 3), kind="holiday", name="Nghỉ", source_document="VB")
    assert CalendarDay.objects.get(date=date(2026, 12, 31)).working_day_ordinal == before - 1
    assert CalendarDay.objects.get(date=date(2026, 3, 2)).working_day_ordinal == (
        CalendarDay.objects.get(date=date(2026, 3, 3)).working_day_ordinal
    )
    assert CalendarDay.objects.count() == DAYS_2024_2028


def test_table_filled_by_migrate():
    assert CalendarDay.objects.count() == DAYS_2024_2028


def test_rebuild_for_other_years():
    assert services.rebuild_calendar_table(range(2026, 2027)) == 365
    assert CalendarDay.objects.count() == 365


@override_settings(MOTCUA_OFFICE_HOURS="08:00-12:00,13:00-17:00", MOTCUA_SAME_DAY_CUTOFF="16:00")
def test_settings_are_read():
    cal = services.province_calendar()
    assert str(cal.hours) == "08:00-12:00,13:00-17:00"
    assert services.deadline(at(2026, 3, 2, 15, 30), 1, TimeUnit.IN_DAY) == at(2026, 3, 2, 17)


@pytest.mark.parametrize("value", ["2028-2024", "twenty", "2024-"])
def test_bad_calendar_years(value):
    with pytest.raises(ValueError, match="calendar years"):
        services.calendar_years(value)


def test_command_check():
    out = StringIO()
    call_command("calendar", "check", "2026-02-13T16:00", "2", "working_days", stdout=out)
    assert "deadline    2026-02-24 16:00 Tue" in out.getvalue()
    out = StringIO()
    call_command("calendar", "check", "2026-03-03T20:00", "1", "in_day", stdout=out)
    assert "received    2026-03-04 07:30" in out.getvalue()
    assert "deadline    2026-03-04 17:00" in out.getvalue()


def test_command_rebuild():
    out = StringIO()
    call_command("calendar", "rebuild", "--years", "2026-2027", stdout=out)
    assert "730 days written" in out.getvalue()


def test_command_bad_input():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not an ISO"):
        call_command("calendar", "check", "13/02/2026", "2", "working_days")
    with pytest.raises(CommandError, match="negative"):
        call_command("calendar", "check", "2026-02-13T16:00", "-2", "working_days")


def test_admin_uses_the_service(admin_client):
    response = admin_client.post(
        "/admin/workdays/calendaroverride/add/",
        {"date": "2026-03-03", "kind": "holiday", "name": "Nghỉ", "source_document": "QĐ 1/QĐ-UBND"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not CalendarDay.objects.get(date=date(2026, 3, 3)).is_working_day
    assert admin_client.get("/admin/workdays/calendaroverride/?kind=holiday&q=UBND").status_code == 200
    assert admin_client.get("/admin/workdays/calendarday/").status_code == 200
    assert admin_client.get("/admin/workdays/calendarday/add/").status_code == 403
    override = CalendarOverride.objects.get()
    response = admin_client.post(
        f"/admin/workdays/calendaroverride/{override.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2026, 3, 3)).is_working_day


def test_admin_requires_a_source_document(admin_client):
    response = admin_client.post(
        "/admin/workdays/calendaroverride/add/",
        {"date": "2026-03-03", "kind": "holiday", "name": "Nghỉ", "source_document": ""},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not CalendarOverride.objects.exists()


def test_table_name_for_sql_engines():
    assert CalendarDay._meta.db_table == "workdays_calendar_day"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(working_day_ordinal) - MIN(working_day_ordinal) FROM workdays_calendar_day "
            "WHERE date BETWEEN %s AND %s",
            [date(2026, 2, 13), date(2026, 2, 23)],
        )
        assert cursor.fetchone()[0] == 1
