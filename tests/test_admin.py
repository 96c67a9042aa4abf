"""Every admin page opens, in Vietnamese, for the administrator; dossiers cannot be edited there."""
import pytest
from django.contrib import admin
from django.urls import reverse

from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.units.models import Officer, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    dept = f.unit()
    open_dossier(procedure=f.procedure(agency=dept), unit=dept, channel=Channel.DIRECT, action=Action.RECEIVE,
                 actor=f.officer(dept, Role.RECEPTION), at=f.at(2026, 3, 2, 9, 0),
                 applicant=Applicant(ApplicantKind.INDIVIDUAL, "Đỗ Thị E", f.VALID_PID))
    client.force_login(Officer.objects.create_superuser("root", password="x-pass-123", role=Role.ADMIN))
    return client


def test_every_changelist_and_change_page_opens(admin_client):
    for model in admin.site._registry:
        meta = model._meta
        page = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert page.status_code == 200, meta.label
        first = model.objects.first()
        if first is not None:
            page = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk]))
            assert page.status_code == 200, meta.label


def test_admin_speaks_vietnamese(admin_client):
    page = admin_client.get(reverse("admin:index"))
    text = page.content.decode()
    assert "Hệ thống Một cửa" in text and "Đơn vị" in text and "Hồ sơ" in text


def test_dossier_admin_is_read_only(admin_client):
    dossier = Dossier.objects.get()
    assert admin_client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    page = admin_client.post(reverse("admin:dossiers_dossier_change", args=[dossier.pk]), {"status": 10})
    assert Dossier.objects.get().status == dossier.status
    assert "Sự kiện hồ sơ" in admin_client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content.decode()
