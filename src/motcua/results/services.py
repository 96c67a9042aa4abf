"""Electronic results: the draft on completion, the head's signature, the return; certified copies.

A result that is a document is always issued as a signed PDF (PAdES B-T): completing such a dossier
stores a draft (rendered from the procedure's template or uploaded by the officer); the head's
SIGN_RESULT appends the verification page (QR to /verify/<code>/), signs, stores the file with its
SHA-256 and pushes it to the applicant's document store. A paper result is an additional output:
a document result is never returned before it is signed. Every status change and the signature
itself go through `dossiers.services.transition` and leave an event.

Every result, also a paper one, has an electronic copy (Decree 118/2025/NĐ-CP, electronic copies of
results; read from secondary sources only): for a document result the signed PDF; for a paper result
of any other procedure the scan the officer uploads on completion, stored with the dossier and
pushed to the applicant's document store in the same transaction.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import MAX_UPLOAD_BYTES, PDF_ONLY, FileRejected, checked_type, store_bytes
from motcua.dossiers.models import Dossier, PersonalDocument
from motcua.dossiers.services import check_transition, transition
from motcua.dossiers.transitions import Action, Actor
from motcua.payments.fees import fee_lines
from motcua.results import documents, identities, signing
from motcua.results.models import CertifiedCopy, DocumentKind, SignedDocument, book_number
from motcua.units.models import Unit, UnitKind

# Chứng thực bản sao từ bản chính giấy tờ, văn bản (national procedure code).
CERTIFIED_COPY_PROCEDURES = frozenset({"2.000815"})
RESULTS_FOLDER = "results"


def is_certified_copy(dossier: Dossier) -> bool:
    return dossier.procedure.code in CERTIFIED_COPY_PROCEDURES


def _uploaded_pdf(upload, what: str) -> bytes:
    """The bytes of an uploaded file if it is a readable PDF within the size limit, else FileRejected."""
    if (getattr(upload, "size", None) or 0) > MAX_UPLOAD_BYTES:
        raise FileRejected("Tệp vượt quá dung lượng cho phép (20 MB).")
    return _pdf(upload.read(), what)


def _pdf(content: bytes | None, what: str) -> bytes:
    """`content` if it is a readable PDF by its content, else FileRejected naming `what`."""
    checked_type(content, PDF_ONLY, what=what)
    documents.page_count(content)
    return content


def complete(dossier: Dossier, *, actor, result_paper: bool = False, upload=None, reason: str = "",
             at: datetime | None = None) -> Dossier:
    """COMPLETE with the result draft (uploaded PDF, else rendered from the procedure's template)
    when the result is a document; the head who completes also signs, in the same transaction."""
    at = at or timezone.now()
    role, _status = check_transition(dossier, Action.COMPLETE, actor=actor, at=at)
    params = {"result_paper": result_paper}
    if dossier.procedure.result_is_document:
        draft = (_uploaded_pdf(upload, "Kết quả tải lên") if upload is not None
                 else documents.result_draft_pdf(dossier, at, actor))
        stored = store_bytes(draft, "application/pdf", folder=RESULTS_FOLDER)
        params.update(result_file=stored.path, result_sha256=stored.sha256)
    elif result_paper:
        params.update(_paper_result_copy(upload))
    elif upload is not None:
        raise DossierError("Thủ tục này không có kết quả là giấy tờ; không cần tải lên kết quả.", "no_document_result")
    with transaction.atomic():
        transition(dossier, Action.COMPLETE, actor=actor, reason=reason, at=at, **params)
        if role == Actor.HEAD and dossier.procedure.result_is_document:
            sign_result(dossier, actor=actor, at=at)
        elif params.get("result_to_personal_store"):
            _push_to_personal_store(dossier, f"Bản điện tử của kết quả giấy: {_result_title(dossier)}")
    return dossier


def _paper_result_copy(upload) -> dict:
    """The COMPLETE parameters of the electronic copy of a paper result: its scan (a readable PDF),
    stored with the dossier and marked as pushed to the applicant's store."""
    if upload is None:
        raise DossierError("Kết quả giấy cần có bản điện tử: hãy tải lên bản quét (PDF) của kết quả giấy.",
                           "paper_result_scan_missing")
    stored = store_bytes(_uploaded_pdf(upload, "Bản quét kết quả giấy"), "application/pdf", folder=RESULTS_FOLDER)
    return {"result_file": stored.path, "result_sha256": stored.sha256, "result_to_personal_store": True}


def _result_title(dossier: Dossier) -> str:
    return dossier.procedure.result_name or dossier.procedure.name


def _push_to_personal_store(dossier: Dossier, title: str) -> PersonalDocument:
    """The dossier's electronic result, as it is stored now, into the applicant's document store."""
    return PersonalDocument.objects.create(owner_id=dossier.applicant_id, name=title, path=dossier.result_file,
                                           sha256=dossier.result_sha256, source_dossier=dossier, is_result=True,
                                           document_type_id=dossier.procedure.result_document_type_id)


@dataclass(frozen=True)
class _Signed:
    code: str
    pdf: bytes


def _sign(dossier: Dossier, draft: bytes, extra_page, identity, actor) -> _Signed:
    code = documents.new_code()
    combined = documents.append_pdf(draft, extra_page(code))
    pdf = signing.sign_pdf(combined, identities.signer_for(identity), reason=f"Ký số kết quả hồ sơ {dossier.code}",
                           location=dossier.unit.name, contact=actor.get_full_name() or actor.get_username())
    return _Signed(code, pdf)


def _issue(dossier: Dossier, signed: _Signed, *, kind, title: str, identity, actor, at) -> SignedDocument:
    """Store the signed PDF, record it, and sign the dossier's result through `transition`."""
    stored = store_bytes(signed.pdf, "application/pdf", folder=RESULTS_FOLDER)
    document = SignedDocument.objects.create(
        code=signed.code, kind=kind, title=title, dossier=dossier, unit=dossier.unit, identity=identity,
        signed_by=actor, signed_at=at, path=stored.path, sha256=stored.sha256, size=stored.size)
    transition(dossier, Action.SIGN_RESULT, actor=actor, at=at, result_file=stored.path,
               result_sha256=stored.sha256, result_to_personal_store=True,
               event_data={"verify_code": signed.code, "certificate_serial": identity.serial})
    _push_to_personal_store(dossier, title)
    return document


def _draft(dossier: Dossier) -> bytes:
    if not dossier.procedure.result_is_document:
        raise DossierError("Thủ tục này không có kết quả là giấy tờ để ký số.", "no_document_result")
    if not dossier.result_file or not default_storage.exists(dossier.result_file):
        raise DossierError("Hồ sơ chưa có tệp kết quả để ký số.", "no_result_file")
    with default_storage.open(dossier.result_file, "rb") as f:
        return f.read()


def sign_result(dossier: Dossier, *, actor, at: datetime | None = None) -> SignedDocument:
    """The head signs the result: verification page appended, PAdES B-T, stored, pushed to the
    applicant's document store (SIGN_RESULT event; the status stays 'processed')."""
    at = at or timezone.now()
    check_transition(dossier, Action.SIGN_RESULT, actor=actor, at=at)
    if dossier.result_signed:
        raise DossierError("Kết quả của hồ sơ đã được ký số.", "already_signed")
    draft = _draft(dossier)
    identity = identities.active_identity(dossier.unit)
    pages = documents.page_count(draft)
    digest = hashlib.sha256(draft).hexdigest()
    signed = _sign(dossier, draft, lambda code: documents.verification_page_pdf(
        code, dossier, dossier.unit, actor, at, draft_sha256=digest, draft_pages=pages), identity, actor)
    title = _result_title(dossier)
    with transaction.atomic():
        return _issue(dossier, signed, kind=DocumentKind.RESULT, title=title, identity=identity, actor=actor, at=at)


def awaits_signature(dossier: Dossier) -> bool:
    """A document result not signed yet: the head may sign it, nobody may return it."""
    return dossier.procedure.result_is_document and not dossier.result_signed


def result_rules_allow(dossier: Dossier, action: Action) -> bool:
    """Whether the results rules leave `action` open (once the transition table allows it): a
    document result is signed once, and returned only signed; for lists of what can be done now."""
    action = Action(action)
    if action == Action.SIGN_RESULT:
        return awaits_signature(dossier)
    if action == Action.RETURN_RESULT:
        return not awaits_signature(dossier)
    return True


def return_result(dossier: Dossier, *, actor=None, role: Actor | None = None, reason: str = "",
                  at: datetime | None = None) -> Dossier:
    """RETURN_RESULT; a document result must be signed first (`preconditions.returned_only_signed`,
    checked by the door)."""
    return transition(dossier, Action.RETURN_RESULT, actor=actor, role=role, reason=reason, at=at)


# -- electronic certified copies --------------------------------------------------------------------

def certified_copy_fee(dossier: Dossier, pages: int, paper_copies: int) -> int:
    """The fee by the procedure's schedule for the paper copies; the electronic copy is free."""
    return sum(line.amount_vnd for line in fee_lines(dossier.procedure.fees.all(), pages=pages,
                                                     copies=max(paper_copies, 1)))


def certify_copy(dossier: Dossier, *, actor, scan: bytes, original_name: str, paper_copies: int,
                 at: datetime | None = None) -> CertifiedCopy:
    """Chứng thực bản sao điện tử từ bản chính: the certifier (head of the commune) completes the
    certification dossier with the scanned original + certification statement, signed by the
    commune, together with the paper copies; one register entry; the fee computed once."""
    at = at or timezone.now()
    if not is_certified_copy(dossier):
        raise DossierError("Hồ sơ này không phải hồ sơ chứng thực bản sao.", "not_certified_copy")
    if dossier.unit.kind != UnitKind.COMMUNE:
        raise DossierError("Chứng thực bản sao điện tử từ bản chính do Ủy ban nhân dân cấp xã thực hiện.",
                           "not_commune")
    role, _status = check_transition(dossier, Action.COMPLETE, actor=actor, at=at)
    if role != Actor.HEAD:
        raise DossierError("Chỉ lãnh đạo xã (người thực hiện chứng thực) được chứng thực bản sao.", "not_certifier")
    if not original_name.strip():
        raise DossierError("Chưa nhập tên giấy tờ bản chính.", "original_name")
    if paper_copies < 0:
        raise DossierError("Số bản sao giấy không được âm.", "paper_copies")
    pages = documents.page_count(_pdf(scan, "Bản quét bản chính"))
    identity = identities.active_identity(dossier.unit)
    local_year = timezone.localtime(at).year
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=dossier.unit_id).first()  # one numbering at a time per commune
        number = (CertifiedCopy.objects.filter(unit=dossier.unit, year=local_year)
                  .aggregate(n=Max("number"))["n"] or 0) + 1
        book = book_number(number, local_year)
        signed = _sign(dossier, scan, lambda code: documents.certification_statement_pdf(
            code, dossier, dossier.unit, actor, at, book_number=book, original_name=original_name.strip(),
            pages=pages, paper_copies=paper_copies), identity, actor)
        draft = store_bytes(scan, "application/pdf", folder=RESULTS_FOLDER)
        transition(dossier, Action.COMPLETE, actor=actor, at=at, result_paper=paper_copies > 0,
                   result_file=draft.path, result_sha256=draft.sha256,
                   event_data={"certified_copy_number": book})
        title = f"Bản sao chứng thực điện tử: {original_name.strip()}"
        document = _issue(dossier, signed, kind=DocumentKind.CERTIFIED_COPY, title=title, identity=identity,
                          actor=actor, at=at)
        copy = CertifiedCopy.objects.create(
            unit=dossier.unit, year=local_year, number=number, dossier=dossier, document=document,
            original_name=original_name.strip(), certified_on=timezone.localtime(at).date(), pages=pages,
            paper_copies=paper_copies, fee_vnd=certified_copy_fee(dossier, pages, paper_copies), certifier=actor)
        _charge_once(copy)
        return copy


def _charge_once(copy: CertifiedCopy) -> None:
    """The certification's one fee obligation, by the schedule, unless the dossier already has one
    (a fee taken at reception): the electronic copy never adds a charge."""
    from motcua.payments.services import request_obligation

    dossier = copy.dossier
    if copy.fee_vnd <= 0 or dossier.fee_obligations.filter(cancelled_at__isnull=True).exists():
        return
    request_obligation(dossier, pages=copy.pages, copies=max(copy.paper_copies, 1),
                       description=f"Lệ phí chứng thực bản sao số {copy.book_number}")
