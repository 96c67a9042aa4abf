"""Pages behind login: the provincial office's index dashboard, the national position, the monthly
reports, the support hotline, the communication toolkit, and the head of unit's page.

Access is decided by `index.oversight` and `index.support` (PermissionDenied → 403); the views only
read requests and render.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.common.spreadsheets import XLSX_CONTENT_TYPE
from motcua.index import national, oversight, rankings, reports, selectors, services, support
from motcua.index.engine import periods
from motcua.index.models import MonthlyReport
from motcua.units.models import Unit

DASHBOARD_COUNT = 10
GAINS_COUNT = 20


def running_month() -> str:
    """The month now running: the only one whose open dossiers can still change its score."""
    today = timezone.localdate()
    return periods.month(today.year, today.month).key


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def dashboard(request):
    oversight.require_office(request.user)
    months = rankings.computed_months()
    chosen = request.GET.get("thang")
    live = rankings.latest(chosen) if chosen in months else rankings.current()
    threshold, error = oversight.training_threshold(request.GET.get("nguong"))
    if error:
        messages.error(request, error)
    context = {"live": live, "threshold": threshold, "at_risk": oversight.at_risk_by_unit(request.user),
               "reports": MonthlyReport.objects.select_related("snapshot")[:12],
               "report_months": rankings.finished_months(timezone.now()),
               "table": national.latest_table(), "months": months}
    if live is not None:
        rows = {kind: rankings.ranking(live, kind) for kind in rankings.RANKED_KINDS}
        ups, downs = rankings.movers(rows["department"] + rows["commune"], DASHBOARD_COUNT)
        context.update(
            rows=rows, ups=ups, downs=downs, province=rankings.province_row(live),
            weak_units=rankings.weakest(rows["department"] + rows["commune"], DASHBOARD_COUNT),
            weak_indicators=rankings.weakest_indicators(live, n=DASHBOARD_COUNT),
            candidates=oversight.training_candidates(request.user, live, threshold))
    return render(request, "index/dashboard/dashboard.html", context)


@login_required
@require_POST
def compute_current(request):
    """What `motcua index compute --current` does, from the dashboard."""
    oversight.require_office(request.user)
    snapshot = services.compute_running_month()
    messages.success(request, _("Đã tính lại chỉ số tháng %(period)s.") % {"period": snapshot.period})
    return redirect("index_dashboard:dashboard")


@login_required
@require_POST
def make_report(request):
    """The monthly cycle of a finished month (`motcua report monthly`), from the dashboard: publish
    its rankings and make the chairman's report; a month already published changes nothing."""
    oversight.require_office(request.user)
    try:
        outcome = reports.monthly(request.POST.get("period", ""))
    except reports.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, (_("Đã công bố xếp hạng và lập báo cáo tháng %(period)s.") if outcome.created else
                                   _("Báo cáo tháng %(period)s đã có; không thay đổi gì."))
                         % {"period": outcome.report.snapshot.period})
    return redirect("index_dashboard:dashboard")


@login_required
def report_file(request, period, revision, extension):
    oversight.require_office(request.user)
    report = get_object_or_404(MonthlyReport, snapshot__period=period, snapshot__revision=revision)
    if extension == "pdf":
        return _download(bytes(report.pdf), reports.file_name(report.snapshot, "pdf"), "application/pdf")
    if extension == "xlsx":
        return _download(bytes(report.xlsx), reports.file_name(report.snapshot, "xlsx"),
                         XLSX_CONTENT_TYPE)
    raise Http404


@login_required
def toolkit(request):
    """Every officer may download the communication toolkit for their unit."""
    return _download(reports.toolkit_pdf(), "bo-tai-lieu-truyen-thong-chi-so.pdf", "application/pdf")


@login_required
def national_position(request):
    oversight.require_office(request.user)
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise national.NationalImportError(_("Hãy chọn tệp CSV bảng điểm quốc gia."))
            table = national.import_csv(upload.read(), request.POST.get("period", "").strip(), source_name=upload.name)
        except national.NationalImportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã nhập bảng điểm quốc gia tháng %(period)s: %(n)s tỉnh, thành phố.")
                             % {"period": table.period, "n": table.scores.count()})
            return redirect("index_dashboard:national")
    table = national.latest_table()
    position = national.position(table) if table else None
    plans = []
    if position is not None and position.own is not None and any(t.gap > 0 for t in position.targets):
        province = Unit.objects.get(code=national.own_code())
        gains = selectors.marginal_gains(running_month(), province.pk, user=request.user)
        plans = [(t, national.plan(t.gap, gains)) for t in position.targets if t.gap > 0]
    return render(request, "index/dashboard/national.html", {
        "table": table, "position": position, "plans": plans, "running": running_month(),
        "scores": table.scores.all() if table else [], "format": national.__doc__})


@login_required
def support_register(request):
    if request.method == "POST":
        try:
            support.file_request(request.user, request.POST.get("subject", ""), request.POST.get("body", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã gửi yêu cầu hỗ trợ tới Văn phòng UBND tỉnh."))
            return redirect("index_dashboard:support")
    return render(request, "index/dashboard/support.html", {
        "requests": support.visible_requests(request.user), "can_answer": request.user.sees_everything,
        "can_file": request.user.unit_id is not None and not request.user.sees_everything})


@login_required
@require_POST
def support_answer(request, pk):
    try:
        support.answer_request(request.user, pk, request.POST.get("answer", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã trả lời yêu cầu hỗ trợ."))
    return redirect("index_dashboard:support")


@login_required
def my_unit(request):
    """The head of unit's page: scorecard and rank, per-officer figures, what would lift the unit most."""
    unit = oversight.unit_for(request.user, request.GET.get("don-vi"))
    snapshot = rankings.current()
    gains = selectors.marginal_gains(running_month(), unit.pk, user=request.user)
    context = {"unit": unit, "snapshot": snapshot, "gains": gains[:GAINS_COUNT], "gains_total": len(gains),
               "running": running_month()}
    if snapshot is not None:
        context.update(row=rankings.unit_row(snapshot, unit.pk), groups=rankings.scorecard(snapshot, unit.pk),
                       peers=len(rankings.ranking(snapshot, unit.kind)) if unit.kind in rankings.RANKED_KINDS else 0,
                       officers=oversight.officer_figures(request.user, unit, snapshot.period),
                       actions=rankings.weakest_indicators_of(snapshot, unit.pk, n=5))
    return render(request, "index/dashboard/my_unit.html", context)
