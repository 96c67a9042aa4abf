from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import CompleteForm


class ResultForm(CompleteForm):
    """Completing a dossier: the result PDF is rendered from the procedure's template unless the
    officer uploads one."""

    result_upload = forms.FileField(label=_("Tệp kết quả (PDF; để trống: lập từ mẫu của thủ tục)"), required=False,
                                    widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class PaperResultForm(CompleteForm):
    """Completing a dossier whose result is not a document: a paper result comes with its scan, the
    electronic copy kept with the dossier and sent to the applicant's document store."""

    result_upload = forms.FileField(label=_("Bản quét kết quả giấy (PDF): bản điện tử gửi cho công dân"),
                                    required=False, widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class CertifyForm(forms.Form):
    original_name = forms.CharField(label=_("Tên giấy tờ bản chính"), max_length=300)
    scan = forms.FileField(label=_("Bản quét bản chính (PDF)"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    paper_copies = forms.IntegerField(label=_("Số bản sao giấy"), min_value=0, max_value=100, initial=1)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF cần kiểm tra"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
