from django.contrib import admin

from motcua.readonly_admin import ReadOnlyAdmin

from . import services
from .models import CalendarDay, CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source_document", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "source_document")
    date_hierarchy = "date"
    ordering = ("-date",)
    readonly_fields = ("created_at", "updated_at")

    # Every write goes through the service: it also rebuilds the calendar table.
    def save_model(self, request, obj, form, change):
        services.save_override(obj)

    def delete_model(self, request, obj):
        services.delete_override(obj)

    def delete_queryset(self, request, queryset):
        services.delete_overrides(queryset)


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    """Read-only: the table is rebuilt from the holidays package and the overrides."""

    list_display = ("date", "is_working_day", "working_day_ordinal")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
