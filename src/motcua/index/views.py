"""Officers' pages of the index: the items behind an indicator (with an Excel download) and the
points open dossiers could still bring. Access and errors come from `index.selectors`."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.common.spreadsheets import XLSX_CONTENT_TYPE, new_workbook
from motcua.index import selectors

PAGE_SIZE = 50
# The lists of a drill-down page: ?danh_sach=… (default: what costs the unit points).
LISTS = {"ngoai-tu-so": ("outside", gettext_lazy("Chưa đạt (trong mẫu số, ngoài tử số)")),
         "tu-so": ("numerator", gettext_lazy("Tử số")), "mau-so": ("denominator", gettext_lazy("Mẫu số"))}
def _error_page(request, error: selectors.IndexQueryError):
    if error.not_found:
        raise Http404(error.message)
    return render(request, "index/drilldown/error.html", {"message": error.message}, status=400)


@login_required
def drill_down(request, period, unit_id, indicator):
    try:
        drill = selectors.drill_down(period, unit_id, indicator, user=request.user)
    except selectors.IndexQueryError as error:
        return _error_page(request, error)
    if request.GET.get("xlsx"):
        response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        write_xlsx(drill, response)
        response["Content-Disposition"] = (
            f'attachment; filename="chi-tiet-{drill.indicator.code}-{drill.unit.code}-{drill.period.key}.xlsx"')
        return response
    chosen = request.GET.get("danh_sach", "ngoai-tu-so")
    if chosen not in LISTS:
        chosen = "ngoai-tu-so"
    lists = {key: getattr(drill, name) for key, (name, _label) in LISTS.items()}
    page = Paginator(lists[chosen], PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "index/drilldown/drill_down.html", {
        "drill": drill, "page": page, "chosen": chosen, "numerator": len(drill.numerator),
        "denominator": len(drill.denominator), "rate": None if drill.rate is None else 100 * drill.rate,
        "tabs": [(key, label, len(lists[key])) for key, (_name, label) in LISTS.items()]})


@login_required
def gains(request, period, unit_id):
    try:
        unit = selectors.visible_unit(unit_id, request.user)
        rows = selectors.marginal_gains(period, unit_id, user=request.user)
    except selectors.IndexQueryError as error:
        return _error_page(request, error)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "index/drilldown/gains.html", {"page": page, "unit": unit, "period": period,
                                                          "total": len(rows)})


def write_xlsx(drill: selectors.DrillDown, stream) -> None:
    """A summary, then two sheets: the numerator's items and the denominator's, each with why an item
    is not in the numerator."""
    workbook, header, text, wrap, _date = new_workbook(stream)
    summary = workbook.add_worksheet(str(_("Tóm tắt")))
    summary.set_column(0, 0, 28)
    summary.set_column(1, 1, 60)
    facts = [(_("Chỉ số"), f"{drill.indicator.code} — {drill.indicator.description_vi}"),
             (_("Đơn vị"), drill.unit.name), (_("Kỳ"), drill.period.key),
             (_("Tính đến"), timezone.localtime(drill.as_of).strftime("%H:%M %d/%m/%Y")),
             (_("Tử số"), len(drill.numerator)), (_("Mẫu số"), len(drill.denominator)),
             (_("Tỷ lệ (%)"), None if drill.rate is None else round(100 * drill.rate, 2)),
             (_("Điểm"), None if drill.score is None else round(drill.score, 2))]
    for i, (label, value) in enumerate(facts):
        summary.write_string(i, 0, str(label), header)
        if isinstance(value, str):
            summary.write_string(i, 1, value, wrap)
        elif value is not None:
            summary.write_number(i, 1, value)
    columns = [(_("Mã"), 24), (_("Thủ tục"), 50), (_("Đơn vị"), 30), (_("Trong tử số"), 12),
               (_("Lý do chưa đạt"), 40)]
    for title, rows in ((_("Tử số"), drill.numerator), (_("Mẫu số"), drill.denominator)):
        sheet = workbook.add_worksheet(str(title))
        for j, (label, width) in enumerate(columns):
            sheet.write_string(0, j, str(label), header)
            sheet.set_column(j, j, width)
        sheet.freeze_panes(1, 1)
        for i, row in enumerate(rows, start=1):
            sheet.write_string(i, 0, row.code, text)
            sheet.write_string(i, 1, row.title, wrap)
            sheet.write_string(i, 2, row.unit_name, wrap)
            sheet.write_string(i, 3, str(_("Có") if row.in_numerator else _("Không")))
            sheet.write_string(i, 4, row.reason, wrap)
    workbook.close()
