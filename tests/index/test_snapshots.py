"""Stored index results: same facts, same numbers; a published month is frozen; revisions keep history."""
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.index import services
from motcua.index.engine import periods as P
from motcua.index.engine.methodology import DEFAULT_VERSION, get_methodology, register
from motcua.index.models import IndicatorScore, Snapshot, SnapshotStatus
from motcua.units.models import Role, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = f.at(2026, 11, 20, 10, 0)


@pytest.fixture
def province():
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    officers, procedures, dossier = f.index_province(stp, sxd)

    dossier("STP", f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))  # on time
    dossier("SXD", f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))  # on time
    dossier("SXD", f.at(2026, 10, 12, 9), f.at(2026, 10, 20, 9))  # late
    return {"stp": stp, "sxd": sxd, "dossier": dossier, "officers": officers, "procedures": procedures}


def scores(snapshot):
    return {s.unit.code: s for s in snapshot.unit_scores.select_related("unit")}


def test_compute_stores_every_unit_and_indicator_under_the_methodology(province):
    snap = services.compute("2026-10", now=NOW)
    assert (snap.period, snap.revision, snap.status) == ("2026-10", 0, SnapshotStatus.DRAFT)
    assert snap.methodology_version == "qd766-portal-2026" and snap.methodology["version"] == "qd766-portal-2026"
    by_unit = scores(snap)
    assert set(by_unit) == {"24", "STP", "SXD"}
    on_time = {c: s.indicators.get(code="ON_TIME") for c, s in by_unit.items()}
    assert (on_time["STP"].numerator, on_time["STP"].denominator, on_time["STP"].score) == (1, 1, 20.0)
    assert (on_time["SXD"].numerator, on_time["SXD"].denominator) == (1, 2)
    assert on_time["SXD"].score == pytest.approx(10.0)
    assert (on_time["24"].numerator, on_time["24"].denominator) == (2, 3)
    assert by_unit["STP"].rank == 1 and by_unit["SXD"].rank == 2 and by_unit["24"].rank is None
    assert by_unit["STP"].total == pytest.approx(sum(by_unit["STP"].groups.values()))
    stored = IndicatorScore.objects.filter(unit_score__snapshot=snap)
    assert stored.count() == 3 * 21 and not stored.filter(measured=False).exists()  # the engine measures all 21
    # Zero denominators get each indicator's own rule: no publication decision scores 0, no petition
    # the full 6, and a department (no commune of its own) E_CERTIFIED_COPY's full 2.
    stp = {i.code: i for i in by_unit["STP"].indicators.all()}
    assert (stp["PUBLISH_ON_TIME"].denominator, stp["PUBLISH_ON_TIME"].score) == (0, 0.0)
    assert (stp["PETITION_ON_TIME"].denominator, stp["PETITION_ON_TIME"].score) == (0, 6.0)
    assert (stp["E_CERTIFIED_COPY"].denominator, stp["E_CERTIFIED_COPY"].score) == (0, 2.0)


def test_calculate_counts_the_facts_under_the_methodology_asked_for(province):
    """The supplement limit of ON_TIME is the chosen methodology's, not the default version's."""
    o = province["officers"]["STP"]
    d = open_dossier(procedure=province["procedures"]["STP"], unit=province["stp"], channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=o[Role.RECEPTION], at=f.at(2026, 10, 5, 9),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Vũ Văn G", f.VALID_PID))
    transition(d, Action.START_PROCESSING, actor=o[Role.PROCESSING], at=f.at(2026, 10, 5, 9, 30))
    for n, hour in enumerate((10, 14)):  # two supplement requests, each answered within the hour
        transition(d, Action.REQUEST_SUPPLEMENT, actor=o[Role.PROCESSING], at=f.at(2026, 10, 5, hour),
                   reason="Bổ sung giấy tờ", acknowledge_overdue=n > 0)
        transition(d, Action.RECEIVE_SUPPLEMENT, actor=o[Role.RECEPTION], at=f.at(2026, 10, 5, hour, 30))
    transition(d, Action.COMPLETE, actor=o[Role.HEAD], at=f.at(2026, 10, 6, 9))  # well before its appointment
    lenient = register(get_methodology().with_changes(version="test-two-supplements", max_supplement_requests=2))
    period = P.month(2026, 10)

    def stp_on_time(version):
        results = {r.unit_id: r for r in services.calculate(period, NOW, version)}
        line = next(i for i in results[province["stp"].pk].indicators if i.code == "ON_TIME")
        return line.numerator, line.denominator

    assert stp_on_time(DEFAULT_VERSION) == (1, 2)  # more than one request: overdue
    assert stp_on_time(lenient.version) == (2, 2)


def test_a_methodology_with_an_indicator_the_engine_does_not_measure_is_refused(province):
    base = get_methodology()
    g4 = [i for i in base.indicators if i.group == "G4"]
    renamed = replace(g4[0], code="NOT_MEASURED", portal_codes=())
    odd = register(base.with_changes(version="test-unmeasured", indicators=tuple(
        renamed if i is g4[0] else i for i in base.indicators)))
    with pytest.raises(services.SnapshotError, match="NOT_MEASURED"):
        services.compute("2026-10", now=NOW, methodology_version=odd.version)
    assert not Snapshot.objects.exists()


def test_recomputing_from_the_same_facts_gives_the_same_numbers(province):
    first = services.compute("2026-10", now=NOW)
    digest, totals = first.fingerprint, {c: s.total for c, s in scores(first).items()}
    again = services.compute("2026-10", now=NOW)
    assert again.pk == first.pk and again.fingerprint == digest
    assert {c: s.total for c, s in scores(again).items()} == totals
    assert Snapshot.objects.count() == 1


def test_a_published_month_is_frozen_and_a_correction_is_a_revision(province):
    services.compute("2026-10", now=NOW)
    published = services.publish("2026-10", now=NOW)
    assert published.status == SnapshotStatus.PUBLISHED
    assert services.compute("2026-10", now=NOW).pk == published.pk  # same facts: nothing to revise
    province["dossier"]("STP", f.at(2026, 10, 19, 9), f.at(2026, 10, 28, 9))  # a late dossier recorded afterwards
    with pytest.raises(services.SnapshotError, match="lý do"):
        services.compute("2026-10", now=NOW)
    assert Snapshot.objects.get().status == SnapshotStatus.PUBLISHED
    revision = services.compute("2026-10", now=NOW, reason="Bổ sung hồ sơ đồng bộ muộn")
    assert (revision.revision, revision.status, revision.reason) == (1, SnapshotStatus.PUBLISHED, "Bổ sung hồ sơ đồng bộ muộn")
    old = Snapshot.objects.get(revision=0)
    assert old.status == SnapshotStatus.SUPERSEDED
    assert scores(old)["STP"].indicators.get(code="ON_TIME").denominator == 1
    assert scores(revision)["STP"].indicators.get(code="ON_TIME").denominator == 2


def test_a_running_month_is_judged_now_and_cannot_be_published(province):
    snap = services.compute("2026-11", now=NOW)
    assert snap.as_of == NOW
    with pytest.raises(services.SnapshotError, match="chưa kết thúc"):
        services.publish("2026-11", now=NOW)


def test_command(province, capsys):
    call_command("index", "compute", "--period", "2026-10")
    call_command("index", "show", "--period", "2026-10", "--kind", UnitKind.DEPARTMENT)
    out = capsys.readouterr().out
    assert "Kỳ 2026-10, lần 0" in out and "Sở Tư pháp" in out
    with pytest.raises(CommandError, match="không hiểu kỳ"):
        call_command("index", "compute", "--period", "2026-13")
    with pytest.raises(CommandError, match="chưa được tính"):
        call_command("index", "publish", "--period", "2026-09")
