"""The applicant's store over the API: the desk reuses a document only with the applicant present
and consenting, the applicant online only with their own consent, a document only for a component
of its type; each use is in the public lookup."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalogue.models import Component
from motcua.dossiers.models import ComponentFile, DocumentAccess, Dossier, DossierEvent, PersonalDocument
from motcua.units.models import Role
from tests import factories as f
from tests.api.conftest import API, PDF, as_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_doc(world):
    return PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Căn cước (bản điện tử)", path="store/cccd.pdf",
                                           sha256="c" * 64, document_type=f.document_type())


def receive(world, **extra):
    data = {"procedure_code": world["procedure"].code, "channel": "direct", "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID, "component_ids": [world["form"].pk],
            "files": [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")],
            "reuse_component_ids": [world["card"].pk], **extra}
    return as_officer(world[Role.RECEPTION]).post(f"{API}/dossiers", data)


def nothing_written():
    return Dossier.objects.count() == DossierEvent.objects.count() == ComponentFile.objects.count() == \
        DocumentAccess.objects.count() == 0


def test_the_desk_api_refuses_reuse_without_the_applicants_presence_and_consent(world, card_doc):
    refused = receive(world)
    body = refused.json()["error"]
    assert refused.status_code == 403 and body["code"] == "reuse_without_consent"
    assert "có mặt tại quầy và đồng ý" in body["fields"]["reuse_consent"][0]
    postal = receive(world, channel="postal", reuse_consent=True)
    assert postal.status_code == 403 and postal.json()["error"]["code"] == "reuse_without_consent"
    assert nothing_written()


def test_the_desk_api_refuses_a_document_of_another_type(world, card_doc):
    card_doc.document_type = f.document_type("khai-sinh", "Giấy khai sinh")
    card_doc.save()
    refused = receive(world, reuse_consent=True)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "nothing_to_reuse"
    assert "loại «Căn cước»" in refused.json()["error"]["fields"]["reuse_component_ids"][0]
    untyped = receive(world, reuse_consent=True, reuse_component_ids=[world["form"].pk], component_ids=[world["card"].pk])
    assert untyped.status_code == 400
    assert "chưa được gắn loại giấy tờ" in untyped.json()["error"]["fields"]["reuse_component_ids"][0]
    assert nothing_written()


def test_each_use_at_the_desk_is_in_the_public_lookup(world, card_doc, client):
    officer = world[Role.RECEPTION]
    officer.first_name, officer.last_name = "Lê Văn", "Đức"
    officer.save()
    received = receive(world, reuse_consent=True)
    assert received.status_code == 201, received.json()
    code = received.json()["code"]
    [access] = client.get(f"{API}/lookup", {"code": code, "id": f.VALID_PID}).json()["document_accesses"]
    assert {k: access[k] for k in ("document", "component", "officer", "unit", "consent")} == {
        "document": "Căn cước (bản điện tử)", "component": "Bản sao CCCD", "officer": "Lê Văn Đức",
        "unit": "Sở Tư pháp", "consent": "present"}
    assert access["consent_label"].startswith("Công dân có mặt tại quầy") and code in access["purpose"]
    assert access["at"] is not None


def test_online_the_applicant_reuses_with_consent_over_the_api(world, card_doc, client):
    card = Component.objects.create(procedure=world["online"], order=2, name="Giấy tờ tùy thân",
                                    document_type=f.document_type())
    guide = client.get(f"{API}/procedures/{world['online'].code}").json()
    assert [c["document_type"] for c in guide["components"]] == [None, "can-cuoc"]
    data = {"procedure_code": world["online"].code, "unit_id": world["commune"].pk, "applicant_kind": "individual",
            "applicant_name": "Ngô Thị G", "applicant_id": f.VALID_PID, "component_ids": [world["birth_form"].pk],
            "files": [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")], "reuse_component_ids": [card.pk]}
    refused = client.post(f"{API}/submissions", data)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "reuse_without_consent"
    assert nothing_written()
    data["files"] = [SimpleUploadedFile("to-khai.pdf", PDF, "application/pdf")]
    submitted = client.post(f"{API}/submissions", {**data, "reuse_consent": True})
    assert submitted.status_code == 201, submitted.json()
    [access] = submitted.json()["document_accesses"]
    assert (access["officer"], access["consent"], access["unit"]) == (None, "online", "Xã Đại Sơn")
