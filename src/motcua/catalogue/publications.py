"""Publication decisions (quyết định công bố, QĐCB): the national feed, the province's drafts, their
deadlines, and applying a decision to the catalogue.

The national "Decision to publish" feed (Quyết định công bố của Bộ, ngành trên CSDLQG)
-------------------------------------------------------------------------------------
JSON, shaped like the national API — a list of decisions, or the envelope
``{"code": "OK", "data": {"items": [...]}}``. A decision::

    {"decisionNumber": "1234/QĐ-BTP", "decisionDate": "2027-01-20", "agency": "Bộ Tư pháp",
     "title": "Công bố TTHC mới, sửa đổi … lĩnh vực hộ tịch", "publishedDate": "2027-01-25",
     "procedures": [
       {"code": "1.001234", "name": "Đăng ký khai sinh", "level": "commune", "changeType": "AMENDED",
        "agencyCode": "STP", "legalBasis": "23/2015/NĐ-CP", "effectiveDate": "2027-02-15"},
       {"code": "1.009999", "name": "…", "level": "province", "changeType": "REPLACED",
        "replacesCode": "1.000111", "legalBasis": "…", "effectiveDate": "…"}]}

``changeType``: NEW, AMENDED, REPLACED, ABOLISHED (or the Vietnamese "Ban hành mới", "Sửa đổi, bổ
sung", "Thay thế", "Bãi bỏ"); ``level``: as in the national record ("Cấp tỉnh", "Cấp xã",
province, commune); dates ``YYYY-MM-DD`` or ``dd/mm/yyyy``; ``agencyCode`` (the province unit that
implements it) and ``publishedDate`` are optional. The import checks every value and reports all
errors with their JSON path; one error and nothing is written. A decision already imported (same
number) is skipped, so the feed can be read again and again.

For each national decision, `draft_province_decision` drafts the province's QĐCB: the procedures
the province must announce (each change), its planned date — the latest date that keeps every
item on time (`deadlines.decide_by`), never before today — and for each item the two deadlines.
`issue` gives it a number, a date and a signer; `apply` writes it into the catalogue with history.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.catalogue import deadlines
from motcua.catalogue.checks import OwnerResolver
from motcua.catalogue.io import BadValue, _to_date
from motcua.catalogue.models import (
    ChangeType,
    DecisionStatus,
    LegalBasis,
    NationalChange,
    NationalDecision,
    Procedure,
    ProcedureHistory,
    ProcedureLevel,
    ProcedureStatus,
    PublicationDecision,
    PublicationItem,
)
from motcua.catalogue.services import RowError
from motcua.catalogue.sources import _choice_parser, _text, parse_code, parse_level
from motcua.units.models import Unit, UnitKind
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.services import province_calendar

parse_change_type = _choice_parser({
    "new": ChangeType.NEW, "ban hành mới": ChangeType.NEW, "mới": ChangeType.NEW,
    "amended": ChangeType.AMENDED, "updated": ChangeType.AMENDED, "sửa đổi, bổ sung": ChangeType.AMENDED,
    "sửa đổi": ChangeType.AMENDED,
    "replaced": ChangeType.REPLACED, "thay thế": ChangeType.REPLACED,
    "abolished": ChangeType.ABOLISHED, "bãi bỏ": ChangeType.ABOLISHED,
}, "NEW, AMENDED, REPLACED, ABOLISHED ('Ban hành mới', 'Sửa đổi, bổ sung', 'Thay thế', 'Bãi bỏ')")

DECISION_KEYS = {"number": "decisionNumber", "decided_on": "decisionDate", "ministry": "agency",
                 "title": "title", "published_on": "publishedDate"}
CHANGE_KEYS = {"code": "code", "name": "name", "level": "level", "change_type": "changeType",
               "replaces_code": "replacesCode", "agency_code": "agencyCode", "legal_basis": "legalBasis",
               "effective_on": "effectiveDate"}
REQUIRED_DECISION = ("number", "decided_on", "ministry")
REQUIRED_CHANGE = ("code", "name", "level", "change_type", "effective_on")


PARSERS = {
    "number": lambda raw: _text(raw, 100), "ministry": lambda raw: _text(raw, 255), "title": _text,
    "decided_on": _to_date, "published_on": _to_date, "code": parse_code, "name": lambda raw: _text(raw, 1000),
    "level": parse_level, "change_type": parse_change_type, "replaces_code": parse_code,
    "agency_code": lambda raw: _text(raw, 20), "legal_basis": lambda raw: _text(raw, 255), "effective_on": _to_date,
}


@dataclass
class FeedResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[NationalDecision] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return "\n".join([f"Không nhập: {len(self.errors)} lỗi, không ghi gì.", *map(str, self.errors)])
        changes = sum(d.changes.count() for d in self.created)
        return (f"Đã nhập {len(self.created)} quyết định công bố của Bộ, ngành ({changes} thủ tục); "
                f"bỏ qua {self.skipped} quyết định đã có.")


def _parse_object(raw: dict, keys: dict[str, str], required, path: str, errors: list[RowError]) -> dict:
    values = {}
    for name, key in keys.items():
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if name in required:
                errors.append(RowError(None, None, f"{path}{key}", "không được để trống"))
            continue
        try:
            values[name] = PARSERS[name](value)
        except BadValue as exc:
            errors.append(RowError(None, None, f"{path}{key}", str(exc)))
    return values


def parse_feed(data: Any) -> tuple[list[tuple[dict, list[dict]]], list[RowError]]:
    """(decision values, [change values]) of each decision of the feed, and every error found."""
    if isinstance(data, dict):
        data = (data.get("data") or {}).get("items") if isinstance(data.get("data"), dict) else None
    if not isinstance(data, list):
        return [], [RowError(None, None, "", "tệp phải là một danh sách quyết định hoặc {\"data\": {\"items\": [...]}}")]
    errors: list[RowError] = []
    parsed, numbers = [], {}
    for i, raw in enumerate(data):
        if not isinstance(raw, dict):
            errors.append(RowError(None, i, "", "mỗi quyết định phải là một đối tượng JSON"))
            continue
        decision = _parse_object(raw, DECISION_KEYS, REQUIRED_DECISION, f"[{i}].", errors)
        if decision.get("number") in numbers:
            errors.append(RowError(None, i, "decisionNumber",
                                   f"trùng số quyết định với bản ghi [{numbers[decision['number']]}]"))
        numbers.setdefault(decision.get("number"), i)
        procedures = raw.get("procedures")
        if not isinstance(procedures, list) or not procedures:
            errors.append(RowError(None, i, "procedures", "phải là danh sách thủ tục, ít nhất một thủ tục"))
            continue
        changes, codes = [], set()
        for j, item in enumerate(procedures):
            path = f"[{i}].procedures[{j}]."
            if not isinstance(item, dict):
                errors.append(RowError(None, None, path.rstrip("."), "mỗi thủ tục phải là một đối tượng JSON"))
                continue
            change = _parse_object(item, CHANGE_KEYS, REQUIRED_CHANGE, path, errors)
            if change.get("code") in codes:
                errors.append(RowError(None, None, f"{path}code", f"thủ tục {change['code']} bị lặp trong quyết định"))
            codes.add(change.get("code"))
            if change.get("change_type") == ChangeType.REPLACED and not change.get("replaces_code"):
                errors.append(RowError(None, None, f"{path}replacesCode", "thủ tục thay thế phải ghi mã thủ tục bị thay thế"))
            changes.append(change)
        parsed.append((decision, changes))
    return parsed, errors


def import_feed(data: bytes) -> FeedResult:
    """Import the national feed from the bytes of a JSON file: all-or-nothing, idempotent."""
    try:
        decoded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return FeedResult(errors=[RowError(None, None, "", f"tệp JSON không hợp lệ: {exc}")])
    parsed, errors = parse_feed(decoded)
    result = FeedResult(errors=errors)
    if errors:
        return result
    with transaction.atomic():
        known = set(NationalDecision.objects.filter(number__in=[d["number"] for d, _ in parsed])
                    .values_list("number", flat=True))
        for values, changes in parsed:
            if values["number"] in known:
                result.skipped += 1
                continue
            decision = NationalDecision.objects.create(**values)
            NationalChange.objects.bulk_create([NationalChange(decision=decision, **c) for c in changes])
            result.created.append(decision)
    return result


# --------------------------------------------------------------------------------------------
# the province's decisions: draft, issue, record the national publication, apply
# --------------------------------------------------------------------------------------------


class PublicationError(Exception):
    """A request the decision's state does not allow (message in Vietnamese)."""


def province_unit() -> Unit | None:
    return Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("id").first()


def draft_province_decision(national: NationalDecision, *, today: dt.date | None = None,
                            calendar: WorkCalendar | None = None) -> PublicationDecision:
    """The province's draft QĐCB announcing `national`'s changes (once: a second call returns it)."""
    existing = national.province_decisions.order_by("id").first()
    if existing is not None:
        return existing
    calendar = calendar or province_calendar()
    today = today or timezone.localdate()
    changes = list(national.changes.all())
    planned = min(deadlines.decide_by(calendar, c.effective_on) for c in changes)
    issuer = province_unit()
    if issuer is None:
        raise PublicationError(gettext("Chưa có đơn vị cấp tỉnh để ban hành quyết định công bố."))
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=[c.code for c in changes])}
    with transaction.atomic():
        decision = PublicationDecision.objects.create(
            status=DecisionStatus.DRAFT, issuer_unit=issuer, decided_on=max(planned, today),
            national_decision=national,
            title=f"Công bố danh mục thủ tục hành chính theo Quyết định {national.number} của {national.ministry}",
        )
        PublicationItem.objects.bulk_create([
            PublicationItem(decision=decision, procedure=procedures.get(c.code), code=c.code, name=c.name,
                            change_type=c.change_type, replaces_code=c.replaces_code, legal_basis=c.legal_basis,
                            effective_on=c.effective_on, national_change=c)
            for c in changes
        ])
    return decision


def draft_pending(*, today: dt.date | None = None) -> list[PublicationDecision]:
    """A draft for every national decision that has none yet."""
    calendar = province_calendar()
    return [draft_province_decision(n, today=today, calendar=calendar)
            for n in NationalDecision.objects.filter(province_decisions__isnull=True).order_by("decided_on", "id")]


def issue(decision: PublicationDecision, *, number: str, decided_on: dt.date, signer: str) -> PublicationDecision:
    """A draft becomes an issued decision."""
    number, signer = (number or "").strip(), (signer or "").strip()
    if decision.status != DecisionStatus.DRAFT:
        raise PublicationError(gettext("Quyết định %(d)s đã ban hành, không ban hành lại.")
                               % {"d": decision})
    if not number or not signer:
        raise PublicationError(gettext("Phải nhập số quyết định và người ký."))
    if PublicationDecision.objects.filter(number=number, issuer_unit=decision.issuer_unit).exclude(pk=decision.pk).exists():
        raise PublicationError(gettext("Số quyết định %(n)s đã được dùng.") % {"n": number})
    decision.number, decision.decided_on, decision.signer = number, decided_on, signer
    decision.status = DecisionStatus.ISSUED
    decision.save(update_fields=["number", "decided_on", "signer", "status"])
    return decision


def record_national_publication(decision: PublicationDecision, published_on: dt.date) -> PublicationDecision:
    """The day the decision's procedures became public on the National Database."""
    if decision.status == DecisionStatus.DRAFT:
        raise PublicationError(gettext("Quyết định còn là dự thảo: chưa thể công khai trên CSDLQG."))
    if published_on < decision.decided_on:
        raise PublicationError(gettext("Ngày công khai không thể trước ngày quyết định."))
    decision.published_national_on = published_on
    decision.save(update_fields=["published_national_on"])
    return decision


def _state(proc: Procedure | None) -> dict | None:
    if proc is None:
        return None
    return {"name": proc.name, "status": proc.status, "level": proc.level,
            "legal_bases": sorted(proc.legal_bases.values_list("document_number", flat=True))}


def _apply_item(item: PublicationItem, decision: PublicationDecision, owner: OwnerResolver, user, now) -> list:
    """Write one item into the catalogue; returns the history rows to add."""
    change = item.national_change
    proc = item.procedure or Procedure.objects.filter(code=item.code).first()
    before = _state(proc)
    if item.change_type == ChangeType.ABOLISHED:
        if proc is None:
            raise PublicationError(gettext("Không có thủ tục %(code)s trong danh mục để bãi bỏ.")
                                   % {"code": item.code})
        proc.status = ProcedureStatus.ABOLISHED
    else:
        if proc is None:
            level = change.level if change else ProcedureLevel.PROVINCE
            agency = owner(level, change.agency_code if change else None) if level == ProcedureLevel.PROVINCE else None
            proc = Procedure(code=item.code, level=level, agency=agency if agency and agency.kind == UnitKind.DEPARTMENT else None)
        proc.name = item.name or proc.name
        proc.status = ProcedureStatus.PUBLISHED_AMENDED if item.change_type == ChangeType.AMENDED else ProcedureStatus.PUBLISHED
    proc.save()
    if item.legal_basis and not proc.legal_bases.filter(document_number=item.legal_basis).exists():
        LegalBasis.objects.create(procedure=proc, document_number=item.legal_basis, effective_on=item.effective_on)
    if item.procedure_id != proc.pk:
        item.procedure = proc
        item.save(update_fields=["procedure"])
    rows = [ProcedureHistory(procedure=proc, decision=decision, change_type=item.change_type, before=before,
                             after=_state(proc), applied_at=now, applied_by=user)]
    if item.change_type == ChangeType.REPLACED:
        old = Procedure.objects.filter(code=item.replaces_code).exclude(pk=proc.pk).first()
        if old is not None:
            old_before = _state(old)
            old.status = ProcedureStatus.ABOLISHED
            old.save(update_fields=["status", "updated_at"])
            rows.append(ProcedureHistory(procedure=old, decision=decision, change_type=ChangeType.ABOLISHED,
                                         before=old_before, after=_state(old), applied_at=now, applied_by=user))
    return rows


def apply(decision: PublicationDecision, *, user=None, now: dt.datetime | None = None) -> list[ProcedureHistory]:
    """Write an issued decision's changes into the catalogue, each with its before and after."""
    now = now or timezone.now()
    with transaction.atomic():
        decision = PublicationDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.status == DecisionStatus.DRAFT:
            raise PublicationError(gettext("Quyết định còn là dự thảo: phải ban hành trước khi cập nhật danh mục."))
        if decision.status == DecisionStatus.APPLIED:
            raise PublicationError(gettext("Quyết định %(n)s đã được cập nhật vào danh mục.")
                                   % {"n": decision.number})
        items = list(decision.items.select_related("procedure", "national_change").order_by("id"))
        owner = OwnerResolver(i.national_change.agency_code for i in items if i.national_change)
        history = [row for item in items for row in _apply_item(item, decision, owner, user, now)]
        ProcedureHistory.objects.bulk_create(history)
        decision.status, decision.applied_at = DecisionStatus.APPLIED, now
        decision.save(update_fields=["status", "applied_at"])
    return history


# --------------------------------------------------------------------------------------------
# deadlines of the items, for pages and alerts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemDeadlines:
    item: PublicationItem
    decide_by: dt.date | None  # None: no legal-basis date
    decided_on_time: bool | None  # None: not decided yet
    publish_by: dt.date
    published_on_time: bool | None  # None: not public yet


def item_deadlines(item: PublicationItem, calendar: WorkCalendar) -> ItemDeadlines:
    decision = item.decision
    ministry = decision.issued_by_ministry
    decided = decision.status != DecisionStatus.DRAFT
    return ItemDeadlines(
        item=item,
        decide_by=deadlines.decide_by(calendar, item.effective_on, ministry=ministry) if item.effective_on else None,
        decided_on_time=(deadlines.decided_on_time(calendar, decision.decided_on, item.effective_on, ministry=ministry)
                         if decided else None),
        publish_by=deadlines.publish_by(calendar, decision.decided_on, ministry=ministry),
        published_on_time=(deadlines.published_on_time(calendar, decision.decided_on, decision.published_national_on,
                                                        ministry=ministry)
                           if decision.published_national_on else None),
    )
