"""The public index pages: the province's index, rankings with bands, scorecards, open data.

No login. Everything is read from stored snapshots through `index.rankings` (the engine never runs
for a request): the monthly pages show published figures only; the "current" figures are the
newest month's latest snapshot, marked provisional while it is a draft.
"""
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.index import opendata, rankings
from motcua.index.charts import bar_chart, line_chart
from motcua.index.models import Snapshot, SnapshotStatus, UnitScore
from motcua.units.models import Unit, UnitKind

KIND_SLUGS = {"so-ban-nganh": UnitKind.DEPARTMENT, "xa-phuong": UnitKind.COMMUNE}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


def _published_or_404(period: str) -> Snapshot:
    snapshot = rankings.published(period) if rankings.is_month(period) else None
    if snapshot is None:
        raise Http404(_("Chưa có kết quả công bố của kỳ này."))
    return snapshot


def _group_items(snapshot, row) -> list[tuple[str, str, float, float]]:
    """(code, name, score, maximum) of each group, in the methodology's order."""
    return [(g.code, rankings.display_name(g.name_vi), row.groups.get(g.code, 0.0), g.max_points)
            for g in rankings.methodology_of(snapshot).groups]


def _group_chart(items, title):
    return bar_chart([(f"{code} {name}", value, maximum) for code, name, value, maximum in items], title=title)


def _trend_chart(trend, title):
    return line_chart([(rankings.month_label(p.period), p.total) for p in trend], title=title)


@require_GET
def overview(request):
    """The province's current index and the chosen month's published index, with links to everything."""
    months = rankings.published_months()
    period = request.GET.get("ky") or (months[0] if months else "")
    snapshot = rankings.published(period) if period in months else None
    live = rankings.current()
    province = rankings.province_row(snapshot) if snapshot else None
    live_row = rankings.province_row(live) if live else None
    trend = rankings.trend(province.unit_id, snapshot.period) if province else []
    groups = _group_items(snapshot, province) if province else []
    return render(request, "portal/index/overview.html", {
        "months": months, "period": period, "snapshot": snapshot, "province": province, "live": live,
        "live_row": live_row, "trend": trend,
        "groups": groups, "group_chart": _group_chart(groups, _("Điểm của tỉnh theo nhóm")) if province else "",
        "trend_chart": _trend_chart(trend, _("Tổng điểm của tỉnh qua các tháng")) if len(trend) > 1 else "",
        "revisions": rankings.revisions(snapshot.period) if snapshot else []})


@require_GET
def ranking(request, period, kind):
    if kind not in KIND_SLUGS:
        raise Http404
    snapshot = _published_or_404(period)
    rows = rankings.ranking(snapshot, KIND_SLUGS[kind])
    return render(request, "portal/index/ranking.html", {
        "snapshot": snapshot, "rows": rows, "kind": kind, "kind_label": UnitKind(KIND_SLUGS[kind]).label,
        "group_codes": opendata.group_codes(snapshot), "bands": rankings.band_counts(snapshot, rows),
        "revisions": rankings.revisions(period),
        "scorecard_base": reverse("portal:index_scorecard", args=[period, "-"]).removesuffix("-/")})


@require_GET
def scorecard(request, period, code):
    snapshot = _published_or_404(period)
    unit = get_object_or_404(Unit, code=code)
    row = rankings.unit_row(snapshot, unit.pk)
    if row is None:
        raise Http404(_("Đơn vị không có kết quả trong kỳ này."))
    trend = rankings.trend(unit.pk, period)
    peers = 0 if unit.kind == UnitKind.PROVINCE else UnitScore.objects.filter(snapshot=snapshot, unit__kind=unit.kind).count()
    return render(request, "portal/index/scorecard.html", {
        "snapshot": snapshot, "unit": unit, "row": row, "groups": rankings.scorecard(snapshot, unit.pk),
        "trend": trend, "peers": peers, "kind_slug": SLUG_OF_KIND.get(unit.kind),
        "group_chart": _group_chart(_group_items(snapshot, row), _("Điểm theo nhóm chỉ số")),
        "revisions": rankings.revisions(period),
        "trend_chart": _trend_chart(trend, _("Tổng điểm 12 tháng")) if len(trend) > 1 else ""})


@require_GET
def open_data(request):
    return render(request, "portal/index/open_data.html", {
        "snapshots": opendata.downloadable(), "unit_fields": opendata.UNIT_FIELDS, "group_field": opendata.GROUP_FIELD,
        "indicator_fields": opendata.INDICATOR_FIELDS, "schema": opendata.SCHEMA_VERSION})


@require_GET
def open_data_file(request, period, revision, extension):
    if extension not in ("csv", "json"):
        raise Http404
    snapshot = get_object_or_404(Snapshot, period=period, revision=revision,
                                 status__in=[SnapshotStatus.PUBLISHED, SnapshotStatus.SUPERSEDED])
    body, content_type = ((opendata.as_csv(snapshot), "text/csv; charset=utf-8") if extension == "csv"
                          else (opendata.as_json(snapshot), "application/json; charset=utf-8"))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{opendata.file_name(snapshot, extension)}"'
    return response


@require_GET
def verify(request):
    """The result-verification form: sends the code to the verification page (/verify/<code>)."""
    code = request.GET.get("ma", "").strip()
    if not code:
        return redirect(reverse("portal:index_overview"))
    return redirect(f"/verify/{quote(code, safe='')}/")
