"""The public side of the API (v1), no account: find a procedure, submit online, follow a dossier
by its code and the applicant's identifier, answer a supplement request, withdraw.

As on the public pages, a dossier is shown only to whoever knows both its code and the
applicant's identification number (or tax code); anything else is a 404 that tells nothing.
Uploads are multipart/form-data: `files`, and in `component_ids` the component of each file, in
the same order.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from ninja import Field, File, Form, Path, Query, Router, Schema, UploadedFile
from ninja.responses import Status as Created

from motcua.catalogue.models import OnlineLevel, Procedure
from motcua.catalogue.selectors import published, submission_units
from motcua.common.api_errors import ApiError, errors
from motcua.dossiers.api import (
    CHANNEL_NAMES, STATUS_NAMES, ApplicantIn, DossierCode, Id, ProcedureCode, Ref, Text, applicant_of,
    component_inputs, from_dossier_error, local, vietnamese,
)
from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier, ReuseConsent
from motcua.dossiers.services import receive_supplement
from motcua.dossiers.transitions import ACTION_LABELS, Action, Actor, Status, allowed_actions
from motcua.limits import limiter as limits
from motcua.limits.doors import applicant_dossier, check_daily_submissions
from motcua.payments.services import open_dossier_owing_fees
from motcua.portal import withdrawal
from motcua.portal.search import search_procedures

router = Router(auth=None, tags=["public"])

NOT_FOUND = "Không tìm thấy hồ sơ với mã và số định danh này."
ApplicantIdentifier = Annotated[str, Field(pattern=r"^[0-9-]{1,20}$",
                                           description="Số định danh cá nhân hoặc mã số thuế của chủ hồ sơ")]


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# --------------------------------------------------------------------------------------------
# Procedures
# --------------------------------------------------------------------------------------------


class ProcedureRow(Schema):
    code: str
    name: str
    field: str
    level: str
    online_level: str = Field(description="none | partial | full")
    time_limit: str | None = Field(description="Thời hạn giải quyết (số thập phân dạng chuỗi)")
    time_unit: str


class ProcedurePage(Schema):
    q: str
    count: int
    page: int
    page_size: int
    items: list[ProcedureRow]


class ProcedureComponentOut(Schema):
    id: int = Field(description="Dùng trong `component_ids` khi nộp hồ sơ")
    order: int
    name: str
    original_count: int
    copy_count: int
    required: bool
    template_name: str
    document_type: str | None = Field(description="Mã loại giấy tờ: chỉ thành phần có loại mới dùng lại được giấy tờ "
                                                   "cùng loại trong kho dữ liệu cá nhân (`reuse_component_ids`)")


class FeeOut(Schema):
    name: str
    kind: str
    amount_vnd: int
    per_page: bool


class MethodOut(Schema):
    method: str
    time_limit: str | None
    time_unit: str
    fee_vnd: int


class ProcedureStepOut(Schema):
    order: int
    name: str
    share_percent: str


class SubmissionUnitOut(Schema):
    id: int = Field(description="Dùng làm `unit_id` khi nộp hồ sơ")
    code: str
    name: str


class ProcedureOut(ProcedureRow):
    requirements: str
    result_name: str
    subjects: list[str]
    components: list[ProcedureComponentOut]
    fees: list[FeeOut]
    methods: list[MethodOut]
    steps: list[ProcedureStepOut]
    units: list[SubmissionUnitOut] = Field(description="Nơi có thể nộp hồ sơ (unit_id)")


def _procedure_row(p: Procedure) -> dict:
    return {"code": p.code, "name": p.name, "field": p.field, "level": p.level, "online_level": p.online_level,
            "time_limit": _amount(p.time_limit), "time_unit": p.time_unit}


def _published_or_404(code: str) -> Procedure:
    procedure = published().filter(code=code).first()
    if procedure is None:
        raise ApiError(404, "not_found", "Không tìm thấy thủ tục.")
    return procedure


@router.get("/procedures", response={200: ProcedurePage, **errors(400)}, summary="Tìm thủ tục")
def list_procedures(request, q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=100_000),
                    page_size: int = Query(50, ge=1, le=200)):
    """Published procedures whose code, name or field contain every word of `q`, ignoring
    diacritics ("ho tich" finds "Hộ tịch")."""
    found = search_procedures(q)
    start = (page - 1) * page_size
    return {"q": q, "count": len(found), "page": page, "page_size": page_size,
            "items": [_procedure_row(p) for p in found[start:start + page_size]]}


@router.get("/procedures/{code}", response={200: ProcedureOut, **errors(400, 404)}, summary="Một thủ tục")
def get_procedure(request, code: Path[ProcedureCode]):
    """The applicant's guide to a procedure: components, fees, methods, steps, where to submit."""
    p = _published_or_404(code)
    return {
        **_procedure_row(p), "requirements": p.requirements, "result_name": p.result_name,
        "subjects": list(p.subjects or []),
        "components": [{"id": c.pk, "order": c.order, "name": c.name, "original_count": c.original_count,
                        "copy_count": c.copy_count, "required": c.required, "template_name": c.template_name,
                        "document_type": c.document_type.code if c.document_type else None}
                       for c in p.components.select_related("document_type").order_by("order", "id")],
        "fees": [{"name": f.name, "kind": f.kind, "amount_vnd": f.amount_vnd, "per_page": f.per_page}
                 for f in p.fees.all()],
        "methods": [{"method": m.method, "time_limit": _amount(m.time_limit), "time_unit": m.time_unit,
                     "fee_vnd": m.fee_vnd} for m in p.methods.all()],
        "steps": [{"order": s.order, "name": s.name, "share_percent": _amount(s.share_percent)}
                  for s in p.steps.order_by("order")],
        "units": [{"id": u.pk, "code": u.code, "name": u.name} for u in submission_units(p)],
    }


# --------------------------------------------------------------------------------------------
# The applicant's view of a dossier
# --------------------------------------------------------------------------------------------


class PublicEventOut(Schema):
    seq: int
    action: str
    action_label: str
    to_status: int
    to_status_label: str
    at: datetime
    reason: str = Field(description="Lý do (chỉ với yêu cầu bổ sung, từ chối, dừng, rút hồ sơ)")
    items: list[str] = Field(description="Giấy tờ cần bổ sung (yêu cầu bổ sung)")


class DocumentAccessOut(Schema):
    at: datetime
    document: str = Field(description="Giấy tờ trong kho dữ liệu cá nhân của chủ hồ sơ")
    component: str = Field(description="Thành phần hồ sơ đã dùng giấy tờ này")
    officer: str | None = Field(description="Cán bộ đã dùng (trống khi chủ hồ sơ tự dùng lúc nộp trực tuyến)")
    unit: str
    consent: str = Field(description="present | online")
    consent_label: str
    purpose: str


class LookupOut(Schema):
    code: str
    procedure: Ref
    unit: Ref
    status: int
    status_label: str
    channel: str
    channel_label: str
    applicant_name: str
    submitted_at: datetime | None
    received_at: datetime | None
    appointment_at: datetime | None = Field(description="Ngày hẹn trả hiện tại")
    finished_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    fee_total_vnd: int
    paid: bool
    events: list[PublicEventOut]
    document_accesses: list[DocumentAccessOut] = Field(
        description="Mỗi lượt dùng giấy tờ trong kho dữ liệu cá nhân của chủ hồ sơ cho hồ sơ này")
    allowed_actions: list[str] = Field(description="withdraw, receive_supplement: những gì chủ hồ sơ làm được lúc này")


# Reasons the applicant is told (an internal hand-over's note is not theirs to read).
PUBLIC_REASONS = {Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.WITHDRAW}


def lookup_view(d: Dossier) -> dict:
    return {
        "code": d.code, "procedure": {"code": d.procedure.code, "name": d.procedure.name},
        "unit": {"code": d.unit.code, "name": d.unit.name}, "status": d.status,
        "status_label": vietnamese(STATUS_NAMES[d.status]), "channel": d.channel,
        "channel_label": vietnamese(CHANNEL_NAMES.get(d.channel, d.channel)), "applicant_name": d.applicant_name,
        "submitted_at": local(d.submitted_at), "received_at": local(d.received_at),
        "appointment_at": local(d.current_appointment_at), "finished_at": local(d.finished_at),
        "returned_at": local(d.returned_at), "closed_at": local(d.closed_at),
        "fee_total_vnd": d.fee_total_vnd, "paid": d.paid_at is not None,
        "events": [{"seq": e.seq, "action": e.action, "action_label": ACTION_LABELS.get(e.action, e.action),
                    "to_status": e.to_status, "to_status_label": vietnamese(STATUS_NAMES[e.to_status]),
                    "at": local(e.at),
                    "reason": e.reason if e.action in PUBLIC_REASONS else "",
                    "items": [str(i) for i in (e.data or {}).get("items", [])]
                    if e.action == Action.REQUEST_SUPPLEMENT else []}
                   for e in d.events.order_by("seq")],
        "document_accesses": [
            {"at": local(a.at), "document": a.document.name, "component": a.component.name,
             "officer": a.officer.get_full_name() or a.officer.get_username() if a.officer else None,
             "unit": a.unit.name, "consent": a.consent, "consent_label": vietnamese(a.get_consent_display()),
             "purpose": a.purpose} for a in selectors.document_accesses(d)],
        "allowed_actions": [a.value for a in allowed_actions(Status(d.status), Actor.APPLICANT)],
    }


def _applicant_dossier_or_404(request, code: str, identifier: str) -> Dossier:
    dossier = applicant_dossier(request, code, identifier)
    if dossier is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return dossier


@router.get("/lookup", response={200: LookupOut, **errors(400, 404, 429)}, summary="Tra cứu hồ sơ")
def lookup(request, code: Query[DossierCode], id: Query[ApplicantIdentifier]):
    """Follow a dossier with its code and the applicant's identification number (no account).
    A client, a code or a number that misses too often is refused with 429 and Retry-After."""
    return lookup_view(_applicant_dossier_or_404(request, code, id))


class WithdrawalCodeIn(Schema):
    code: DossierCode
    id: ApplicantIdentifier


class WithdrawalCodeOut(Schema):
    sent_to: str = Field(description="Số điện thoại hoặc thư điện tử đã khai, che một phần")
    valid_minutes: int


@router.post("/lookup/withdraw/code", response={200: WithdrawalCodeOut, **errors(400, 404, 409, 429)},
             summary="Gửi mã xác nhận rút hồ sơ")
def withdrawal_code(request, body: WithdrawalCodeIn):
    """Send a one-time code to the phone or e-mail address the applicant gave (`no_contact`, 409,
    without either: the dossier is withdrawn at the desk). A new code replaces the previous one."""
    limits.check(request, "withdraw_code", dossier=body.code)
    dossier = _applicant_dossier_or_404(request, body.code, body.id)
    try:
        sent_to = withdrawal.send_code(dossier)
    except DossierError as exc:
        raise from_dossier_error(exc) from None
    return {"sent_to": sent_to, "valid_minutes": settings.MOTCUA_LIMITS["withdrawal_code_minutes"]}


class WithdrawIn(Schema):
    code: DossierCode
    id: ApplicantIdentifier
    otp: str = Field(pattern=r"^[0-9]{6}$", description="Mã xác nhận (6 chữ số) từ `/lookup/withdraw/code`")
    reason: Text = Field("", max_length=2000, description="Lý do rút hồ sơ")


@router.post("/lookup/withdraw", response={200: LookupOut, **errors(400, 404, 409, 429)}, summary="Rút hồ sơ")
def withdraw(request, body: WithdrawIn):
    """The applicant withdraws their dossier (while it is open) with the one-time code sent to
    their channel: a wrong code (`otp_wrong`, 400), an expired one (`otp_expired`, 400) or one tried
    too often (`otp_locked`, 409) changes nothing."""
    limits.check(request, "withdraw", count_targets=False, dossier=body.code)
    dossier = _applicant_dossier_or_404(request, body.code, body.id)
    try:
        withdrawal.withdraw(dossier, body.otp, body.reason)
    except DossierError as exc:
        if exc.code in ("otp_wrong", "otp_locked"):
            limits.record_failure("withdraw", dossier=body.code)
        raise from_dossier_error(exc) from None
    return lookup_view(dossier)


class SupplementIn(Schema):
    code: DossierCode
    id: ApplicantIdentifier
    component_ids: list[Id] = Field(default_factory=list, max_length=100,
                                    description="Thành phần của từng tệp trong `files`, cùng thứ tự")
    reuse_component_ids: list[Id] = Field(
        default_factory=list, max_length=100,
        description="Thành phần lấy giấy tờ cùng loại trong kho dữ liệu cá nhân của chủ hồ sơ (cần `reuse_consent`)")
    reuse_consent: bool = Field(False, description="Chủ hồ sơ đồng ý cho dùng lại giấy tờ trong kho dữ liệu cá nhân; "
                                                   "mỗi lượt dùng hiện khi tra cứu hồ sơ")


@router.post("/lookup/supplement", response={200: LookupOut, **errors(400, 404, 409, 429)}, summary="Nộp bổ sung")
def supplement(request, data: Form[SupplementIn], files: File[list[UploadedFile]] = None):
    """Answer a supplement request by uploading documents (multipart/form-data): the clock resumes."""
    limits.check(request, "supplement", dossier=data.code)
    dossier = _applicant_dossier_or_404(request, data.code, data.id)
    if Action.RECEIVE_SUPPLEMENT not in allowed_actions(Status(dossier.status), Actor.APPLICANT):
        raise ApiError(409, "status_not_allowed", "Hồ sơ không ở trạng thái chờ bổ sung.")
    inputs = [i for i in component_inputs(dossier.procedure, data.component_ids, files,
                                          reuse=None, require_all=False) if i.content is not None]
    if not inputs:
        message = "Hãy tải lên ít nhất một giấy tờ bổ sung."
        raise ApiError(400, "nothing_uploaded", message, {"files": [message]})
    try:
        receive_supplement(dossier, role=Actor.APPLICANT, components=inputs)
    except DossierError as exc:
        raise from_dossier_error(exc) from None
    return lookup_view(dossier)


# --------------------------------------------------------------------------------------------
# Online submission
# --------------------------------------------------------------------------------------------


class SubmissionIn(ApplicantIn):
    procedure_code: ProcedureCode
    unit_id: Id = Field(description="Nơi nộp: một trong `units` của thủ tục")
    component_ids: list[Id] = Field(default_factory=list, max_length=100,
                                    description="Thành phần của từng tệp trong `files`, cùng thứ tự")
    reuse_component_ids: list[Id] = Field(
        default_factory=list, max_length=100,
        description="Thành phần lấy giấy tờ cùng loại trong kho dữ liệu cá nhân của chủ hồ sơ (cần `reuse_consent`)")
    reuse_consent: bool = Field(False, description="Chủ hồ sơ đồng ý cho dùng lại giấy tờ trong kho dữ liệu cá nhân; "
                                                   "mỗi lượt dùng hiện khi tra cứu hồ sơ")


@router.post("/submissions", response={201: LookupOut, **errors(400, 404, 409, 429)}, summary="Nộp hồ sơ trực tuyến")
def submit(request, data: Form[SubmissionIn], files: File[list[UploadedFile]] = None):
    """Submit a dossier online (multipart/form-data; status 1, awaiting reception). Every required
    component is uploaded: `files`, with `component_ids` naming the component of each file. The
    answer carries the dossier's code: with the applicant's identifier it opens `/lookup`.
    An identification number submits at most a few dossiers a day (429 after that), and online
    submissions leave a share of the unit's daily codes to the desk (`online_codes_exhausted`, 409)."""
    limits.check(request, "submit")
    procedure = _published_or_404(data.procedure_code)
    if procedure.online_level == OnlineLevel.NONE:
        message = "Thủ tục này chưa được cung cấp trực tuyến."
        raise ApiError(400, "not_online", message, {"procedure_code": [message]})
    unit = submission_units(procedure).filter(pk=data.unit_id).first()
    if unit is None:
        message = "Hãy chọn nơi nộp hồ sơ trong danh sách của thủ tục."
        raise ApiError(400, "validation", message, {"unit_id": [message]})
    applicant = applicant_of(data)
    check_daily_submissions(applicant.identifier)
    inputs = component_inputs(procedure, data.component_ids, files, data.reuse_component_ids,
                              reuse=ReuseConsent.ONLINE, require_all=True)
    try:
        dossier = open_dossier_owing_fees(procedure=procedure, unit=unit, applicant=applicant, channel=Channel.ONLINE,
                                          action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, components=inputs,
                                          reuse_consent=ReuseConsent.ONLINE if data.reuse_consent else None)
    except DossierError as exc:
        raise from_dossier_error(exc) from None
    return Created(201, lookup_view(dossier))
