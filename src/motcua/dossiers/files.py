"""Content-addressed file storage: a file is stored under its SHA-256 and never overwritten."""
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from motcua.dossiers.errors import DossierError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ACCEPTED_TYPES = {"application/pdf", "image/jpeg", "image/png"}


class FileRejected(DossierError):
    def __init__(self, message: str):
        super().__init__(message, "file_rejected")


@dataclass(frozen=True)
class StoredFile:
    path: str
    sha256: str
    size: int


def store_bytes(content: bytes, content_type: str, folder: str = "components") -> StoredFile:
    if content_type not in ACCEPTED_TYPES:
        raise FileRejected(f"Loại tệp '{content_type}' không được chấp nhận (chỉ PDF, JPEG, PNG).")
    if not content:
        raise FileRejected("Tệp rỗng.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileRejected("Tệp vượt quá dung lượng cho phép (20 MB).")
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
