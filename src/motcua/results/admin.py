"""Certificates, signed documents, the register and the result jobs are read-only in the admin:
certificates come from `motcua pki`, documents and register entries from the signing services, jobs
from the worker (`results.jobs`)."""
from django.contrib import admin

from motcua.readonly_admin import ReadOnlyAdmin
from motcua.results.models import CertifiedCopy, DocumentJob, SignedDocument, SigningIdentity
from motcua.units.scoping import scoped


class UnitScopedAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)


@admin.register(SigningIdentity)
class SigningIdentityAdmin(UnitScopedAdmin):
    list_display = ("unit", "subject", "issuer", "serial", "source", "not_after", "active")
    list_filter = ("source", "active")
    search_fields = ("unit__name", "unit__code", "subject", "serial")
    list_select_related = ("unit",)
    exclude = ("certificate_pem",)


@admin.register(SignedDocument)
class SignedDocumentAdmin(UnitScopedAdmin):
    list_display = ("code", "kind", "title", "dossier", "unit", "signed_by", "signed_at", "sha256")
    list_filter = ("kind",)
    search_fields = ("code", "sha256", "dossier__code")
    list_select_related = ("dossier", "unit", "signed_by")
    date_hierarchy = "signed_at"


@admin.register(CertifiedCopy)
class CertifiedCopyAdmin(UnitScopedAdmin):
    list_display = ("__str__", "unit", "certified_on", "original_name", "pages", "paper_copies", "fee_vnd", "certifier")
    list_filter = ("year",)
    search_fields = ("unit__name", "original_name", "dossier__code")
    list_select_related = ("unit", "certifier")


@admin.register(DocumentJob)
class DocumentJobAdmin(ReadOnlyAdmin):
    """Where a result that failed to sign shows, with its last error (the dossier page shows it too)."""

    list_display = ("dossier", "state", "attempts", "approved_by", "approved_at", "updated_at", "error")
    list_filter = ("state",)
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "approved_by")

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, "dossier__unit")
