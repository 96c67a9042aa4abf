"""Signing over the JSON API is the same signature as at the desk (never a bare event)."""
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.results import services
from motcua.results.models import CertifiedCopy, SignedDocument, SigningIdentity
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.results.test_services import in_process

pytestmark = pytest.mark.django_db


def client_of(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


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
