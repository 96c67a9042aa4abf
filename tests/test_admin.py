"""Every admin page opens, in Vietnamese, for the administrator; dossiers cannot be edited there."""
import pytest
from django.contrib import admin
from django.urls import reverse

from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.units.models import Officer, Role
from motcua.units.services import provincial_office_group
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


def test_admin_dossier_lists_go_through_scoping(client):
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    for dept in (stp, sxd):
        open_dossier(procedure=f.procedure(code=f"1.{dept.code}", agency=dept), unit=dept, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=f.officer(dept, Role.RECEPTION), at=f.at(2026, 3, 2, 9, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Đỗ Thị E", f.VALID_PID))
    group = provincial_office_group()
    office = f.officer(f.unit("VPUB", "Văn phòng UBND tỉnh"), Role.PROVINCIAL_OFFICE)
    head = f.officer(stp, Role.HEAD)
    for user in (office, head):
        user.is_staff = True
        user.save()
        user.groups.add(group)
    url = reverse("admin:dossiers_dossier_changelist")
    client.force_login(office)
    assert client.get(url).context["cl"].result_count == 2
    client.force_login(head)
    listed = client.get(url).context["cl"].queryset
    assert [d.unit.code for d in listed] == ["STP"]
    other = Dossier.objects.get(unit=sxd)
    assert client.get(reverse("admin:dossiers_dossier_change", args=[other.pk])).status_code == 302
    events = client.get(reverse("admin:dossiers_dossierevent_changelist")).context["cl"].queryset
    assert {e.dossier.unit.code for e in events} == {"STP"}
