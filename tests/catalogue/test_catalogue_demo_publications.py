"""The demo's publication decisions look like the real portal's G1 (database and Parquet)."""
import datetime as dt

import pytest

from motcua.catalogue import alerts
from motcua.catalogue.models import (
    AlertStage,
    DecisionStatus,
    NationalDecision,
    Procedure,
    ProcedureHistory,
    PublicationDecision,
)
from motcua.demo.loader import months_back
from motcua.demo.organisation import load_organisation
from motcua.demo.parquet import write_dossiers_parquet
from motcua.demo.procedures import load_catalogue
from motcua.demo.publications import load_publications
from motcua.index.engine import periods as P
from motcua.index.engine.facts import periods_table
from motcua.index.engine.inputs import from_parquet
from motcua.index.engine.publication_facts import publication_facts
from motcua.index.live import live_inputs
from motcua.workdays.services import ensure_calendar_table
from tests.factories import at

UNTIL = at(2026, 11, 20, 10)
MONTHS = [P.month(2026, m) for m in (8, 9, 10, 11)]


def totals(table, periods) -> dict:
    out: dict = {}
    for r in publication_facts(table.publications, table.calendar, periods_table(periods)).to_pyarrow().to_pylist():
        row = out.setdefault(r["period"], {})
        for k, v in r.items():
            if k.endswith(("_num", "_den")):
                row[k] = row.get(k, 0) + v
    return out


@pytest.mark.django_db
def test_demo_publications_in_the_database():
    ensure_calendar_table()
    load_organisation(24)
    procedures = load_catalogue(7)
    announced = load_publications(7, UNTIL, months_back(UNTIL, 4))
    assert announced > procedures
    assert load_publications(7, UNTIL, months_back(UNTIL, 4)) == 0  # once
    # Three months with an announcement (not the current one), applied with history; one draft.
    applied = PublicationDecision.objects.filter(status=DecisionStatus.APPLIED)
    assert sorted({d.decided_on.month for d in applied}) == [8, 9, 10]
    assert ProcedureHistory.objects.filter(decision__in=applied).count() == sum(d.items.count() for d in applied)
    draft = PublicationDecision.objects.get(status=DecisionStatus.DRAFT)
    assert draft.national_decision in NationalDecision.objects.all() and draft.items.count() == 2
    figures = totals(live_inputs(), MONTHS)
    full, published = figures["2026-11"]["PUBLIC_CONTENT_FULL_num"], figures["2026-11"]["PUBLIC_CONTENT_FULL_den"]
    assert published == Procedure.objects.count() and 0.95 <= full / published < 1
    assert figures["2026-11"]["PUBLISH_ON_TIME_den"] == 0  # none in the current month, as on the portal
    assert figures["2026-10"]["PUBLISH_ON_TIME_num"] < figures["2026-10"]["PUBLISH_ON_TIME_den"]  # a late one
    # The draft's decide-by is 2 working days away: an approaching alert.
    run = alerts.run_alerts(now=UNTIL, send_email=False)
    assert run.alerts == 2 and run.notices >= 2
    assert {a.stage for a in draft.items.first().alerts.all()} == {AlertStage.APPROACHING}


def test_demo_publications_in_parquet(tmp_path):
    write_dossiers_parquet(tmp_path, 2_000, months=4, last_month=dt.date(2026, 11, 1))
    inputs = from_parquet(tmp_path)
    n_procedures = inputs.procedures.count().to_pyarrow().as_py()
    figures = totals(inputs, MONTHS)
    assert figures["2026-11"]["PUBLIC_CONTENT_FULL_den"] == n_procedures
    assert 0.95 <= figures["2026-11"]["PUBLIC_CONTENT_FULL_num"] / n_procedures < 1
    assert figures["2026-11"]["PUBLISH_ON_TIME_den"] == 0
    assert sum(figures[p.key]["PUBLISH_ON_TIME_den"] for p in MONTHS[:3]) >= 6
    assert figures["2026-10"]["PUBLISH_ON_TIME_num"] < figures["2026-10"]["PUBLISH_ON_TIME_den"]
