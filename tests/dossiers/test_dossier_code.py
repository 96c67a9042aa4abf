"""The dossier code `<receiving unit's electronic identifier>-YYMMDD-XXXX` (Circular 01/2018/TT-VPCP
Art. 19, continued by Circular 03/2025/TT-VPCP), the identifier in the shape of Decision
20/2020/QĐ-TTg Art. 4(1), and the codes issued before identifiers were recorded, which stay valid."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from motcua.catalogue.models import Procedure
from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.selectors import applicant_dossier, search
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.units.identifiers import validate_agency_identifier
from motcua.units.models import Officer, Role, Unit, UnitKind
from motcua.units.services import assign_identifiers
from tests import factories as f

CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Nguyễn Thị Mai", f.VALID_PID)


def _receive(unit, officer, at):
    procedure = Procedure.objects.filter(code="1.000001").first() or f.procedure(agency=unit)
    return open_dossier(procedure=procedure, unit=unit, applicant=CITIZEN, channel=Channel.DIRECT,
                        action=Action.RECEIVE, actor=officer, at=at)


@pytest.mark.parametrize("value", ["H24", "H24.05", "H24.101", "G22.10.A1", "A00.ZZ.09"])
def test_identifiers_in_the_shape_of_decision_20_2020(value):
    assert validate_agency_identifier(value) is None


@pytest.mark.parametrize("value", ["", "h24.05", "24.05", "Z24.05", "H2.05", "H24..05", "H24.05.", "H24-05",
                                   "H24.Đ1", "H24." + "1" * 32])
def test_other_shapes_are_refused_with_a_reason(value):
    assert "Mã định danh điện tử" in validate_agency_identifier(value)


@pytest.mark.django_db
def test_a_unit_takes_a_valid_unique_identifier():
    dept = f.unit()
    dept.identifier = "H24.5"
    dept.full_clean()
    dept.identifier = "H24.05-X"
    with pytest.raises(ValidationError):
        dept.full_clean()
    dept.identifier = "H24.05"
    dept.save()
    other = f.unit(code="SYT", name="Sở Y tế")
    other.identifier = "H24.05"
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    # Units without an identifier yet do not collide with each other.
    assert Unit.objects.filter(identifier="").count() == 2  # the province and the other department


@pytest.mark.django_db
def test_new_codes_start_with_the_identifier_older_ones_stay_valid_and_found():
    dept = f.unit()
    reception = f.officer(dept, Role.RECEPTION)
    older = _receive(dept, reception, f.at(2026, 3, 2, 9, 0))
    assert older.code == "STP-260302-0001"  # no identifier yet: the unit's code, as before

    dept.identifier = "H24.06"
    dept.save()
    first, second = (_receive(dept, reception, f.at(2026, 3, 2, 10, m)) for m in (0, 1))
    # The day's sequence goes on across the change: no number is issued twice.
    assert (first.code, second.code) == ("H24.06-260302-0002", "H24.06-260302-0003")
    assert _receive(dept, reception, f.at(2026, 3, 3, 9, 0)).code == "H24.06-260303-0001"

    for d in (older, first):
        assert applicant_dossier(d.code, f.VALID_PID) == d
        assert applicant_dossier(f" {d.code.lower()} ", f.VALID_PID) == d
        assert list(search(Dossier.objects.all(), d.code.lower())) == [d]
    assert set(search(Dossier.objects.all(), "h24.06-260302")) == {first, second}


@pytest.mark.django_db
def test_the_demo_province_gets_identifiers_in_shape_and_keeps_entered_ones():
    province = f.unit(code="24", name="Bắc Ninh", kind=UnitKind.PROVINCE)
    for code in ("STP", "SCT"):
        f.unit(code=code, name=code, parent=province)
    for code in ("07627", "07630"):
        f.unit(code=code, name=code, kind=UnitKind.COMMUNE, parent=province)
    entered = f.unit(code="SYT", name="Sở Y tế", parent=province)
    entered.identifier = "H24.01"  # entered by hand: kept, and not handed out again
    entered.save()
    assign_identifiers(province, "H24")
    got = {u.code: u.identifier for u in Unit.objects.all()}
    assert got == {"24": "H24", "SYT": "H24.01", "SCT": "H24.02", "STP": "H24.03",
                   "07627": "H24.101", "07630": "H24.102"}
    assert all(validate_agency_identifier(v) is None for v in got.values())
    assign_identifiers(province, "H24")  # again: nothing moves
    assert {u.code: u.identifier for u in Unit.objects.all()} == got


@pytest.mark.django_db
def test_the_identifier_is_edited_in_the_admin(client):
    client.force_login(Officer.objects.create_superuser("root", password="x-pass-123", role=Role.ADMIN))
    dept = f.unit()
    url = reverse("admin:units_unit_change", args=[dept.pk])
    form = {"code": dept.code, "name": dept.name, "kind": dept.kind, "parent": dept.parent_id or "",
            "division_type": "", "admin_code": ""}
    refused = client.post(url, {**form, "identifier": "h24.06"})
    assert refused.status_code == 200 and "Mã định danh điện tử gồm" in refused.content.decode()
    assert client.post(url, {**form, "identifier": "H24.06"}).status_code == 302
    dept.refresh_from_db()
    assert dept.identifier == "H24.06"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dossiers_received_at_once_never_share_a_number():
    dept = f.unit()
    dept.identifier = "H24.06"
    dept.save()
    officers = [f.officer(dept, Role.RECEPTION, username=f"tiepnhan{i}") for i in range(6)]
    procedure = f.procedure(agency=dept)
    barrier, codes, errors = threading.Barrier(len(officers)), [], []

    def receive(officer):
        try:
            barrier.wait()
            d = open_dossier(procedure=procedure, unit=Unit.objects.get(pk=dept.pk), applicant=CITIZEN,
                             channel=Channel.DIRECT, action=Action.RECEIVE, actor=officer, at=f.at(2026, 6, 1, 9, 0))
            codes.append(d.code)
        except Exception as exc:  # noqa: BLE001 — any failure is the test's finding
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(codes) == [f"H24.06-260601-{n:04d}" for n in range(1, 7)]
