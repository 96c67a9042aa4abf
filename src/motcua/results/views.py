"""Public verification, the applicant's download, and the desk's certified copies (thin views:
parse, call a service or selector, render)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import PDF, sniffed_type, stored_file_response
from motcua.limits import limiter as limits
from motcua.limits import tracking
from motcua.results import selectors, services, verification
from motcua.results.forms import CertifyForm, VerifyUploadForm

MAX_CHECK_BYTES = 20 * 1024 * 1024


def _pdf_download(document) -> FileResponse:
    return stored_file_response(document.path, "application/pdf", f"{document.dossier.code}-{document.code}.pdf",
                                download=True)


def verify(request, code):
    """What anyone learns from the QR: issuer, signer, time, hash, and whether file and signature hold."""
    result = verification.verify_issued(code)
    if result is None:
        return render(request, "results/verify.html", {"code": code, "unknown": True,
                                                       "form": VerifyUploadForm()}, status=404)
    return render(request, "results/verify.html", {"code": code, "v": result, "form": VerifyUploadForm()})


def verify_upload(request):
    """Anyone uploads a PDF: its signatures are checked, and matched against the issued documents."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        limits.check(request, "verify")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_CHECK_BYTES:
            form.add_error("file", _("Tệp vượt quá dung lượng cho phép (20 MB)."))
        else:
            content = upload.read()
            result = verification.verify_upload(content) if sniffed_type(content) == PDF else None
            if result is None or not result.check.readable:  # typed by its content, as every upload
                form.add_error("file", _("Tệp không phải là PDF đọc được."))
                result = None
    return render(request, "results/verify.html", {"form": form, "v": result, "uploaded": True})


def applicant_download(request):
    """The signed result, from the tracking page (its token) or for whoever gives the dossier code
    and the applicant's number."""
    dossier = tracking.tracked_dossier(request, request.GET)
    document = selectors.signed_result(dossier) if dossier else None
    if document is None:
        raise Http404
    return _pdf_download(document)


def applicant_copy(request):
    """The electronic copy (scan) of a paper result, from the tracking page (its token) or for
    whoever gives the dossier code and the applicant's number."""
    dossier = tracking.tracked_dossier(request, request.GET)
    path = selectors.paper_result_copy(dossier) if dossier else None
    if path is None:
        raise Http404
    return stored_file_response(path, "application/pdf", f"{dossier.code}-ban-dien-tu-ket-qua.pdf", download=True)


@login_required
def officer_download(request, code):
    dossier = dossier_selectors.dossier_for_officer(request.user, code)
    document = selectors.signed_result(dossier) if dossier else None
    if document is None:
        raise Http404
    return _pdf_download(document)


@login_required
def officer_draft(request, code):
    """The draft result as the processing officer left it, for the head to read before signing."""
    dossier = dossier_selectors.dossier_for_officer(request.user, code)
    if dossier is None or not dossier.result_file:
        raise Http404
    return stored_file_response(dossier.result_file, "application/pdf", f"{dossier.code}-du-thao.pdf",
                                download=bool(request.GET.get("tai")))


@login_required
@require_POST
def certify(request, code):
    dossier = dossier_selectors.dossier_for_officer(request.user, code)
    if dossier is None:
        raise Http404
    form = CertifyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect("dossiers:detail", code=code)
    try:
        copy = services.certify_copy(dossier, actor=request.user, scan=form.cleaned_data["scan"].read(),
                                     original_name=form.cleaned_data["original_name"],
                                     paper_copies=form.cleaned_data["paper_copies"])
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã chứng thực bản sao số %(number)s; bản sao điện tử đã được ký số.")
                         % {"number": copy.book_number})
    return redirect("dossiers:detail", code=code)


@login_required
def register(request):
    year = request.GET.get("nam", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    return render(request, "results/register.html", {
        "year": year, "rows": selectors.certified_copy_register(request.user, year)})
