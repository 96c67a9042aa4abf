"""How a status change reaches the national portal: one `send(payload) -> Delivery` per change.

A transport never retries and never raises for an answer it got, nor for an endpoint it cannot
reach (`Delivery.unreachable`): retrying, back-off and ordering are the outbox's job
(`outbox.push_pending`). Anything a transport raises is recorded as a failed send of that one
change, and the run goes on.
"""
import http.client
import json
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from motcua.integrations import receiver

# Answers about the endpoint, not about one change (wrong address, refused token, overloaded or
# down): stop the run; the rest keep their place. 400, 409 and 500 are answers about one change.
STOP_STATUSES = frozenset({301, 302, 303, 307, 308, 401, 403, 404, 405, 429, 502, 503, 504})
HTML_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Delivery:
    """What came back for one change. `status` is None when the endpoint was not reached."""

    status: int | None
    body: object = None  # the decoded JSON answer, or its text
    error: str = ""  # why there is no answer
    unreachable: bool = False  # the endpoint could not be reached at all

    @property
    def stop_run(self) -> bool:
        return self.unreachable or self.status in STOP_STATUSES

    def acknowledges(self, event_key: str) -> bool:
        """True only for 200 {"ok": true, "MaSuKien": <the key sent>}."""
        return (self.status == 200 and isinstance(self.body, dict) and self.body.get("ok") is True
                and self.body.get("MaSuKien") == event_key)

    def describe(self) -> str:
        if self.status is None:
            return f"{'không kết nối được' if self.unreachable else 'lỗi khi gửi'}: {self.error}"
        if isinstance(self.body, (dict, list)):
            body = json.dumps(self.body, ensure_ascii=False)
        else:  # an error page: its title, on one line
            text = str(self.body or "")
            title = HTML_TITLE.search(text)
            body = " ".join((title.group(1) if title else text).split())[:500]
        return f"HTTP {self.status}: {body}"


class Transport(Protocol):
    def send(self, payload: dict) -> Delivery: ...


def _decode(raw: bytes):
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text[:2000]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect turns a POST into a GET without its body: treat it as the answer instead."""

    def redirect_request(self, *args, **kwargs):
        return None


class HttpTransport:
    """POST the JSON payload to the national endpoint with the bearer token (stdlib urllib)."""

    def __init__(self, endpoint: str | None = None, token: str | None = None, timeout: float | None = None):
        self.endpoint = endpoint or settings.MOTCUA_NATIONAL_ENDPOINT
        self.token = settings.MOTCUA_NATIONAL_TOKEN if token is None else token
        self.timeout = timeout or settings.MOTCUA_NATIONAL_TIMEOUT
        if urlsplit(self.endpoint).scheme not in ("http", "https"):
            raise ValueError(f"MOTCUA_NATIONAL_ENDPOINT phải là địa chỉ http(s): {self.endpoint!r}")
        self._opener = urllib.request.build_opener(_NoRedirect)

    def send(self, payload: dict) -> Delivery:
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.endpoint, method="POST", headers=headers,
                                         data=json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return Delivery(response.status, _decode(response.read()))
        except urllib.error.HTTPError as exc:  # a 3xx/4xx/5xx answer: the endpoint was reached
            with exc:
                return Delivery(exc.code, _decode(exc.read()))
        except (urllib.error.URLError, http.client.HTTPException, socket.timeout, OSError) as exc:
            return Delivery(None, error=str(getattr(exc, "reason", exc)), unreachable=True)


class InProcessTransport:
    """Hand the payload to the local receiver's handler directly, as bytes, with the configured
    token: the same answers as over HTTP, without a server (demo loader, tests)."""

    def __init__(self, token: str | None = None):
        self.token = settings.MOTCUA_NATIONAL_TOKEN if token is None else token

    def send(self, payload: dict) -> Delivery:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        # A savepoint: a failure inside the receiver must not spoil the caller's transaction.
        with transaction.atomic():
            answer = receiver.handle(body, f"Bearer {self.token}" if self.token else None)
        return Delivery(answer.status, answer.body)


def configured_transport(name: str = "http") -> Transport:
    return {"http": HttpTransport, "in-process": InProcessTransport}[name]()
