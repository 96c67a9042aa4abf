"""The consistency check between the three systems, as a pure function over normalised records.

    compare(national, provincial, portal) -> list[Finding]

Each argument is the procedures of one source (`Record`s, or a mapping code → Record), or None
when that source has no snapshot (its pairs are then not compared).

**Who is the reference.** The National Database (CSDLQG) is the authority: the province's own
catalogue and the portal's service list are each compared with it. Only when there is no national
snapshot is the portal compared with the province's catalogue. So one disagreement yields one
finding per system that is wrong, never a duplicate through a third pair.

**Kinds.** For a pair (reference, other):

* `missing` — in force in the reference, absent from the other;
* `extra` — in force in the other, absent from the reference;
* `mismatch` — present in both and a field differs (one finding per field).

An abolished procedure absent from the other side is not missing (nor extra): withdrawing it is
the expected state. A field is compared only when both sources state it (`None` = not stated:
the portal's service list, for instance, has no components nor legal basis).

**Severity** (`SEVERITY`), chosen by the harm to a citizen or to the service index:

* high — missing, extra, status (someone can file for an abolished procedure or cannot find a
  live one), time limit (deadlines and on-time rates are computed from it), fee (money asked);
* medium — components (the dossier asked for), legal basis, online level (whether one can file
  online), implementing level and agency (where to file);
* low — name wording (the code still identifies the procedure; an editorial fix).

Comparisons are tolerant of form, not of content: names and component names are compared after
Unicode NFC, case folding and whitespace collapsing (and a trailing full stop); legal bases as a
set of document numbers upper-cased without spaces; components as a multiset of (name, count);
time limits as (amount, unit); a coarse status "in force" (the portal's "đang áp dụng") only
against in-force-or-abolished.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from motcua.catalogue.models import (
    IN_FORCE,
    SOURCE_STATUS_CHOICES,
    FindingField,
    FindingKind,
    OnlineLevel,
    ProcedureLevel,
    ProcedureStatus,
    Severity,
    Source,
    SourcePair,
    TimeUnit,
)
from motcua.common.formatting import vnd

STATUS_LABELS = dict(SOURCE_STATUS_CHOICES)

SEVERITY: dict[str, str] = {
    FindingKind.MISSING: Severity.HIGH,
    FindingKind.EXTRA: Severity.HIGH,
    FindingField.STATUS: Severity.HIGH,
    FindingField.TIME_LIMIT: Severity.HIGH,
    FindingField.FEE: Severity.HIGH,
    FindingField.COMPONENTS: Severity.MEDIUM,
    FindingField.LEGAL_BASIS: Severity.MEDIUM,
    FindingField.ONLINE_LEVEL: Severity.MEDIUM,
    FindingField.LEVEL: Severity.MEDIUM,
    FindingField.AGENCY: Severity.MEDIUM,
    FindingField.NAME: Severity.LOW,
}

SOURCE_LABELS = {Source.NATIONAL: "CSDLQG", Source.PROVINCIAL: "hệ thống của tỉnh", Source.PORTAL: "Cổng DVC"}


@dataclass(frozen=True)
class Record:
    """A procedure as one source shows it. None in a field = the source does not state it."""

    code: str
    name: str | None = None
    level: str | None = None  # ProcedureLevel
    agency_code: str | None = None
    agency_text: str | None = None
    time_limit: Decimal | None = None
    time_unit: str | None = None  # TimeUnit
    fee_total_vnd: int | None = None
    components: tuple[tuple[str, int], ...] | None = None  # (name, number of copies)
    legal_bases: tuple[str, ...] | None = None  # document numbers
    online_level: str | None = None  # OnlineLevel
    status: str | None = None  # ProcedureStatus or IN_FORCE

    @property
    def in_force(self) -> bool:
        return self.status != ProcedureStatus.ABOLISHED


@dataclass(frozen=True)
class Finding:
    """One disagreement; `key` identifies it across runs."""

    code: str
    kind: str  # FindingKind
    field: str  # FindingField, "" for missing / extra
    pair: str  # SourcePair: "reference:other"
    severity: str  # Severity
    reference_value: str = ""
    other_value: str = ""
    name: str = ""
    level: str | None = None  # to find the owner unit
    agency_code: str | None = None
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.code, self.kind, self.field, self.pair)

    @property
    def reference_source(self) -> str:
        return self.pair.split(":")[0]

    @property
    def other_source(self) -> str:
        return self.pair.split(":")[1]


# --------------------------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------------------------


def norm_text(text: str | None) -> str:
    """Text as compared: NFC, whitespace collapsed, case folded, no trailing full stop."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold().rstrip(" .;")


def norm_document_number(number: str) -> str:
    """A legal document number as compared: '23/2015/nđ-cp ' → '23/2015/NĐ-CP'."""
    text = unicodedata.normalize("NFC", number).upper()
    text = text.replace("–", "-").replace("—", "-")
    return "".join(text.split())


def components_key(components) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((norm_text(name), int(count)) for name, count in components))


def format_number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def format_vnd(value: int | None) -> str:
    return "" if value is None else vnd(value, "đồng")


def format_time_limit(limit: Decimal | None, unit: str | None) -> str:
    if unit == TimeUnit.IN_DAY:
        return "Trong ngày"
    if limit is None and not unit:
        return "(không ghi)"
    label = str(TimeUnit(unit).label).lower() if unit in TimeUnit.values else (unit or "")
    return f"{format_number(limit)} {label}".strip()


def format_components(components) -> str:
    return "; ".join(f"{name} ({count})" for name, count in components) or "(không có)"


def _label(choices, value) -> str:
    if value is None or value == "":
        return "(không ghi)"
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


# --------------------------------------------------------------------------------------------
# the comparison
# --------------------------------------------------------------------------------------------


@dataclass
class _Diff:
    field: str
    reference_value: str
    other_value: str


def _time_limit_key(record: Record):
    if record.time_unit == TimeUnit.IN_DAY:
        return (None, TimeUnit.IN_DAY)
    limit = None if record.time_limit is None else Decimal(record.time_limit).normalize()
    return (limit, record.time_unit or None)


def _status_differs(a: str, b: str) -> bool:
    if IN_FORCE in (a, b):
        return (a == ProcedureStatus.ABOLISHED) != (b == ProcedureStatus.ABOLISHED)
    return a != b


def field_differences(ref: Record, other: Record) -> list[_Diff]:
    """The fields both records state and that differ, in FindingField order."""
    diffs: list[_Diff] = []
    if ref.name is not None and other.name is not None and norm_text(ref.name) != norm_text(other.name):
        diffs.append(_Diff(FindingField.NAME, ref.name, other.name))
    if (ref.time_limit is not None or ref.time_unit) and (other.time_limit is not None or other.time_unit):
        if _time_limit_key(ref) != _time_limit_key(other):
            diffs.append(_Diff(FindingField.TIME_LIMIT, format_time_limit(ref.time_limit, ref.time_unit),
                               format_time_limit(other.time_limit, other.time_unit)))
    if ref.fee_total_vnd is not None and other.fee_total_vnd is not None and ref.fee_total_vnd != other.fee_total_vnd:
        diffs.append(_Diff(FindingField.FEE, format_vnd(ref.fee_total_vnd), format_vnd(other.fee_total_vnd)))
    if ref.components is not None and other.components is not None:
        if components_key(ref.components) != components_key(other.components):
            diffs.append(_Diff(FindingField.COMPONENTS, format_components(ref.components),
                               format_components(other.components)))
    if ref.legal_bases is not None and other.legal_bases is not None:
        a = {norm_document_number(n) for n in ref.legal_bases}
        b = {norm_document_number(n) for n in other.legal_bases}
        if a != b:
            only_ref, only_other = sorted(a - b), sorted(b - a)
            diffs.append(_Diff(FindingField.LEGAL_BASIS,
                               "; ".join(only_ref) or "(không có văn bản khác)",
                               "; ".join(only_other) or "(không có văn bản khác)"))
    if ref.online_level and other.online_level and ref.online_level != other.online_level:
        diffs.append(_Diff(FindingField.ONLINE_LEVEL, _label(OnlineLevel, ref.online_level),
                           _label(OnlineLevel, other.online_level)))
    if ref.level and other.level and ref.level != other.level:
        diffs.append(_Diff(FindingField.LEVEL, _label(ProcedureLevel, ref.level), _label(ProcedureLevel, other.level)))
    if ref.agency_code and other.agency_code:
        if ref.agency_code.strip().upper() != other.agency_code.strip().upper():
            diffs.append(_Diff(FindingField.AGENCY, ref.agency_code, other.agency_code))
    elif ref.agency_text and other.agency_text and norm_text(ref.agency_text) != norm_text(other.agency_text):
        diffs.append(_Diff(FindingField.AGENCY, ref.agency_text, other.agency_text))
    if ref.status and other.status and _status_differs(ref.status, other.status):
        diffs.append(_Diff(FindingField.STATUS, str(STATUS_LABELS.get(ref.status, ref.status)),
                           str(STATUS_LABELS.get(other.status, other.status))))
    return diffs


def _as_map(records) -> dict[str, Record] | None:
    if records is None:
        return None
    if isinstance(records, Mapping):
        return dict(records)
    return {r.code: r for r in records}


def compared_pairs(national, provincial, portal) -> list[str]:
    """The SourcePairs `compare` looks at, given which sources are present (not None)."""
    pairs = []
    if national is not None:
        if provincial is not None:
            pairs.append(SourcePair.NATIONAL_PROVINCIAL)
        if portal is not None:
            pairs.append(SourcePair.NATIONAL_PORTAL)
    elif provincial is not None and portal is not None:
        pairs.append(SourcePair.PROVINCIAL_PORTAL)
    return pairs


def _compare_pair(pair: str, ref: dict[str, Record], other: dict[str, Record], owner_hint, out: list) -> None:
    ref_source, other_source = pair.split(":")
    ref_label, other_label = SOURCE_LABELS[ref_source], SOURCE_LABELS[other_source]
    for code in sorted(ref.keys() | other.keys()):
        a, b = ref.get(code), other.get(code)
        level, agency = owner_hint(code)
        if b is None:
            if a.in_force:
                out.append(Finding(
                    code, FindingKind.MISSING, "", pair, SEVERITY[FindingKind.MISSING],
                    reference_value=a.name or "", other_value="", name=a.name or "", level=level, agency_code=agency,
                    message=f"Thủ tục {code} có trên {ref_label} nhưng thiếu trên {other_label}.",
                ))
            continue
        if a is None:
            if b.in_force:
                out.append(Finding(
                    code, FindingKind.EXTRA, "", pair, SEVERITY[FindingKind.EXTRA],
                    reference_value="", other_value=b.name or "", name=b.name or "", level=level, agency_code=agency,
                    message=f"Thủ tục {code} có trên {other_label} nhưng không có trên {ref_label}.",
                ))
            continue
        for diff in field_differences(a, b):
            label = str(FindingField(diff.field).label)
            out.append(Finding(
                code, FindingKind.MISMATCH, diff.field, pair, SEVERITY[diff.field],
                reference_value=diff.reference_value, other_value=diff.other_value,
                name=a.name or b.name or "", level=level, agency_code=agency,
                message=f"{label} khác nhau: {ref_label} ghi «{diff.reference_value}», "
                        f"{other_label} ghi «{diff.other_value}».",
            ))


def compare(
    national: Iterable[Record] | Mapping[str, Record] | None,
    provincial: Iterable[Record] | Mapping[str, Record] | None,
    portal: Iterable[Record] | Mapping[str, Record] | None,
) -> list[Finding]:
    """Every finding between the sources (see the module docstring), ordered by pair then code."""
    sources = {
        Source.NATIONAL: _as_map(national), Source.PROVINCIAL: _as_map(provincial), Source.PORTAL: _as_map(portal),
    }

    def owner_hint(code: str) -> tuple[str | None, str | None]:
        """(level, agency code) of the procedure: the province's own record first, then the national one."""
        level = agency = None
        for source in (Source.PROVINCIAL, Source.NATIONAL, Source.PORTAL):
            record = (sources[source] or {}).get(code)
            if record is None:
                continue
            level = level or record.level
            agency = agency or record.agency_code
        return level, agency

    findings: list[Finding] = []
    with translation.override("vi"):  # values and messages are stored: always in Vietnamese
        for pair in compared_pairs(*sources.values()):
            ref_source, other_source = pair.split(":")
            _compare_pair(pair, sources[ref_source], sources[other_source], owner_hint, findings)
    return findings
