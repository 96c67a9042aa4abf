"""The one-stop forms as PDF downloads for officers (thin: find what the officer may see, render).

Every lookup goes through `units.scoping.scoped`: a dossier, delay report or unit the officer
may not see is a 404, exactly like one that does not exist.
"""
from datetime import date
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from motcua.common.formatting import VN
from motcua.dossiers import legal_basis, slips
from motcua.dossiers.models import DelayReport, Dossier
from motcua.dossiers.transitions import Action
from motcua.units.models import Unit
from motcua.units.scoping import scoped

FILE_STEMS = {  # Vietnamese names for the downloaded file
    "01": "Giấy tiếp nhận hồ sơ",
    "02": "Phiếu yêu cầu bổ sung hồ sơ",
    "03": "Phiếu từ chối tiếp nhận hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết",
    "07": "Sổ theo dõi hồ sơ",
}
ASCII_STEMS = {"01": "Mau01-Giay-tiep-nhan", "02": "Mau02-Phieu-yeu-cau-bo-sung", "03": "Mau03-Phieu-tu-choi",
               "04": "Mau04-Van-ban-xin-loi", "05": "Mau05-Thong-bao-dung", "06": "Mau06-Phieu-kiem-soat",
               "07": "Mau07-So-theo-doi"}


def pdf_response(content: bytes, form: str, suffix: str) -> HttpResponse:
    """The PDF shown inline, named `Mẫu 01 - Giấy tiếp nhận hồ sơ - <code>.pdf` (RFC 6266/5987),
    with a plain ASCII name for clients that do not read filename*."""
    ascii_name = f"{ASCII_STEMS[form]}-{suffix}.pdf".replace('"', "")
    utf8_name = f"Mẫu {form} - {FILE_STEMS[form]} - {suffix}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="{ascii_name}"; '
                                       f"filename*=UTF-8''{quote(utf8_name, safe='')}")
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_dossier(request, code: str) -> Dossier:
    queryset = Dossier.objects.select_related("procedure", "unit", "received_unit", "unit__parent",
                                              "received_unit__parent")
    return get_object_or_404(scoped(queryset, request.user), code=code)


def _last_event(dossier: Dossier, action: Action):
    event = dossier.events.filter(action=action).select_related("actor", "actor__unit", "unit").order_by("seq").last()
    if event is None:
        raise Http404("Hồ sơ không có thao tác tương ứng với phiếu này.")
    event.dossier = dossier
    return event


def slip_pdf(dossier: Dossier, form: str) -> bytes:
    """Mẫu 01, 02, 03, 04 (the latest apology), 05 or 06 of `dossier` as issued, or Http404 when the
    dossier has none (not received, nothing requested, not refused, not stopped)."""
    if form == "01":
        if dossier.received_at is None:
            raise Http404("Hồ sơ chưa được tiếp nhận.")
        return slips.receipt_pdf(dossier)
    if form == "04":
        report = dossier.delay_reports.select_related("filed_by").order_by("filed_at", "pk").last()
        if report is None:
            raise Http404("Hồ sơ không có phiếu xin lỗi.")
        return slips.apology_pdf(report)
    if form in SLIP_OF_EVENT:
        action, render = SLIP_OF_EVENT[form]
        return render(_last_event(dossier, action))
    if form == "06":
        return slips.control_sheet_pdf(dossier)
    raise Http404("Không có mẫu phiếu này cho hồ sơ.")


SLIP_OF_EVENT = {"02": (Action.REQUEST_SUPPLEMENT, slips.supplement_request_pdf_for),
                 "03": (Action.REFUSE, slips.refusal_pdf_for),
                 "05": (Action.STOP, slips.stop_notice_pdf_for)}
APPLICANT_FORMS = ("01", "02", "03", "04", "05")  # issued to the applicant; 06 and 07 are the desk's own


def applicant_forms(dossier: Dossier) -> list[tuple[str, legal_basis.FormSpec]]:
    """The forms issued to the applicant of `dossier` (key, as in its set), for the tracking page."""
    issued = []
    if dossier.received_at is not None:
        receipt = dossier.events.filter(action=Action.RECEIVE).order_by("seq").last()
        issued.append(("01", slips.event_form_version(receipt) if receipt else legal_basis.CURRENT_FORM_VERSION))
    for form, (action, _) in SLIP_OF_EVENT.items():
        event = dossier.events.filter(action=action).order_by("seq").last()
        if event is not None:
            issued.append((form, slips.event_form_version(event)))
    report = dossier.delay_reports.order_by("filed_at", "pk").last()
    if report is not None:
        issued.append(("04", report.form_version))
    return sorted(((form, legal_basis.form(form, version)) for form, version in issued), key=lambda x: x[0])


@require_safe
@login_required
def dossier_slip(request, code: str, form: str):
    """GET /mot-cua/ho-so/<code>/phieu/<form>.pdf for Mẫu 01, 02, 03, 04, 05 and 06 (Circular 03/2025)."""
    dossier = _visible_dossier(request, code)
    return pdf_response(slip_pdf(dossier, form), form, dossier.code)


@require_safe
@login_required
def apology_slip(request, pk: int):
    """GET /mot-cua/bao-cao-cham/<id>/phieu-04.pdf: Mẫu 04 for a delay report."""
    queryset = DelayReport.objects.select_related("dossier", "dossier__procedure", "dossier__unit",
                                                  "dossier__unit__parent", "filed_by")
    report = get_object_or_404(scoped(queryset, request.user, unit_field="dossier__unit"), pk=pk)
    return pdf_response(slips.apology_pdf(report), "04", report.dossier.code)


def _parse_day(value: str | None, default: date) -> date:
    if not value:
        return default
    return date.fromisoformat(value)  # ValueError for anything but YYYY-MM-DD


@require_safe
@login_required
def register(request):
    """GET /mot-cua/so-theo-doi.pdf?tu=YYYY-MM-DD&den=YYYY-MM-DD[&don-vi=<unit code>]: Mẫu 07.

    The unit is the officer's own; an officer who sees every unit (provincial office, admin)
    names it with `don-vi`. Without dates: this month up to today."""
    today = timezone.localdate(timezone=VN)
    try:
        first = _parse_day(request.GET.get("tu"), today.replace(day=1))
        last = _parse_day(request.GET.get("den"), today)
    except ValueError:
        return HttpResponseBadRequest("Ngày không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ ?tu=2026-03-01&den=2026-03-31.",
                                      content_type="text/plain; charset=utf-8")
    if last < first:
        return HttpResponseBadRequest("Ngày 'den' phải không sớm hơn ngày 'tu'.", content_type="text/plain; charset=utf-8")
    if (last - first).days >= slips.MAX_REGISTER_DAYS:
        return HttpResponseBadRequest(f"Sổ theo dõi in tối đa {slips.MAX_REGISTER_DAYS} ngày một lần.",
                                      content_type="text/plain; charset=utf-8")
    units = scoped(Unit.objects.select_related("parent"), request.user, unit_field="pk")
    code = request.GET.get("don-vi")
    unit = get_object_or_404(units, code=code) if code else get_object_or_404(units, pk=request.user.unit_id)
    content = slips.register_pdf(unit, first, last)
    return pdf_response(content, "07", f"{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}")
