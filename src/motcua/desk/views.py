"""The one-stop desk for officers: queues, reception, a dossier and its actions. Views parse,
call services, render; every read goes through selectors (scoped to the officer's unit), every
action through `desk.actions.perform`."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.desk import export
from motcua.desk.actions import ACTIONS, available, officer_actor, perform
from motcua.dossiers import forms, selectors
from motcua.dossiers.deadlines import OPEN_STATUSES
from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import stored_file_response
from motcua.dossiers.models import ComponentFile, ReuseConsent
from motcua.dossiers.transitions import ACTION_LABELS, Action, Actor
from motcua.notify.services import notices_of
from motcua.payments.selectors import can_pay_online
from motcua.payments.services import PaymentError, open_dossier_owing_fees
from motcua.units import policy

DESK_PAGE_SIZE = 50


@login_required
def desk(request):
    key = request.GET.get("hang") or selectors.default_queue(request.user)
    if key not in selectors.QUEUES:
        key = selectors.default_queue(request.user)
    text = request.GET.get("q", "").strip()
    rows = selectors.queue(request.user, key, text)
    if request.GET.get("xlsx"):
        return export.xlsx_response(rows, selectors.QUEUES[key].title)
    counts = selectors.queue_counts(request.user)
    return render(request, "desk/desk.html", {
        "notices": request.user.notifications.filter(read_at__isnull=True).select_related("dossier")[:10],
        "queues": [(k, q.title, counts[k]) for k, q in selectors.QUEUES.items()],
        "current": key, "q": text, "page": Paginator(rows, DESK_PAGE_SIZE).get_page(request.GET.get("trang")),
        "query_string": urlencode({"hang": key, "q": text}),
        "now": timezone.now(), "can_receive": policy.can_receive(request.user),
    })


@login_required
def component_file(request, code, file_id):
    """An uploaded or reused file of a dossier, shown inline (PDF, images) or downloaded (`?tai=1`),
    to the officers who may see the dossier."""
    dossier = selectors.dossier_for_officer(request.user, code)
    stored = ComponentFile.objects.filter(pk=file_id, component__dossier=dossier).first() if dossier else None
    if stored is None:
        raise Http404
    return stored_file_response(stored.path, stored.content_type, stored.original_name,
                                download=bool(request.GET.get("tai")))


def _reception_forms(request, unit):
    data = request.POST if request.method == "POST" else None
    procedure_id = (request.POST.get("procedure") if data else request.GET.get("thu_tuc")) or None
    procedure = (forms.procedures_received_at(unit).filter(pk=procedure_id).first()
                 if procedure_id and procedure_id.isdigit() else None)
    form = forms.ReceptionForm(data, unit=unit, procedure=procedure, initial={"procedure": request.GET.get("thu_tuc")})
    components = (forms.ComponentsForm(data, request.FILES if data else None, procedure=procedure,
                                       reuse=ReuseConsent.PRESENT)
                  if procedure else None)
    return form, procedure, components


@login_required
def receive(request):
    """Receive a dossier at the desk (or by post), guided by the procedure's component checklist."""
    if not policy.can_receive(request.user):
        raise Http404
    unit = request.user.unit
    form, procedure, components = _reception_forms(request, unit)
    if request.method == "POST" and "refuse" in request.POST:
        return _refuse_at_desk(request, unit, form, procedure, components)
    if request.method == "POST" and form.is_valid() and components is not None and components.is_valid():
        try:
            dossier = open_dossier_owing_fees(
                procedure=procedure, **form.reception_points(), applicant=form.applicant(),
                channel=form.cleaned_data["channel"], action=Action.RECEIVE, actor=request.user,
                components=components.inputs(), reuse_consent=components.consent())
        except (DossierError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s; hẹn trả %(when)s.") % {
                "code": dossier.code, "when": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")})
            return redirect("dossiers:detail", code=dossier.code)
    return render(request, "desk/receive.html", {"form": form, "procedure": procedure, "components": components,
                                                     "procedures": forms.procedures_received_at(unit)})


def _refuse_at_desk(request, unit, form, procedure, components):
    """Refuse a dossier at the desk with the reasons (one per line), for the refusal slip (Mẫu 03)."""
    reasons = request.POST.get("refusal_reasons", "").strip()
    if not reasons:
        messages.error(request, _("Cần ghi lý do từ chối tiếp nhận (mỗi dòng một lý do)."))
    elif form.is_valid() and procedure is not None:
        try:
            dossier = open_dossier_owing_fees(procedure=procedure, **form.reception_points(),
                                              applicant=form.applicant(), channel=form.cleaned_data["channel"],
                                              action=Action.REFUSE, actor=request.user, reason=reasons)
        except (DossierError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("Đã từ chối tiếp nhận; in phiếu từ chối (Mẫu 03) cho công dân."))
            return redirect("dossiers:detail", code=dossier.code)
    return render(request, "desk/receive.html", {"form": form, "procedure": procedure, "components": components,
                                                     "procedures": forms.procedures_received_at(unit)})


@login_required
def detail(request, code):
    dossier = selectors.dossier_for_officer(request.user, code)
    if dossier is None:
        raise Http404
    # A receiving point sees what it received for another unit; `available` lets it act only where
    # the dossier comes back to it (the return of the result).
    actor = officer_actor(request.user) if request.user.unit_id == dossier.unit_id else None
    return render(request, "desk/detail.html", {
        "d": dossier, "events": dossier.events.select_related("actor", "unit"),
        "components": dossier.components.prefetch_related("files"),
        # A payment is confirmed by the payments app (cash with a receipt, or the gateway), never by
        # a bare button: the cash form below does it.
        "actions": [(a, ACTION_LABELS[a], ACTIONS[a].form and ACTIONS[a].form(dossier), ACTIONS[a].confirm)
                    for a in available(dossier, request.user) if a != Action.CONFIRM_PAYMENT],
        "can_take_cash": actor == Actor.RECEPTION and can_pay_online(dossier),
        "delay_reports": dossier.delay_reports.all(),
        "applicant_notices": notices_of(dossier),
        "delay_form": forms.DelayReportForm() if actor in (Actor.PROCESSING, Actor.HEAD) and
        dossier.status in OPEN_STATUSES else None,
    })


@login_required
@require_POST
def delay_report(request, code):
    dossier = selectors.dossier_for_officer(request.user, code)
    if dossier is None:
        raise Http404
    form = forms.DelayReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return redirect("dossiers:detail", code=code)
    try:
        report = file_delay_report(dossier, request.user, **form.cleaned_data)
    except DossierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lập báo cáo chậm và phiếu xin lỗi, hẹn lại (Mẫu 04)."))
        if report.apology_slip:
            return redirect("slips:apology", pk=report.pk)
    return redirect("dossiers:detail", code=code)


def _params(action: Action, dossier, post) -> tuple[dict, str]:
    """The service parameters and the reason an action's form gives, or ValueError."""
    def valid(form):
        if not form.is_valid():
            raise ValueError(" ".join(f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                                      for f, e in form.errors.items()))
        return form.cleaned_data

    if action in (Action.START_PROCESSING, Action.FORWARD):
        data = valid(forms.AssignForm(post, dossier=dossier))
        params = {"assignee_id": data["assignee"].pk}
        if data["step"]:
            params["current_step_id"] = data["step"].pk
        return params, ""
    if action == Action.TRANSFER:
        data = valid(forms.TransferForm(post, dossier=dossier))
        return {"to_unit_id": data["to_unit"].pk}, data["reason"]
    if action == Action.REQUEST_SUPPLEMENT:
        data = valid(forms.SupplementRequestForm(post))
        items = [line.strip() for line in data["items"].splitlines() if line.strip()]
        return {"acknowledge_overdue": data["acknowledge_overdue"], "event_data": {"items": items}}, data["reason"]
    if action == Action.COMPLETE:
        return {"result_paper": valid(forms.CompleteForm(post))["result_paper"]}, ""
    if action in (Action.REFUSE, Action.WITHDRAW, Action.STOP):
        reason = valid(forms.ReasonForm(post))["reason"].strip()
        if not reason:
            raise ValueError(_("Cần ghi rõ lý do."))
        return {}, reason
    return {}, ""


@login_required
@require_POST
def act(request, code, action):
    dossier = selectors.dossier_for_officer(request.user, code)
    if dossier is None or action not in Action.__members__.values():
        raise Http404
    action = Action(action)
    try:
        params, reason = _params(action, dossier, request.POST)
        version = request.POST.get("version", "")
        perform(dossier, action, actor=request.user, expected_version=int(version) if version.isdigit() else -1,
                reason=reason, upload=request.FILES.get("result_upload"), **params)
    except (DossierError, PaymentError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        if action == Action.STOP:  # the stop notice goes to the applicant (Mẫu 05, Circular 03/2025)
            messages.success(request, _("Đã dừng xử lý hồ sơ %(code)s; in thông báo dừng giải quyết (Mẫu 05) "
                                        "gửi công dân.") % {"code": dossier.code})
        else:
            messages.success(request, _("Đã cập nhật hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("dossiers:detail", code=code)

