"""Files a citizen chose for an online submission that did not go through, kept for the next try.

A browser never fills a file input again, so after a refused submission (a typo in the number, a
missing place) every chosen file would be lost. Each accepted file is stored under `staging/` and
the form carries a signed token listing them (component → stored path, name, type); the next
submission uses them unless the citizen replaces or drops them. The token is signed with the
site's key, so a client cannot point it at another file, and it lasts `MAX_AGE`; files staged
longer ago than that are deleted the next time anything is staged.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers.files import MAX_UPLOAD_BYTES, FileRejected, checked_type, store_bytes

SALT = "motcua.portal.staging"
MAX_AGE = timedelta(hours=1)
FOLDER = "staging"


@dataclass(frozen=True)
class StagedFile:
    path: str
    name: str
    content_type: str

    def upload(self) -> SimpleUploadedFile | None:
        """The file as if chosen again, or None once it is gone."""
        if not default_storage.exists(self.path):
            return None
        with default_storage.open(self.path, "rb") as f:
            return SimpleUploadedFile(self.name, f.read(), self.content_type)


def stage(upload) -> StagedFile:
    """Store an upload for a later try; FileRejected when its content is not an accepted type."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise FileRejected("Tệp vượt quá dung lượng cho phép (20 MB).")
    content = upload.read()
    upload.seek(0)
    content_type = checked_type(content)
    purge_expired()
    return StagedFile(store_bytes(content, content_type, folder=FOLDER).path, upload.name, content_type)


def token(files: dict[int, StagedFile]) -> str:
    return signing.dumps({str(pk): [f.path, f.name, f.content_type] for pk, f in files.items()}, salt=SALT,
                         compress=True) if files else ""


def read(value: str) -> dict[int, StagedFile]:
    """The staged files a token lists (component id → file); none when forged or expired."""
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return {}
    return {int(pk): StagedFile(*entry) for pk, entry in data.items()}


def purge_expired() -> None:
    """Delete the staged files older than `MAX_AGE` (nobody's token can name them any more)."""
    limit = timezone.now() - MAX_AGE
    try:
        shards = default_storage.listdir(FOLDER)[0]
    except FileNotFoundError:
        return
    for shard in shards:
        for name in default_storage.listdir(f"{FOLDER}/{shard}")[1]:
            path = f"{FOLDER}/{shard}/{name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)

