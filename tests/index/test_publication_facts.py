"""G1 publication indicators (PUBLISH_ON_TIME, PUBLIC_UPDATE_ON_TIME, PUBLIC_CONTENT_FULL): dated
cases around 30/4–1/5 and Tết 2027, on DuckDB and SQLite, and from the live database."""
import datetime as dt

import ibis
import pyarrow as pa
import pytest

from motcua.catalogue import publications as catalogue_publications
from motcua.catalogue.models import DecisionStatus, PublicationDecision, PublicationItem
from motcua.index.engine import periods as P
from motcua.index.engine.facts import FACT_COLUMNS, periods_table, unit_facts
from motcua.index.engine.inputs import Inputs
from motcua.index.engine.publication_facts import PUBLICATION_SCHEMA, publication_facts, publication_items
from motcua.index.live import live_inputs
from motcua.units.models import UnitKind
from motcua.workdays.services import ensure_calendar_table
from tests import factories
from tests.index.builders import DEPT, PROVINCE, inputs
from tests.index.test_backends import on_sqlite

EPOCH = dt.date(1970, 1, 1)


def day(y, m, d) -> int:
    return (dt.date(y, m, d) - EPOCH).days


def row(procedure_id, decided, effective=None, published=None, *, unit_id=DEPT, ministry=False,
        content_full=True, abolished=False) -> dict:
    return dict(unit_id=unit_id, procedure_id=procedure_id, decided_day=day(*decided),
                effective_day=day(*effective) if effective else None, ministry=ministry,
                published_day=day(*published) if published else None, content_full=content_full,
                abolished=abolished)


ROWS = [
    # 23/04/2027 is the last day ≥ 5 working days before 04/05 (30/4, 1/5 → 3/5 off): on time.
    row(1, (2027, 4, 23), (2027, 5, 4), (2027, 4, 29)),
    # 26/04: only 4 working days before 04/05: late. Published 07/05 = decision + 5 working days: on time.
    row(2, (2027, 4, 26), (2027, 5, 4), (2027, 5, 4)),
    row(3, (2027, 4, 28), (2027, 6, 1), (2027, 5, 10)),  # published 10/05 > 07/05: late (in May)
    row(4, (2027, 4, 28), (2027, 6, 1)),  # never published: awaiting and late by 07/05 (May), not in April
    # A ministry's decision: 20 working days before 15/02/2027 over Tết is 11/01; 10 to publish.
    row(5, (2027, 1, 11), (2027, 2, 15), (2027, 1, 25), ministry=True),
    row(6, (2027, 1, 12), (2027, 2, 15), (2027, 1, 26), ministry=True, content_full=False),
    # Two decisions for one procedure in April: late in one, late.
    row(7, (2027, 4, 2), (2027, 6, 1), (2027, 4, 5)),
    row(7, (2027, 4, 26), (2027, 5, 4), (2027, 4, 27)),
    row(8, (2027, 4, 5), (2027, 6, 1), (2027, 4, 6), abolished=True),  # abolished: not published after
    row(9, (2027, 3, 1), (2027, 4, 1), (2027, 3, 2), unit_id=PROVINCE, content_full=False),
]
PERIODS = [P.month(2027, 1), P.month(2027, 4), P.month(2027, 5)]


def publications_table(rows=ROWS) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=PUBLICATION_SCHEMA.to_pyarrow())


def engine_inputs(on=None) -> Inputs:
    """The builders' tiny province with `ROWS` as publications, on DuckDB (or through `on`, e.g.
    `on_sqlite`, from the same Arrow tables)."""
    base = inputs([])
    tables = {name: getattr(base, name).to_pyarrow() for name in ("dossiers", "procedures", "units", "calendar")}
    tables["publications"] = publications_table()
    if on is not None:
        return on(tables)
    backend = ibis.duckdb.connect()
    for name, table in tables.items():
        backend.con.register(name, table)
    return Inputs(**{name: backend.table(name) for name in tables})


def facts_of(inp: Inputs) -> dict:
    rows = publication_facts(inp.publications, inp.calendar, periods_table(PERIODS)).to_pyarrow().to_pylist()
    return {(r["period"], r["unit_id"]): {k: v for k, v in r.items() if k not in ("period", "unit_id")} for r in rows}


EXPECTED_DEPT = {
    "2027-01": {"PUBLISH_ON_TIME_num": 1, "PUBLISH_ON_TIME_den": 2, "PUBLIC_UPDATE_ON_TIME_num": 2,
                "PUBLIC_UPDATE_ON_TIME_den": 2, "PUBLIC_CONTENT_FULL_num": 1, "PUBLIC_CONTENT_FULL_den": 2},
    # April: 1, 3, 4, 8 on time; 2 and 7 late (7 in one of its two). Published in April:
    # 1, 7, 8 on time (4 only awaiting, its deadline 07/05 not passed). Published at the end of
    # April: 1, 2, 3, 4, 5, 6, 7 (8 abolished); 6 lacks parts.
    "2027-04": {"PUBLISH_ON_TIME_num": 4, "PUBLISH_ON_TIME_den": 6, "PUBLIC_UPDATE_ON_TIME_num": 3,
                "PUBLIC_UPDATE_ON_TIME_den": 3, "PUBLIC_CONTENT_FULL_num": 6, "PUBLIC_CONTENT_FULL_den": 7},
    # May: published 2 (on time), 3 (late); 4 still awaiting past 07/05 (late).
    "2027-05": {"PUBLISH_ON_TIME_num": 0, "PUBLISH_ON_TIME_den": 0, "PUBLIC_UPDATE_ON_TIME_num": 1,
                "PUBLIC_UPDATE_ON_TIME_den": 3, "PUBLIC_CONTENT_FULL_num": 6, "PUBLIC_CONTENT_FULL_den": 7},
}


def test_publication_facts_around_holidays_on_duckdb():
    got = facts_of(engine_inputs())
    for period, expected in EXPECTED_DEPT.items():
        assert got[(period, DEPT)] == expected, period
    assert got[("2027-04", PROVINCE)]["PUBLIC_CONTENT_FULL_den"] == 1
    assert ("2027-01", PROVINCE) not in got  # no decision of the province's own before March


def test_sqlite_agrees_with_duckdb():
    assert facts_of(engine_inputs(on_sqlite)) == facts_of(engine_inputs())


def test_unit_facts_roll_the_publication_figures_up():
    rows = unit_facts(engine_inputs(), PERIODS).to_pyarrow().to_pylist()
    by = {(r["period"], r["unit_id"]): r for r in rows}
    assert {"PUBLISH_ON_TIME_num", "PUBLIC_CONTENT_FULL_den"} <= set(FACT_COLUMNS)
    province = by[("2027-04", PROVINCE)]
    assert (province["PUBLIC_CONTENT_FULL_num"], province["PUBLIC_CONTENT_FULL_den"]) == (6, 8)
    assert (province["PUBLISH_ON_TIME_num"], province["PUBLISH_ON_TIME_den"]) == (4, 6)


def test_inputs_without_publications_give_zeros():
    rows = unit_facts(inputs([]), PERIODS).to_pyarrow().to_pylist()
    assert rows and all(r["PUBLISH_ON_TIME_den"] == 0 and r["PUBLIC_CONTENT_FULL_den"] == 0 for r in rows)


def test_drill_down_lists_the_procedures_behind_a_figure():
    inp = engine_inputs()
    items = publication_items(inp.publications, inp.calendar, periods_table(PERIODS), "2027-04", [DEPT],
                              "PUBLISH_ON_TIME").to_pyarrow().to_pylist()
    assert [(r["procedure_id"], r["in_numerator"]) for r in items] == [
        (1, True), (2, False), (3, True), (4, True), (7, False), (8, True)]
    assert all(r["in_denominator"] and r["unit_id"] == DEPT for r in items)
    with pytest.raises(ValueError):
        publication_items(inp.publications, inp.calendar, periods_table(PERIODS), "2027-04", [DEPT], "ON_TIME")


@pytest.mark.django_db
def test_live_database_publications():
    ensure_calendar_table()
    dept = factories.unit()
    province = dept.parent
    on_time = factories.procedure("1.000001", agency=dept)
    late = factories.procedure("1.000002", agency=dept)
    commune_level = factories.procedure("1.000003", level="commune")
    decision = PublicationDecision.objects.create(number="10/QĐ-UBND", issuer_unit=province,
                                                  decided_on=dt.date(2027, 4, 23),
                                                  published_national_on=dt.date(2027, 5, 10))
    PublicationItem.objects.create(decision=decision, procedure=on_time, change_type="amended",
                                   effective_on=dt.date(2027, 5, 4))
    PublicationItem.objects.create(decision=decision, procedure=commune_level, change_type="new",
                                   effective_on=dt.date(2027, 5, 4))
    second = PublicationDecision.objects.create(number="11/QĐ-UBND", issuer_unit=province,
                                                decided_on=dt.date(2027, 4, 26))
    PublicationItem.objects.create(decision=second, procedure=late, change_type="amended",
                                   effective_on=dt.date(2027, 5, 4))
    draft = PublicationDecision.objects.create(issuer_unit=province, decided_on=dt.date(2027, 4, 20),
                                               status=DecisionStatus.DRAFT)
    PublicationItem.objects.create(decision=draft, code="1.999999", change_type="new")
    live = live_inputs()
    table = live.publications.to_pyarrow().to_pylist()
    assert len(table) == 3  # the draft is not a decision yet
    by_procedure = {r["procedure_id"]: r for r in table}
    assert by_procedure[on_time.pk]["unit_id"] == dept.pk
    assert by_procedure[commune_level.pk]["unit_id"] == province.pk  # a commune-level procedure: the province
    assert by_procedure[on_time.pk]["decided_day"] == day(2027, 4, 23)
    assert by_procedure[on_time.pk]["published_day"] == day(2027, 5, 10)
    assert by_procedure[late.pk]["published_day"] is None
    # factories.procedure has steps only (no methods, components, subjects): not complete.
    assert by_procedure[on_time.pk]["content_full"] is False
    got = publication_facts(live.publications, live.calendar, periods_table(PERIODS)).to_pyarrow().to_pylist()
    april = {r["unit_id"]: r for r in got if r["period"] == "2027-04"}
    assert (april[dept.pk]["PUBLISH_ON_TIME_num"], april[dept.pk]["PUBLISH_ON_TIME_den"]) == (1, 2)
    may = {r["unit_id"]: r for r in got if r["period"] == "2027-05"}
    # Published 10/05, after its deadline 04/05 (5 working days after 23/04 over 30/4–3/5); the
    # other still awaiting past its deadline 05/05.
    assert (may[dept.pk]["PUBLIC_UPDATE_ON_TIME_num"], may[dept.pk]["PUBLIC_UPDATE_ON_TIME_den"]) == (0, 2)
    assert province.kind == UnitKind.PROVINCE and catalogue_publications.province_unit() == province
