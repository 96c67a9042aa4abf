"""The JSON API's one error shape, for every endpoint of every app:

    {"error": {"code": "stale_version", "message": "<Vietnamese>", "fields": {"version": ["…"]}}}

An endpoint raises `ApiError`; the API's exception handler (`motcua.api`) renders it as `ErrorOut`.
"""
from django import forms as django_forms
from django.utils import translation
from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str = Field(description="Mã lỗi cho máy đọc, ví dụ `validation`, `stale_version`, `not_found`")
    message: str = Field(description="Thông báo bằng tiếng Việt cho người dùng")
    fields: dict[str, list[str]] = Field(default_factory=dict,
                                         description="Lỗi theo từng trường đầu vào (tên trường → các thông báo)")


class ErrorOut(Schema):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The documented error responses of an operation."""
    return {status: ErrorOut for status in statuses}


class ApiError(Exception):
    """A refused request: rendered as `ErrorOut` with `status` by the API's exception handler."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def form_error(form: django_forms.Form, names: dict[str, str] | None = None,
               message: str = "Dữ liệu gửi lên chưa hợp lệ.") -> ApiError:
    """A 400 from a Django form's errors; `names` renames form fields to the API's input names."""
    names = names or {}
    with translation.override("vi"):
        fields = {names.get(name, name): [str(m) for m in messages] for name, messages in form.errors.items()}
    return ApiError(400, "validation", message, fields)
