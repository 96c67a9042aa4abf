"""The local receiver: a stand-in for the national portal's status-synchronisation endpoint.

`handle` is the whole behaviour (the view only adapts a request to it), so the in-process
transport and the HTTP endpoint answer exactly alike. The payload is documented in README.md.
"""
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.integrations.models import ReceivedStatusChange

NATIONAL_TIME = re.compile(r"\d{14}")  # yyyyMMddHHmmss, local time


def _text(max_length):
    def check(value):
        if not isinstance(value, str) or not value.strip():
            return "type", "phải là chuỗi ký tự khác rỗng"
        if len(value) > max_length:
            return "too_long", f"dài quá {max_length} ký tự"
        return None
    return check


def _integer(low=None, high=None):
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool):
            return "type", "phải là số nguyên"
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"từ {low} đến {high}" if high is not None else f"không nhỏ hơn {low}"
            return "out_of_range", f"phải {bounds}"
        return None
    return check


def _choice(*allowed):
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
            return "invalid_choice", f"phải là một trong {', '.join(map(str, allowed))}"
        return None
    return check


def _boolean(value):
    return None if isinstance(value, bool) else ("type", "phải là true hoặc false")


def _time(nullable):
    def check(value):
        if value is None:
            return None if nullable else ("required", "không được để trống")
        if not isinstance(value, str) or not NATIONAL_TIME.fullmatch(value):
            return "time_format", "phải có dạng yyyyMMddHHmmss"
        try:
            datetime.strptime(value, "%Y%m%d%H%M%S")
        except ValueError:
            return "time_format", "không phải thời điểm có thật (yyyyMMddHHmmss)"
        return None
    return check


# Every field must be present; a null is allowed only where the fact may not exist yet.
# Fields not listed here are accepted and kept (the portal may add some).
FIELDS = {
    "MaHoSo": _text(40),
    "MaTTHC": _text(40),
    "MaDonVi": _text(40),
    "KenhThucHien": _choice(1, 2, 3),
    "TrangThai": _integer(1, 10),
    "NgayNopHoSo": _time(nullable=True),
    "NgayTiepNhan": _time(nullable=True),
    "NgayHenTra": _time(nullable=True),
    "NgayKetThucXuLy": _time(nullable=True),
    "NgayTraKetQua": _time(nullable=True),
    "ChuHoSo": _text(200),
    "SoDinhDanh": _text(20),
    "PhiLePhi": _integer(0),
    "ThanhToanTrucTuyen": _boolean,
    "KetQuaDienTu": _boolean,
    "MaSuKien": _text(64),
    "ThoiDiemSuKien": _time(nullable=False),
}


def validate_payload(payload) -> list[dict]:
    """The problems of `payload`, each {"field", "code", "message"}; empty when it is valid."""
    if not isinstance(payload, dict):
        return [{"field": None, "code": "not_an_object", "message": "Dữ liệu phải là một đối tượng JSON."}]
    errors = []
    for name, check in FIELDS.items():
        if name not in payload:
            errors.append({"field": name, "code": "required", "message": f"Thiếu trường {name}."})
            continue
        problem = check(payload[name])
        if problem:
            code, text = problem
            errors.append({"field": name, "code": code, "message": f"{name} {text}."})
    return errors


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict
    headers: tuple = ()


def _refuse(status, code, message, field=None, headers=()) -> Answer:
    return Answer(status, {"ok": False, "errors": [{"field": field, "code": code, "message": message}]}, headers)


def authorised(authorization: str | None) -> bool:
    token = settings.MOTCUA_NATIONAL_TOKEN
    if not token:
        return True
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def handle(body: bytes, authorization: str | None = None) -> Answer:
    """Receive one status change: 200 acknowledged, 400 bad input, 401 bad token, 409 a known
    MaSuKien with different content. Idempotent on MaSuKien."""
    if not authorised(authorization):
        return _refuse(401, "unauthorized", "Thiếu hoặc sai mã xác thực (Authorization: Bearer …).",
                       headers=(("WWW-Authenticate", 'Bearer realm="dong-bo"'),))
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _refuse(400, "invalid_json", "Nội dung không phải JSON hợp lệ (UTF-8).")
    errors = validate_payload(payload)
    if errors:
        return Answer(400, {"ok": False, "errors": errors})
    key = payload["MaSuKien"]
    now = timezone.now()
    try:
        with transaction.atomic():
            ReceivedStatusChange.objects.create(
                dossier_code=payload["MaHoSo"], status=payload["TrangThai"], event_key=key, payload=payload,
                received_at=now, last_delivery_at=now)
    except IntegrityError:  # already received (maybe by a concurrent request): acknowledge again
        known = ReceivedStatusChange.objects.get(event_key=key)
        if known.payload != payload:
            return _refuse(409, "conflict", "MaSuKien đã nhận với nội dung khác.", field="MaSuKien")
        ReceivedStatusChange.objects.filter(pk=known.pk).update(
            deliveries=F("deliveries") + 1, last_delivery_at=now)
    return Answer(200, {"ok": True, "MaSuKien": key})
