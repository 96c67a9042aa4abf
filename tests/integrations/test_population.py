"""The population-database adapter and its offline stand-in."""
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.dossiers.models import ApplicantKind, Dossier, DossierEvent, PopulationCheck
from motcua.dossiers.services import Applicant
from motcua.integrations.population import (
    LocalPopulationRegistry, PopulationAnswer, PopulationLookupError, check_applicant, register_resident,
)
from tests import factories as f
from tests.integrations.conftest import CITIZEN

pytestmark = pytest.mark.django_db
COMPANY = Applicant(ApplicantKind.ORGANISATION, "Công ty TNHH An Bình", "0100109106")


def test_a_registered_resident_matches_and_the_dossier_is_verified(make_dossier):
    register_resident(f.VALID_PID, "TRẦN  thị b", date(1990, 5, 1))  # case and spaces do not matter
    d = make_dossier()
    version = d.version
    check = check_applicant(d, now=f.at(2026, 3, 2, 9, 5))
    assert (check.matched, check.source, check.detail) == (True, "local-registry", {"reason": "matched"})
    assert check.checked_at == f.at(2026, 3, 2, 9, 5)
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.population_verified and stored.version == version  # not a state change
    assert DossierEvent.objects.filter(dossier=d).count() == 1


@pytest.mark.parametrize("registered, reason", [(None, "not_found"), ("Tran Thi B", "name_mismatch"),
                                                ("Trần Thị C", "name_mismatch")])
def test_no_match_is_recorded_and_verifies_nothing(make_dossier, registered, reason):
    if registered:
        register_resident(f.VALID_PID, registered)
    d = make_dossier()
    check = check_applicant(d)
    assert not check.matched and check.detail["reason"] == reason
    assert PopulationCheck.objects.filter(dossier=d).count() == 1
    assert not Dossier.objects.get(pk=d.pk).population_verified


def test_the_stand_in_rejects_an_invalid_number():
    answer = LocalPopulationRegistry().lookup("003090001234", "A")
    assert not answer.matched and answer.detail["reason"] == "invalid_id"


def test_organisations_are_not_looked_up(make_dossier):
    with pytest.raises(ValueError):
        check_applicant(make_dossier(applicant=COMPANY))
    assert PopulationCheck.objects.count() == 0


def test_an_adapter_that_cannot_answer_records_nothing(make_dossier):
    class Down:
        source = "national"

        def lookup(self, personal_id, full_name):
            raise PopulationLookupError("CSDL dân cư không trả lời")

    d = make_dossier()
    with pytest.raises(PopulationLookupError):
        check_applicant(d, adapter=Down())
    assert PopulationCheck.objects.count() == 0


def test_another_adapter_is_recorded_under_its_source(make_dossier):
    class VNeID:
        source = "vneid"

        def lookup(self, personal_id, full_name):
            return PopulationAnswer(True, {"reason": "matched", "account": "level-2"})

    check = check_applicant(make_dossier(), adapter=VNeID())
    assert check.source == "vneid" and check.detail["account"] == "level-2"


def test_population_command_checks_only_unchecked_individuals_since_a_day(make_dossier, capsys):
    register_resident(f.VALID_PID, CITIZEN.name)
    old = make_dossier(day=2)
    new = make_dossier(day=5)
    other = make_dossier(day=5, applicant=Applicant(ApplicantKind.INDIVIDUAL, "Lê Văn C", "001090004321"))
    company = make_dossier(day=5, applicant=COMPANY)

    call_command("sync", "population", "--since", "2026-03-04")
    assert "2 hồ sơ, 1 khớp, 1 không khớp" in capsys.readouterr().out
    assert set(PopulationCheck.objects.values_list("dossier_id", "matched")) == {(new.pk, True), (other.pk, False)}
    assert not PopulationCheck.objects.filter(dossier__in=[old, company]).exists()

    call_command("sync", "population")  # the rest: only `old`; those already checked are skipped
    assert "1 hồ sơ, 1 khớp" in capsys.readouterr().out
    assert PopulationCheck.objects.count() == 3


def test_population_command_rejects_a_bad_day():
    with pytest.raises(CommandError):
        call_command("sync", "population", "--since", "04/03/2026")
