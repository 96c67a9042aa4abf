from django.contrib import admin

from motcua.notify.models import ApplicantMessage, ContactPreference, StandInDelivery
from motcua.readonly_admin import ReadOnlyAdmin


@admin.register(ApplicantMessage)
class ApplicantMessageAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "kind", "channel", "address", "created_at", "attempts", "sent_at", "claimed_at")
    list_filter = ("kind", "channel")
    search_fields = ("dossier__code", "address")


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ("applicant_id", "channel", "updated_at")
    search_fields = ("applicant_id",)


@admin.register(StandInDelivery)
class StandInDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("channel", "address", "delivered_at")
    list_filter = ("channel",)
