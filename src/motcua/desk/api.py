"""The one-stop desk over JSON (API v1): queues, a dossier, reception, actions.

Officers authenticate with their Django session (log in at /dang-nhap/); a write also needs the
CSRF token (the `csrftoken` cookie echoed in the `X-CSRFToken` header), as for the pages. Every
read goes through `selectors` (scoped to the officer's unit: another unit's dossier is a 404);
every action through `desk.actions.perform`, as on the pages. The endpoints only parse, call and
shape the answer; errors have the API's one shape (`motcua.dossiers.api`).

A dossier whose procedure's result is a document is completed with a result PDF (drawn from the
procedure's template by `actions/complete`, or uploaded to `result`), and its result is returned
only once the head has signed it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from ninja import Field, File, Form, Path, Query, Router, Schema, UploadedFile
from ninja.responses import Status as Created
from ninja.security import SessionAuth

from motcua.common.api_errors import ApiError, errors, form_error
from motcua.desk.actions import ACTIONS, available, officer_actor, perform
from motcua.dossiers import forms, selectors
from motcua.dossiers.api import (
    DEADLINE_NAMES, NOT_FOUND, STATUS_NAMES, ApplicantIn, DossierCode, Id, ProcedureCode, Ref, Text,
    applicant_of, component_inputs, from_dossier_error, local, vietnamese,
)
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, PaymentChannel, ReuseConsent
from motcua.dossiers.services import check_transition
from motcua.dossiers.transitions import ACTION_LABELS, OFFICERS, TABLE, Action, Status, TransitionError
from motcua.payments.services import PaymentError, open_dossier_owing_fees
from motcua.units import policy
from motcua.units.models import Officer, Unit, UnitKind

# --------------------------------------------------------------------------------------------
# Authentication: the Django session, CSRF on writes
# --------------------------------------------------------------------------------------------


class OfficerSession(SessionAuth):
    """The officer's Django session; not logged in → 401 (before CSRF is looked at), then the CSRF
    check on unsafe methods (failure → 403 `csrf_failed`). Every answer sets the `csrftoken` cookie."""

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not isinstance(user, Officer):
            return None
        officer = super().__call__(request)
        if officer is not None:
            get_token(request)  # every answer to an officer carries the csrftoken cookie for the next write
        return officer


officer_auth = OfficerSession()
router = Router(auth=officer_auth, tags=["officers"])


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class QueueOut(Schema):
    key: str
    title: str
    count: int


class DossierRow(Schema):
    code: str
    version: int = Field(description="Gửi lại giá trị này khi thao tác (kiểm tra cập nhật đồng thời)")
    procedure: Ref
    unit: Ref
    status: int = Field(description="Mã trạng thái theo Cổng DVC quốc gia (1–10)")
    status_label: str
    channel: str
    applicant_name: str
    received_at: datetime | None
    appointment_at: datetime | None = Field(description="Ngày hẹn trả ghi trên phiếu tiếp nhận")
    current_appointment_at: datetime | None = Field(description="Ngày hẹn trả hiện tại (sau khi bổ sung)")
    deadline_state: str = Field(description="on_track | at_risk | overdue (do việc quét thời hạn ghi)")
    deadline_state_label: str
    assignee: str | None = Field(description="Tên đăng nhập của người xử lý")


class DossierPage(Schema):
    queue: str
    queues: list[QueueOut]
    count: int
    page: int
    page_size: int
    items: list[DossierRow]


class ApplicantOut(Schema):
    kind: str
    name: str
    identifier: str
    phone: str
    email: str
    address: str
    population_verified: bool


class FileOut(Schema):
    sha256: str
    size: int
    content_type: str
    original_name: str
    uploaded_at: datetime


class ComponentOut(Schema):
    id: int
    catalogue_component_id: int | None
    name: str
    digitized: bool
    reused: bool
    from_personal_store: bool
    files: list[FileOut]


class EventOut(Schema):
    seq: int
    action: str
    action_label: str
    from_status: int | None
    to_status: int
    to_status_label: str
    actor: str | None
    actor_role: str
    unit: str
    at: datetime
    reason: str
    data: dict[str, Any]


class ActionOut(Schema):
    action: str
    label: str
    params: list[str] = Field(description="Các trường của thân yêu cầu mà thao tác này dùng")
    required: list[str] = Field(description="Các trường bắt buộc (ngoài `version`)")


class OfficerOut(Schema):
    id: int
    username: str
    name: str
    role: str


class StepOut(Schema):
    id: int
    order: int
    name: str


class DelayReportOut(Schema):
    reason: str
    cause: str
    remedy: str
    new_appointment_at: datetime
    filed_at: datetime


class DossierOut(DossierRow):
    applicant: ApplicantOut
    submitted_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    current_step: StepOut | None
    step_deadline_at: datetime | None
    supplement_count: int
    fee_total_vnd: int
    paid_at: datetime | None
    payment_channel: str
    result_is_document: bool = Field(description="Kết quả của thủ tục là giấy tờ: hoàn thành kèm tệp PDF, "
                                                 "lãnh đạo ký số trước khi trả")
    result_paper: bool
    result_signed: bool
    result_sha256: str = Field(description="SHA-256 của tệp kết quả (bản dự thảo, rồi bản đã ký số); rỗng khi chưa có")
    synced_national: bool
    components: list[ComponentOut]
    events: list[EventOut]
    delay_reports: list[DelayReportOut]
    allowed_actions: list[ActionOut] = Field(description="Các thao tác người gọi được làm ở trạng thái hiện tại")
    assignees: list[OfficerOut] = Field(description="Những người có thể được giao xử lý (assignee_id)")
    steps: list[StepOut] = Field(description="Các bước xử lý của thủ tục (step_id)")
    slips: dict[str, str] = Field(description="Đường dẫn các phiếu PDF (Mẫu 01, 02, 03, 05)")


class ActionResultOut(Schema):
    """What an action answers: enough for the next action. `GET /dossiers/{code}` has the rest."""

    code: str
    version: int = Field(description="Gửi lại giá trị này ở thao tác tiếp theo")
    status: int = Field(description="Mã trạng thái theo Cổng DVC quốc gia (1–10)")
    status_label: str


class ReceiptOut(ActionResultOut):
    appointment_at: datetime | None = Field(description="Ngày hẹn trả ghi trên phiếu tiếp nhận")
    slips: dict[str, str] = Field(description="Đường dẫn các phiếu PDF (Mẫu 01 khi tiếp nhận, 03 khi từ chối)")


def _result(d: Dossier) -> dict:
    return {"code": d.code, "version": d.version, "status": d.status,
            "status_label": vietnamese(STATUS_NAMES[d.status])}


def _row(d: Dossier) -> dict:
    return {
        "code": d.code, "version": d.version,
        "procedure": {"code": d.procedure.code, "name": d.procedure.name},
        "unit": {"code": d.unit.code, "name": d.unit.name},
        "status": d.status, "status_label": vietnamese(STATUS_NAMES[d.status]), "channel": d.channel,
        "applicant_name": d.applicant_name, "received_at": local(d.received_at),
        "appointment_at": local(d.appointment_at), "current_appointment_at": local(d.current_appointment_at),
        "deadline_state": d.deadline_state,
        "deadline_state_label": vietnamese(DEADLINE_NAMES.get(d.deadline_state, "")),
        "assignee": d.assignee.username if d.assignee_id else None,
    }


OFFICER_ACTIONS = tuple(a.value for a, rule in TABLE.items() if rule.actors & set(OFFICERS))


def _slips(d: Dossier) -> dict[str, str]:
    forms_shown = ["06"] + (["01"] if d.received_at else []) + (["02"] if d.supplement_count else []) + (
        ["03"] if d.status == Status.REFUSED else []) + (["05"] if d.status == Status.STOPPED else [])
    links = {}
    for number in sorted(forms_shown):
        try:
            links[number] = reverse("slips:dossier", args=[d.code, number])
        except NoReverseMatch:  # the slips are not wired in this URL configuration
            pass
    return links


def _detail(d: Dossier, user) -> dict:
    actor = officer_actor(user) if user.unit_id == d.unit_id else None
    step = d.current_step
    return {
        **_row(d),
        "applicant": {"kind": d.applicant_kind, "name": d.applicant_name, "identifier": d.applicant_id,
                      "phone": d.applicant_phone, "email": d.applicant_email, "address": d.applicant_address,
                      "population_verified": d.population_verified},
        "submitted_at": local(d.submitted_at), "finished_at": local(d.finished_at),
        "returned_at": local(d.returned_at), "closed_at": local(d.closed_at),
        "current_step": {"id": step.pk, "order": step.order, "name": step.name} if step else None,
        "step_deadline_at": local(d.step_deadline_at), "supplement_count": d.supplement_count,
        "fee_total_vnd": d.fee_total_vnd, "paid_at": local(d.paid_at), "payment_channel": d.payment_channel,
        "result_is_document": d.procedure.result_is_document, "result_paper": d.result_paper,
        "result_signed": d.result_signed, "result_sha256": d.result_sha256, "synced_national": d.synced_national,
        "components": [
            {"id": c.pk, "catalogue_component_id": c.catalogue_component_id, "name": c.name,
             "digitized": c.digitized, "reused": c.reused, "from_personal_store": c.from_personal_store,
             "files": [{"sha256": f.sha256, "size": f.size, "content_type": f.content_type,
                        "original_name": f.original_name, "uploaded_at": local(f.uploaded_at)} for f in c.files.all()]}
            for c in d.components.prefetch_related("files").order_by("id")],
        "events": [
            {"seq": e.seq, "action": e.action, "action_label": ACTION_LABELS.get(e.action, e.action),
             "from_status": e.from_status, "to_status": e.to_status,
             "to_status_label": vietnamese(STATUS_NAMES[e.to_status]),
             "actor": e.actor.username if e.actor_id else None, "actor_role": e.actor_role, "unit": e.unit.code,
             "at": local(e.at), "reason": e.reason, "data": e.data or {}}
            for e in d.events.select_related("actor", "unit").order_by("seq")],
        "delay_reports": [
            {"reason": r.reason, "cause": r.cause, "remedy": r.remedy,
             "new_appointment_at": local(r.new_appointment_at), "filed_at": local(r.filed_at)}
            for r in d.delay_reports.all()],
        "allowed_actions": [
            {"action": a.value, "label": ACTION_LABELS[a], "params": list(ACTIONS[a].fields),
             "required": list(ACTIONS[a].required)} for a in available(d, user)],
        "assignees": [
            {"id": o.pk, "username": o.username, "name": o.get_full_name(), "role": o.role}
            for o in forms.AssignForm(dossier=d).fields["assignee"].queryset] if actor else [],
        "steps": [{"id": s.pk, "order": s.order, "name": s.name} for s in d.procedure.steps.order_by("order")],
        "slips": _slips(d),
    }


def _visible_or_404(user, code: str) -> Dossier:
    dossier = selectors.dossier_for_officer(user, code)
    if dossier is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return dossier


# --------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------

QueueKey = Literal[tuple(selectors.QUEUES)]  # the desk's queues: mine, unit, new, …, to_sign, to_return, all


@router.get("/dossiers", response={200: DossierPage, **errors(400, 401)}, summary="Hàng đợi hồ sơ của cán bộ")
def list_dossiers(request, queue: QueueKey | None = None, q: str = Query("", max_length=100),
                  page: int = Query(1, ge=1, le=100_000), page_size: int = Query(50, ge=1, le=200)):
    """The dossiers of a queue, most urgent first (the earliest appointment first), found by `q`
    (code in any case, applicant, identification number, procedure) as on the desk. Without
    `queue`: `mine` for processing officers, `to_sign` for heads, `unit` for everyone else."""
    user = request.auth
    key = queue or selectors.default_queue(user)
    counts = selectors.queue_counts(user)
    rows = selectors.queue(user, key, q)
    start = (page - 1) * page_size
    return {"queue": key, "count": rows.count() if q else counts[key], "page": page, "page_size": page_size,
            "queues": [{"key": k, "title": entry.title, "count": counts[k]} for k, entry in selectors.QUEUES.items()],
            "items": [_row(d) for d in rows[start:start + page_size]]}


@router.get("/dossiers/{code}", response={200: DossierOut, **errors(400, 401, 404)}, summary="Một hồ sơ")
def get_dossier(request, code: Path[DossierCode]):
    """The dossier with its components, events, and the actions the caller may take now. Another
    unit's dossier is not found (404), as on the pages; the provincial office reads every dossier."""
    return _detail(_visible_or_404(request.auth, code), request.auth)


@router.get("/units", response={200: list[UnitOut], **errors(401)}, summary="Các đơn vị (để chuyển hồ sơ)")
def list_units(request):
    """Units a dossier can be transferred to (`to_unit_id`): departments and communes."""
    return [{"id": u.pk, "code": u.code, "name": u.name, "kind": u.kind}
            for u in Unit.objects.exclude(kind=UnitKind.PROVINCE).order_by("kind", "name")]


# --------------------------------------------------------------------------------------------
# Reception at the desk
# --------------------------------------------------------------------------------------------


class ReceptionIn(ApplicantIn):
    procedure_code: ProcedureCode
    channel: Literal["direct", "postal"]
    component_ids: list[Id] = Field(
        default_factory=list, max_length=100,
        description="Thành phần (id trong danh mục) của từng tệp trong `files`, cùng thứ tự")
    reuse_component_ids: list[Id] = Field(
        default_factory=list, max_length=100,
        description="Thành phần lấy giấy tờ cùng loại trong kho dữ liệu cá nhân của công dân (cần `reuse_consent`)")
    reuse_consent: bool = Field(False, description="Công dân có mặt tại quầy và đồng ý cho dùng lại giấy tờ trong kho "
                                                   "dữ liệu cá nhân (cán bộ tiếp nhận xác nhận; chỉ hồ sơ nộp trực tiếp)")
    outcome: Literal["receive", "refuse"] = Field("receive", description="`refuse`: từ chối tiếp nhận (Mẫu 03)")
    refusal_reasons: Text = Field("", max_length=4000, description="Lý do từ chối, mỗi dòng một lý do")


@router.post("/dossiers", response={201: ReceiptOut, **errors(400, 401, 403, 409)}, summary="Tiếp nhận hồ sơ tại quầy")
def receive_dossier(request, data: Form[ReceptionIn], files: File[list[UploadedFile]] = None):
    """Receive a dossier at the desk or by post (multipart/form-data), guided by the procedure's
    component checklist: each required component is uploaded (`files` with `component_ids`) or
    reused from the applicant's store (`reuse_component_ids`, flagged as reused). With
    `outcome=refuse` the dossier is refused at the desk with `refusal_reasons` (no components).
    Answers the code, version, status, appointment and slip links; `GET /dossiers/{code}` has the rest."""
    user = request.auth
    if not policy.can_receive(user):
        raise ApiError(403, "reception_only", "Chỉ cán bộ tiếp nhận của một đơn vị mới được tiếp nhận hồ sơ.")
    unit = user.unit
    procedure = forms.procedures_of(unit).filter(code=data.procedure_code).first()
    if procedure is None:
        message = "Thủ tục không có hoặc không do đơn vị của bạn giải quyết."
        raise ApiError(400, "validation", message, {"procedure_code": [message]})
    applicant = applicant_of(data)
    if data.outcome == "refuse":
        reasons = data.refusal_reasons.strip()
        if not reasons:
            message = "Cần ghi lý do từ chối tiếp nhận (mỗi dòng một lý do)."
            raise ApiError(400, "validation", message, {"refusal_reasons": [message]})
        action, inputs = Action.REFUSE, []
    else:
        action, reasons = Action.RECEIVE, ""
        inputs = component_inputs(procedure, data.component_ids, files, data.reuse_component_ids,
                                  reuse=ReuseConsent.PRESENT, require_all=True)
    try:
        dossier = open_dossier_owing_fees(procedure=procedure, unit=unit, applicant=applicant, channel=data.channel,
                                          action=action, actor=user, components=inputs, reason=reasons,
                                          reuse_consent=ReuseConsent.PRESENT if data.reuse_consent else None)
    except DossierError as exc:
        raise from_dossier_error(exc) from None
    return Created(201, {**_result(dossier), "appointment_at": local(dossier.appointment_at), "slips": _slips(dossier)})


# --------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------


class ActionIn(Schema):
    version: int = Field(ge=0, le=2**31, description="`version` của hồ sơ như người gọi đã đọc")
    reason: Text = Field("", max_length=4000)
    assignee_id: Id | None = None
    step_id: Id | None = None
    to_unit_id: Id | None = None
    payment_channel: Literal[tuple(PaymentChannel.values)] | None = None  # national, province, cash
    items: list[Annotated[Text, Field(max_length=500)]] = Field(
        default_factory=list, max_length=50, description="Giấy tờ cần bổ sung (request_supplement)")
    acknowledge_overdue: bool = Field(False, description="Xác nhận yêu cầu bổ sung lần hai (hồ sơ bị tính quá hạn)")
    result_paper: bool = Field(False, description="Có kèm kết quả giấy (complete)")


REQUIRED = "Trường này là bắt buộc với thao tác này."


def _action_params(action: Action, dossier: Dossier, body: ActionIn) -> tuple[dict, str]:
    """The service parameters and the reason, checked with the pages' forms; or a 400."""
    def blank(value):
        return value is None or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, list) and not any(i.strip() for i in value))

    missing = {name: [REQUIRED] for name in ACTIONS[action].required if blank(getattr(body, name))}
    if missing:
        raise ApiError(400, "validation", "Thiếu thông tin cho thao tác «%s»." % ACTION_LABELS[action], missing)
    reason = body.reason.strip()

    def valid(form, names):
        if not form.is_valid():
            raise form_error(form, names)
        return form.cleaned_data

    if action in (Action.START_PROCESSING, Action.FORWARD):
        data = valid(forms.AssignForm({"assignee": body.assignee_id, "step": body.step_id or ""}, dossier=dossier),
                     {"assignee": "assignee_id", "step": "step_id"})
        params = {"assignee_id": data["assignee"].pk}
        if data["step"]:
            params["current_step_id"] = data["step"].pk
        return params, reason
    if action == Action.TRANSFER:
        data = valid(forms.TransferForm({"to_unit": body.to_unit_id, "reason": reason}, dossier=dossier),
                     {"to_unit": "to_unit_id"})
        return {"to_unit_id": data["to_unit"].pk}, reason
    if action == Action.REQUEST_SUPPLEMENT:
        items = [i.strip() for i in body.items if i.strip()]
        return {"acknowledge_overdue": body.acknowledge_overdue, "event_data": {"items": items}}, reason
    if action == Action.CONFIRM_PAYMENT:
        return {"payment_channel": PaymentChannel(body.payment_channel).value}, reason
    if action == Action.COMPLETE:
        return {"result_paper": body.result_paper}, reason
    return {}, reason


def _refused(exc: DossierError | TransitionError | PaymentError, fields: dict[str, str] | None = None) -> ApiError:
    if isinstance(exc, PaymentError):
        return ApiError(409, exc.code, str(exc.message))
    return from_dossier_error(exc, fields)


@router.post("/dossiers/{code}/actions/{action}", response={200: ActionResultOut, **errors(400, 401, 403, 404, 409)},
             summary="Thao tác trên hồ sơ")
def act(request, code: Path[DossierCode], action: Path[Literal[OFFICER_ACTIONS]], body: ActionIn):
    """Apply an action of the transition table. `version` must be the dossier's current version
    (else 409 `stale_version`); an action the status does not allow is a 409 `status_not_allowed`,
    one the caller's role may not take a 403 (`role_not_allowed`, `role_read_only` for the
    provincial office). `allowed_actions` in the dossier lists what each action needs.

    `complete` on a procedure whose result is a document draws the result PDF from the procedure's
    template (to upload one instead, use `POST /dossiers/{code}/result`); when the head completes,
    the head also signs it. `return_result` of a document result not signed yet is a 409
    `result_not_signed`. Answers the dossier's new `version` and status (what the next action
    needs); `GET /dossiers/{code}` has the rest."""
    user = request.auth
    dossier = _visible_or_404(user, code)
    action = Action(action)
    try:
        # The door's checks (role, unit, version, status) answer before the body's (a 409 before a 400).
        check_transition(dossier, action, actor=user, expected_version=body.version)
        params, reason = _action_params(action, dossier, body)
        perform(dossier, action, actor=user, expected_version=body.version, reason=reason, **params)
    except (DossierError, TransitionError, PaymentError) as exc:
        raise _refused(exc) from None
    return _result(dossier)


class ResultUploadIn(Schema):
    version: int = Field(ge=0, le=2**31, description="`version` của hồ sơ như người gọi đã đọc")
    result_paper: bool = Field(False, description="Có kèm kết quả giấy")
    reason: Text = Field("", max_length=4000)


# The input a refusal of the uploaded result is about.
RESULT_FILE_ERRORS = {"file_rejected": "result_file", "no_document_result": "result_file"}


@router.post("/dossiers/{code}/result", response={200: ActionResultOut, **errors(400, 401, 403, 404, 409)},
             summary="Hoàn thành xử lý với tệp kết quả tải lên")
def complete_with_result(request, code: Path[DossierCode], data: Form[ResultUploadIn],
                         result_file: File[UploadedFile] = None):
    """`complete` with the result PDF uploaded by the officer (multipart/form-data, the file in
    `result_file`: PDF, at most 20 MB) instead of drawn from the procedure's template; only for a
    procedure whose result is a document (else 400 `no_document_result`). The same checks and
    answers as `POST /dossiers/{code}/actions/complete`. A missing or empty file (multipart drops an
    empty one) is 400 `result_file_missing`."""
    user = request.auth
    dossier = _visible_or_404(user, code)
    try:
        check_transition(dossier, Action.COMPLETE, actor=user, expected_version=data.version)
        if result_file is None:
            raise ApiError(400, "result_file_missing",
                           "Cần tải lên tệp kết quả (PDF, không rỗng) trong trường result_file.")
        perform(dossier, Action.COMPLETE, actor=user, expected_version=data.version, reason=data.reason.strip(),
                upload=result_file, result_paper=data.result_paper)
    except (DossierError, TransitionError, PaymentError) as exc:
        raise _refused(exc, RESULT_FILE_ERRORS) from None
    return _result(dossier)
