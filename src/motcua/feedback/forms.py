from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.identifiers import normalise_phone, validate_phone
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Category, Petition
from motcua.units.models import Unit, UnitKind


class PetitionForm(forms.Form):
    """The public petition form; `dossier_code` and `earlier_code` are resolved to records."""

    unit = forms.ModelChoiceField(label=_("Đơn vị được phản ánh"),
                                  queryset=Unit.objects.exclude(kind=UnitKind.PROVINCE).order_by("kind", "name"))
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=Category.choices)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    content = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"), widget=forms.Textarea(attrs={"rows": 5}))
    dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan (nếu có)"), max_length=50, required=False)
    earlier_code = forms.CharField(label=_("Mã phản ánh trước, nếu phản ánh lại"), max_length=30, required=False)
    petitioner_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    petitioner_phone = forms.CharField(label=_("Điện thoại"), max_length=30)
    petitioner_email = forms.EmailField(label=_("Thư điện tử (nếu có)"), required=False)

    def clean_petitioner_phone(self):
        phone = normalise_phone(self.cleaned_data["petitioner_phone"])
        if validate_phone(phone):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return phone

    def clean_dossier_code(self):
        code = self.cleaned_data["dossier_code"].strip()
        if not code:
            return None
        dossier = Dossier.objects.filter(code=code).first()
        if dossier is None:
            raise forms.ValidationError(_("Không tìm thấy hồ sơ có mã này."))
        return dossier

    def clean_earlier_code(self):
        code = self.cleaned_data["earlier_code"].strip()
        if not code:
            return None
        earlier = Petition.objects.filter(code=code).first()
        if earlier is None:
            raise forms.ValidationError(_("Không tìm thấy phản ánh có mã này."))
        return earlier

    def submission(self) -> dict:
        data = dict(self.cleaned_data)
        dossier, earlier = data.pop("dossier_code"), data.pop("earlier_code")
        return {**data, "dossier": dossier, "earlier": earlier}


class TrackForm(forms.Form):
    ma = forms.CharField(label=_("Mã phản ánh"), max_length=30)
    dt = forms.CharField(label=_("Số điện thoại đã khai"), max_length=30)

    def clean_dt(self):
        return normalise_phone(self.cleaned_data["dt"])
