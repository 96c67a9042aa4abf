"""Stored index results: same facts, same numbers; a published month is frozen; revisions keep history."""
import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.index import services
from motcua.index.models import IndicatorScore, Snapshot, SnapshotStatus
from motcua.units.models import Role, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = f.at(2026, 11, 20, 10, 0)


@pytest.fixture
def province():
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    officers = {d.code: {r: f.officer(d, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)} for d in (stp, sxd)}
    procedures = {d.code: f.procedure(code=f"1.{d.code}", agency=d, time_limit="3") for d in (stp, sxd)}

    def dossier(code, received, finished=None):
        o = officers[code]
        d = open_dossier(procedure=procedures[code], unit=o[Role.RECEPTION].unit, channel=Channel.DIRECT,
                         action=Action.RECEIVE, actor=o[Role.RECEPTION], at=received,
                         applicant=Applicant(ApplicantKind.INDIVIDUAL, "Vũ Văn F", f.VALID_PID))
        if finished:
            transition(d, Action.START_PROCESSING, actor=o[Role.PROCESSING], at=received)
            transition(d, Action.COMPLETE, actor=o[Role.HEAD], at=finished)
        return d

    dossier("STP", f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))  # on time
    dossier("SXD", f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))  # on time
    dossier("SXD", f.at(2026, 10, 12, 9), f.at(2026, 10, 20, 9))  # late
    return {"stp": stp, "sxd": sxd, "dossier": dossier}


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
    assert IndicatorScore.objects.filter(unit_score__snapshot=snap).count() == 3 * 21
    unmeasured = by_unit["STP"].indicators.get(code="PUBLISH_ON_TIME")
    assert not unmeasured.measured and unmeasured.score == 0.0


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
