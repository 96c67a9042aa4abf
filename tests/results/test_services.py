"""Completing with a result PDF, the head's signature as an event, the return rule, certified copies."""
import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierEvent, PersonalDocument
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Status
from motcua.payments.models import FeeObligation
from motcua.results import documents, identities, selectors, services, signing, verification
from motcua.results.models import CertifiedCopy, SignedDocument
from tests import factories as f

pytestmark = pytest.mark.django_db


class Upload(io.BytesIO):
    content_type = "application/pdf"


def in_process(desk, procedure=None, officer="reception"):
    d = open_dossier(procedure=procedure or desk["procedure"], unit=desk["unit"], channel="direct",
                     applicant=Applicant("individual", "Trần Văn An", f.VALID_PID), action=Action.RECEIVE,
                     actor=desk[officer], at=f.at(2026, 3, 2, 9, 0))
    return transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0),
                      assignee_id=desk["processing"].pk)


def issued(job) -> SignedDocument:
    """The document the (immediate) task issued for `job`."""
    job.refresh_from_db()
    return job.document


def stored(path) -> bytes:
    with default_storage.open(path, "rb") as fh:
        return fh.read()


def test_processing_completes_with_a_rendered_draft_and_the_head_signs_it_as_an_event(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], result_paper=True, at=f.at(2026, 3, 3, 9, 0))
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and not d.result_signed and d.result_paper
    draft = stored(d.result_file)
    assert draft.startswith(b"%PDF")
    assert signing.validate_pdf(draft, identities.trusted_roots()).signatures == ()

    document = issued(services.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0)))
    d.refresh_from_db()
    event = d.events.order_by("seq").last()
    assert event.action == Action.SIGN_RESULT and event.from_status == event.to_status == Status.PROCESSED
    assert event.data["verify_code"] == document.code and event.data["result_sha256"] == d.result_sha256
    assert d.status == Status.PROCESSED and d.result_signed and d.result_to_personal_store
    signed = stored(d.result_file)
    assert document.sha256 == d.result_sha256 == hashlib.sha256(signed).hexdigest()
    pushed = PersonalDocument.objects.get(owner_id=f.VALID_PID, is_result=True)
    assert (pushed.sha256, pushed.source_dossier_id) == (d.result_sha256, d.pk)
    check = verification.verify_issued(document.code)
    assert check.valid and check.signature.timestamped and "Sở Tư pháp" in check.signature.signer
    assert services.return_result(d, actor=desk["reception"], at=f.at(2026, 3, 3, 11, 0)).status == Status.RETURNED


def test_a_document_result_is_not_returned_unsigned_and_nothing_changes(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], result_paper=True, at=f.at(2026, 3, 3, 9, 0))
    version = d.version
    with pytest.raises(DossierError, match="phải được ký số") as exc:
        services.return_result(d, actor=desk["reception"], at=f.at(2026, 3, 3, 11, 0))
    assert exc.value.code == "result_not_signed"
    d.refresh_from_db()
    assert (d.status, d.version) == (Status.PROCESSED, version)


def test_only_the_head_signs_and_only_once(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    with pytest.raises(DossierError, match="Cán bộ xử lý không được «Ký số kết quả»"):
        services.sign_result(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 30))
    assert SignedDocument.objects.count() == 0 and not Dossier.objects.get().result_signed
    services.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0))
    with pytest.raises(DossierError, match="đã được ký số"):
        services.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 30))
    assert SignedDocument.objects.count() == 1


def test_the_head_who_completes_signs_in_the_same_step(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0))
    assert [e.action for e in d.events.order_by("seq")][-2:] == [Action.COMPLETE, Action.SIGN_RESULT]
    assert Dossier.objects.get().result_signed


def test_an_uploaded_result_gets_the_verification_page_and_is_signed(desk, scan_pdf):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], upload=Upload(scan_pdf), at=f.at(2026, 3, 3, 9, 0))
    assert stored(Dossier.objects.get().result_file) == scan_pdf
    document = issued(services.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0)))
    signed = PdfReader(io.BytesIO(stored(document.path)))
    assert len(signed.pages) == 4  # three pages uploaded, the verification page
    assert document.code in signed.pages[3].extract_text()


def test_a_result_upload_that_is_not_a_pdf_is_refused_and_nothing_changes(desk):
    d = in_process(desk)
    bad = Upload(b"GIF89a not a pdf")
    with pytest.raises(DossierError, match="Kết quả tải lên phải là tệp PDF"):
        services.complete(d, actor=desk["processing"], upload=bad, at=f.at(2026, 3, 3, 9, 0))
    assert Dossier.objects.get().status == Status.IN_PROCESS
    assert not DossierEvent.objects.filter(action=Action.COMPLETE).exists()


def test_without_the_test_pki_a_unit_without_certificate_cannot_sign(desk, settings):
    settings.MOTCUA_TEST_PKI = False
    other = f.unit("SXD", "Sở Xây dựng")
    people = {"unit": other, "procedure": f.procedure(code="1.000002", agency=other),
              **{r: f.officer(other, r) for r in ("reception", "processing", "head")}}
    d = in_process(people)
    services.complete(d, actor=people["processing"], at=f.at(2026, 3, 3, 9, 0))
    with pytest.raises(DossierError, match="chưa có chứng thư số") as exc:
        services.sign_result(d, actor=people["head"], at=f.at(2026, 3, 3, 10, 0))
    assert exc.value.code == "no_identity" and not Dossier.objects.get(pk=d.pk).result_signed


def test_a_procedure_without_document_result_completes_without_a_file(desk):
    desk["procedure"].result_is_document = False
    desk["procedure"].save()
    d = in_process(desk)
    services.complete(d, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0))
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and d.result_file == "" and not d.signed_documents.exists()
    assert services.return_result(d, actor=desk["reception"], at=f.at(2026, 3, 3, 10, 0)).status == Status.RETURNED


# -- certified copies ------------------------------------------------------------------------------

def test_one_certification_yields_paper_and_signed_electronic_copy_numbered_in_the_register(commune, scan_pdf):
    first = in_process(commune, commune["procedure"])
    copy = services.certify_copy(first, actor=commune["head"], scan=scan_pdf, original_name="Bằng tốt nghiệp THPT",
                                 paper_copies=2, at=f.at(2026, 3, 2, 14, 0))
    first.refresh_from_db()
    assert first.status == Status.PROCESSED and first.result_paper and first.result_signed
    assert (copy.number, copy.book_number, copy.pages, copy.paper_copies) == (1, "1/2026-SCT/BS", 3, 2)
    # 3 pages: 2 × 2,000 + 1 × 1,000 = 5,000 a paper copy, two copies; the electronic copy is free.
    assert copy.fee_vnd == 10_000 == services.certified_copy_fee(first, 3, 2)
    assert copy.document.sha256 == first.result_sha256
    obligation = first.fee_obligations.get()  # one charge for the paper and the electronic copy
    assert obligation.amount_vnd == 10_000 and obligation.lines[0]["pages"] == 3 and obligation.lines[0]["copies"] == 2
    assert verification.verify_issued(copy.document.code).valid
    second = in_process(commune, commune["procedure"])
    FeeObligation.objects.create(dossier=second, amount_vnd=5_000, description="Thu khi tiếp nhận")
    again = services.certify_copy(second, actor=commune["head"], scan=scan_pdf, original_name="Học bạ",
                                  paper_copies=0, at=f.at(2026, 3, 2, 15, 0))
    assert again.number == 2 and again.fee_vnd == 5_000 and not Dossier.objects.get(pk=second.pk).result_paper
    assert second.fee_obligations.count() == 1  # the fee taken at reception is not charged again
    assert selectors.communes_providing_e_certified_copies() == {commune["unit"].pk}
    assert selectors.communes_providing_e_certified_copies(f.at(2026, 4, 1, 0, 0).date()) == set()


@pytest.mark.parametrize("problem, expected", [
    ("processing", "Chỉ lãnh đạo xã"), ("not_pdf", "Bản quét bản chính phải là tệp PDF"),
    ("no_name", "Chưa nhập tên giấy tờ"), ("department", "do Ủy ban nhân dân cấp xã thực hiện"),
])
def test_a_refused_certification_changes_nothing(commune, desk, scan_pdf, problem, expected):
    people = commune
    if problem == "department":
        people = {**desk, "procedure": commune["procedure"]}  # the commune procedure at a department
    d = in_process(people, people["procedure"])
    actor = people["processing"] if problem == "processing" else people["head"]
    with pytest.raises(DossierError, match=expected):
        services.certify_copy(d, actor=actor, scan=b"nope" if problem == "not_pdf" else scan_pdf,
                              original_name="" if problem == "no_name" else "Giấy khai sinh", paper_copies=1,
                              at=f.at(2026, 3, 2, 14, 0))
    assert Dossier.objects.get(pk=d.pk).status == Status.IN_PROCESS
    assert CertifiedCopy.objects.count() == 0 and SignedDocument.objects.count() == 0


def test_a_procedure_with_its_own_template_renders_it(desk):
    birth = f.procedure(code="1.001193", agency=desk["unit"], name="Đăng ký khai sinh", result_name="Giấy khai sinh")
    assert documents.result_template(birth) == "results/1.001193.html"
    assert documents.result_template(desk["procedure"]) == "results_document.html"
    d = in_process(desk, birth)
    services.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    text = PdfReader(io.BytesIO(stored(Dossier.objects.get(pk=d.pk).result_file))).pages[0].extract_text()
    assert "TRÍCH LỤC KHAI SINH" in text and "Trần Văn An" in text
