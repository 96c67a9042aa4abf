"""The provincial office's catalogue pages: consistency findings (filter, resolve, Excel) and
publication decisions with their deadlines. Views parse, call services, render; every read is
scoped (`selectors`): the provincial office sees all, a unit's officers their unit's rows."""
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalogue import checks, publications, selectors
from motcua.catalogue.io import BadValue, _to_date
from motcua.common.spreadsheets import XLSX_CONTENT_TYPE
from motcua.catalogue.models import DecisionStatus, PublicationDecision, Severity
from motcua.units.models import Unit
from motcua.workdays.services import province_calendar

STATUSES = (("open", gettext_lazy("Đang mở")), ("resolved", gettext_lazy("Đã xử lý")), ("all", gettext_lazy("Tất cả")))


def _filters(request) -> dict:
    return {"severity": request.GET.get("muc_do", ""), "unit": request.GET.get("don_vi", ""),
            "status": request.GET.get("tinh_trang", "open")}


@login_required
def findings(request):
    filters = _filters(request)
    visible = selectors.visible_findings(request.user)
    rows = selectors.filter_findings(visible, **filters).select_related("owner_unit", "resolved_by")
    rows = rows.order_by("resolved_at", "due_at", "code", "id")
    unit_ids = visible.values_list("owner_unit_id", flat=True).distinct()
    return render(request, "catalogue/findings.html", {
        "rows": rows[:500], "total": rows.count(), "filters": filters, "now": timezone.now(),
        "severities": Severity.choices, "statuses": STATUSES,
        "units": Unit.objects.filter(pk__in=unit_ids).order_by("name"),
        "query": request.GET.urlencode(),
    })


@login_required
def findings_xlsx(request):
    filters = {**_filters(request), "status": "open"}  # the export lists open findings
    queryset = selectors.filter_findings(selectors.visible_findings(request.user), **filters)
    stream = io.BytesIO()
    checks.export_findings_xlsx(queryset, stream)
    response = HttpResponse(stream.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="sai-lech-danh-muc-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
@require_POST
def resolve(request, pk: int):
    try:
        finding = checks.resolve_finding(pk, request.user, request.POST.get("ghi_chu", ""))
    except checks.FindingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận xử lý sai lệch %(what)s.") % {"what": finding})
    return redirect(f"{reverse('catalogue:findings')}?{request.POST.get('next', '')}")


def _decision_rows(items, calendar):
    by_decision: dict[int, dict] = {}
    for item in items:
        entry = by_decision.setdefault(item.decision_id, {"decision": item.decision, "items": []})
        entry["items"].append(publications.item_deadlines(item, calendar))
    return list(by_decision.values())


@login_required
def decisions(request):
    items = selectors.visible_publication_items(request.user)[:1000]
    return render(request, "catalogue/decisions.html", {
        "decisions": _decision_rows(items, province_calendar()), "today": timezone.localdate(),
        "can_act": getattr(request.user, "sees_everything", False),
        "DRAFT": DecisionStatus.DRAFT, "ISSUED": DecisionStatus.ISSUED,
    })


@login_required
@require_POST
def decision_action(request, pk: int, action: str):
    """Issue a draft, record its national publication, or apply it (the provincial office only)."""
    if not getattr(request.user, "sees_everything", False):
        raise Http404
    decision = get_object_or_404(PublicationDecision, pk=pk)
    try:
        if action == "ban-hanh":
            publications.issue(decision, number=request.POST.get("so", ""), signer=request.POST.get("nguoi_ky", ""),
                               decided_on=_to_date(request.POST.get("ngay", "")))
        elif action == "cong-khai":
            publications.record_national_publication(decision, _to_date(request.POST.get("ngay", "")))
        elif action == "cap-nhat":
            publications.apply(decision, user=request.user)
        else:
            raise Http404
    except BadValue as exc:
        messages.error(request, _("Ngày %(error)s.") % {"error": exc})
    except publications.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã cập nhật quyết định %(d)s.") % {"d": decision})
    return redirect("catalogue:decisions")
