"""The administrable work calendar: overrides of the holidays package, and the precomputed table."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarOverride(models.Model):
    """A day declared off, or declared a working day, by a government notice. Overrides beat the
    `holidays` package: a holiday override makes the day off; a working-day override makes it a
    working day (a swapped Saturday, or a package holiday that the notice did not grant)."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=OverrideKind.choices)
    name = models.CharField(
        _("lý do"), max_length=200, help_text=_("Ví dụ: Nghỉ bù Quốc khánh, Làm bù cho ngày 31/8")
    )
    source_document = models.CharField(
        _("văn bản căn cứ"),
        max_length=200,
        help_text=_("Số, ký hiệu văn bản quyết định việc nghỉ/làm bù, ví dụ: Thông báo 6150/TB-BNV"),
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("Ngày nghỉ/làm bù điều chỉnh")
        verbose_name_plural = _("Ngày nghỉ/làm bù điều chỉnh")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"


class CalendarDay(models.Model):
    """One row per date of the configured years: the table SQL engines join to count working
    days. ``working_day_ordinal`` increases by one on each working day, so the working days in
    (a, b] are ``ordinal(b) - ordinal(a)``. Rebuilt by `workdays.services`; never edited."""

    date = models.DateField(_("ngày"), primary_key=True)
    is_working_day = models.BooleanField(_("ngày làm việc"))
    working_day_ordinal = models.IntegerField(_("số thứ tự ngày làm việc"), db_index=True)
    # Days since 1970-01-01: an integer key that any engine joins without date functions.
    day_number = models.IntegerField(_("số ngày kể từ 1970-01-01"), unique=True)

    class Meta:
        db_table = "workdays_calendar_day"
        verbose_name = _("Lịch làm việc")
        verbose_name_plural = _("Lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} ({'làm việc' if self.is_working_day else 'nghỉ'})"
