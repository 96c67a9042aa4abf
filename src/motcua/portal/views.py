"""Public pages for citizens and businesses: find a procedure, submit online, follow a dossier."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from motcua.catalogue.models import OnlineLevel, Procedure, ProcedureLevel
from motcua.common.collation import sort_key
from motcua.dossiers import selectors, slip_views
from motcua.dossiers.errors import DossierError
from motcua.dossiers.forms import ApplicantForm, ComponentsForm, LookupForm
from motcua.dossiers.models import Channel, ReuseConsent
from motcua.dossiers.services import receive_supplement
from motcua.dossiers.transitions import Action, Actor, Status, allowed_actions
from motcua.feedback import selectors as feedback
from motcua.limits import limiter as limits
from motcua.limits.doors import applicant_dossier, check_daily_submissions
from motcua.payments.selectors import can_pay_online
from motcua.payments.services import open_dossier_owing_fees
from motcua.portal import withdrawal
from motcua.portal.search import search_procedures
from motcua.units.models import Unit, UnitKind


PROCEDURES_PAGE_SIZE = 25


def home(request):
    """What a citizen or a business can do here, one click each."""
    return render(request, "portal/home.html", {"procedures": Procedure.objects.exclude(status="abolished").count()})


def procedures(request):
    """Every procedure, in Vietnamese alphabetical order, found by words (with or without diacritics)
    and narrowed by field, level, implementing unit and online level; a page at a time."""
    query = request.GET.get("q", "")
    chosen = {key: request.GET.get(key, "") for key in ("linh_vuc", "cap", "don_vi", "truc_tuyen")}
    queryset = Procedure.objects.exclude(status="abolished").select_related("agency")
    narrowing = {"linh_vuc": "field", "cap": "level", "don_vi": "agency__code", "truc_tuyen": "online_level"}
    for key, lookup in narrowing.items():
        if chosen[key]:
            queryset = queryset.filter(**{lookup: chosen[key]})
    found = search_procedures(query, queryset)
    published = Procedure.objects.exclude(status="abolished")
    fields = sorted({f for f in published.values_list("field", flat=True) if f}, key=sort_key)
    agencies = sorted(Unit.objects.filter(procedures__in=published).exclude(kind=UnitKind.COMMUNE).distinct(),
                      key=lambda u: sort_key(u.name))
    return render(request, "portal/procedures.html", {
        "q": query, "chosen": chosen, "count": len(found), "fields": fields, "agencies": agencies,
        "levels": ProcedureLevel.choices, "online_levels": OnlineLevel.choices,
        "page": Paginator(found, PROCEDURES_PAGE_SIZE).get_page(request.GET.get("trang")),
        "query_string": urlencode({"q": query, **chosen})})


def _units_for(procedure: Procedure):
    if procedure.level == "commune":
        return Unit.objects.filter(kind=UnitKind.COMMUNE)
    return Unit.objects.filter(pk=procedure.agency_id)


def procedure(request, code):
    """The applicant's guide to a procedure, and its online submission form."""
    proc = get_object_or_404(Procedure.objects.exclude(status="abolished"), code=code)
    online = proc.online_level != "none"
    data = request.POST if request.method == "POST" and online else None
    applicant = ApplicantForm(data)
    components = ComponentsForm(data, request.FILES if data else None, procedure=proc, reuse=ReuseConsent.ONLINE)
    units = _units_for(proc)
    if data is not None:
        limits.check(request, "submit")
        unit = units.filter(pk=request.POST.get("unit") or 0).first()
        if unit is None:
            messages.error(request, _("Hãy chọn nơi nộp hồ sơ."))
        elif applicant.is_valid() and components.is_valid():
            check_daily_submissions(applicant.cleaned_data["applicant_id"])
            try:
                dossier = open_dossier_owing_fees(procedure=proc, unit=unit, applicant=applicant.applicant(),
                                                  channel=Channel.ONLINE, action=Action.SUBMIT_ONLINE,
                                                  role=Actor.APPLICANT, components=components.inputs(),
                                                  reuse_consent=components.consent())
            except (DossierError, ValidationError) as exc:
                messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
            else:
                messages.success(request, _("Đã nộp hồ sơ. Mã hồ sơ của bạn: %(code)s — hãy ghi lại để tra cứu.")
                                 % {"code": dossier.code})
                return redirect(lookup_url(dossier.code, dossier.applicant_id))
    return render(request, "portal/procedure.html", {
        "p": proc, "online": online, "applicant": applicant, "components": components,
        "units": sorted(units, key=lambda u: sort_key(u.name)),
        "fees": proc.fees.all(), "steps": proc.steps.order_by("order"), "methods": proc.methods.all()})


def lookup_url(code: str, identifier: str) -> str:
    return reverse("portal:lookup") + "?" + urlencode({"ma": code, "so": identifier})


def lookup(request):
    """Follow a dossier with its code and the applicant's identification number; no account needed."""
    form = LookupForm(request.GET or None)
    dossier = None
    if form.is_valid():
        dossier = applicant_dossier(request, form.cleaned_data["ma"], form.cleaned_data["so"])
        if dossier is None:
            messages.error(request, _("Không tìm thấy hồ sơ với mã và số định danh này."))
    actions = allowed_actions(Status(dossier.status), Actor.APPLICANT) if dossier else []
    supplement = (ComponentsForm(procedure=dossier.procedure, reuse=None, require_all=False)
                  if Action.RECEIVE_SUPPLEMENT in actions else None)
    return render(request, "portal/lookup.html", {
        "form": form, "d": dossier, "supplement": supplement, "can_withdraw": Action.WITHDRAW in actions,
        "withdrawal_contact": withdrawal.contact(dossier) if Action.WITHDRAW in actions else None,
        "can_pay": can_pay_online(dossier),
        "rating": feedback.rating_of(dossier), "can_rate": feedback.can_rate(dossier),
        "events": dossier.events.order_by("seq") if dossier else [],
        "forms": slip_views.applicant_forms(dossier) if dossier else [],
        "document_accesses": selectors.document_accesses(dossier) if dossier else []})


@require_safe
def slip(request, form: str):
    """GET /tra-cuu/phieu-<form>.pdf?ma=<code>&so=<number>: a form issued to the applicant (Mẫu 01–05
    of Circular 03/2025/TT-VPCP, in the set it was issued with) for whoever may see the dossier on
    the tracking page."""
    dossier = applicant_dossier(request, request.GET.get("ma", ""), request.GET.get("so", ""))
    if dossier is None or form not in slip_views.APPLICANT_FORMS:
        raise Http404
    return slip_views.pdf_response(slip_views.slip_pdf(dossier, form), form, dossier.code)


def _applicant_dossier_or_404(request):
    dossier = applicant_dossier(request, request.POST.get("ma", ""), request.POST.get("so", ""))
    if dossier is None:
        raise Http404
    return dossier


@require_POST
def supplement(request):
    limits.check(request, "supplement", dossier=request.POST.get("ma", ""))
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
    return redirect(lookup_url(dossier.code, dossier.applicant_id))


@require_POST
def withdrawal_code(request):
    """Step 1 of an online withdrawal: a one-time code to the applicant's registered channel."""
    limits.check(request, "withdraw_code", dossier=request.POST.get("ma", ""))
    dossier = _applicant_dossier_or_404(request)
    try:
        sent_to = withdrawal.send_code(dossier)
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi mã xác nhận tới %(address)s; mã có hiệu lực %(minutes)s phút.")
                         % {"address": sent_to, "minutes": settings.MOTCUA_LIMITS["withdrawal_code_minutes"]})
    return redirect(lookup_url(dossier.code, dossier.applicant_id))


@require_POST
def withdraw(request):
    """Step 2: withdraw with the one-time code (see `portal.withdrawal` for why a code)."""
    code = request.POST.get("ma", "")
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
    return redirect(lookup_url(dossier.code, dossier.applicant_id))
