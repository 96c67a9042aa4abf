"""Dossiers are read-only in the admin: every change goes through the transition service."""
from django.contrib import admin

from motcua.dossiers.models import DocumentAccess, Dossier, DossierComponent, DossierEvent, EventCheckpoint
from motcua.readonly_admin import ReadOnlyAdmin
from motcua.units.scoping import scoped


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("seq", "action", "from_status", "to_status", "actor", "actor_role", "unit", "at", "reason", "hash",
              "key_id")
    readonly_fields = fields


class ComponentInline(ReadOnlyInline):
    model = DossierComponent
    fields = ("name", "digitized", "reused", "from_personal_store")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("code", "procedure", "unit", "applicant_name", "channel", "status",
                    "received_at", "appointment_at", "finished_at")
    list_filter = ("status", "channel", "unit__kind", "result_signed", "synced_national")
    search_fields = ("code", "applicant_name", "applicant_id", "procedure__code")
    list_select_related = ("procedure", "unit")
    date_hierarchy = "received_at"
    inlines = [ComponentInline, EventInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "seq", "action", "from_status", "to_status", "actor_role", "unit", "at")
    list_filter = ("action", "to_status")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "unit")

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, unit_field="dossier__unit")


@admin.register(EventCheckpoint)
class EventCheckpointAdmin(ReadOnlyAdmin):
    """The province's checkpoints of the event log: for the system administrator only."""

    list_display = ("pk", "timestamped_at", "head_count", "digest")
    fields = ("timestamped_at", "head_count", "digest", "prev_digest", "created_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser
@admin.register(DocumentAccess)
class DocumentAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "dossier", "document", "component", "officer", "unit", "consent")
    list_filter = ("consent",)
    search_fields = ("dossier__code", "document__owner_id")
    list_select_related = ("dossier", "document", "component", "officer", "unit")

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, unit_field="dossier__unit")
