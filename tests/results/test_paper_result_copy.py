"""Every result, also a paper one, has an electronic copy (Decree 118/2025/NĐ-CP): the scan of a paper
result is stored with the dossier, pushed to the applicant's document store and offered on the
tracking page."""
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, PersonalDocument
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Status
from motcua.results import services
from tests import factories as f


@pytest.fixture
def processing(desk):
    procedure = f.procedure(code="1.000002", agency=desk["unit"], result_is_document=False,
                            result_name="Văn bản trả lời")
    d = open_dossier(procedure=procedure, unit=desk["unit"], channel=Channel.DIRECT, action=Action.RECEIVE,
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID),
                     actor=desk["reception"], at=f.at(2026, 3, 2, 9, 0))
    return transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0))


def scan(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")


def follow(code: str, identifier: str = f.VALID_PID, path: str = "/tra-cuu/ban-dien-tu-ket-qua-giay/"):
    return Client().get(path, {"ma": code, "so": identifier})


def test_a_paper_result_without_its_scan_is_refused_and_nothing_changes(desk, processing):
    with pytest.raises(DossierError) as refused:
        services.complete(processing, actor=desk["processing"], result_paper=True, at=f.at(2026, 3, 3, 9, 0))
    assert refused.value.code == "paper_result_scan_missing"
    assert Dossier.objects.get(pk=processing.pk).status == Status.IN_PROCESS
    assert not PersonalDocument.objects.exists()


def test_the_scan_of_a_paper_result_is_kept_pushed_to_the_store_and_offered_to_the_applicant(desk, processing,
                                                                                             scan_pdf):
    assert follow(processing.code).status_code == 404  # nothing before the result exists
    services.complete(processing, actor=desk["processing"], result_paper=True, upload=scan(scan_pdf),
                      at=f.at(2026, 3, 3, 9, 0))
    d = Dossier.objects.get(pk=processing.pk)
    digest = hashlib.sha256(scan_pdf).hexdigest()
    assert (d.status, d.result_paper, d.result_signed, d.result_to_personal_store) == (Status.PROCESSED, True, False,
                                                                                         True)
    assert d.result_sha256 == digest and d.events.order_by("seq").last().data["result_sha256"] == digest
    stored = PersonalDocument.objects.get(owner_id=f.VALID_PID, is_result=True)
    assert (stored.sha256, stored.path, stored.source_dossier) == (digest, d.result_file, d)
    assert stored.name == "Bản điện tử của kết quả giấy: Văn bản trả lời"

    download = follow(d.code)
    assert download.status_code == 200 and b"".join(download.streaming_content) == scan_pdf
    assert "attachment" in download["Content-Disposition"]
    assert follow(d.code, identifier="024090009999").status_code == 404
    tracking = Client().post("/tra-cuu/", {"ma": d.code, "so": f.VALID_PID}, follow=True)
    page = tracking.content.decode()
    assert "Tải bản điện tử của kết quả giấy" in page and "/tra-cuu/ban-dien-tu-ket-qua-giay/?t=" in page
    token = tracking.context["token"]
    by_token = Client().get("/tra-cuu/ban-dien-tu-ket-qua-giay/", {"t": token})  # the page's own link
    assert by_token.status_code == 200 and b"".join(by_token.streaming_content) == scan_pdf


def test_a_scan_that_is_not_a_pdf_is_refused(desk, processing):
    with pytest.raises(DossierError) as refused:
        services.complete(processing, actor=desk["processing"], result_paper=True, upload=scan(b"GIF89a not a scan"),
                          at=f.at(2026, 3, 3, 9, 0))
    assert refused.value.code == "file_rejected"
    assert Dossier.objects.get(pk=processing.pk).status == Status.IN_PROCESS
