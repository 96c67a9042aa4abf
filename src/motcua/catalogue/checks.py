"""The consistency check as a use case: compare the latest snapshots, keep the findings' history.

`run_check` compares the latest snapshot of each source (`consistency.compare`) and, in one
transaction, brings the `Finding` table up to date for the source pairs it compared:

* a finding not open yet is created with `detected_at` = now, an owner unit and a due date
  `due_working_days` working days later on the province calendar
  (`workdays.services.province_calendar().add`);
* a finding still open is kept (detection time and due date unchanged), its values refreshed and
  `last_seen_at` moved on — never duplicated;
* an open finding that no longer shows is resolved (`resolved_at`, a note saying so); resolved
  findings stay as history, and a disagreement that comes back later opens a new finding.

Owner unit: the procedure's implementing agency (the province's own record first, then the
national one); a commune-level procedure, or one whose agency is not a known unit, goes to the
provincial office (unit `VPUB`, setting MOTCUA_PROVINCIAL_OFFICE_UNIT) or, failing that, the
province.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue import consistency
from motcua.common.spreadsheets import new_workbook
from motcua.catalogue.models import (
    Finding,
    FindingField,
    FindingKind,
    ProcedureLevel,
    Severity,
    Source,
    SourcePair,
    SourceSnapshot,
)
from motcua.catalogue.selectors import visible_findings
from motcua.catalogue.sources import latest_snapshots, records_of
from motcua.units.models import Unit, UnitKind
from motcua.workdays.services import province_calendar


UPDATED_FIELDS = ("name", "reference_value", "other_value", "severity", "message", "owner_unit")


def due_working_days() -> int:
    return int(settings.MOTCUA_FINDING_DUE_WORKING_DAYS)


@dataclass
class CheckResult:
    at: dt.datetime
    snapshots: dict[str, SourceSnapshot | None]
    pairs: list[str]
    findings: list[consistency.Finding] = field(default_factory=list)
    created: int = 0
    kept: int = 0
    resolved: int = 0

    def summary(self) -> str:
        local = timezone.localtime(self.at)
        lines = [f"Kiểm tra nhất quán danh mục TTHC lúc {local:%d/%m/%Y %H:%M}:"]
        for source in Source.values:
            snap = self.snapshots.get(source)
            what = (f"bản ngày {snap.taken_on:%d/%m/%Y}, {snap.row_count} thủ tục" if snap is not None
                    else "chưa có bản chụp")
            lines.append(f"  {Source(source).label}: {what}")
        if not self.pairs:
            lines.append("Không so được: cần bản chụp của ít nhất hai nguồn (trong đó nên có CSDLQG).")
            return "\n".join(lines)
        lines.append("Đã so: " + "; ".join(str(SourcePair(p).label) for p in self.pairs))
        lines.append(f"Sai lệch đang mở: {len(self.findings)} (mới {self.created}, còn từ trước {self.kept}); "
                     f"đã tự đóng: {self.resolved}.")
        if self.findings:
            by_severity = Counter(f.severity for f in self.findings)
            lines.append("Theo mức độ: " + ", ".join(
                f"{Severity(s).label} {by_severity[s]}" for s in Severity.values if by_severity[s]))
            by_what = Counter(f.field or f.kind for f in self.findings)
            labels = {**dict(FindingKind.choices), **dict(FindingField.choices)}
            lines.append("Theo loại: " + ", ".join(
                f"{labels[k]} {n}" for k, n in sorted(by_what.items(), key=lambda kv: (-kv[1], kv[0]))))
        return "\n".join(lines)


class OwnerResolver:
    """(level, agency code) → the unit that must fix the finding."""

    def __init__(self, agency_codes):
        codes = {c for c in agency_codes if c}
        codes |= {c.upper() for c in codes}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)} if codes else {}
        office_code = settings.MOTCUA_PROVINCIAL_OFFICE_UNIT
        self.fallback = (Unit.objects.filter(code=office_code).first()
                         or Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("id").first())

    def __call__(self, level: str | None, agency_code: str | None) -> Unit | None:
        if level == ProcedureLevel.COMMUNE or not agency_code:
            return self.fallback
        return self.units.get(agency_code) or self.units.get(agency_code.upper()) or self.fallback


def _chunks(values, size=500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def persist_findings(
    findings: list[consistency.Finding], pairs: list[str], *, now: dt.datetime | None = None,
    due_days: int | None = None,
) -> tuple[int, int, int]:
    """Bring the Finding table in line with `findings` for `pairs`: (created, kept, resolved)."""
    now = now or timezone.now()
    due_days = due_working_days() if due_days is None else due_days
    owner = OwnerResolver(f.agency_code for f in findings)
    wanted = {f.key: f for f in findings}
    with transaction.atomic():
        open_rows = {
            (row.code, row.kind, row.field, row.pair): row
            for row in Finding.objects.select_for_update().filter(resolved_at__isnull=True, pair__in=pairs)
        }
        due_at = province_calendar().add(now, due_days, "working_days") if wanted.keys() - open_rows.keys() else None
        to_create, to_update, seen_ids = [], [], []
        for key, f in wanted.items():
            unit = owner(f.level, f.agency_code)
            row = open_rows.get(key)
            if row is None:
                to_create.append(Finding(
                    code=f.code, name=f.name[:1000], kind=f.kind, field=f.field, pair=f.pair,
                    reference_value=f.reference_value, other_value=f.other_value, severity=f.severity,
                    message=f.message, owner_unit=unit, detected_at=now, due_at=due_at, last_seen_at=now,
                ))
                continue
            seen_ids.append(row.pk)
            new = (f.name[:1000], f.reference_value, f.other_value, f.severity, f.message, unit.pk if unit else None)
            old = (row.name, row.reference_value, row.other_value, row.severity, row.message, row.owner_unit_id)
            if new != old:
                row.name, row.reference_value, row.other_value, row.severity, row.message = new[:5]
                row.owner_unit = unit
                to_update.append(row)
        gone = [row.pk for key, row in open_rows.items() if key not in wanted]
        if to_create:
            Finding.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Finding.objects.bulk_update(to_update, list(UPDATED_FIELDS), batch_size=500)
        for chunk in _chunks(seen_ids):
            Finding.objects.filter(pk__in=chunk).update(last_seen_at=now)
        note = f"Tự đóng: không còn sai lệch ở lần kiểm tra lúc {timezone.localtime(now):%d/%m/%Y %H:%M}."
        for chunk in _chunks(gone):
            Finding.objects.filter(pk__in=chunk).update(resolved_at=now, resolution_note=note)
    return len(to_create), len(seen_ids), len(gone)


def run_check(
    *, now: dt.datetime | None = None, due_days: int | None = None,
    snapshots: dict[str, SourceSnapshot | None] | None = None,
) -> CheckResult:
    """Compare the latest snapshot of each source (or `snapshots`) and record the findings."""
    now = now or timezone.now()
    snapshots = latest_snapshots() if snapshots is None else {s: snapshots.get(s) for s in Source.values}
    records = [records_of(snapshots[s]) for s in (Source.NATIONAL, Source.PROVINCIAL, Source.PORTAL)]
    pairs = consistency.compared_pairs(*records)
    result = CheckResult(at=now, snapshots=snapshots, pairs=[str(p) for p in pairs])
    if not pairs:
        return result
    result.findings = consistency.compare(*records)
    result.created, result.kept, result.resolved = persist_findings(result.findings, result.pairs, now=now,
                                                                    due_days=due_days)
    return result


# --------------------------------------------------------------------------------------------
# reads and the Excel export
# --------------------------------------------------------------------------------------------

SEVERITY_RANK = Case(
    When(severity=Severity.HIGH, then=Value(0)), When(severity=Severity.MEDIUM, then=Value(1)),
    default=Value(2), output_field=IntegerField(),
)


def open_findings(queryset: QuerySet | None = None) -> QuerySet:
    """Open findings, most severe first, then by due date and code."""
    queryset = Finding.objects.all() if queryset is None else queryset
    return (queryset.filter(resolved_at__isnull=True).select_related("owner_unit")
            .annotate(severity_rank=SEVERITY_RANK).order_by("severity_rank", "due_at", "code", "id"))


FINDINGS_SHEET = "Sai lệch"
SUMMARY_SHEET = "Tổng hợp theo đơn vị"
FINDING_HEADERS = (
    ("Mã thủ tục", 12), ("Tên thủ tục", 50), ("Loại sai lệch", 12), ("Trường", 20), ("Cặp nguồn", 30),
    ("Nguồn đối chiếu ghi", 30), ("Nguồn được so ghi", 30), ("Mức độ", 11), ("Đơn vị chủ trì", 28),
    ("Phát hiện lúc", 16), ("Hạn xử lý", 12), ("Quá hạn", 9), ("Nội dung", 60),
)


def export_findings_xlsx(queryset: QuerySet | None, stream: BinaryIO | str, *, now: dt.datetime | None = None) -> int:
    """Write the open findings (of `queryset`, default all) to a workbook; returns their number."""
    now = now or timezone.now()
    rows = list(open_findings(queryset))
    workbook, fmt_header, fmt_text, fmt_wrap, fmt_date = new_workbook(stream)
    fmt_datetime = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    fmt_high = workbook.add_format({"valign": "top", "font_color": "#9C0006", "bg_color": "#FFC7CE"})

    ws = workbook.add_worksheet(FINDINGS_SHEET)
    for j, (header, width) in enumerate(FINDING_HEADERS):
        ws.write_string(0, j, header, fmt_header)
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(rows), 1), len(FINDING_HEADERS) - 1)
    def put(i, j, text, fmt=fmt_wrap):
        if text:
            ws.write_string(i, j, str(text), fmt)
        else:
            ws.write_blank(i, j, None, fmt)

    for i, f in enumerate(rows, start=1):
        detected = timezone.localtime(f.detected_at).replace(tzinfo=None)
        due = timezone.localtime(f.due_at)
        put(i, 0, f.code, fmt_text)
        put(i, 1, f.name)
        put(i, 2, f.get_kind_display())
        put(i, 3, f.get_field_display() if f.field else "")
        put(i, 4, f.get_pair_display())
        put(i, 5, f.reference_value)
        put(i, 6, f.other_value)
        put(i, 7, f.get_severity_display(), fmt_high if f.severity == Severity.HIGH else fmt_wrap)
        put(i, 8, f.owner_unit.name if f.owner_unit else "")
        ws.write_datetime(i, 9, detected, fmt_datetime)
        ws.write_datetime(i, 10, dt.datetime.combine(due.date(), dt.time()), fmt_date)
        put(i, 11, "Có" if f.due_at < now else "")
        put(i, 12, f.message)

    summary = workbook.add_worksheet(SUMMARY_SHEET)
    headers = ["Đơn vị chủ trì", "Tổng số", *(str(s.label) for s in Severity), "Quá hạn"]
    for j, header in enumerate(headers):
        summary.write_string(0, j, header, fmt_header)
        summary.set_column(j, j, 36 if j == 0 else 12)
    per_unit: dict[str, Counter] = {}
    for f in rows:
        counter = per_unit.setdefault(f.owner_unit.name if f.owner_unit else "(chưa xác định)", Counter())
        counter["total"] += 1
        counter[f.severity] += 1
        counter["overdue"] += f.due_at < now
    for i, (unit, counter) in enumerate(sorted(per_unit.items(), key=lambda kv: (-kv[1]["total"], kv[0])), start=1):
        summary.write_string(i, 0, unit)
        summary.write_row(i, 1, [counter["total"], *(counter[s] for s in Severity.values), counter["overdue"]])
    workbook.close()
    return len(rows)


class FindingError(Exception):
    """A resolution the finding or the user does not allow (message in Vietnamese)."""


def resolve_finding(finding_id: int, user, note: str, *, now: dt.datetime | None = None) -> Finding:
    """Close an open finding the user may see, with the user's note; it stays in the history."""
    note = (note or "").strip()
    if not note:
        raise FindingError(_("Phải ghi nội dung đã xử lý."))
    with transaction.atomic():
        finding = visible_findings(user).select_for_update().filter(pk=finding_id).first()
        if finding is None:
            raise FindingError(_("Không có sai lệch này trong phạm vi của bạn."))
        if finding.resolved_at is not None:
            raise FindingError(_("Sai lệch đã được xử lý trước đó."))
        finding.resolved_at, finding.resolved_by, finding.resolution_note = now or timezone.now(), user, note
        finding.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    return finding
