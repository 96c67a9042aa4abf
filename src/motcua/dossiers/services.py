"""Every write to a dossier. `transition` is the one door for state changes: it checks the
transition table, the version the caller read, the action's parameters and the preconditions other
apps registered (`door`), then writes the row, the chained event and what listens to it."""
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.catalogue.models import ProcedureLevel, ProcessStep
from motcua.catalogue.selectors import published
from motcua.dossiers.door import Appended, HistoryImport, appended, check_params, check_preconditions
from motcua.dossiers.errors import ConcurrentUpdate, DossierError
from motcua.dossiers.event_keys import signing_key
from motcua.dossiers.events import chain_hash, event_payload
from motcua.dossiers.files import safe_name, store_bytes
from motcua.dossiers.identifiers import validate_personal_id, validate_phone, validate_tax_code
from motcua.dossiers.legal_basis import FORM_OF_ACTION, version_on
from motcua.dossiers.models import (
    ApplicantKind, ComponentFile, Dossier, DossierCodeCounter, DossierComponent, DossierEvent,
    ReuseConsent,
)
from motcua.dossiers.reuse import check_consent, reuse_document
from motcua.dossiers.transitions import Action, Actor, Status, TransitionError, next_status
from motcua.units.models import Unit, UnitKind
from motcua.workdays.calendar import TimeUnit
from motcua.workdays.services import province_calendar


@dataclass
class Applicant:
    kind: str
    name: str
    identifier: str  # 12-digit personal identification number, or tax code for organisations
    phone: str = ""
    email: str = ""
    address: str = ""

    def validate(self) -> None:
        if not self.name.strip():
            raise DossierError("Chưa nhập tên chủ hồ sơ.", "applicant_name")
        check = validate_personal_id if self.kind == ApplicantKind.INDIVIDUAL else validate_tax_code
        problem = check(self.identifier)
        if problem:
            raise DossierError(problem, "applicant_identifier")
        if self.phone and (problem := validate_phone(self.phone)):
            raise DossierError(problem, "applicant_phone")


@dataclass
class ComponentInput:
    name: str
    catalogue_component_id: int | None = None
    content: bytes | None = None  # the scan or upload
    content_type: str = "application/pdf"  # must be the type the content has (`files.checked_type`)
    original_name: str = ""
    reused: bool = False  # taken from the applicant's already-digitized documents
    from_personal_store: bool = False


@dataclass
class Change:
    """What one action does to the dossier row, besides its status."""

    fields: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)


def _actor_role(actor, role: Actor | None) -> Actor:
    if actor is None:
        if role not in (Actor.APPLICANT, Actor.SYSTEM):
            raise DossierError("Thiếu người thực hiện.", "actor_missing")
        return role
    try:
        return Actor(actor.role)
    except ValueError:
        raise DossierError("Vai trò này chỉ được xem, không được xử lý hồ sơ.", "role_read_only") from None


def _check_unit(actor, unit_id: int) -> None:
    if actor is not None and actor.unit_id != unit_id:
        raise DossierError("Cán bộ chỉ được thao tác trên hồ sơ của đơn vị mình.", "other_unit")


def acting_unit_id(dossier: Dossier, action: Action) -> int:
    """The unit whose officers may take `action` on `dossier`: the resolving unit, except the return
    of the result, which happens at the return point the applicant chose (the receiving point sees
    what it received, read-only for processing)."""
    return dossier.return_point_id if Action(action) == Action.RETURN_RESULT else dossier.unit_id


# -- reception regardless of administrative boundary -------------------------------------------------
# Decree 118/2025/NĐ-CP (scope of reception at the one-stop desks): the provincial and the commune
# public-administration service centres receive the procedures of the provincial People's Committee,
# of its departments and of every commune of the province, regardless of administrative boundary
# within the province; a department's own desk receives its own procedures.
RECEIVES_FOR_ANY_UNIT = frozenset({UnitKind.PROVINCE, UnitKind.COMMUNE})


def procedures_resolved_by(unit: Unit):
    """The procedures a unit resolves: its own (departments) or every commune-level one (communes)."""
    qs = published().order_by("name")
    return qs.filter(level=ProcedureLevel.COMMUNE) if unit.kind == UnitKind.COMMUNE else qs.filter(agency=unit)


def procedures_received_at(unit: Unit):
    """The procedures a one-stop point receives: any procedure of the province at a provincial or
    commune centre; a department's desk, its own."""
    if unit.kind in RECEIVES_FOR_ANY_UNIT:
        return published().order_by("name")
    return procedures_resolved_by(unit)


def resolving_unit_for(procedure, receiving: Unit, chosen: Unit | None = None) -> Unit:
    """The unit that resolves `procedure` received at `receiving`: the department that implements it,
    or for a commune-level procedure the commune chosen (by default the receiving commune)."""
    if procedure.level != ProcedureLevel.COMMUNE:
        if procedure.agency_id is None:
            raise DossierError("Thủ tục chưa có cơ quan giải quyết trong danh mục.", "no_resolving_unit")
        return procedure.agency
    unit = chosen or (receiving if receiving.kind == UnitKind.COMMUNE else None)
    if unit is None or unit.kind != UnitKind.COMMUNE:
        raise DossierError("Thủ tục cấp xã: hãy chọn xã, phường giải quyết hồ sơ.", "no_resolving_unit")
    return unit


def _check_reception(procedure, receiving: Unit, unit: Unit, return_unit: Unit) -> None:
    if not procedures_resolved_by(unit).filter(pk=procedure.pk).exists():
        raise DossierError("Đơn vị này không giải quyết thủ tục đã chọn.", "not_resolving_unit")
    if receiving != unit and not procedures_received_at(receiving).filter(pk=procedure.pk).exists():
        raise DossierError("Bộ phận một cửa này chỉ tiếp nhận thủ tục của đơn vị mình.", "not_receiving_point")
    if return_unit not in (receiving, unit):
        raise DossierError("Kết quả được trả tại nơi tiếp nhận hoặc tại đơn vị giải quyết.", "return_point")


def _deadline(start: datetime, procedure) -> datetime:
    return province_calendar().add(start, procedure.time_limit, TimeUnit(procedure.time_unit))


def _step_deadline(dossier: Dossier, step_id: int, at: datetime) -> datetime | None:
    """The step's share of the time limit, counted from the hand-over, never past the appointment."""
    step = ProcessStep.objects.get(pk=step_id, procedure_id=dossier.procedure_id)
    procedure, due = dossier.procedure, dossier.current_appointment_at
    unit = TimeUnit(procedure.time_unit)
    if unit not in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS) or procedure.time_limit is None:
        return due
    share = Fraction(procedure.time_limit) * Fraction(step.share_percent) / 100
    step_due = province_calendar().add(at, share, unit)
    return min(step_due, due) if due else step_due


def _effects(dossier: Dossier, action: Action, at: datetime, params: dict) -> Change:
    """The facts an action records on the row (the event repeats them in its data)."""
    cal = province_calendar()
    match action:
        case Action.RECEIVE:
            # An online dossier counts as received at the first working instant after its submission.
            received = cal.next_working_instant(dossier.submitted_at or at)
            appointment = _deadline(received, dossier.procedure)
            return Change({"received_at": received, "appointment_at": appointment,
                           "current_appointment_at": appointment},
                          {"appointment_at": appointment.isoformat()})
        case Action.REQUEST_SUPPLEMENT:
            if dossier.supplement_count >= 1 and not params.get("acknowledge_overdue"):
                raise DossierError("Hồ sơ đã yêu cầu bổ sung một lần; yêu cầu lần hai sẽ khiến hồ sơ bị "
                                   "tính là quá hạn. Xác nhận để tiếp tục.", "second_supplement")
            return Change({"supplement_count": dossier.supplement_count + 1,
                           "supplement_requested_at": at, "supplement_received_at": None})
        case Action.RECEIVE_SUPPLEMENT:
            paused = cal.working_time_between(dossier.supplement_requested_at, at)
            base = dossier.current_appointment_at
            new_appointment = cal.postpone(base, paused) if base else None
            return Change({"supplement_received_at": at, "current_appointment_at": new_appointment},
                          {"paused_working_days": str(paused),
                           "new_appointment_at": new_appointment.isoformat() if new_appointment else None})
        case Action.CONFIRM_PAYMENT:
            return Change({"paid_at": at, "payment_channel": params["payment_channel"]},
                          {"payment_channel": params["payment_channel"]})
        case Action.TRANSFER:
            return Change({"unit_id": params["to_unit_id"], "assignee_id": None, "current_step_id": None},
                          {"to_unit": params["to_unit_id"]})
        case Action.START_PROCESSING | Action.FORWARD:
            fields = {k: params[k] for k in ("current_step_id", "assignee_id", "step_deadline_at") if k in params}
            if fields.get("current_step_id") and "step_deadline_at" not in fields:
                fields["step_deadline_at"] = _step_deadline(dossier, fields["current_step_id"], at)
            return Change(fields, {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items()})
        case Action.COMPLETE:
            # `result_signed` and `result_to_personal_store` only from imported history (`door`).
            result = {k: params[k] for k in ("result_file", "result_sha256", "result_signed", "result_paper",
                                             "result_to_personal_store") if k in params}
            return Change({"finished_at": at, **result}, result)
        case Action.SIGN_RESULT:
            if dossier.result_signed:
                raise DossierError("Kết quả của hồ sơ đã được ký số.", "already_signed")
            result = {k: params[k] for k in ("result_file", "result_sha256", "result_to_personal_store") if k in params}
            return Change({"result_signed": True, **result}, result)
        case Action.RETURN_RESULT:
            return Change({"returned_at": at})
        case Action.REFUSE | Action.WITHDRAW | Action.STOP:
            return Change({"closed_at": at})
    return Change()


def _new_event(dossier: Dossier, action, from_status, to_status, actor, role, at, reason,
               data, unit_id: int | None = None) -> DossierEvent:
    """The next event of `dossier` (as read), chained to its head under the newest key; not saved yet.
    `unit_id`: the unit that acts (by default the one `acting_unit_id` names). An action that issues
    a form to the applicant records the form and the form set in force (`legal_basis.FORM_OF_ACTION`),
    so the slip is printed again as it was issued."""
    if action in FORM_OF_ACTION:
        data = {**data, "form": FORM_OF_ACTION[action],
                "form_version": version_on(timezone.localdate(at))}
    seq = dossier.version + 1
    unit_id = unit_id or acting_unit_id(dossier, action)
    key_id, key = signing_key()
    payload = event_payload(dossier_code=dossier.code, seq=seq, action=action, from_status=from_status,
                            to_status=to_status, actor_id=actor.pk if actor else None, actor_role=role,
                            unit_id=unit_id, at=at, reason=reason, data=data)
    return DossierEvent(dossier=dossier, seq=seq, action=action, from_status=from_status,
                        to_status=to_status, actor=actor, actor_role=role, unit_id=unit_id,
                        at=at, reason=reason, data=data, prev_hash=dossier.event_head_hash,
                        key_id=key_id, hash=chain_hash(dossier.event_head_hash, payload, key))


def _record(dossier: Dossier, event: DossierEvent, history: HistoryImport | None = None) -> None:
    """Append the event and tell the listeners (the national portal's outbox, the applicant's
    notices), in the caller's transaction."""
    event.save()
    appended(Appended(dossier, event=event, history=history))


def _event_data(change: Change, params: dict, history: HistoryImport | None) -> dict:
    return {**change.data, **params.get("event_data", {}), **({"imported_from": history.source} if history else {})}


def check_transition(dossier: Dossier, action: Action, *, actor=None, role: Actor | None = None,
                     at: datetime | None = None, expected_version: int | None = None) -> tuple[Actor, Status]:
    """The acting role and the status after `action`, or DossierError: what `transition` checks
    before it writes (a caller with costly preparatory work, like signing, asks first).
    `expected_version` is the version the person acting saw (a form's or a request's): another
    one means somebody changed the dossier since (ConcurrentUpdate)."""
    role = _actor_role(actor, role)
    _check_unit(actor, acting_unit_id(dossier, action))
    if expected_version is not None and expected_version != dossier.version:
        raise ConcurrentUpdate()
    if at and dossier.last_event_at and at < dossier.last_event_at:
        raise DossierError("Thời điểm thao tác sớm hơn thao tác trước của hồ sơ.", "time_goes_back")
    try:
        return role, next_status(Status(dossier.status), Action(action), role)
    except TransitionError as exc:
        raise DossierError(exc.message, exc.code) from exc


def transition(dossier: Dossier, action: Action, *, actor=None, role: Actor | None = None,
               at: datetime | None = None, reason: str = "", expected_version: int | None = None,
               history: HistoryImport | None = None, **params) -> Dossier:
    """Apply `action` to `dossier` as read by the caller.

    Checks the transition table for this status and role, `expected_version` (the version the
    person acting saw) against the dossier, the parameters against the action's (`door.PARAMS`:
    an unknown key is refused) and the preconditions payments and results registered; updates the
    row only if nobody changed it since it was read, appends the chained event and runs the
    after-append listeners: all in one transaction. `history` writes a fact of the past (see
    `door.HistoryImport`). Returns the dossier as it now is; raises DossierError
    (ConcurrentUpdate for a stale version or a lost race) and changes nothing otherwise.
    """
    action = Action(action)
    at = at or timezone.now()
    role, to_status = check_transition(dossier, action, actor=actor, role=role, at=at,
                                       expected_version=expected_version)
    check_params(action, params, history)
    if history is None:
        check_preconditions(dossier, action, params)
    change = _effects(dossier, action, at, params)
    event = _new_event(dossier, action, dossier.status, to_status, actor, role, at, reason,
                       _event_data(change, params, history))
    with transaction.atomic():
        updated = Dossier.objects.filter(pk=dossier.pk, version=dossier.version).update(
            status=to_status, version=F("version") + 1, event_head_hash=event.hash,
            last_event_at=at, **change.fields)
        if updated != 1:
            raise ConcurrentUpdate()
        for name, value in {"status": to_status, "version": event.seq, "event_head_hash": event.hash,
                            "last_event_at": at, **change.fields}.items():
            setattr(dossier, name, value)
        _record(dossier, event, history)
    return dossier


def _next_code(unit, day, *, online: bool) -> str:
    """The next code of the unit's day: `<unit's electronic identifier>-YYMMDD-XXXX` (the receiving
    unit's identifier, the reception date, the 4-digit sequence of the day; the structure of Circular
    01/2018/TT-VPCP Art. 19, which Circular 03/2025/TT-VPCP continues under point c of Art. 35(1)
    of Decree 118/2025/NĐ-CP — its own wording was not found, see `legal_basis`). A unit without
    an identifier yet keeps its own code as prefix, as every code issued before. The per-day counter
    row is incremented with an UPDATE, which holds the row's lock until the transaction ends, so
    two dossiers received at once never share a number. Online submissions stop short of the last
    `desk_reserved_codes` of the day's 9,999, so that a flood of them never leaves the desk
    unable to receive anyone (the counter's increment is undone with the refused transaction)."""
    counter, _ = DossierCodeCounter.objects.get_or_create(unit=unit, day=day)
    DossierCodeCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    if online and counter.last > 9999 - settings.MOTCUA_LIMITS["desk_reserved_codes"]:
        raise DossierError("Hôm nay đơn vị đã nhận đủ số hồ sơ trực tuyến. Vui lòng nộp lại vào ngày làm việc "
                           "tiếp theo hoặc nộp trực tiếp tại bộ phận một cửa.", "online_codes_exhausted")
    if counter.last > 9999:
        raise DossierError("Đơn vị đã hết số hồ sơ trong ngày.", "code_exhausted")
    return f"{unit.dossier_code_prefix}-{day:%y%m%d}-{counter.last:04d}"


def _attach_components(dossier: Dossier, components: list[ComponentInput], *, consent: ReuseConsent | None = None,
                       actor=None, at: datetime | None = None) -> None:
    """Store the uploads and take the reused documents from the applicant's store (with `consent`,
    checked by the caller with `reuse.check_consent`)."""
    for item in components:
        component = DossierComponent.objects.create(
            dossier=dossier, catalogue_component_id=item.catalogue_component_id, name=item.name,
            digitized=item.content is not None or item.reused, reused=item.reused,
            from_personal_store=item.from_personal_store)
        if item.content is not None:
            stored = store_bytes(item.content, item.content_type)
            ComponentFile.objects.create(component=component, path=stored.path, sha256=stored.sha256,
                                         size=stored.size, content_type=item.content_type,
                                         original_name=safe_name(item.original_name or item.name, item.content_type))
        elif item.from_personal_store:
            reuse_document(dossier, component, consent=consent, actor=actor, at=at or timezone.now())


def open_dossier(*, procedure, unit, applicant: Applicant, channel: str, action: Action,
                 actor=None, role: Actor | None = None, at: datetime | None = None,
                 components: list[ComponentInput] = (), fee_total_vnd: int = 0,
                 population_verified: bool = False, reason: str = "",
                 reuse_consent: ReuseConsent | None = None, receiving_unit: Unit | None = None,
                 return_unit: Unit | None = None, history: HistoryImport | None = None) -> Dossier:
    """Create a dossier by its first action: received at the desk or by post (RECEIVE), submitted
    online (SUBMIT_ONLINE), or refused at the desk (REFUSE, with the reasons). Components taken
    from the applicant's store need `reuse_consent` (see `dossiers.reuse`); `history` writes a
    dossier of the past (see `door.HistoryImport`).

    `unit` resolves the dossier; `receiving_unit` is the one-stop point that receives it (by default
    `unit`), which may be any provincial or commune centre of the province (Decree 118/2025/NĐ-CP,
    reception regardless of administrative boundary): the dossier is then sent to `unit` at once by a
    SEND_TO_RESOLVER event. `return_unit` is where the applicant collects the result (the receiving
    point by default, or the resolving unit). The code is drawn at the receiving point, which issues
    the receipt (assumed: the dossier-code rule of Circular 03/2025 is being rebuilt beside this)."""
    action = Action(action)
    at = at or timezone.now()
    role = _actor_role(actor, role)
    receiving = receiving_unit or unit
    return_unit = return_unit or receiving
    _check_unit(actor, receiving.pk)
    if receiving != unit or return_unit != receiving:
        _check_reception(procedure, receiving, unit, return_unit)
    applicant.validate()
    components = list(components)
    check_consent(components, reuse_consent, actor=actor, channel=channel)
    if fee_total_vnd < 0:
        raise DossierError("Phí, lệ phí không được âm.", "fee_negative")
    try:
        status = next_status(None, action, role)
    except TransitionError as exc:
        raise DossierError(exc.message, exc.code) from exc
    with transaction.atomic():
        dossier = Dossier(
            procedure=procedure, unit=unit, received_unit=receiving, return_unit=return_unit,
            channel=channel, status=status,
            applicant_kind=applicant.kind, applicant_name=applicant.name.strip(),
            applicant_id=applicant.identifier, applicant_phone=applicant.phone,
            applicant_email=applicant.email, applicant_address=applicant.address,
            population_verified=population_verified, fee_total_vnd=fee_total_vnd,
            submitted_at=at if action == Action.SUBMIT_ONLINE else None,
            code=_next_code(receiving, timezone.localdate(at), online=action == Action.SUBMIT_ONLINE))
        change = _effects(dossier, action, at, {})
        for name, value in change.fields.items():
            setattr(dossier, name, value)
        points = ({"receiving_unit": receiving.code, "resolving_unit": unit.code, "return_unit": return_unit.code}
                  if receiving != unit or return_unit != receiving else {})
        event = _new_event(dossier, action, None, status, actor, role, at, reason,
                           {**_event_data(change, {}, history), **points},
                           unit_id=receiving.pk)
        dossier.version, dossier.event_head_hash, dossier.last_event_at = 1, event.hash, at
        dossier.save()
        event.dossier = dossier
        _record(dossier, event, history)
        _attach_components(dossier, components, consent=reuse_consent, actor=actor, at=at)
        if status == Status.RECEIVED and receiving != unit:
            transition(dossier, Action.SEND_TO_RESOLVER, role=Actor.SYSTEM, at=at, history=history,
                       event_data={"from_unit": receiving.code, "to_unit": unit.code})
    return dossier


def receive_supplement(dossier: Dossier, *, actor=None, role: Actor | None = None, components=(),
                       at: datetime | None = None) -> Dossier:
    """The applicant's supplement arrives: the clock resumes and the documents are attached, together
    (uploads only: nobody consented here to documents of the store)."""
    components = list(components)
    check_consent(components, None, actor=actor, channel=dossier.channel)
    with transaction.atomic():
        transition(dossier, Action.RECEIVE_SUPPLEMENT, actor=actor, role=role, at=at)
        _attach_components(dossier, components, actor=actor, at=at)
    return dossier
