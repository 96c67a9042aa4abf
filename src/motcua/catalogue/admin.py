import io as _io
import json
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.catalogue import checks, io
from motcua.catalogue.models import (
    Component,
    DocumentType,
    Fee,
    Finding,
    LegalBasis,
    NationalChange,
    NationalDecision,
    Procedure,
    ProcedureHistory,
    ProcedureMethod,
    ProcessStep,
    PublicationAlert,
    PublicationDecision,
    PublicationItem,
    SourceRecord,
    SourceSnapshot,
    Subject,
    check_step_shares,
)
from motcua.common.spreadsheets import XLSX_CONTENT_TYPE
from motcua.readonly_admin import ReadOnlyAdmin
from motcua.units.scoping import scoped


class ProcedureForm(forms.ModelForm):
    subjects = forms.MultipleChoiceField(
        label=_("đối tượng thực hiện"), choices=Subject.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Procedure
        fields = "__all__"


class MethodInline(admin.TabularInline):
    model = ProcedureMethod
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ("order", "name", "document_type", "original_count", "copy_count", "required", "template_name", "note")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "note":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 50})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class StepFormSet(BaseInlineFormSet):
    """The shares of a procedure's steps must sum to 100 %."""

    def clean(self):
        super().clean()
        shares = [
            form.cleaned_data["share_percent"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("share_percent") is not None
        ]
        total = check_step_shares(shares)
        if total is not None:
            raise ValidationError(
                _("Tổng tỷ lệ thời gian các bước phải bằng 100%% (hiện là %(total)s%%)."),
                params={"total": total.normalize() if total == total.to_integral_value() else total},
            )


class StepInline(admin.TabularInline):
    model = ProcessStep
    formset = StepFormSet
    extra = 0


class ProcedurePublicationInline(admin.TabularInline):
    model = PublicationItem
    extra = 0
    fields = ("decision", "change_type")
    autocomplete_fields = ("decision",)
    verbose_name_plural = _("quyết định công bố")


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


@admin.action(description=_("Xuất Excel"))
def export_xlsx_action(modeladmin, request, queryset):
    buffer = _io.BytesIO()
    io.export_xlsx(queryset, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{_stamp()}.xlsx"'
    return response


@admin.action(description=_("Xuất JSON"))
def export_json_action(modeladmin, request, queryset):
    body = json.dumps(io.export_json(queryset), ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{_stamp()}.json"'
    return response


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ("code", "name", "level", "agency", "time_limit_display", "online_level", "status", "updated_at")
    list_display_links = ("code", "name")
    list_filter = ("level", "status", "online_level", "field")
    search_fields = ("code", "name")
    list_select_related = ("agency",)
    list_per_page = 50
    actions = [export_xlsx_action, export_json_action]
    inlines = [MethodInline, FeeInline, ComponentInline, LegalBasisInline, StepInline, ProcedurePublicationInline]
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("code", "name", "field", "level", "status")}),
        (_("Cơ quan thực hiện"), {"fields": ("agency", "implementing_agency_text")}),
        (_("Thời hạn, đối tượng, kết quả"), {"fields": (
            ("time_limit", "time_unit"), "subjects", "requirements", ("result_name", "result_is_document"),
            "result_document_type",
            "online_level", "fee_note", "updated_at",
        )}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency")

    @admin.display(description=_("thời hạn"), ordering="time_limit")
    def time_limit_display(self, obj):
        if obj.time_limit is None:
            return "—"
        limit = obj.time_limit
        if limit == limit.to_integral_value():
            limit = limit.quantize(Decimal(1))
        return f"{limit} {obj.get_time_unit_display()}"


class PublicationItemInline(admin.TabularInline):
    model = PublicationItem
    extra = 0
    fields = ("procedure", "code", "name", "change_type", "replaces_code", "legal_basis", "effective_on")
    autocomplete_fields = ("procedure",)


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "status", "issuer_unit", "decided_on", "published_national_on", "item_count")
    list_filter = ("status", "issuer_unit", "issued_by_ministry")
    search_fields = ("number", "title", "items__procedure__code")
    date_hierarchy = "decided_on"
    list_select_related = ("issuer_unit",)
    inlines = [PublicationItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("số thủ tục"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count


class NationalChangeInline(admin.TabularInline):
    model = NationalChange
    extra = 0
    can_delete = False
    fields = ("code", "name", "level", "change_type", "replaces_code", "agency_code", "legal_basis", "effective_on")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NationalDecision)
class NationalDecisionAdmin(ReadOnlyAdmin):
    """The national feed, as imported (`motcua catalogue feed`)."""

    list_display = ("number", "ministry", "decided_on", "published_on", "imported_at")
    search_fields = ("number", "ministry", "changes__code")
    date_hierarchy = "decided_on"
    inlines = [NationalChangeInline]


@admin.register(ProcedureHistory)
class ProcedureHistoryAdmin(ReadOnlyAdmin):
    list_display = ("procedure", "change_type", "decision", "applied_at", "applied_by")
    list_filter = ("change_type",)
    search_fields = ("procedure__code", "decision__number")
    list_select_related = ("procedure", "decision", "applied_by")


@admin.register(PublicationAlert)
class PublicationAlertAdmin(ReadOnlyAdmin):
    list_display = ("item", "deadline", "stage", "due_on", "unit", "created_at")
    list_filter = ("deadline", "stage")
    list_select_related = ("item__decision", "item__procedure", "unit")


# --------------------------------------------------------------------------------------------
# Three systems: snapshots (read-only) and consistency findings
# --------------------------------------------------------------------------------------------


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("source", "taken_on", "imported_at", "imported_by", "file_name", "row_count", "short_sha")
    list_filter = ("source",)
    date_hierarchy = "taken_on"
    list_select_related = ("imported_by",)
    fields = ("source", "taken_on", "imported_at", "imported_by", "file_name", "sha256", "row_count", "records_link")
    readonly_fields = fields

    @admin.display(description=_("SHA-256"))
    def short_sha(self, obj):
        return obj.sha256[:12]

    @admin.display(description=_("thủ tục"))
    def records_link(self, obj):
        url = reverse("admin:catalogue_sourcerecord_changelist") + f"?snapshot__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Xem %(n)s thủ tục của bản chụp") % {"n": obj.row_count})


@admin.register(SourceRecord)
class SourceRecordAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "snapshot", "status", "time_limit", "time_unit", "fee_total_vnd", "online_level")
    list_filter = ("snapshot__source", "status", "online_level", "level")
    search_fields = ("code", "name")
    list_select_related = ("snapshot",)
    list_per_page = 100


class OpenFilter(admin.SimpleListFilter):
    title = _("tình trạng xử lý")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return (("yes", _("Đang mở")), ("no", _("Đã xử lý")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("hạn xử lý")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("Quá hạn (đang mở)")),)

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=True, due_at__lt=timezone.now())
        return queryset


@admin.action(description=_("Xuất Excel các sai lệch đang mở"))
def export_findings_action(modeladmin, request, queryset):
    buffer = _io.BytesIO()
    checks.export_findings_xlsx(queryset, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="sai-lech-{_stamp()}.xlsx"'
    return response


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "field", "pair", "severity", "owner_unit", "detected_at", "due_at",
                    "resolved_at")
    list_display_links = ("code", "name")
    list_filter = (OpenFilter, "pair", "severity", "kind", "field", ("owner_unit", admin.RelatedOnlyFieldListFilter),
                   OverdueFilter)
    search_fields = ("code", "name", "message")
    list_select_related = ("owner_unit",)
    date_hierarchy = "detected_at"
    actions = [export_findings_action]
    list_per_page = 100

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, unit_field="owner_unit")
