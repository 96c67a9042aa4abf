"""Public verification of signed PDFs: a document the system issued (by its code), or any uploaded
PDF. Reads only."""
import hashlib
from dataclasses import dataclass

from django.core.files.storage import default_storage

from motcua.results import identities, signing
from motcua.results.models import SignedDocument


@dataclass(frozen=True)
class Verification:
    document: SignedDocument | None  # the issued document the file is (or should be)
    check: signing.PdfCheck | None  # the signatures, when there is a file to check
    file_matches: bool  # the file's SHA-256 is the one recorded at issue

    @property
    def valid(self) -> bool:
        return self.document is not None and self.file_matches and self.check is not None and self.check.ok

    @property
    def signature(self) -> signing.SignatureCheck | None:
        return self.check.signatures[-1] if self.check and self.check.signatures else None


def _stored_bytes(document: SignedDocument) -> bytes | None:
    if not default_storage.exists(document.path):
        return None
    with default_storage.open(document.path, "rb") as f:
        return f.read()


def verify_issued(code: str) -> Verification | None:
    """The stored file of the document with this code, checked; None for an unknown code."""
    document = (SignedDocument.objects.select_related("unit", "identity", "signed_by", "dossier")
                .filter(code=code.strip().upper()).first())
    if document is None:
        return None
    content = _stored_bytes(document)
    if content is None:
        return Verification(document, None, file_matches=False)
    check = signing.validate_pdf(content, identities.trusted_roots())
    return Verification(document, check, file_matches=check.sha256 == document.sha256)


def verify_upload(content: bytes) -> Verification:
    """Any PDF: its signatures, and whether it is byte for byte a document the system issued."""
    digest = hashlib.sha256(content).hexdigest()
    document = (SignedDocument.objects.select_related("unit", "identity", "signed_by", "dossier")
                .filter(sha256=digest).first())
    check = signing.validate_pdf(content, identities.trusted_roots())
    return Verification(document, check, file_matches=document is not None)
