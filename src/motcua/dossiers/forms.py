"""Forms of the desk and of the citizen pages: they parse and validate; services do the writing."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Procedure, ProcedureLevel
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import MAX_UPLOAD_BYTES, FileRejected, checked_type, safe_name
from motcua.dossiers.identifiers import normalise_phone, validate_personal_id, validate_phone, validate_tax_code
from motcua.dossiers.models import ApplicantKind, Channel, ReuseConsent
from motcua.dossiers.services import (
    RECEIVES_FOR_ANY_UNIT, Applicant, ComponentInput, procedures_received_at, procedures_resolved_by as procedures_of, resolving_unit_for,
)
from motcua.units.models import Unit, UnitKind


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("Chủ hồ sơ là"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=200)
    applicant_id = forms.CharField(label=_("Số định danh cá nhân / mã số thuế"), max_length=20)
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)

    def clean_applicant_phone(self):
        return normalise_phone(self.cleaned_data["applicant_phone"])

    def clean(self):
        data = super().clean()
        identifier = (data.get("applicant_id") or "").strip()
        if identifier:
            check = validate_personal_id if data.get("applicant_kind") == ApplicantKind.INDIVIDUAL else validate_tax_code
            problem = check(identifier)
            if problem:
                self.add_error("applicant_id", problem)
            data["applicant_id"] = identifier
        phone = data.get("applicant_phone")
        if phone and (problem := validate_phone(phone)):
            self.add_error("applicant_phone", problem)
        return data

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(d["applicant_kind"], d["applicant_name"], d["applicant_id"], d["applicant_phone"],
                         d["applicant_email"], d["applicant_address"])


def _read_upload(upload, label) -> tuple[bytes, str]:
    """The bytes of an upload and their type, read from the content (the client's name and
    Content-Type say nothing)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("%(name)s: tệp vượt quá 20 MB.") % {"name": label})
    content = upload.read()
    try:
        return content, checked_type(content, what=label)
    except FileRejected as exc:
        raise forms.ValidationError(exc.message) from None


REUSE_CONSENT_LABELS = {
    ReuseConsent.PRESENT: _("Công dân có mặt tại quầy và đồng ý cho dùng lại các giấy tờ đã chọn trong kho dữ liệu "
                            "cá nhân của mình (cán bộ tiếp nhận xác nhận)"),
    ReuseConsent.ONLINE: _("Tôi đồng ý cho cơ quan giải quyết dùng lại các giấy tờ đã chọn trong kho dữ liệu cá nhân "
                           "của tôi; mỗi lượt dùng được ghi lại và hiện khi tra cứu hồ sơ"),
}


class ComponentsForm(forms.Form):
    """One upload per component of the procedure. With `reuse` (how the applicant consents: present
    at the desk, or online), a component that has a document type may instead be taken from the
    applicant's store, once the consent box is ticked (the service refuses it otherwise)."""

    def __init__(self, *args, procedure: Procedure, reuse: ReuseConsent | None, require_all: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure, self.reuse, self.require_all = procedure, reuse, require_all
        self.components = list(procedure.components.select_related("document_type").order_by("order"))
        for c in self.components:
            self.fields[f"file_{c.pk}"] = forms.FileField(label=c.name, required=False)
            if self.reusable(c):
                self.fields[f"reuse_{c.pk}"] = forms.BooleanField(
                    label=_("Dùng lại giấy tờ cùng loại (%(type)s) trong kho dữ liệu cá nhân")
                    % {"type": c.document_type.name}, required=False)
        if any(self.reusable(c) for c in self.components):
            self.fields["reuse_consent"] = forms.BooleanField(label=REUSE_CONSENT_LABELS[reuse], required=False)

    def reusable(self, component) -> bool:
        return self.reuse is not None and component.document_type_id is not None

    def component_fields(self):
        return [(c, self[f"file_{c.pk}"], self[f"reuse_{c.pk}"] if self.reusable(c) else None)
                for c in self.components]

    def clean(self):
        data = super().clean()
        for c in self.components:
            if self.require_all and c.required and not data.get(f"file_{c.pk}") and not data.get(f"reuse_{c.pk}"):
                self.add_error(f"file_{c.pk}", _("Thành phần bắt buộc: hãy quét, tải lên hoặc dùng lại bản đã số hóa."))
        return data

    def consent(self) -> ReuseConsent | None:
        """The applicant's consent to take documents from their store, when given."""
        return self.reuse if self.cleaned_data.get("reuse_consent") else None

    def inputs(self) -> list[ComponentInput]:
        items = []
        for c in self.components:
            upload, reuse = self.cleaned_data.get(f"file_{c.pk}"), self.cleaned_data.get(f"reuse_{c.pk}")
            if upload:
                content, content_type = _read_upload(upload, c.name)
                items.append(ComponentInput(c.name, c.pk, content, content_type, safe_name(upload.name, content_type)))
            elif reuse:
                items.append(ComponentInput(c.name, c.pk, reused=True, from_personal_store=True))
        return items


class ReceptionForm(ApplicantForm):
    procedure = forms.ModelChoiceField(label=_("Thủ tục"), queryset=Procedure.objects.none())
    channel = forms.ChoiceField(label=_("Kênh nộp"), choices=[(Channel.DIRECT, _("Trực tiếp tại quầy")),
                                                              (Channel.POSTAL, _("Qua bưu chính công ích"))])

    # Where the applicant collects the result (Decree 118/2025/NĐ-CP: received anywhere in the
    # province, returned where the applicant chose).
    RETURN_HERE, RETURN_AT_RESOLVER = "here", "resolver"
    return_point = forms.ChoiceField(label=_("Nơi nhận kết quả"), required=False, initial=RETURN_HERE, choices=[
        (RETURN_HERE, _("Tại nơi tiếp nhận này")), (RETURN_AT_RESOLVER, _("Tại đơn vị giải quyết"))])
    resolving_unit = forms.ModelChoiceField(
        label=_("Xã, phường giải quyết"), required=False,
        queryset=Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("name"),
        help_text=_("Thủ tục cấp xã: xã, phường có thẩm quyền giải quyết (mặc định: xã, phường tiếp nhận)"))

    def __init__(self, *args, unit, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["procedure"].queryset = procedures_received_at(unit)
        if unit.kind not in RECEIVES_FOR_ANY_UNIT:  # a department's desk receives and returns its own
            del self.fields["return_point"]
        if unit.kind not in RECEIVES_FOR_ANY_UNIT or procedure is None or procedure.level != ProcedureLevel.COMMUNE:
            del self.fields["resolving_unit"]
        elif unit.kind == UnitKind.COMMUNE:
            self.fields["resolving_unit"].initial = unit.pk
        self.order_fields(["procedure", "channel"])

    def reception_points(self) -> dict:
        """The resolving unit and the return point, as `open_dossier` takes them (or ValidationError)."""
        data = self.cleaned_data
        try:
            resolving = resolving_unit_for(data["procedure"], self.unit, data.get("resolving_unit"))
        except DossierError as exc:
            raise forms.ValidationError(exc.message) from None
        at_resolver = data.get("return_point") == self.RETURN_AT_RESOLVER
        return {"unit": resolving, "receiving_unit": self.unit, "return_unit": resolving if at_resolver else self.unit}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SupplementRequestForm(forms.Form):
    items = forms.CharField(label=_("Giấy tờ cần bổ sung (mỗi dòng một loại)"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    acknowledge_overdue = forms.BooleanField(
        label=_("Tôi biết yêu cầu bổ sung lần hai làm hồ sơ bị tính là quá hạn"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Người xử lý"), queryset=None)
    step = forms.ModelChoiceField(label=_("Bước xử lý"), queryset=None, required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        from motcua.units.models import Officer, Role

        self.fields["assignee"].queryset = Officer.objects.filter(
            unit=dossier.unit, is_active=True, role__in=[Role.PROCESSING, Role.HEAD, Role.RECEPTION]).order_by("role", "username")
        self.fields["step"].queryset = dossier.procedure.steps.order_by("order")


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Chuyển đến đơn vị"), queryset=None)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        from motcua.units.models import Unit

        self.fields["to_unit"].queryset = Unit.objects.exclude(pk=dossier.unit_id).exclude(kind=UnitKind.PROVINCE)


class CompleteForm(forms.Form):
    result_paper = forms.BooleanField(label=_("Có kèm kết quả giấy"), required=False, initial=True)


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    so = forms.CharField(label=_("Số định danh cá nhân / mã số thuế của chủ hồ sơ"), max_length=20)


class DelayReportForm(forms.Form):
    reason = forms.CharField(label=_("Lý do chậm"), widget=forms.Textarea(attrs={"rows": 2}))
    cause = forms.CharField(label=_("Nguyên nhân"), widget=forms.Textarea(attrs={"rows": 2}))
    remedy = forms.CharField(label=_("Biện pháp khắc phục"), widget=forms.Textarea(attrs={"rows": 2}))
    new_appointment_at = forms.DateTimeField(label=_("Ngày hẹn trả mới"), input_formats=["%Y-%m-%dT%H:%M"],
                                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
