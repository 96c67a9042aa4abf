"""The PDFs of this app, rendered with the slips' WeasyPrint set-up (DejaVu, Vietnamese):
a result drawn from the procedure's template, the verification page appended to every signed
result, and the certification statement appended to a scanned original."""
import secrets
from datetime import datetime
from io import BytesIO

from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from motcua.common.formatting import fmt_date, fmt_datetime, local
from motcua.common.printing import header, person, qr_data_uri
from motcua.common.public_url import public_base_url
from motcua.dossiers.files import FileRejected
from motcua.dossiers.models import Dossier
from motcua.units.models import UnitKind
from motcua.dossiers.slips import render_pdf

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def verify_url(code: str) -> str:
    return f"{public_base_url()}/verify/{code}/"


def page_count(pdf: bytes) -> int:
    """The number of pages, or FileRejected for anything that is not a readable PDF."""
    try:
        return len(PdfReader(BytesIO(pdf)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise FileRejected("Tệp không phải là PDF hợp lệ.") from exc


def append_pdf(base: bytes, extra: bytes) -> bytes:
    """`base` followed by the pages of `extra`, as one new PDF."""
    page_count(base)
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(base)))
    writer.append(PdfReader(BytesIO(extra)))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def issuer_header(unit, at: datetime) -> dict:
    """The slips' heading with the issuing body: a commune's results are issued by its People's
    Committee, not by its one-stop desk."""
    head = header(unit, local(at).date())
    if unit.kind == UnitKind.COMMUNE:
        head.update(governing="", body=head["governing"])
    return head


def result_template(procedure) -> str:
    """The procedure's own result template (`dossiers/slips/results/<code>.html`), else the generic one."""
    own = f"results/{procedure.code}.html"
    try:
        get_template(f"dossiers/slips/{own}")
    except TemplateDoesNotExist:
        return "results_document.html"
    return own


def result_draft_pdf(dossier: Dossier, at: datetime, officer) -> bytes:
    """The result drawn from the procedure's template: what was decided, for whom, by which unit."""
    procedure = dossier.procedure
    return render_pdf(result_template(procedure), {
        "form": "KQ", "title": procedure.result_name or procedure.name, "head": issuer_header(dossier.unit, at),
        "dossier": dossier, "procedure": procedure, "officer": person(officer),
        "received": fmt_date(dossier.received_at), "at": fmt_datetime(at)})


def _signature_context(code: str, dossier: Dossier, unit, signer, at: datetime) -> dict:
    url = verify_url(code)
    return {"head": issuer_header(unit, at), "dossier": dossier, "unit": unit, "signer": person(signer),
            "at": fmt_datetime(at), "verify_code": code, "verify_url": url, "verify_qr": qr_data_uri(url)}


def verification_page_pdf(code: str, dossier: Dossier, unit, signer, at: datetime, *, draft_sha256: str,
                          draft_pages: int) -> bytes:
    """The last page of a signed result: who signs, when, and the QR to the public verification page."""
    return render_pdf("results_verification.html", {
        "form": "KQ", "title": "Thông tin ký số và xác thực", "draft_sha256": draft_sha256,
        "draft_pages": draft_pages, **_signature_context(code, dossier, unit, signer, at)})


def certification_statement_pdf(code: str, dossier: Dossier, unit, certifier, at: datetime, *,
                                book_number: str, original_name: str, pages: int, paper_copies: int) -> bytes:
    """Lời chứng chứng thực bản sao từ bản chính (Decree 23/2015), with the verification QR."""
    return render_pdf("results_certification.html", {
        "form": "CT", "title": "Chứng thực bản sao điện tử từ bản chính", "book_number": book_number,
        "original_name": original_name, "pages": pages, "paper_copies": paper_copies,
        "certified_on": fmt_date(at), **_signature_context(code, dossier, unit, certifier, at)})
