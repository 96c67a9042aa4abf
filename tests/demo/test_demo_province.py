"""The demo province: real communes, every dossier made by the transition service."""
import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from motcua.catalogue.models import Procedure
from motcua.demo.loader import load_demo
from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.transitions import Status
from motcua.units.models import Officer, Role, Unit, UnitKind
from tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = load_demo(province_code=24, months=3, per_month=700, seed=7, until=at(2026, 11, 20, 12, 0),
                            progress=lambda _: None)
        yield summary
        call_command("flush", interactive=False, verbosity=0)


def test_organisation_is_bac_ninh(demo):
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 99
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 15
    for unit in Unit.objects.exclude(kind=UnitKind.PROVINCE):
        roles = set(unit.officers.values_list("role", flat=True))
        assert roles - {Role.ADMIN, Role.PROVINCIAL_OFFICE} == {Role.RECEPTION, Role.PROCESSING, Role.HEAD}
    assert Officer.objects.get(username="vanphong").unit.code == "VPUB"
    assert Officer.objects.get(username="stp.xuly").check_password("motcua2026")
    assert Procedure.objects.count() >= 200
    assert Procedure.objects.filter(code="2.000815", level="commune").exists()


def test_dossiers_come_from_the_transition_service(demo):
    assert demo.dossiers == Dossier.objects.count() > 1500
    assert demo.events == DossierEvent.objects.count()
    mismatched = Dossier.objects.annotate(n=Count("events")).exclude(n=F("version"))
    assert not mismatched.exists()
    assert list(verify_event_chains()) == []
    assert not DossierEvent.objects.filter(at__gt=at(2026, 11, 20, 12, 0)).exists()


def test_what_the_product_cannot_produce_is_marked_as_imported_history(demo):
    """A signed result without its signed file, a payment without a payment record: the simulated
    past holds them only as events imported through the door's `HistoryImport`, each saying so."""
    signed_without_file = Dossier.objects.filter(result_signed=True, signed_documents__isnull=True)
    assert signed_without_file.exists()
    facts = DossierEvent.objects.filter(Q(action="complete", dossier__in=signed_without_file)
                                        | Q(action="confirm_payment"))
    assert facts.exists() and not facts.exclude(data__has_key="imported_from").exists()
    # The certified copies are made by the real services: signed files, no import mark.
    copies = DossierEvent.objects.filter(action="sign_result")
    assert copies.exists() and not copies.filter(data__has_key="imported_from").exists()


def test_the_province_looks_real(demo):
    finished = Dossier.objects.filter(finished_at__isnull=False)
    late = finished.filter(finished_at__gt=F("current_appointment_at")).count() / finished.count()
    assert 0.05 < late < 0.35
    documents = finished.filter(procedure__result_is_document=True)
    e_result = documents.filter(result_signed=True).count() / documents.count()
    assert 0.55 < e_result < 0.9
    paid = Dossier.objects.filter(paid_at__isnull=False)
    online = paid.filter(payment_channel__in=["national", "province"]).count() / paid.count()
    assert 0.5 < online < 0.95
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.REFUSED, Status.IN_PROCESS, Status.PROCESSED, Status.RETURNED} <= statuses
    # Refused only at reception (never received); a received dossier that ends early is stopped.
    assert not Dossier.objects.filter(status=Status.REFUSED, received_at__isnull=False).exists()
    assert not DossierEvent.objects.filter(action="refuse", from_status__in=[2, 4, 5, 6, 9]).exists()
    assert Dossier.objects.filter(supplement_count=1).exists() and Dossier.objects.filter(channel="online").exists()
    # Some late dossiers were reported in time, with an apology slip; their original appointment stands.
    from motcua.dossiers.models import DelayReport

    reports = DelayReport.objects.select_related("dossier")
    assert demo.delay_reports == reports.count() > 0
    assert all(r.apology_slip and r.filed_at < r.dossier.current_appointment_at < r.new_appointment_at for r in reports)


def test_units_differ(demo):
    rates = []
    for unit in Unit.objects.filter(kind=UnitKind.COMMUNE):
        done = unit.dossiers.filter(finished_at__isnull=False)
        if done.count() >= 10:
            rates.append(done.filter(Q(finished_at__lte=F("current_appointment_at"))).count() / done.count())
    assert len(rates) > 20 and max(rates) - min(rates) > 0.2


def test_some_dossiers_are_digitized_at_reception(demo):
    from motcua.dossiers.models import ComponentFile, DossierComponent

    total = Dossier.objects.count()
    digitized = DossierComponent.objects.filter(digitized=True).values("dossier").distinct().count()
    assert 0.03 < digitized / total < 0.3
    assert ComponentFile.objects.count() >= digitized - DossierComponent.objects.filter(reused=True, digitized=True).count()


def test_the_finished_months_are_published_so_the_portal_shows_them_after_loading(demo, client):
    from motcua.index import rankings
    from motcua.index.models import MonthlyReport, SnapshotStatus

    assert rankings.published_months() == ["2026-10", "2026-09"]  # November 2026 is still running
    assert rankings.latest("2026-11").status == SnapshotStatus.DRAFT
    assert list(MonthlyReport.objects.values_list("snapshot__period", flat=True)) == ["2026-10"]
    overview = client.get("/chi-so/").content.decode()
    assert "Chưa có tháng nào được công bố" not in overview
    communes = client.get("/chi-so/2026-10/xa-phuong/")
    some_commune = Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code").first()
    assert communes.status_code == 200 and some_commune.name in communes.content.decode()
    assert "2026-09" in client.get("/chi-so/du-lieu-mo/").content.decode()
