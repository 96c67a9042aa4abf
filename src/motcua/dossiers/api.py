"""The pieces of the JSON API (v1) that the officers' desk (`motcua.desk.api`) and the public
doors (`motcua.portal.api`) share: the HTTP status of each refusal code (the error shape and its
exception are `common.api_errors`), input types, and the applicant and components inputs checked
with the pages' forms.

Errors, on every endpoint of the API, have one shape (see `common.api_errors.ErrorOut`):

    {"error": {"code": "stale_version", "message": "<Vietnamese>", "fields": {"version": ["…"]}}}

Components are uploaded as multipart/form-data: the files in `files`, and in `component_ids`
the catalogue component each file is for, in the same order (`component_ids[i]` ↔ `files[i]`).
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django import forms as django_forms
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from ninja import Field, Schema
from pydantic import AfterValidator

from motcua.catalogue.models import Procedure
from motcua.common.api_errors import ApiError, form_error
from motcua.dossiers import forms
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import STATUS_CHOICES, Channel, DeadlineState, ReuseConsent
from motcua.dossiers.services import ComponentInput
from motcua.dossiers.transitions import TransitionError

# --------------------------------------------------------------------------------------------
# Errors: the API's one shape (`common.api_errors`), and the HTTP status of each DossierError code
# --------------------------------------------------------------------------------------------

NOT_FOUND = "Không tìm thấy hồ sơ."
# The HTTP status of each DossierError / TransitionError code (anything else is a 400).
DOSSIER_ERROR_STATUS = {
    "stale_version": 409, "status_not_allowed": 409, "second_supplement": 409, "time_goes_back": 409,
    "code_exhausted": 409, "online_codes_exhausted": 409, "no_contact": 409, "otp_locked": 409,
    "result_not_signed": 409, "already_signed": 409, "no_result_file": 409,
    "role_not_allowed": 403, "role_read_only": 403, "other_unit": 403, "actor_missing": 403,
    "reuse_without_consent": 403, "nothing_to_reuse": 409, "component_untyped": 409,
    "online_payment_via_gateway": 409, "payment_not_recorded": 409, "fee_still_due": 409, "no_signed_document": 409,
}
# The input field a DossierError code is about, for `fields`.
DOSSIER_ERROR_FIELD = {
    "applicant_name": "applicant_name", "applicant_identifier": "applicant_id", "file_rejected": "files",
    "nothing_to_reuse": "reuse_component_ids", "component_untyped": "reuse_component_ids",
    "reuse_without_consent": "reuse_consent", "nothing_uploaded": "files", "second_supplement": "acknowledge_overdue",
    "otp_wrong": "otp", "otp_expired": "otp", "stale_version": "version",
    "online_payment_via_gateway": "payment_channel",
}


def from_dossier_error(exc: DossierError | TransitionError, fields: dict[str, str] | None = None) -> ApiError:
    """The API's error for a refused write; `fields` names the input of an error code for this
    endpoint where it differs from `DOSSIER_ERROR_FIELD`."""
    field = {**DOSSIER_ERROR_FIELD, **(fields or {})}.get(exc.code)
    return ApiError(DOSSIER_ERROR_STATUS.get(exc.code, 400), exc.code, exc.message,
                    {field: [exc.message]} if field else None)




def _no_control_characters(value: str) -> str:
    # NUL and other control characters (and lone surrogates) cannot be stored: refuse them as input.
    if any((ord(c) < 32 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF or ord(c) == 0x7F for c in value):
        raise ValueError("Không được chứa ký tự điều khiển.")
    return value


# The schema says what the validator refuses, so that a client (and schemathesis) knows it.
Text = Annotated[str, AfterValidator(_no_control_characters),
                 Field(json_schema_extra={"pattern": r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$"})]
CODE_PATTERN = r"^[A-Za-z0-9._-]{1,50}$"
DossierCode = Annotated[str, Field(pattern=CODE_PATTERN, description="Mã hồ sơ, ví dụ STP-260302-0001")]
ProcedureCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,20}$", description="Mã thủ tục, ví dụ 1.001193")]
Id = Annotated[int, Field(ge=1, le=2**53)]


def local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else None


def vietnamese(label) -> str:
    """A (lazily translated) label in Vietnamese, whatever language the caller chose."""
    with translation.override("vi"):
        return str(label)


STATUS_NAMES = {int(code): label for code, label in STATUS_CHOICES}
CHANNEL_NAMES = dict(Channel.choices)
DEADLINE_NAMES = dict(DeadlineState.choices)


class Ref(Schema):
    code: str
    name: str


class ApplicantIn(Schema):
    applicant_kind: Literal["individual", "organisation"]
    applicant_name: Text = Field(min_length=1, max_length=200)
    applicant_id: str = Field(pattern=r"^([0-9]{12}|[0-9]{10}(-[0-9]{3})?)$",
                              description="Số định danh cá nhân (12 chữ số) hoặc mã số thuế (10 chữ số, "
                                          "có thể kèm '-' và 3 chữ số chi nhánh)")
    applicant_phone: Text = Field("", max_length=20)
    applicant_email: Text = Field("", max_length=254)
    applicant_address: Text = Field("", max_length=300)


def applicant_of(data: ApplicantIn):
    """The applicant, validated by the same form as the pages (identifier checks, Vietnamese messages)."""
    form = forms.ApplicantForm({name: getattr(data, name) for name in ApplicantIn.model_fields})
    if not form.is_valid():
        raise form_error(form, message="Thông tin chủ hồ sơ chưa hợp lệ.")
    return form.applicant()


def component_inputs(procedure: Procedure, component_ids: list[int], files: list | None,
                     reuse_ids: list[int] = (), *, reuse: ReuseConsent | None, require_all: bool) -> list[ComponentInput]:
    """Pair `files` with `component_ids` and check them with the pages' components form (required
    components, file type and size; `reuse_ids` name components taken from the applicant's store,
    which must have a document type): the inputs for the services, or a 400."""
    files = list(files or [])
    if len(component_ids) != len(files):
        raise ApiError(400, "validation", "Mỗi tệp cần đúng một mã thành phần.", {
            "component_ids": [f"Có {len(files)} tệp nhưng {len(component_ids)} mã thành phần (component_ids)."]})
    uploads = MultiValueDict({f"file_{cid}": [upload] for cid, upload in zip(component_ids, files)})
    checks = {f"reuse_{cid}": "on" for cid in reuse_ids}
    form = forms.ComponentsForm(checks, uploads, procedure=procedure, reuse=reuse, require_all=require_all)
    known = {c.pk for c in form.components}
    problems = {}
    unknown = sorted({i for i in [*component_ids, *reuse_ids] if i not in known})
    if unknown:
        problems["component_ids"] = [f"Thành phần {', '.join(map(str, unknown))} không thuộc thủ tục này."]
    if len(set(component_ids)) != len(component_ids):
        problems.setdefault("component_ids", []).append("Mỗi thành phần chỉ tải lên một tệp.")
    untyped = sorted({c.pk for c in form.components if c.pk in reuse_ids and not form.reusable(c)})
    if untyped:
        problems["reuse_component_ids"] = [f"Thành phần {', '.join(map(str, untyped))} chưa được gắn loại giấy tờ nên "
                                           "không dùng lại được giấy tờ trong kho dữ liệu cá nhân."]
    if problems:
        raise ApiError(400, "validation", "Thành phần hồ sơ chưa hợp lệ.", problems)
    names = {f"{prefix}_{c.pk}": f"components.{c.pk}" for c in form.components for prefix in ("file", "reuse")}
    if not form.is_valid():
        raise form_error(form, names, "Thành phần hồ sơ chưa đủ hoặc chưa hợp lệ.")
    try:
        with translation.override("vi"):
            return form.inputs()
    except django_forms.ValidationError as exc:
        raise ApiError(400, "file_rejected", " ".join(exc.messages), {"files": exc.messages}) from None
