"""The results rules over the JSON API are the desk's (one code path, `results.services`):
completing a document result stores its PDF, signing is the real signature (never a bare event),
an unsigned document result is not returned; a result that is not a document needs no file."""
import hashlib

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.transitions import Status
from motcua.results import identities, services, signing
from motcua.results.models import CertifiedCopy, SignedDocument, SigningIdentity
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.results.test_services import in_process

pytestmark = pytest.mark.django_db
API = "/api/v1"
NOT_SIGNED = "Kết quả là giấy tờ phải được ký số (bản điện tử) trước khi trả; bản giấy chỉ là bản bổ sung."


def client_of(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def act(officer, dossier, action, **body):
    body.setdefault("version", Dossier.objects.get(pk=dossier.pk).version)
    return client_of(officer).post(f"{API}/dossiers/{dossier.code}/actions/{action}", body,
                                   content_type="application/json")


def upload(officer, dossier, content: bytes, name="ket-qua.pdf", **data):
    data.setdefault("version", Dossier.objects.get(pk=dossier.pk).version)
    return client_of(officer).post(f"{API}/dossiers/{dossier.code}/result",
                                   {**data, "result_file": SimpleUploadedFile(name, content, "application/pdf")})


def detail(officer, dossier) -> dict:
    response = client_of(officer).get(f"{API}/dossiers/{dossier.code}")
    assert response.status_code == 200, response.json()
    return response.json()


def offered(officer, dossier) -> set[str]:
    return {a["action"] for a in detail(officer, dossier)["allowed_actions"]}


def snapshot(dossier) -> tuple:
    """What completing, signing or returning could have written."""
    return (Dossier.objects.filter(pk=dossier.pk).values().get(), DossierEvent.objects.filter(dossier=dossier).count(),
            SignedDocument.objects.count())


def stored(path) -> bytes:
    with default_storage.open(path, "rb") as fh:
        return fh.read()


def test_completing_a_document_result_over_the_api_stores_the_draft_pdf(desk):
    d = in_process(desk)
    response = act(desk["processing"], d, "complete", result_paper=True)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.PROCESSED
    d.refresh_from_db()
    assert d.result_file and not d.result_signed and d.result_paper
    draft = stored(d.result_file)
    assert draft.startswith(b"%PDF") and hashlib.sha256(draft).hexdigest() == d.result_sha256
    assert signing.validate_pdf(draft, identities.trusted_roots()).signatures == ()  # a draft, not signed yet
    seen = detail(desk["processing"], d)
    assert seen["result_is_document"] and seen["result_sha256"] == d.result_sha256 and not seen["result_signed"]
    assert seen["events"][-1]["action"] == "complete"
    assert "sign_result" in offered(desk["head"], d)


def test_an_unsigned_document_result_is_not_returned_over_the_api_and_nothing_changes(desk):
    d = in_process(desk)
    assert act(desk["processing"], d, "complete").status_code == 200
    assert "return_result" not in offered(desk["reception"], d)  # not offered while unsigned
    version = Dossier.objects.get(pk=d.pk).version
    before = snapshot(d)
    refused = act(desk["reception"], d, "return_result")
    assert refused.status_code == 409
    assert refused.json() == {"error": {"code": "result_not_signed", "message": NOT_SIGNED, "fields": {}}}
    assert snapshot(d) == before
    row = Dossier.objects.get(pk=d.pk)
    assert (row.status, row.version, row.returned_at) == (Status.PROCESSED, version, None)


def test_after_the_heads_signature_over_the_api_the_result_is_returned(desk):
    d = in_process(desk)
    act(desk["processing"], d, "complete")
    signed = act(desk["head"], d, "sign_result")
    assert signed.status_code == 200, signed.json()
    assert Dossier.objects.get(pk=d.pk).result_signed and SignedDocument.objects.count() == 1
    assert "sign_result" not in offered(desk["head"], d) and "return_result" in offered(desk["reception"], d)
    again = act(desk["head"], d, "sign_result")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_signed"
    returned = act(desk["reception"], d, "return_result")
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == Status.RETURNED
    assert [e["action"] for e in detail(desk["reception"], d)["events"]][-3:] == [
        "complete", "sign_result", "return_result"]


def test_a_result_that_is_not_a_document_completes_and_returns_without_a_file(desk):
    procedure = f.procedure(code="1.000002", agency=desk["unit"], result_is_document=False)
    d = in_process(desk, procedure)
    assert "sign_result" not in offered(desk["head"], d)
    completed = act(desk["head"], d, "complete")  # the head completes: nothing to sign
    assert completed.status_code == 200, completed.json()
    assert "sign_result" not in offered(desk["head"], d)
    returned = act(desk["reception"], d, "return_result")
    assert returned.status_code == 200 and returned.json()["status"] == Status.RETURNED
    row = Dossier.objects.get(pk=d.pk)
    assert (row.result_file, row.result_sha256, row.result_signed) == ("", "", False)
    assert SignedDocument.objects.count() == 0
    assert not detail(desk["reception"], d)["result_is_document"]


def test_an_uploaded_result_over_the_api_is_the_stored_draft(desk, scan_pdf):
    d = in_process(desk)
    response = upload(desk["processing"], d, scan_pdf, result_paper="true",
                      reason="Kết quả do phần mềm chuyên ngành lập")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.PROCESSED
    d.refresh_from_db()
    assert stored(d.result_file) == scan_pdf and d.result_paper and not d.result_signed
    assert d.events.order_by("seq").last().reason == "Kết quả do phần mềm chuyên ngành lập"


@pytest.mark.parametrize("problem, content, status, code", [
    ("not a pdf", b"GIF89a not a result", 400, "file_rejected"),
    ("an empty file", b"", 400, "file_rejected"),
    ("not a document result", b"%PDF-1.4", 400, "no_document_result"),
    ("reception may not complete", b"%PDF-1.4", 403, "role_not_allowed"),
    ("stale version", b"%PDF-1.4", 409, "stale_version"),
])
def test_a_refused_result_upload_over_the_api_changes_nothing(desk, scan_pdf, problem, content, status, code):
    procedure = (f.procedure(code="1.000002", agency=desk["unit"], result_is_document=False)
                 if problem == "not a document result" else None)
    d = in_process(desk, procedure)
    who = desk["reception"] if problem == "reception may not complete" else desk["processing"]
    extra = {"version": d.version - 1} if problem == "stale version" else {}
    content = scan_pdf if content == b"%PDF-1.4" else content
    before = snapshot(d)
    response = upload(who, d, content, **extra)
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if code in ("file_rejected", "no_document_result"):
        assert error["fields"] == {"result_file": [error["message"]]}
    assert snapshot(d) == before


def test_the_head_signs_through_the_api_and_other_roles_cannot(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    url = f"/api/v1/dossiers/{d.code}/actions/sign_result"
    refused = client_of(desk["processing"]).post(url, {"version": d.version}, content_type="application/json")
    assert refused.status_code == 403 and not Dossier.objects.get().result_signed
    signed = client_of(desk["head"]).post(url, {"version": d.version}, content_type="application/json")
    assert signed.status_code == 200, signed.json()
    document = SignedDocument.objects.get()
    assert Dossier.objects.get().result_sha256 == document.sha256


def test_the_admin_lists_certificates_documents_and_the_register(commune, scan_pdf):
    d = in_process(commune, commune["procedure"])
    services.certify_copy(d, actor=commune["head"], scan=scan_pdf, original_name="Giấy khai sinh", paper_copies=1,
                          at=f.at(2026, 3, 2, 14, 0))
    client = client_of(Officer.objects.create_superuser("root", password="x-pass-123", role=Role.ADMIN))
    for model in (SigningIdentity, SignedDocument, CertifiedCopy):
        meta = model._meta
        assert model in admin.site._registry
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
        change = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[model.objects.get().pk]))
        assert change.status_code == 200


def test_a_result_upload_without_the_file_is_refused_with_its_own_code(desk):
    d = in_process(desk)
    before = snapshot(d)
    response = client_of(desk["processing"]).post(f"{API}/dossiers/{d.code}/result", {"version": d.version})
    assert response.status_code == 400 and response.json()["error"]["code"] == "result_file_missing"
    assert snapshot(d) == before
