"""Certificates, signed documents and the register are read-only in the admin: certificates come
from `motcua pki`, documents and register entries from the signing services."""
from django.contrib import admin

from motcua.readonly_admin import ReadOnlyAdmin
from motcua.results.models import CertifiedCopy, SignedDocument, SigningIdentity
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
