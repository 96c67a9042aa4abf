"""Who may open what: every role against every page and endpoint. Enforcement lives in selectors
and services (scoping), so a hidden button is never the only guard."""
import pytest
from django.urls import reverse

from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action, Status
from motcua.units.models import Officer, Role
from motcua.units.services import provincial_office_group
from tests import factories as f

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "reception", "processing", "head", "other_unit_head", "provincial_office", "admin"]


@pytest.fixture
def world():
    stp, sxd, vp = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng"), f.unit("VPUB", "Văn phòng UBND tỉnh")
    people = {r: f.officer(stp, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    people["other_unit_head"] = f.officer(sxd, Role.HEAD)
    office = f.officer(vp, Role.PROVINCIAL_OFFICE)
    office.is_staff = True
    office.save()
    office.groups.add(provincial_office_group())
    people["provincial_office"] = office
    people["admin"] = Officer.objects.create_superuser("root", password="x-pass-123", role=Role.ADMIN, unit=vp)
    proc = f.procedure(code="1.STP", agency=stp)
    d = open_dossier(procedure=proc, unit=stp, channel=Channel.DIRECT, action=Action.RECEIVE,
                     actor=people[Role.RECEPTION], at=f.at(2026, 3, 2, 9, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Mai Thị K", f.VALID_PID))
    return {"people": people, "dossier": d, "procedure": proc}


def as_role(client, world, role):
    client.logout()
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


# page → expected status per role (302 for anonymous means: sent to the login page)
PAGES = {
    "procedures": (lambda w: reverse("portal:procedures"), dict.fromkeys(ROLES, 200)),
    "procedure": (lambda w: reverse("portal:procedure", args=[w["procedure"].code]), dict.fromkeys(ROLES, 200)),
    "lookup": (lambda w: reverse("portal:lookup"), dict.fromkeys(ROLES, 200)),
    "desk": (lambda w: reverse("dossiers:desk"), {**dict.fromkeys(ROLES, 200), "anonymous": 302}),
    "receive": (lambda w: reverse("dossiers:receive"),
                {**dict.fromkeys(ROLES, 404), "anonymous": 302, "reception": 200}),
    "dossier": (lambda w: reverse("dossiers:detail", args=[w["dossier"].code]),
                {**dict.fromkeys(ROLES, 200), "anonymous": 302, "other_unit_head": 404}),
    "receipt slip": (lambda w: reverse("slips:dossier", args=[w["dossier"].code, "01"]),
                     {**dict.fromkeys(ROLES, 200), "anonymous": 302, "other_unit_head": 404}),
    "admin": (lambda w: reverse("admin:index"),
              {**dict.fromkeys(ROLES, 302), "provincial_office": 200, "admin": 200}),
    "admin dossiers": (lambda w: reverse("admin:dossiers_dossier_changelist"),
                       {**dict.fromkeys(ROLES, 302), "provincial_office": 200, "admin": 200}),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_access(client, world, page, role):
    url, expected = PAGES[page]
    response = as_role(client, world, role).get(url(world))
    assert response.status_code == expected[role], f"{role} → {page}"
    if response.status_code == 302 and role == "anonymous" and not page.startswith("admin"):
        assert response.url.startswith(reverse("login"))


# Who may start processing the dossier: only officers of its unit (the table allows all three roles).
START = {**dict.fromkeys(ROLES, False), "reception": True, "processing": True, "head": True}


@pytest.mark.parametrize("role", ROLES)
def test_state_changes_only_inside_the_unit(client, world, role):
    d = world["dossier"]
    url = reverse("dossiers:act", args=[d.code, "start_processing"])
    assignee = world["people"][Role.PROCESSING].pk
    response = as_role(client, world, role).post(url, {"version": d.version, "assignee": assignee})
    changed = Dossier.objects.get(pk=d.pk).status == Status.IN_PROCESS
    assert changed == START[role], role
    if role in ("anonymous",):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    if role == "other_unit_head":
        assert response.status_code == 404


def test_national_receiver_answers_json_only(client):
    response = client.get("/_quoc-gia/dong-bo/")
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
