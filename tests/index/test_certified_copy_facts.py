"""G4 E_CERTIFIED_COPY from the register of electronic certified copies: dated cases around a
month's last instant, on DuckDB and SQLite, the roll-up, the drill-down, and the live database."""
import datetime as dt

import ibis
import pyarrow as pa
import pytest

from motcua.demo.certified_copies import load_certified_copies
from motcua.index.engine import periods as P
from motcua.index.engine.certified_copy_facts import CERTIFIED_COPY_SCHEMA, certified_copy_facts
from motcua.index.engine.compute import score_all, score_unit
from motcua.index.engine.drilldown import indicator_items
from motcua.index.engine.facts import periods_table, unit_facts
from motcua.index.engine.inputs import Inputs
from motcua.index.engine.methodology import get_methodology
from motcua.index.live import live_inputs
from motcua.results.models import CertifiedCopy
from motcua.units.models import Role, UnitKind
from motcua.workdays.services import ensure_calendar_table
from tests import factories
from tests.index.builders import COMMUNE, DEPT, PROVINCE, UNIT_SCHEMA, inputs
from tests.index.test_backends import on_sqlite

OTHER = 4  # a second commune
ICT = dt.timezone(dt.timedelta(hours=7))
COPIES = [
    {"unit_id": COMMUNE, "certified_at": dt.datetime(2027, 3, 31, 23, 59, 59, tzinfo=ICT)},  # March's last second
    {"unit_id": OTHER, "certified_at": dt.datetime(2027, 4, 1, 0, 0, tzinfo=ICT)},  # April's first instant
    {"unit_id": OTHER, "certified_at": dt.datetime(2027, 4, 20, 9, 0, tzinfo=ICT)},  # a second copy: still one commune
    {"unit_id": DEPT, "certified_at": dt.datetime(2027, 3, 2, 9, 0, tzinfo=ICT)},  # not a commune: never counted
]
PERIODS = [P.month(2027, 2), P.month(2027, 3), P.month(2027, 4), P.quarter(2027, 1), P.year(2027)]


def engine_inputs(on=None, copies=COPIES) -> Inputs:
    base = inputs([])
    tables = {name: getattr(base, name).to_pyarrow() for name in ("dossiers", "procedures", "units", "calendar")}
    tables["units"] = pa.concat_tables([tables["units"], pa.Table.from_pylist(
        [{"unit_id": OTHER, "kind": "commune", "parent_id": PROVINCE}], schema=UNIT_SCHEMA)])
    tables["certified_copies"] = pa.Table.from_pylist(copies, schema=CERTIFIED_COPY_SCHEMA.to_pyarrow())
    if on is not None:
        return on(tables)
    backend = ibis.duckdb.connect()
    for name, table in tables.items():
        backend.con.register(name, table)
    return Inputs(**{name: backend.table(name) for name in tables})


def facts_of(inp: Inputs, periods=PERIODS, as_of=None) -> dict:
    rows = certified_copy_facts(inp.certified_copies, inp.units, periods_table(periods, as_of)).to_pyarrow().to_pylist()
    return {(r["period"], r["unit_id"]): (r["E_CERTIFIED_COPY_num"], r["E_CERTIFIED_COPY_den"]) for r in rows}


EXPECTED = {
    ("2027-02", COMMUNE): (0, 1), ("2027-02", OTHER): (0, 1),
    ("2027-03", COMMUNE): (1, 1), ("2027-03", OTHER): (0, 1),  # 01/04 00:00 is April's
    ("2027-04", COMMUNE): (1, 1), ("2027-04", OTHER): (1, 1),  # providing since March: still providing
    ("2027-Q1", COMMUNE): (1, 1), ("2027-Q1", OTHER): (0, 1),
    ("2027", COMMUNE): (1, 1), ("2027", OTHER): (1, 1),
}


def test_communes_provide_the_service_from_their_first_copy_on_duckdb():
    assert facts_of(engine_inputs()) == EXPECTED  # departments and the province have no rows of their own


def test_sqlite_agrees_with_duckdb():
    assert facts_of(engine_inputs(on_sqlite)) == facts_of(engine_inputs())


def test_a_running_period_counts_the_copies_up_to_its_evaluation_instant():
    def other_at(*hm):
        return facts_of(engine_inputs(), [P.month(2027, 4)], as_of=dt.datetime(2027, 4, 1, *hm, tzinfo=ICT))[
            ("2027-04", OTHER)]

    assert other_at(0, 0) == (0, 1)  # its copy at that very instant is not before it
    assert other_at(0, 1) == (1, 1)


def test_the_province_gets_communes_providing_over_communes_and_departments_the_rule():
    rows = unit_facts(engine_inputs(), PERIODS).to_pyarrow().to_pylist()
    by = {(r["period"], r["unit_id"]): (r["E_CERTIFIED_COPY_num"], r["E_CERTIFIED_COPY_den"]) for r in rows}
    assert by[("2027-03", PROVINCE)] == (1, 2) and by[("2027-04", PROVINCE)] == (2, 2)
    assert by.get(("2027-03", DEPT), (0, 0)) == (0, 0)  # no commune below it
    scored = score_all(get_methodology(), [r for r in rows if r["period"] == "2027-03"],
                       {PROVINCE: "province", COMMUNE: "commune", OTHER: "commune", DEPT: "department"})
    scored.append(score_unit(get_methodology(), "2027-03", DEPT, "department", {}))
    points = {r.unit_id: next(i.score for i in r.indicators if i.code == "E_CERTIFIED_COPY") for r in scored}
    assert points == {PROVINCE: 1.0, COMMUNE: 2.0, OTHER: 0.0, DEPT: 2.0}  # a department: "full 2"


def test_inputs_without_the_register_count_no_commune_as_providing():
    rows = unit_facts(inputs([]), PERIODS).to_pyarrow().to_pylist()
    assert {(r["unit_id"], r["E_CERTIFIED_COPY_num"], r["E_CERTIFIED_COPY_den"]) for r in rows} == {
        (PROVINCE, 0, 1), (COMMUNE, 0, 1)}  # (the department has no procedure: no row)


def test_the_drill_down_lists_the_communes():
    items = indicator_items(engine_inputs(), P.month(2027, 3), [PROVINCE, COMMUNE, OTHER, DEPT],
                            "E_CERTIFIED_COPY").to_pyarrow().to_pylist()
    assert [(r["item_id"], r["unit_id"], r["in_numerator"], r["in_denominator"]) for r in items] == [
        (COMMUNE, COMMUNE, True, True), (OTHER, OTHER, False, True)]


@pytest.mark.django_db
def test_live_database_reads_the_register(settings, tmp_path):
    """A real certification (signed PDF, register entry) through the demo's own path."""
    settings.MEDIA_ROOT, settings.MOTCUA_KEY_DIR = tmp_path / "media", tmp_path / "keys"
    ensure_calendar_table()
    province = factories.unit("24", "Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE, parent=None)
    communes = [factories.unit(code, name, kind=UnitKind.COMMUNE, parent=province)
                for code, name in (("07627", "Xã Đại Sơn"), ("07630", "Xã Tuấn Đạo"))]
    for unit in communes:
        for role in (Role.RECEPTION, Role.PROCESSING, Role.HEAD):
            factories.officer(unit, role)
    factories.procedure(code="2.000815", name="Chứng thực bản sao từ bản chính", level="commune", time_limit="1",
                        time_unit="in_day")
    # 95 % of two communes: both (round(1.9) = 2); the first ten days of March 2027.
    until = factories.at(2027, 4, 20, 12, 0)
    assert load_certified_copies(7, dt.date(2027, 3, 1), until) == 2
    copies = {c.unit_id: c for c in CertifiedCopy.objects.select_related("document")}
    assert set(copies) == {u.pk for u in communes}
    live = live_inputs()
    register = live.certified_copies.to_pyarrow().to_pylist()
    assert sorted(r["unit_id"] for r in register) == sorted(copies)
    first = copies[communes[0].pk].document.signed_at
    aware = [t if t.tzinfo else t.replace(tzinfo=dt.UTC)  # SQLite's times are naive UTC
             for t in (r["certified_at"] for r in register if r["unit_id"] == communes[0].pk)]
    assert aware == [first]
    rows = unit_facts(live, [P.month(2027, 2), P.month(2027, 3)]).to_pyarrow().to_pylist()
    by = {(r["period"], r["unit_id"]): (r["E_CERTIFIED_COPY_num"], r["E_CERTIFIED_COPY_den"]) for r in rows}
    assert by[("2027-03", province.pk)] == (2, 2)
    assert by.get(("2027-02", province.pk), (0, 2)) == (0, 2)
