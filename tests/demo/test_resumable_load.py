"""`make run` serves after the demo's core and finishes the history in the background: a load cut
short resumes where it stopped and gives the same province as one loaded at once, and the pages say
how far the history got."""
import pytest
from django.core.management import call_command

from motcua.demo import certified_copies, loader
from motcua.demo.simulation import DossierSimulator
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.feedback.models import Petition, Rating
from motcua.index.models import Snapshot
from tests.factories import at

# Transactional: the load commits unit by unit, and PostgreSQL flushes only outside a transaction.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
PARAMS = dict(province_code=24, months=2, per_month=120, seed=3, until=at(2026, 11, 20, 17, 0))


def province() -> dict:
    """What the load produced, in terms that do not depend on the order rows were written in."""
    return {
        "dossiers": sorted(Dossier.objects.values_list("code", "status", "version", "applicant_name", "paid_at",
                                                       "finished_at", "returned_at")),
        "events": DossierEvent.objects.count(),
        "ratings": sorted(Rating.objects.values_list("dossier__code", "satisfied")),
        "petitions": Petition.objects.count(),
        "snapshots": sorted(Snapshot.objects.values_list("period", "status")),
    }


class Crash(Exception):
    pass


def test_a_load_cut_short_resumes_to_the_same_province(monkeypatch, client):
    monkeypatch.setattr(certified_copies, "SHARE", 0.05)  # 5 signed copies instead of 94: the same path, quicker
    straight = loader.load_demo(**PARAMS, progress=lambda _: None)
    expected = province()
    assert straight.dossiers > 150 and expected["ratings"] and expected["snapshots"]
    call_command("flush", interactive=False, verbosity=0)

    load = loader.plan_demo(**PARAMS, progress=lambda _: None)
    assert loader.run_steps(load, limit=loader.CORE_STEPS, progress=lambda _: None) == 1
    core = Dossier.objects.count()
    assert 0 < core < straight.dossiers  # the running month only: enough to log in and work
    page = client.get("/").content.decode()
    assert "Đang nạp dữ liệu mẫu: 0/1 tháng" in page

    # The history's process is killed in the middle of a month (Ctrl-C): the unit being written is
    # rolled back, the units done before it stay, and the step knows how far it got.
    real_one, calls = DossierSimulator._one, []

    def crash_after_a_while(self, *args):
        calls.append(1)
        if len(calls) > 40:
            raise Crash
        return real_one(self, *args)

    monkeypatch.setattr(DossierSimulator, "_one", crash_after_a_while)
    with pytest.raises(Crash):
        loader.run_steps(load, progress=lambda _: None)
    month = load.steps.get(key="month:2026-10")
    assert month.done_at is None and month.cursor
    assert core < Dossier.objects.count() < straight.dossiers

    monkeypatch.setattr(DossierSimulator, "_one", real_one)
    lines = []
    call_command("demo", "--history", stdout=_Lines(lines))
    assert not loader.pending_steps(load).exists()
    assert province() == expected
    assert any("lịch sử 1/1 tháng" in line for line in lines)
    assert "Đang nạp dữ liệu mẫu" not in client.get("/").content.decode()
    # Once loaded, `make run` starts again without loading anything.
    lines.clear()
    call_command("demo", "--if-empty", "--core", stdout=_Lines(lines))
    assert lines[0].startswith("Dữ liệu mẫu đã có sẵn") and province() == expected


class _Lines:
    def __init__(self, lines):
        self.lines = lines

    def write(self, text):
        self.lines.extend(text.splitlines())

    def flush(self):
        pass
