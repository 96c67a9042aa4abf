"""Public pages for citizens and businesses: find a procedure, submit online, follow a dossier."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from motcua.catalogue.models import OnlineLevel, ProcedureLevel
from motcua.catalogue.selectors import published, submission_units
from motcua.common.collation import sort_key
from motcua.dossiers import selectors, slip_views, slips
from motcua.dossiers.files import stored_file_response
from motcua.dossiers.slip_views import pdf_response
from motcua.dossiers.errors import DossierError
from motcua.dossiers.forms import ApplicantForm, ComponentsForm, LookupForm
from motcua.dossiers.models import Channel, ReuseConsent
from motcua.dossiers.services import receive_supplement
from motcua.dossiers.transitions import Action, Actor, Status, allowed_actions
from motcua.feedback import selectors as feedback
from motcua.limits import limiter as limits
from motcua.limits import tracking
from motcua.limits.doors import applicant_dossier, check_daily_submissions
from motcua.payments.selectors import can_pay_online
from motcua.payments.services import open_dossier_owing_fees
from motcua.portal import progress, staging, withdrawal
from motcua.portal.forms import OnlineComponentsForm
from motcua.portal.search import search_procedures
from motcua.units.models import Unit, UnitKind


PROCEDURES_PAGE_SIZE = 25


def home(request):
    """What a citizen or a business can do here, one click each."""
    return render(request, "portal/home.html", {"procedures": published().count()})


def procedures(request):
    """Every procedure, in Vietnamese alphabetical order, found by words (with or without diacritics)
    and narrowed by field, level, implementing unit and online level; a page at a time."""
    query = request.GET.get("q", "")
    chosen = {key: request.GET.get(key, "") for key in ("linh_vuc", "cap", "don_vi", "truc_tuyen")}
    queryset = published().select_related("agency")
    narrowing = {"linh_vuc": "field", "cap": "level", "don_vi": "agency__code", "truc_tuyen": "online_level"}
    for key, lookup in narrowing.items():
        if chosen[key]:
            queryset = queryset.filter(**{lookup: chosen[key]})
    found = search_procedures(query, queryset)
    in_force = published()
    fields = sorted({f for f in in_force.values_list("field", flat=True) if f}, key=sort_key)
    agencies = sorted(Unit.objects.filter(procedures__in=in_force).exclude(kind=UnitKind.COMMUNE).distinct(),
                      key=lambda u: sort_key(u.name))
    return render(request, "portal/procedures.html", {
        "q": query, "chosen": chosen, "count": len(found), "fields": fields, "agencies": agencies,
        "levels": ProcedureLevel.choices, "online_levels": OnlineLevel.choices,
        "page": Paginator(found, PROCEDURES_PAGE_SIZE).get_page(request.GET.get("trang")),
        "query_string": urlencode({"q": query, **chosen})})


def _problems(form) -> list[tuple[str, str]]:
    """(the field's id, "label: error") for each error of `form`, for the summary at the top."""
    return [(form[name].id_for_label if name in form.fields else "",
             f"{form.fields[name].label}: {error}" if name in form.fields else error)
            for name, errors in form.errors.items() for error in errors]


def procedure(request, code):
    """The applicant's guide to a procedure, and its online submission form. A refused submission
    comes back with a summary of what to fix at the top, what was typed and chosen kept, and the
    chosen files staged for the next try (`portal.staging`)."""
    proc = get_object_or_404(published(), code=code)
    online = proc.online_level != "none"
    data = request.POST if request.method == "POST" and online else None
    applicant = ApplicantForm(data)
    components = OnlineComponentsForm(data, request.FILES if data else None, procedure=proc, reuse=ReuseConsent.ONLINE,
                                      staged=staging.read(data.get("staged", "")) if data else None)
    units = submission_units(proc)
    problems = []
    if data is not None:
        limits.check(request, "submit")
        unit_id = request.POST.get("unit", "")
        unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
        valid = applicant.is_valid() & components.is_valid()  # both, for every error at once
        if unit is None:
            problems.append(("id_unit", _("Nơi nộp: hãy chọn nơi nộp hồ sơ.")))
        elif valid:
            check_daily_submissions(applicant.cleaned_data["applicant_id"])
            try:
                dossier = open_dossier_owing_fees(procedure=proc, unit=unit, applicant=applicant.applicant(),
                                                  channel=Channel.ONLINE, action=Action.SUBMIT_ONLINE,
                                                  role=Actor.APPLICANT, components=components.inputs(),
                                                  reuse_consent=components.consent())
            except (DossierError, ValidationError) as exc:
                problems.append(("", getattr(exc, "message", None) or " ".join(exc.messages)))
            else:
                messages.success(request, _("Đã nộp hồ sơ. Mã hồ sơ của bạn: %(code)s — hãy ghi lại để tra cứu.")
                                 % {"code": dossier.code})
                return redirect(tracking.url_for(dossier))
        components.staged = components.to_stage()
        problems = _problems(applicant) + _problems(components) + problems
    return render(request, "portal/procedure.html", {
        "p": proc, "online": online, "applicant": applicant, "components": components, "problems": problems,
        "staged_token": staging.token(components.staged), "chosen_unit": data.get("unit", "") if data else "",
        "units": sorted(units, key=lambda u: sort_key(u.name)),
        "fees": proc.fees.all(), "steps": proc.steps.order_by("order"), "methods": proc.methods.all()})


def lookup(request):
    """Follow a dossier with its code and the applicant's identification number; no account needed.
    The pair is posted (or given in an old link) and answered by a redirect to the page's address
    with a signed token instead (`limits.tracking`): the number never stays in an address."""
    token = request.GET.get(tracking.TOKEN, "")
    pair = request.POST if request.method == "POST" else (request.GET if "so" in request.GET else None)
    form = LookupForm(pair, initial={"ma": request.GET.get("ma", "")})
    dossier = None
    if pair is not None and form.is_valid():
        found = applicant_dossier(request, form.cleaned_data["ma"], form.cleaned_data["so"])
        if found is not None:
            return redirect(tracking.url_for(found))
        messages.error(request, _("Không tìm thấy hồ sơ với mã và số định danh này."))
    elif token:
        dossier = tracking.tracked_dossier(request, request.GET)
        if dossier is None:
            messages.error(request, _("Phiên tra cứu đã hết hạn; hãy nhập lại mã hồ sơ và số định danh."))
    if dossier is None:
        return render(request, "portal/lookup.html", {"form": form})
    actions = allowed_actions(Status(dossier.status), Actor.APPLICANT)
    supplement = (ComponentsForm(procedure=dossier.procedure, reuse=None, require_all=False)
                  if Action.RECEIVE_SUPPLEMENT in actions else None)
    return render(request, "portal/lookup.html", {
        "form": form, "d": dossier, "token": tracking.token_for(dossier), **progress.summary(dossier),
        "supplement": supplement, "can_withdraw": Action.WITHDRAW in actions,
        "withdrawal_contact": withdrawal.contact(dossier) if Action.WITHDRAW in actions else None,
        "can_pay": can_pay_online(dossier),
        "rating": feedback.rating_of(dossier), "can_rate": feedback.can_rate(dossier),
        "forms": slip_views.applicant_forms(dossier),
        "document_accesses": selectors.document_accesses(dossier)})


@require_safe
def slip(request, form: str):
    """GET /tra-cuu/phieu-<form>.pdf?t=<token> (or ma, so): a form issued to the applicant (Mẫu 01–05
    of Circular 03/2025/TT-VPCP, in the set it was issued with) for whoever may see the dossier on
    the tracking page."""
    dossier = tracking.tracked_dossier(request, request.GET)
    if dossier is None or form not in slip_views.APPLICANT_FORMS:
        raise Http404
    return slip_views.pdf_response(slip_views.slip_pdf(dossier, form), form, dossier.code)


def _applicant_dossier_or_404(request):
    dossier = tracking.tracked_dossier(request, request.POST if request.method == "POST" else request.GET)
    if dossier is None:
        raise Http404
    return dossier


def supplement_slip(request, seq):
    """The supplement request (Mẫu 02) the citizen was sent, again, from the tracking page."""
    dossier = _applicant_dossier_or_404(request)
    event = get_object_or_404(dossier.events, seq=seq, action=Action.REQUEST_SUPPLEMENT)
    return pdf_response(slips.supplement_request_pdf_for(event), "02", dossier.code)


def apology_slip(request, pk):
    """The apology slip (Mẫu 04) as it was issued with the delay report."""
    dossier = _applicant_dossier_or_404(request)
    report = get_object_or_404(dossier.delay_reports.exclude(apology_slip=""), pk=pk)
    return stored_file_response(report.apology_slip, "application/pdf",
                                f"Mau04-Phieu-xin-loi-{dossier.code}.pdf", download=True)


@require_POST
def supplement(request):
    limits.check(request, "supplement", dossier=tracking.requested_code(request.POST))
    dossier = _applicant_dossier_or_404(request)
    form = ComponentsForm(request.POST, request.FILES, procedure=dossier.procedure, reuse=None, require_all=False)
    try:
        inputs = [i for i in (form.inputs() if form.is_valid() else []) if i.content is not None]
        if not inputs:
            raise DossierError(_("Hãy tải lên ít nhất một giấy tờ bổ sung."), "nothing_uploaded")
        receive_supplement(dossier, role=Actor.APPLICANT, components=inputs)
    except (DossierError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(request, _("Đã nhận hồ sơ bổ sung; hồ sơ tiếp tục được xử lý."))
    return redirect(tracking.url_for(dossier))


@require_POST
def withdrawal_code(request):
    """Step 1 of an online withdrawal: a one-time code to the applicant's registered channel."""
    limits.check(request, "withdraw_code", dossier=tracking.requested_code(request.POST))
    dossier = _applicant_dossier_or_404(request)
    try:
        sent_to = withdrawal.send_code(dossier)
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi mã xác nhận tới %(address)s; mã có hiệu lực %(minutes)s phút.")
                         % {"address": sent_to, "minutes": settings.MOTCUA_LIMITS["withdrawal_code_minutes"]})
    return redirect(tracking.url_for(dossier))


@require_POST
def withdraw(request):
    """Step 2: withdraw with the one-time code (see `portal.withdrawal` for why a code)."""
    code = tracking.requested_code(request.POST)
    limits.check(request, "withdraw", count_targets=False, dossier=code)
    dossier = _applicant_dossier_or_404(request)
    try:
        withdrawal.withdraw(dossier, request.POST.get("otp", ""), request.POST.get("reason", ""))
    except DossierError as exc:
        if exc.code in ("otp_wrong", "otp_locked"):
            limits.record_failure("withdraw", dossier=code)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return redirect(tracking.url_for(dossier))
