"""Ratings from the tracking page, the public petition pages, and the officers' petition queue.
Views parse, call services, render; reads go through selectors (scoped to the officer's unit)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.feedback import selectors, services
from motcua.feedback.forms import PetitionForm, TrackForm
from motcua.feedback.models import PetitionAction
from motcua.feedback.services import FeedbackError
from motcua.limits import limiter as limits
from motcua.limits import tracking
from motcua.limits.doors import guarded
from motcua.units.models import Unit, UnitKind


def _tracked_petition(request, code: str, phone: str):
    """`selectors.tracked_petition` behind the same limits as the dossier lookup: a petition code
    and the petitioner's phone number that miss too often are refused before looking."""
    return guarded(request, "petition_lookup", selectors.tracked_petition, petition=code, phone=phone)


@require_POST
def rate(request):
    """The applicant rates a returned dossier from the tracking page (its token, or code + identification number)."""
    limits.check(request, "rate", dossier=tracking.requested_code(request.POST))
    dossier = tracking.tracked_dossier(request, request.POST)
    if dossier is None:
        raise Http404
    choice = request.POST.get("satisfied")
    try:
        if choice not in ("1", "0"):
            raise FeedbackError(_("Hãy chọn hài lòng hoặc không hài lòng."), "missing_choice")
        services.rate_dossier(dossier, satisfied=choice == "1", comment=request.POST.get("comment", ""))
    except FeedbackError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect(tracking.url_for(dossier))


def _track_url(code: str, phone: str) -> str:
    return reverse("feedback:track") + "?" + urlencode({"ma": code, "dt": phone})


def submit(request):
    form = PetitionForm(request.POST or None, initial={"earlier_code": request.GET.get("truoc", ""),
                                                      "dossier_code": request.GET.get("ho_so", "")})
    if request.method == "POST":
        limits.check(request, "petition", phone=request.POST.get("petitioner_phone", ""))
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.submit_petition(**form.submission())
        except FeedbackError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã gửi phản ánh. Mã phản ánh của bạn: %(code)s — hãy ghi lại để tra cứu.")
                             % {"code": petition.code})
            return redirect(_track_url(petition.code, petition.petitioner_phone))
    return render(request, "feedback/submit.html", {"form": form})


def track(request):
    form = TrackForm(request.GET or None)
    petition = None
    if form.is_valid():
        petition = _tracked_petition(request, form.cleaned_data["ma"], form.cleaned_data["dt"])
        if petition is None:
            messages.error(request, _("Không tìm thấy phản ánh với mã và số điện thoại này."))
    return render(request, "feedback/track.html", {
        "form": form, "p": petition, "events": petition.events.order_by("at", "pk") if petition else []})


@require_POST
def supply(request):
    petition = _tracked_petition(request, request.POST.get("ma", ""), request.POST.get("dt", ""))
    if petition is None:
        raise Http404
    try:
        services.supply_info(petition, phone=request.POST.get("dt", ""), note=request.POST.get("note", ""))
    except FeedbackError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi thông tin bổ sung."))
    return redirect(_track_url(petition.code, petition.petitioner_phone))


def published(request):
    return render(request, "feedback/published.html", {"petitions": selectors.published_petitions()[:100]})


@require_POST
def vote(request, code):
    limits.check(request, "vote", petition=code)
    petition = selectors.published_petition(code)
    if petition is None:
        raise Http404
    try:
        services.react(petition, voter=services.voter_key(request.META.get("REMOTE_ADDR", "")),
                       like=request.POST.get("like") == "1")
    except FeedbackError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("feedback:published") + f"#{petition.code}")


@login_required
def queue(request):
    which = request.GET.get("hang", "open")
    if which not in selectors.QUEUES:
        which = "open"
    return render(request, "feedback/queue.html", {
        "rows": selectors.petition_queue(request.user, which)[:200], "queues": selectors.QUEUES, "current": which})


@login_required
def detail(request, code):
    petition = selectors.officer_petition(request.user, code)
    if petition is None:
        raise Http404
    return render(request, "feedback/detail.html", {
        "p": petition, "events": petition.events.select_related("actor", "unit").order_by("at", "pk"),
        "re_raises": petition.re_raises.all(),
        "units": Unit.objects.exclude(kind=UnitKind.PROVINCE).exclude(pk=petition.unit_id).order_by("kind", "name"),
    })


@login_required
@require_POST
def step(request, code, action):
    petition = selectors.officer_petition(request.user, code)
    if petition is None or action not in PetitionAction.values:
        raise Http404
    to_unit = Unit.objects.filter(pk=request.POST.get("to_unit") or 0).first() if action == "transfer" else None
    try:
        petition = services.act(petition, action, actor=request.user, note=request.POST.get("note", ""),
                                to_unit=to_unit)
    except FeedbackError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi nhận: %(action)s.") % {"action": PetitionAction(action).label})
        if selectors.officer_petition(request.user, code) is None:  # transferred out of the officer's unit
            return redirect("feedback:queue")
    return redirect("feedback:detail", code=code)
