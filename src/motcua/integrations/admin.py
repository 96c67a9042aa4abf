from django.contrib import admin

from motcua.integrations.models import PopulationRecord, ReceivedStatusChange
from motcua.readonly_admin import ReadOnlyAdmin


@admin.register(ReceivedStatusChange)
class ReceivedStatusChangeAdmin(ReadOnlyAdmin):
    list_display = ("dossier_code", "status", "event_key", "received_at", "deliveries")
    list_filter = ("status",)
    search_fields = ("dossier_code", "event_key")


@admin.register(PopulationRecord)
class PopulationRecordAdmin(admin.ModelAdmin):
    """The stand-in registry is data the demo operator may edit."""

    list_display = ("personal_id", "full_name", "birth_date")
    search_fields = ("personal_id", "full_name")
