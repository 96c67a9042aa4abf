"""Input that is not UTF-8 is refused, not read with "�" in place of its bytes.

Django decodes a query string and form fields with errors="replace": bytes that are not UTF-8
become U+FFFD and would be stored so (an applicant's name, a petition, a search). This middleware
answers such a request 400 with a clear message before any view runs. A query string and an
url-encoded body are checked byte for byte; a multipart body after Django parsed it (a U+FFFD in
a field comes from bytes that were not UTF-8, or from someone typing the replacement character
itself, which no real input carries). JSON bodies are decoded strictly by their readers (the
API answers `malformed_body`). Pages get a Vietnamese text, the API its error shape (`not_utf8`).
"""
from urllib.parse import unquote_to_bytes

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError

MESSAGE = "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ (trường: %s); hãy nhập lại bằng bộ gõ tiếng Việt Unicode."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _unquoted(part: bytes) -> bytes:
    return unquote_to_bytes(part.replace(b"+", b" "))


def non_utf8_fields(raw: bytes) -> list[str]:
    """The names of the fields of url-encoded `raw` whose name or value is not UTF-8."""
    bad = []
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            _unquoted(name).decode("utf-8")
            _unquoted(value).decode("utf-8")
        except UnicodeDecodeError:
            bad.append(_unquoted(name).decode("utf-8", "replace"))
    return bad


def _query_bytes(request) -> bytes:
    query = request.META.get("QUERY_STRING", "")
    try:
        return query.encode("iso-8859-1")  # WSGI hands the raw bytes as latin-1
    except UnicodeEncodeError:
        return query.encode("utf-8")


def _bad_fields(request) -> list[str]:
    bad = non_utf8_fields(_query_bytes(request))
    if request.method in ("GET", "HEAD") or request.content_type not in FORM_TYPES:
        return bad
    if request.content_type == FORM_TYPES[0]:
        return bad + non_utf8_fields(request.body)
    return bad + [name for name, values in request.POST.lists()
                  if "\ufffd" in name or any("\ufffd" in value for value in values)]


class RefuseNonUtf8Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        try:
            bad = _bad_fields(request)
        except (MultiPartParserError, SuspiciousOperation) as exc:  # as the view itself would have met them
            if not api:
                raise
            from motcua.api import on_bad_request

            return on_bad_request(request, exc)
        if not bad:
            return self.get_response(request)
        names = ", ".join(dict.fromkeys(bad))
        if api:
            from motcua.api import error_response

            return error_response(request, 400, "not_utf8", MESSAGE % names, {name: [MESSAGE % name] for name in bad})
        return HttpResponseBadRequest(MESSAGE % names, content_type="text/plain; charset=utf-8")
