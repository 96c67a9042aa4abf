"""Uploads and content-addressed file storage.

Every upload door — desk reception scans, online submission and supplement (pages and API), the
result upload, the certified-copy scan, the public verification upload — types a file by its
first bytes (`checked_type`), never by its name or the client's Content-Type: HTML named `a.pdf`
or an executable named `.png` is refused. The three accepted types are told apart by a signature
table rather than a detection library: it needs nothing more, and anything outside it is refused
anyway. A file is stored under its SHA-256 and never overwritten; the name the client gave is kept
only as a label, sanitised (`safe_name`).
"""
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from motcua.dossiers.errors import DossierError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ACCEPTED_TYPES = frozenset({PDF, JPEG, PNG})  # a dossier component
PDF_ONLY = frozenset({PDF})  # results, certified-copy scans, verification
# Where each accepted type must begin: the PDF header (ISO 32000-1 §7.5.2), the JPEG start-of-image
# marker followed by a marker's 0xFF (ITU-T T.81 Annex B), the PNG signature (ISO/IEC 15948 §5.2).
SIGNATURES = {PDF: b"%PDF-", JPEG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n"}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
MAX_NAME_CHARS = 120


class FileRejected(DossierError):
    def __init__(self, message: str):
        super().__init__(message, "file_rejected")


@dataclass(frozen=True)
class StoredFile:
    path: str
    sha256: str
    size: int


def sniffed_type(content: bytes) -> str | None:
    """The accepted type whose signature `content` begins with, or None."""
    return next((kind for kind, magic in SIGNATURES.items() if content.startswith(magic)), None)


def _names(accepted) -> str:
    names = [NAMES[kind] for kind in SIGNATURES if kind in accepted]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} hoặc {names[-1]}"


def checked_type(content: bytes | None, accepted=ACCEPTED_TYPES, *, what: str = "Tệp") -> str:
    """The type of `content` read from its first bytes when it is one of `accepted`, else
    FileRejected naming `what`: the one check of every upload door."""
    if not content:
        raise FileRejected(f"{what}: tệp rỗng.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileRejected(f"{what}: tệp vượt quá dung lượng cho phép (20 MB).")
    kind = sniffed_type(content)
    if kind not in accepted:
        raise FileRejected(f"{what} phải là tệp {_names(accepted)} (nhận biết theo nội dung tệp, không theo tên "
                           f"hay loại tệp trình duyệt khai báo); tệp này không được chấp nhận.")
    return kind


def safe_name(name: str, content_type: str) -> str:
    """A label for an uploaded file: the last part of the client's name, without control or
    format characters, path separators or characters outside letters, digits, space and `._-()`,
    at most MAX_NAME_CHARS, and with the extension of the type its content has ("a.html.pdf"
    of a PNG becomes "a.html.png"; "" becomes "tep.png")."""
    name = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    stem, _ = os.path.splitext(name)
    stem = re.sub(r"[^\w .()-]+", "_", stem).strip(" ._") or "tep"
    extension = EXTENSIONS[content_type]
    return stem[:MAX_NAME_CHARS - len(extension)].rstrip(" ._") + extension


def store_bytes(content: bytes, content_type: str, folder: str = "components") -> StoredFile:
    """Store `content`, which must be an accepted file of the type `content_type` says."""
    kind = checked_type(content)
    if kind != content_type:
        raise FileRejected(f"Nội dung tệp là {NAMES[kind]}, không phải '{content_type}': tệp không được chấp nhận.")
    digest = hashlib.sha256(content).hexdigest()
    path = f"{folder}/{digest[:2]}/{digest}"
    if not default_storage.exists(path):
        saved = default_storage.save(path, ContentFile(content))
        if saved != path:  # the same bytes were stored by another request at the same moment
            default_storage.delete(saved)
    return StoredFile(path, digest, len(content))


def stored_file_response(path: str, content_type: str, name: str, *, download: bool) -> FileResponse:
    """A stored file for the browser: shown inline when it is one of the accepted types (the browser
    draws PDFs and images itself), else always downloaded; the name is the one it was uploaded with."""
    if not default_storage.exists(path):
        raise Http404
    inline = not download and content_type in ACCEPTED_TYPES
    return FileResponse(default_storage.open(path, "rb"), as_attachment=not inline, filename=name or "tep",
                        content_type=content_type if content_type in ACCEPTED_TYPES else "application/octet-stream")
