from django.contrib import admin

from motcua.payments.models import FeeObligation, GatewayRoute, PageTariff, Payment, PaymentNotification
from motcua.readonly_admin import ReadOnlyAdmin


@admin.register(PageTariff)
class PageTariffAdmin(admin.ModelAdmin):
    """The per-page schedules (rules are data: edited here, with their source)."""

    list_display = ("fee", "first_pages", "first_page_vnd", "later_page_vnd", "max_per_copy_vnd", "source")
    raw_id_fields = ("fee",)


@admin.register(GatewayRoute)
class GatewayRouteAdmin(admin.ModelAdmin):
    """Which gateway takes the fees of a procedure and/or a unit (else MOTCUA_PAYMENT_GATEWAY)."""

    list_display = ("procedure", "unit", "gateway")
    list_filter = ("gateway",)
    raw_id_fields = ("procedure", "unit")


@admin.register(FeeObligation)
class FeeObligationAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "amount_vnd", "description", "created_at", "paid_at", "cancelled_at")
    search_fields = ("dossier__code",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("txn_ref", "obligation", "channel", "amount_vnd", "status", "flagged", "created_at", "paid_at",
                    "refunded_at")
    list_filter = ("status", "channel", "flagged")
    search_fields = ("txn_ref", "gateway_txn_no", "obligation__dossier__code")


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "gateway", "kind", "txn_ref", "signature_valid", "answer_code", "outcome")
    list_filter = ("kind", "signature_valid", "answer_code")
    search_fields = ("txn_ref",)
