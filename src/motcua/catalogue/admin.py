import io as _io
import json
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalogue import io
from motcua.catalogue.models import (
    Component,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureMethod,
    ProcessStep,
    PublicationDecision,
    PublicationItem,
    Subject,
    check_step_shares,
)


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
    fields = ("order", "name", "original_count", "copy_count", "required", "template_name", "note")

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
    response = HttpResponse(buffer.getvalue(), content_type=io.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{_stamp()}.xlsx"'
    return response


@admin.action(description=_("Xuất JSON"))
def export_json_action(modeladmin, request, queryset):
    body = json.dumps(io.export_json(queryset), ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{_stamp()}.json"'
    return response


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
    autocomplete_fields = ("procedure",)


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "issuer_unit", "decided_on", "published_national_on", "item_count")
    list_filter = ("issuer_unit",)
    search_fields = ("number", "title", "items__procedure__code")
    date_hierarchy = "decided_on"
    list_select_related = ("issuer_unit",)
    inlines = [PublicationItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("số thủ tục"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count
