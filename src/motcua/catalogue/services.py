"""Writes to the catalogue. Each public function is one use case in one transaction.

`import_catalogue` is the single door for bulk changes (JSON and Excel imports both come here,
already parsed by `catalogue.io`): it validates everything first, collecting *all* errors, and
writes nothing at all if there is a single one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from motcua.catalogue.models import (
    Component,
    DecisionStatus,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureLevel,
    ProcedureMethod,
    ProcessStep,
    PublicationDecision,
    PublicationItem,
    check_step_shares,
)
from motcua.units.models import Unit

#: Marks a value that failed to parse (its error is already recorded): later checks skip it.
INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID", "__bool__": lambda self: False})()

PROCEDURE_FIELDS = (
    "name", "field", "level", "agency", "implementing_agency_text", "time_limit", "time_unit", "subjects",
    "requirements", "result_name", "result_is_document", "online_level", "status", "fee_note",
)

#: related name → (model, fields written from the input). Publications are handled apart.
CHILD_MODELS: dict[str, tuple[type, tuple[str, ...]]] = {
    "methods": (ProcedureMethod, ("method", "time_limit", "time_unit", "fee_vnd", "description")),
    "fees": (Fee, ("name", "amount_vnd", "kind", "per_page", "note")),
    "components": (Component, ("order", "name", "original_count", "copy_count", "required", "template_name", "note")),
    "legal_bases": (LegalBasis, ("document_number", "title", "issued_on", "effective_on")),
    "steps": (ProcessStep, ("order", "name", "share_percent", "role")),
}
CHILD_KEYS = (*CHILD_MODELS, "publications")
PUBLICATION_FIELDS = ("number", "title", "issuer_unit", "decided_on", "published_national_on", "change_type")


@dataclass(frozen=True)
class RowError:
    """One problem in the input, located by sheet and Excel row number, or by JSON record index."""

    sheet: str | None  # Excel sheet name; None for JSON
    row: int | None  # Excel row number (the header is row 1), or the 0-based JSON record index
    field: str  # column header (Excel) or JSON path such as "methods[0].time_limit"
    message: str  # Vietnamese

    def __str__(self) -> str:
        if self.sheet is not None:
            parts = [f"Dòng {self.row}"] if self.row else []
            if self.field:
                parts.append(f"cột '{self.field}'")
            where = ", ".join(parts)
            return f"[{self.sheet}] {where}: {self.message}" if where else f"[{self.sheet}] {self.message}"
        parts = [f"Bản ghi [{self.row}]"] if self.row is not None else []
        if self.field:
            parts.append(f"trường '{self.field}'")
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class RowRef:
    """Where a parsed row came from; turns a field key into a located RowError."""

    sheet: str | None
    row: int | None
    prefix: str = ""  # JSON path prefix of the row, e.g. "methods[2]."
    headers: dict | None = None  # key → Excel column header

    def label(self, key: str) -> str:
        if self.sheet is not None:
            return (self.headers or {}).get(key, key)
        return f"{self.prefix}{key}"

    def error(self, key: str, message: str) -> RowError:
        return RowError(self.sheet, self.row, self.label(key) if key else "", message)


@dataclass
class ChildInput:
    ref: RowRef
    values: dict


@dataclass
class ProcedureInput:
    """A parsed procedure: scalar values (agency as a unit code) and child rows.

    A child list that is None was not given at all: the existing rows are left unchanged.
    A list (even empty) replaces the procedure's rows of that kind.
    """

    ref: RowRef
    values: dict
    children: dict[str, list[ChildInput] | None] = field(default_factory=dict)


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        if self.errors:
            return f"Có {len(self.errors)} lỗi; không ghi gì vào cơ sở dữ liệu."
        verb = "Kiểm tra xong (không ghi)" if self.dry_run else "Đã nhập"
        return f"{verb} {len(self.created) + len(self.updated)} thủ tục: {len(self.created)} mới, {len(self.updated)} cập nhật."


class _Abort(Exception):
    """Rolls the import transaction back."""


def _in_chunks(values, size=500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _valid(*values) -> bool:
    return all(v is not INVALID for v in values)


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------

def _check_time_pair(ref: RowRef, values: dict, errors: list[RowError]) -> None:
    limit, unit = values.get("time_limit"), values.get("time_unit")
    if not _valid(limit, unit):
        return
    if limit is not None and not unit:
        errors.append(ref.error("time_unit", "phải chọn đơn vị thời hạn khi có thời hạn"))
    if unit and limit is None:
        errors.append(ref.error("time_limit", "phải nhập thời hạn khi có đơn vị thời hạn"))


def _decision_key(values: dict) -> tuple | None:
    key = (values.get("issuer_unit"), values.get("number"), values.get("decided_on"))
    return key if _valid(*key) and all(key) else None


def validate(inputs: list[ProcedureInput]) -> tuple[list[RowError], dict[str, Unit]]:
    """Cross-row checks (the parser already checked each value). Returns errors and the units used."""
    errors: list[RowError] = []
    unit_codes = set()
    for item in inputs:
        if _valid(item.values.get("agency")) and item.values.get("agency"):
            unit_codes.add(item.values["agency"])
        for pub in item.children.get("publications") or []:
            if _valid(pub.values.get("issuer_unit")) and pub.values.get("issuer_unit"):
                unit_codes.add(pub.values["issuer_unit"])
    units: dict[str, Unit] = {}
    for chunk in _in_chunks(unit_codes):
        units.update({u.code: u for u in Unit.objects.filter(code__in=chunk)})

    seen_codes: dict[str, RowRef] = {}
    decisions: dict[tuple, tuple[dict, RowRef]] = {}
    for item in inputs:
        values, ref = item.values, item.ref
        code = values.get("code")
        if _valid(code) and code:
            if code in seen_codes:
                first = seen_codes[code]
                where = f"dòng {first.row}" if first.sheet is not None else f"bản ghi [{first.row}]"
                errors.append(ref.error("code", f"mã thủ tục {code} bị trùng ({where})"))
            else:
                seen_codes[code] = ref
        agency, level = values.get("agency"), values.get("level")
        if _valid(agency) and agency:
            if agency not in units:
                errors.append(ref.error("agency", f"không có đơn vị mã '{agency}'"))
            elif _valid(level) and level == ProcedureLevel.COMMUNE:
                errors.append(ref.error(
                    "agency", "thủ tục cấp xã do mọi xã thực hiện: để trống mã cơ quan thực hiện"))
        _check_time_pair(ref, values, errors)

        for method in item.children.get("methods") or []:
            _check_time_pair(method.ref, method.values, errors)

        steps = item.children.get("steps") or []
        shares = [s.values.get("share_percent") for s in steps]
        if steps and _valid(*shares) and None not in shares:
            total = check_step_shares(shares)
            if total is not None:
                errors.append(steps[0].ref.error(
                    "share_percent",
                    f"tổng tỷ lệ thời gian các bước của thủ tục {code or ''} là {_fmt(total)}%, phải bằng 100%",
                ))

        own_decisions: set[tuple] = set()
        for pub in item.children.get("publications") or []:
            issuer = pub.values.get("issuer_unit")
            if _valid(issuer) and issuer and issuer not in units:
                errors.append(pub.ref.error("issuer_unit", f"không có đơn vị mã '{issuer}'"))
            key = _decision_key(pub.values)
            if key is None:
                continue
            if key in own_decisions:
                errors.append(pub.ref.error("number", f"quyết định {key[1]} đã có cho thủ tục này"))
            own_decisions.add(key)
            if key in decisions:
                first_values, first_ref = decisions[key]
                for attr in ("title", "published_national_on"):
                    a, b = first_values.get(attr), pub.values.get(attr)
                    if _valid(a, b) and a != b:
                        errors.append(pub.ref.error(
                            attr, f"khác với quyết định {key[1]} đã khai ở {_where(first_ref)}"))
            else:
                decisions[key] = (pub.values, pub.ref)
    return errors, units


def _where(ref: RowRef) -> str:
    if ref.sheet is not None:
        return f"trang '{ref.sheet}' dòng {ref.row}"
    return f"bản ghi [{ref.row}]"


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f").rstrip("0")


# --------------------------------------------------------------------------------------------
# the import use case
# --------------------------------------------------------------------------------------------

def import_catalogue(
    inputs: list[ProcedureInput], parse_errors: list[RowError] | None = None, *, dry_run: bool = False
) -> ImportResult:
    """Upsert procedures by code, replacing their child rows; all-or-nothing.

    Child rows are replaced position by position (the i-th existing row takes the i-th new
    values, surplus rows are deleted, missing ones created), so rows that dossiers point to
    keep their identity; a surplus row still used by a dossier is an error.
    """
    errors = list(parse_errors or [])
    more, units = validate(inputs)
    errors.extend(more)
    if errors:
        return ImportResult(errors=errors, dry_run=dry_run)
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(inputs, units, result)
            if result.errors:
                raise _Abort
            if dry_run:
                transaction.set_rollback(True)
    except _Abort:
        result.created, result.updated = [], []
    return result


def _write(inputs: list[ProcedureInput], units: dict[str, Unit], result: ImportResult) -> None:
    codes = [i.values["code"] for i in inputs]
    existing: dict[str, Procedure] = {}
    for chunk in _in_chunks(codes):
        existing.update({p.code: p for p in Procedure.objects.select_for_update().filter(code__in=chunk)})

    procedures: list[tuple[ProcedureInput, Procedure]] = []
    to_update = []
    now = timezone.now()
    for item in inputs:
        proc = existing.get(item.values["code"])
        created = proc is None
        if created:
            proc = Procedure(code=item.values["code"])
        for name in PROCEDURE_FIELDS:
            value = item.values.get(name)
            if name == "agency":
                proc.agency = units[value] if value else None
            else:
                setattr(proc, name, value)
        if created:
            proc.save()
            result.created.append(proc.code)
        else:
            proc.updated_at = now
            to_update.append(proc)
            result.updated.append(proc.code)
        procedures.append((item, proc))
    if to_update:
        Procedure.objects.bulk_update(to_update, [*PROCEDURE_FIELDS, "updated_at"], batch_size=200)

    for related_name, (model, fields) in CHILD_MODELS.items():
        _replace_children(procedures, existing, related_name, model, fields, result)
    _replace_publications(procedures, units)


def _replace_children(procedures, existing, related_name, model, fields, result) -> None:
    given = [(item, proc) for item, proc in procedures if item.children.get(related_name) is not None]
    if not given:
        return
    old_by_proc: dict[int, list] = defaultdict(list)
    old_ids = [proc.pk for item, proc in given if proc.code in existing]
    for chunk in _in_chunks(old_ids):
        for row in model.objects.filter(procedure_id__in=chunk):  # Meta.ordering: procedure, order, id
            old_by_proc[row.procedure_id].append(row)
    to_create, to_update = [], []
    for item, proc in given:
        old = old_by_proc.get(proc.pk, [])
        rows = item.children[related_name]
        for i, child in enumerate(rows):
            obj = old[i] if i < len(old) else model(procedure=proc)
            for name in fields:
                setattr(obj, name, child.values.get(name))
            (to_update if i < len(old) else to_create).append(obj)
        surplus = old[len(rows):]
        if surplus:
            try:
                model.objects.filter(pk__in=[o.pk for o in surplus]).delete()
            except ProtectedError:
                label = model._meta.verbose_name_plural
                result.errors.append(item.ref.error(
                    "code", f"không thể bớt {label} của thủ tục {proc.code}: đang được hồ sơ sử dụng"))
    if to_update:
        model.objects.bulk_update(to_update, list(fields), batch_size=200)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=200)


def _replace_publications(procedures, units: dict[str, Unit]) -> None:
    given = [(item, proc) for item, proc in procedures if item.children.get("publications") is not None]
    if not given:
        return
    wanted: dict[tuple, dict] = {}
    for item, _proc in given:
        for pub in item.children["publications"]:
            wanted.setdefault(_decision_key(pub.values), pub.values)
    decisions: dict[tuple, PublicationDecision] = {}
    numbers = {key[1] for key in wanted}
    for chunk in _in_chunks(numbers):
        for d in PublicationDecision.objects.select_related("issuer_unit").filter(number__in=chunk):
            key = (d.issuer_unit.code, d.number, d.decided_on)
            if key in wanted:
                decisions.setdefault(key, d)
    for key, values in wanted.items():
        decision = decisions.get(key)
        if decision is None:
            decisions[key] = PublicationDecision.objects.create(
                number=values["number"], issuer_unit=units[values["issuer_unit"]], decided_on=values["decided_on"],
                title=values.get("title") or "", published_national_on=values.get("published_national_on"),
            )
        elif (decision.title, decision.published_national_on) != (values.get("title") or "", values.get("published_national_on")):
            decision.title = values.get("title") or ""
            decision.published_national_on = values.get("published_national_on")
            decision.save(update_fields=["title", "published_national_on"])
    # Items kept as they are when the input names them again (their legal basis, effective date and
    # national change are not part of the import format); drafts are not decisions yet: untouched.
    wanted_items = {(decisions[_decision_key(pub.values)].pk, proc.pk): (proc, pub.values["change_type"])
                    for item, proc in given for pub in item.children["publications"]}
    existing: dict[tuple, PublicationItem] = {}
    for chunk in _in_chunks([proc.pk for _item, proc in given]):
        for row in PublicationItem.objects.filter(procedure_id__in=chunk).exclude(decision__status=DecisionStatus.DRAFT):
            existing[(row.decision_id, row.procedure_id)] = row
    gone = [row.pk for key, row in existing.items() if key not in wanted_items]
    for chunk in _in_chunks(gone):
        PublicationItem.objects.filter(pk__in=chunk).delete()
    changed = []
    for key, (proc, change_type) in wanted_items.items():
        row = existing.get(key)
        if row is not None and row.change_type != change_type:
            row.change_type = change_type
            changed.append(row)
    PublicationItem.objects.bulk_update(changed, ["change_type"], batch_size=200)
    PublicationItem.objects.bulk_create([
        PublicationItem(decision_id=decision_id, procedure=proc, code=proc.code, name=proc.name, change_type=change_type)
        for (decision_id, _pk), (proc, change_type) in wanted_items.items() if (decision_id, _pk) not in existing
    ], batch_size=200)
