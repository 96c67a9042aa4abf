"""The JSON API, version 1 (django-ninja; OpenAPI 3 at /api/v1/openapi.json).

Project wiring only: the NinjaAPI instance, its routers, and the exception handlers that give
every refusal one machine-readable shape:

    {"error": {"code": "...", "message": "<Vietnamese>", "fields": {"<input>": ["..."]}}}

400 bad input (`validation`, `malformed_body`, `file_rejected`, …), 401 not logged in
(`not_authenticated`), 403 not allowed (`csrf_failed`, `role_read_only`, `role_not_allowed`,
`reception_only`), 404 not found or not visible (`not_found`: another unit's dossier too),
409 conflict (`stale_version`, `status_not_allowed`, `second_supplement`, `result_not_signed`,
`already_signed`, `no_result_file`, …), 429 too many requests (`throttled`, with a Retry-After
header: the public doors' abuse limits, see `motcua.limits`). Nothing is written when an error is
returned.

The interactive docs page is served only when `ninja` is in INSTALLED_APPS (its Swagger UI then
comes from django-ninja's bundled static files); otherwise it would load from a CDN, so it is off.

Mounted by the project's urls.py: `path("api/v1/", api.urls)`.
"""
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.common.api_errors import ApiError
from motcua.desk.api import router as desk_router
from motcua.dossiers.api import from_dossier_error
from motcua.dossiers.errors import DossierError
from motcua.limits.limiter import Throttled
from motcua.portal.api import router as portal_router

log = logging.getLogger(__name__)

DESCRIPTION = """
Hệ thống Một cửa — giao diện lập trình (JSON), phiên bản 1.

* **Công khai** (thẻ `public`): tìm thủ tục (không phân biệt dấu), nộp hồ sơ trực tuyến, tra cứu hồ sơ
  bằng mã hồ sơ và số định danh của chủ hồ sơ, nộp bổ sung, rút hồ sơ.
* **Cán bộ** (thẻ `officers`): đăng nhập bằng phiên Django (`/dang-nhap/`); các yêu cầu ghi gửi kèm
  mã CSRF (cookie `csrftoken` → tiêu đề `X-CSRFToken`).
* **Tệp**: `multipart/form-data`, các tệp trong `files`, thành phần của từng tệp trong `component_ids`
  theo cùng thứ tự; PDF, JPEG hoặc PNG, tối đa 20 MB mỗi tệp. Kết quả giải quyết (PDF) do cán bộ tải lên:
  `POST /dossiers/{code}/result`, tệp trong `result_file`; kết quả là giấy tờ phải được trưởng đơn vị
  ký số (`sign_result`) trước khi trả.
* **Lỗi**: `{"error": {"code", "message", "fields"}}` — 400, 401, 403, 404, 409, 429 (quá nhiều yêu cầu:
  tiêu đề `Retry-After` cho biết số giây cần chờ).
* **Rút hồ sơ**: cần mã xác nhận gửi tới số điện thoại hoặc thư điện tử đã khai (`/lookup/withdraw/code`).
"""

api = NinjaAPI(
    title="motcua — Hệ thống Một cửa",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
api.add_router("/", portal_router)
api.add_router("/", desk_router)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def error_response(request: HttpRequest, status: int, code: str, message, fields: dict | None = None) -> HttpResponse:
    with translation.override("vi"):  # messages are Vietnamese whatever the caller's language cookie
        body = {"error": {"code": code, "message": str(message),
                          "fields": {str(k): [str(m) for m in v] for k, v in (fields or {}).items()}}}
    return api.create_response(request, body, status=status)


# Pydantic's error types, in Vietnamese ({…} are filled from the error's context).
VALIDATION_MESSAGES = {
    "missing": "Trường này là bắt buộc.",
    "string_too_long": "Dài quá {max_length} ký tự.",
    "string_too_short": "Cần ít nhất {min_length} ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_unicode": "Phải là chuỗi ký tự Unicode hợp lệ.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "int_parsing_size": "Số quá lớn.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "greater_than": "Phải lớn hơn {gt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "literal_error": "Phải là một trong: {expected}.",
    "enum": "Phải là một trong: {expected}.",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
    "list_type": "Phải là một danh sách.",
    "too_long": "Tối đa {max_length} phần tử.",
    "too_short": "Cần ít nhất {min_length} phần tử.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "json_invalid": "JSON không hợp lệ.",
    "json_type": "JSON không hợp lệ.",
}
PARAM_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie", "data", "files"}


def _field_name(loc) -> str:
    parts = list(loc)
    while parts and isinstance(parts[0], str) and parts[0] in PARAM_SOURCES and len(parts) > 1:
        parts.pop(0)
    return ".".join(str(p) for p in parts) or "__all__"


def _validation_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error") is not None:
        return str(ctx["error"])
    if "expected" in ctx:  # pydantic words the choices "'a', 'b' or 'c'"
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", ", ")}
    template = VALIDATION_MESSAGES.get(kind, "Giá trị không hợp lệ.")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return "Giá trị không hợp lệ."


# What a pattern-checked input should look like, said in words.
PATTERN_MESSAGES = {
    "applicant_id": "Số định danh cá nhân gồm đúng 12 chữ số; mã số thuế gồm 10 chữ số (có thể kèm '-' và "
                    "3 chữ số chi nhánh).",
    "id": "Số định danh cá nhân hoặc mã số thuế chỉ gồm chữ số (và dấu '-').",
    "code": "Mã chỉ gồm chữ cái không dấu, chữ số và các dấu '.', '-', '_'.",
    "procedure_code": "Mã thủ tục chỉ gồm chữ cái không dấu, chữ số và các dấu '.', '-', '_'.",
    "otp": "Mã xác nhận gồm đúng 6 chữ số.",
}


def on_validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = _field_name(error.get("loc", ()))
        message = (PATTERN_MESSAGES.get(name) if error.get("type") == "string_pattern_mismatch" else None)
        fields.setdefault(name, []).append(message or _validation_message(error))
    return error_response(request, 400, "validation", "Dữ liệu gửi lên chưa hợp lệ.", fields)


def on_api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


def on_dossier_error(request, exc: DossierError):
    return on_api_error(request, from_dossier_error(exc))


def on_authentication_error(request, exc: AuthenticationError):
    return error_response(request, 401, "not_authenticated", "Cần đăng nhập bằng tài khoản cán bộ.")


HTTP_ERRORS = {
    400: ("malformed_body", "Không đọc được nội dung yêu cầu (JSON hoặc biểu mẫu không hợp lệ)."),
    401: ("not_authenticated", "Cần đăng nhập bằng tài khoản cán bộ."),
    403: ("forbidden", "Không được phép."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ."),
    429: ("throttled", "Quá nhiều yêu cầu; vui lòng thử lại sau."),
}


def on_http_error(request, exc: HttpError):
    if exc.status_code == 403 and "csrf" in str(exc).lower():
        return error_response(request, 403, "csrf_failed",
                              "Thiếu hoặc sai mã CSRF (gửi cookie csrftoken và tiêu đề X-CSRFToken).")
    code, message = HTTP_ERRORS.get(exc.status_code, ("http_error", "Yêu cầu không được chấp nhận."))
    return error_response(request, exc.status_code, code, message)


def on_throttled(request, exc: Throttled):
    response = error_response(request, 429, "throttled", exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


def on_not_found(request, exc):
    return error_response(request, 404, "not_found", "Không tìm thấy.")


def on_permission_denied(request, exc):
    return error_response(request, 403, "forbidden", "Không được phép.")


def on_bad_request(request, exc):
    return error_response(request, 400, "bad_request", "Yêu cầu không hợp lệ (quá lớn hoặc sai định dạng).")


def on_unexpected(request, exc):
    log.exception("API %s %s failed", request.method, request.path, exc_info=exc)
    return error_response(request, 500, "server_error", "Lỗi hệ thống; vui lòng thử lại sau.")


api.add_exception_handler(ValidationError, on_validation_error)
api.add_exception_handler(ApiError, on_api_error)
api.add_exception_handler(Throttled, on_throttled)
api.add_exception_handler(DossierError, on_dossier_error)
api.add_exception_handler(AuthenticationError, on_authentication_error)
api.add_exception_handler(HttpError, on_http_error)
api.add_exception_handler(Http404, on_not_found)
api.add_exception_handler(PermissionDenied, on_permission_denied)
api.add_exception_handler(SuspiciousOperation, on_bad_request)
api.add_exception_handler(MultiPartParserError, on_bad_request)
api.add_exception_handler(Exception, on_unexpected)
