"""The monthly cycle: freeze a month's rankings, report to the chairman (PDF and Excel), publish.

`monthly(period)` computes the month if needed (`services.compute`), publishes it (`services.publish`)
and makes the chairman's report of the published snapshot once: running it again finds the same
snapshot and the same report and changes nothing. A correction after publication is a new revision
(with its reason) and gets its own report, which says so. The portal shows published snapshots,
so publishing the month is what puts its rankings on the portal.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation

from motcua.common.official import OfficialDocument, province_place
from motcua.common.spreadsheets import new_workbook
from motcua.common.formatting import number
from motcua.common.printing import FONT_FAMILY, html_to_pdf
from motcua.index import rankings, services
from motcua.index.engine import periods
from motcua.index.charts import bar_chart, line_chart
from motcua.index.models import MonthlyReport, Snapshot
from motcua.index.opendata import records
from motcua.units.models import Unit, UnitKind

WEAKEST_COUNT = 5
# What the provincial office recommends when a group's indicators lose the most points.
RECOMMENDATIONS = {
    "G1": "Rà soát việc công bố, công khai thủ tục hành chính đúng hạn và bảo đảm đồng bộ đầy đủ trạng thái hồ sơ "
          "lên Cổng Dịch vụ công quốc gia.",
    "G2": "Theo dõi hằng ngày hồ sơ sắp đến hạn, phân công lại hồ sơ tồn, hạn chế yêu cầu bổ sung nhiều lần; "
          "lãnh đạo đơn vị ký duyệt đúng hạn.",
    "G3a": "Hướng dẫn người dân nộp hồ sơ trực tuyến ngay tại Bộ phận Một cửa và cung cấp đủ dịch vụ công "
           "trực tuyến cho các thủ tục đủ điều kiện.",
    "G3b": "Tích hợp dữ liệu phí, lệ phí và hướng dẫn thanh toán trực tuyến cho mọi hồ sơ có nghĩa vụ tài chính.",
    "G4": "Số hóa thành phần hồ sơ khi tiếp nhận, cấp kết quả điện tử có chữ ký số, khai thác dữ liệu đã số hóa "
          "và xác thực thông tin qua Cơ sở dữ liệu quốc gia về dân cư.",
    "G5": "Xử lý phản ánh, kiến nghị đúng hạn và lấy ý kiến đánh giá của người dân sau khi trả kết quả.",
}


class ReportError(Exception):
    """A refused report; the message is for people (Vietnamese)."""


@dataclass(frozen=True)
class MonthlyOutcome:
    report: MonthlyReport
    created: bool  # False: the report of this snapshot existed already, nothing changed


def monthly(period_key: str, *, reason: str = "", now: datetime | None = None) -> MonthlyOutcome:
    """Compute (if needed), freeze and publish the month, and make its report once."""
    if not rankings.is_month(period_key):
        raise ReportError(f"Báo cáo tháng cần một tháng, ví dụ 2026-10 (không phải '{period_key}').")
    now = now or timezone.now()
    try:
        if services.period_end(periods.parse(period_key)) > now:
            raise ReportError(f"Tháng {period_key} chưa kết thúc: chỉ báo cáo và công bố một tháng đã kết thúc.")
        services.compute(period_key, reason=reason, now=now)
        snapshot = services.publish(period_key, now=now)
    except (services.SnapshotError, ValueError) as exc:
        raise ReportError(str(exc)) from exc
    with transaction.atomic():
        existing = MonthlyReport.objects.select_for_update().filter(snapshot=snapshot).first()
        if existing is not None:
            return MonthlyOutcome(existing, False)
        with translation.override("vi"):  # the report is in Vietnamese whatever the caller's language
            context = report_context(snapshot)
        report = MonthlyReport.objects.create(snapshot=snapshot, created_at=now,
                                              pdf=report_pdf(context), xlsx=report_xlsx(context))
    return MonthlyOutcome(report, True)


def office_document(province_name: str, issued_on, *, symbol: str, type_name: str, summary: str, addressee: str = "",
                    recipients: tuple[str, ...]) -> OfficialDocument:
    """A document the provincial People's Committee's office issues, signed by its chief (Decree
    30/2020/NĐ-CP layout, `common.official`)."""
    place = province_place(province_name)
    return OfficialDocument(superior_body=f"UBND TỈNH {place.upper()}", issuing_body="VĂN PHÒNG", symbol=symbol,
                            place=place, issued_on=issued_on, type_name=type_name, summary=summary,
                            addressee=addressee, signer_title="CHÁNH VĂN PHÒNG", recipients=recipients)


def file_name(snapshot: Snapshot, extension: str) -> str:
    return f"bao-cao-chi-so-{snapshot.period}-lan-{snapshot.revision}.{extension}"


# -- content -----------------------------------------------------------------------------------------

def recommendations(weak_indicators, weak_units) -> list[str]:
    lines, seen = [], set()
    for loss in weak_indicators:
        if loss.group not in seen:
            seen.add(loss.group)
            lines.append(f"{loss.description} (bình quân mất {number(loss.average_lost, 2, vietnamese=True)}/"
                         f"{number(loss.max_points, vietnamese=True)} điểm, "
                         f"{loss.units_below_half}/{loss.units} đơn vị dưới một nửa số điểm): {RECOMMENDATIONS[loss.group]}")
    if weak_units:
        names = ", ".join(r.name for r in weak_units)
        lines.append(f"Tổ chức tập huấn, hỗ trợ trực tiếp các đơn vị có điểm thấp nhất: {names}.")
    return lines


def report_context(snapshot: Snapshot) -> dict:
    methodology = rankings.methodology_of(snapshot)
    province = rankings.province_row(snapshot)
    departments = rankings.ranking(snapshot, UnitKind.DEPARTMENT)
    communes = rankings.ranking(snapshot, UnitKind.COMMUNE)
    weak_units = rankings.weakest(departments, WEAKEST_COUNT) + rankings.weakest(communes, WEAKEST_COUNT)
    weak_indicators = rankings.weakest_indicators(snapshot, n=WEAKEST_COUNT)
    ups, downs = rankings.movers(departments + communes)
    province_unit = Unit.objects.filter(kind=UnitKind.PROVINCE).first()
    trend = rankings.trend(province.unit_id, snapshot.period) if province else []
    province_name = province_unit.name if province_unit else ""
    official = office_document(
        province_name, timezone.localtime(snapshot.published_at or snapshot.computed_at).date(), symbol="BC-VPUBND",
        type_name="BÁO CÁO", summary=f"Chỉ số phục vụ người dân, doanh nghiệp tháng {rankings.month_label(snapshot.period)}",
        addressee=f"Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh {province_place(province_name)}.",
        recipients=("Như trên;", "Các Phó Chủ tịch UBND tỉnh;", "Các sở, ban, ngành; UBND các xã, phường;", "Lưu: VT."))
    group_items = [(f"{g.code} {g.name_vi}", province.groups.get(g.code, 0.0) if province else 0.0, g.max_points)
                   for g in methodology.groups]
    return {
        "snapshot": snapshot, "group_codes": [g.code for g in methodology.groups], "month": rankings.month_label(snapshot.period),
        "province_name": province_place(province_name), "province": province, "official": official,
        "groups": group_items, "departments": departments, "communes": communes,
        "ranked": {kind: sum(r.rank is not None for r in rows)
                   for kind, rows in ((UnitKind.DEPARTMENT, departments), (UnitKind.COMMUNE, communes))},
        "department_bands": rankings.band_counts(snapshot, departments),
        "commune_bands": rankings.band_counts(snapshot, communes),
        "ups": ups, "downs": downs, "weak_units": weak_units, "weak_indicators": weak_indicators,
        "recommendations": recommendations(weak_indicators, weak_units[:3] + weak_units[WEAKEST_COUNT:WEAKEST_COUNT + 3]),
        "trend": trend, "revisions": rankings.revisions(snapshot.period),
        "group_chart": bar_chart(group_items, title="Điểm của tỉnh theo nhóm chỉ số", font_family=FONT_FAMILY),
        "department_chart": bar_chart([(r.name, r.total, methodology.total_max) for r in departments],
                                      title="Tổng điểm các sở, ban, ngành", font_family=FONT_FAMILY),
        "trend_chart": line_chart([(rankings.month_label(p.period), p.total) for p in trend],
                                  title="Tổng điểm của tỉnh qua các tháng", maximum=methodology.total_max,
                                  font_family=FONT_FAMILY),
    }


# -- PDF ---------------------------------------------------------------------------------------------

def report_pdf(context: dict) -> bytes:
    return html_to_pdf("index/report/monthly.html", context)


# -- Excel -------------------------------------------------------------------------------------------

def report_xlsx(context: dict) -> bytes:
    stream = io.BytesIO()
    workbook, header, text, wrap, _ = new_workbook(stream)
    number = workbook.add_format({"num_format": "0.00", "valign": "top"})
    snapshot = context["snapshot"]
    methodology = rankings.methodology_of(snapshot)
    groups = [g.code for g in methodology.groups]

    summary = workbook.add_worksheet("Tổng hợp")
    summary.set_column(0, 0, 38)
    summary.set_column(1, 1, 60)
    province = context["province"]
    facts = [("Kỳ", context["month"]), ("Lần công bố", snapshot.revision),
             ("Lý do sửa đổi", snapshot.reason or "—"), ("Phương pháp", snapshot.methodology_version),
             ("Dấu vân số liệu", snapshot.fingerprint)]
    if province:
        facts += [("Tổng điểm của tỉnh", round(province.total, 2)), ("Xếp loại", rankings.band_text(province.band)),
                  ("Thay đổi so với tháng trước", round(province.change, 2) if province.change is not None else "—")]
    for n, (label, value) in enumerate(facts):
        summary.write_string(n, 0, label, header)
        summary.write(n, 1, value, wrap)
    row = len(facts) + 1
    summary.write_string(row, 0, "Kiến nghị", header)
    for n, line in enumerate(context["recommendations"], start=row + 1):
        summary.write_string(n, 0, f"{n - row}.", text)
        summary.write_string(n, 1, line, wrap)

    columns = ["Hạng", "Mã", "Đơn vị", "Tổng điểm", "Xếp loại", *groups, "Tháng trước", "Thay đổi", "Hạng tháng trước"]
    for title, rows in (("Sở ban ngành", context["departments"]), ("Xã phường", context["communes"])):
        sheet = workbook.add_worksheet(title)
        sheet.set_column(2, 2, 40)
        sheet.write_row(0, 0, columns, header)
        sheet.freeze_panes(1, 3)
        for n, r in enumerate(rows, start=1):
            sheet.write_number(n, 0, r.rank) if r.rank else sheet.write_blank(n, 0, None)
            sheet.write_string(n, 1, r.code, text)
            sheet.write_string(n, 2, r.name, text)
            sheet.write_number(n, 3, r.total, number)
            sheet.write_string(n, 4, rankings.band_text(r.band), text)
            for k, g in enumerate(groups):
                sheet.write_number(n, 5 + k, r.groups.get(g, 0.0), number)
            base = 5 + len(groups)
            for k, value in enumerate((r.previous_total, r.change, r.previous_rank)):
                if value is None:
                    sheet.write_blank(n, base + k, None)
                else:
                    sheet.write_number(n, base + k, value, number if k < 2 else None)

    detail = workbook.add_worksheet("Chỉ số chi tiết")
    fields = ["unit_code", "unit_name", "unit_kind", "indicator", "group", "numerator", "denominator", "score",
              "max_points", "measured"]
    detail.write_row(0, 0, fields, header)
    for n, rec in enumerate((i for r in records(snapshot) for i in _indicator_rows(r)), start=1):
        for k, name in enumerate(fields):
            value = rec[name]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                detail.write_number(n, k, value)
            elif value is None:
                detail.write_blank(n, k, None)
            else:
                detail.write_string(n, k, str(value), text)
    workbook.close()
    return stream.getvalue()


def _indicator_rows(record: dict):
    for i in record["indicators"]:
        yield {"unit_code": record["unit_code"], "unit_name": record["unit_name"], "unit_kind": record["unit_kind"],
               **i}


# -- communication toolkit ---------------------------------------------------------------------------

def toolkit_pdf() -> bytes:
    """The communication toolkit for units: what the index measures, what each unit can do, where
    citizens follow the results (with a QR code to the public index page)."""
    from motcua.common.public_url import public_base_url
    from motcua.common.printing import qr_data_uri
    from motcua.index.engine.methodology import get_methodology

    methodology = get_methodology()
    portal = f"{public_base_url()}/chi-so/"
    groups = [(g, methodology.indicators_of(g.code), RECOMMENDATIONS[g.code]) for g in methodology.groups]
    province_name = getattr(Unit.objects.filter(kind=UnitKind.PROVINCE).first(), "name", "")
    official = office_document(province_name, timezone.localdate(), symbol="HD-VPUBND", type_name="HƯỚNG DẪN",
                               summary="Truyền thông về Chỉ số phục vụ người dân, doanh nghiệp",
                               recipients=("Các sở, ban, ngành;", "UBND các xã, phường;", "Lưu: VT."))
    return html_to_pdf("index/report/toolkit.html", {
        "methodology": methodology, "groups": groups, "portal": portal, "qr": qr_data_uri(portal),
        "bands": methodology.bands, "province_name": province_place(province_name), "official": official})
