"""Signing a dossier's PDF and issuing it: the verification page (or certification statement)
appended, signed by the configured signer, stored, recorded, and the dossier's SIGN_RESULT through
`transition`. Shared by the result jobs (`results.jobs`) and the certified copies (`results.services`)."""
from dataclasses import dataclass

from motcua.dossiers.files import store_bytes
from motcua.dossiers.models import Dossier, PersonalDocument
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action
from motcua.results import documents, signers, signing
from motcua.results.models import SignedDocument

RESULTS_FOLDER = "results"


@dataclass(frozen=True)
class Signed:
    code: str
    pdf: bytes


def sign(dossier: Dossier, draft: bytes, extra_page, identity, actor) -> Signed:
    """`draft` with the page `extra_page(code)` returns appended, signed for `dossier`'s unit."""
    code = documents.new_code()
    pdf = signing.sign_pdf(draft, signers.signer_for(identity), reason=f"Ký số kết quả hồ sơ {dossier.code}",
                           location=dossier.unit.name, contact=actor.get_full_name() or actor.get_username(),
                           appended=extra_page(code))
    return Signed(code, pdf)


def issue(dossier: Dossier, signed: Signed, *, kind, title: str, identity, actor, at) -> SignedDocument:
    """Store the signed PDF, record it, and sign the dossier's result through `transition`."""
    stored = store_bytes(signed.pdf, "application/pdf", folder=RESULTS_FOLDER)
    document = SignedDocument.objects.create(
        code=signed.code, kind=kind, title=title, dossier=dossier, unit=dossier.unit, identity=identity,
        signed_by=actor, signed_at=at, path=stored.path, sha256=stored.sha256, size=stored.size)
    transition(dossier, Action.SIGN_RESULT, actor=actor, at=at, result_file=stored.path,
               result_sha256=stored.sha256, result_to_personal_store=True,
               event_data={"verify_code": signed.code, "certificate_serial": identity.serial})
    push_to_personal_store(dossier, title)
    return document


def result_title(dossier: Dossier) -> str:
    return dossier.procedure.result_name or dossier.procedure.name


def push_to_personal_store(dossier: Dossier, title: str) -> PersonalDocument:
    """The dossier's electronic result, as it is stored now, into the applicant's document store."""
    return PersonalDocument.objects.create(owner_id=dossier.applicant_id, name=title, path=dossier.result_file,
                                           sha256=dossier.result_sha256, source_dossier=dossier, is_result=True,
                                           document_type_id=dossier.procedure.result_document_type_id)
