"""The site's public address for QR codes and links in PDFs, e-mails and SMS.

`MOTCUA_PUBLIC_URL` wins when it is set (production: the address citizens reach, behind the TLS
proxy). Otherwise the address of the request being served (the host and port the user typed, as
Django validated them against ALLOWED_HOSTS), so a slip printed from `make run PORT=8080` points to
port 8080; work done outside a request (the worker's notices) falls back to the local default,
which `make run` sets to its own host and port."""
from contextvars import ContextVar

from django.conf import settings

LOCAL_DEFAULT = "http://127.0.0.1:8000"
_request_base: ContextVar[str | None] = ContextVar("motcua_request_base", default=None)


def public_base_url() -> str:
    configured = settings.MOTCUA_PUBLIC_URL
    return (configured or _request_base.get() or LOCAL_DEFAULT).rstrip("/")


class RequestBaseMiddleware:
    """Remembers the current request's scheme and host for `public_base_url`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
