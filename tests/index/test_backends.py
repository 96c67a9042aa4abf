"""One definition, several engines: the live database, DuckDB and SQLite give identical figures."""
import sqlite3
from datetime import UTC, datetime

import ibis
import pytest
from django.core.management import call_command

from motcua.demo.loader import load_demo
from motcua.index.engine import periods as P
from motcua.index.engine.facts import FACT_COLUMNS, unit_facts
from motcua.index.engine.inputs import Inputs
from motcua.index.live import as_arrow, live_inputs
from motcua.units.models import Unit, UnitKind
from tests.factories import at

AS_OF = at(2026, 11, 20, 12, 0)
PERIODS = [P.month(2026, 9), P.month(2026, 10), P.month(2026, 11), P.quarter(2026, 4), P.year(2026)]


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(province_code=24, months=3, per_month=400, seed=11, until=AS_OF, progress=lambda _: None)
        yield
        call_command("flush", interactive=False, verbosity=0)


def figures(inputs: Inputs) -> dict:
    rows = unit_facts(inputs, PERIODS, as_of=AS_OF).to_pyarrow().to_pylist()
    return {(r["period"], r["unit_id"]): tuple(r[c] for c in FACT_COLUMNS) for r in rows}


def on_duckdb(tables: dict) -> Inputs:
    backend = ibis.duckdb.connect()
    for name, table in tables.items():
        backend.con.register(name, table)
    return Inputs(**{name: backend.table(name) for name in tables})


SQLITE_TYPES = {"timestamp": "datetime", "bool": "bool", "int": "integer", "uint": "integer", "double": "real",
                "string": "text", "large_string": "text"}


def utc_text(moment: datetime) -> str:
    # Naive times come from SQLite and are UTC already (astimezone would read them as local time).
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f")


def on_sqlite(tables: dict) -> Inputs:
    """The tables in a fresh SQLite database, stored the way Django stores them (UTC text times)."""
    raw = sqlite3.connect(":memory:")
    for name, table in tables.items():
        kinds = {f.name: next(v for k, v in SQLITE_TYPES.items() if str(f.type).startswith(k)) for f in table.schema}
        raw.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in kinds.items())})")
        rows = [[utc_text(v) if isinstance(v, datetime) else v for v in row.values()] for row in table.to_pylist()]
        raw.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(kinds))})", rows)
    backend = ibis.sqlite.from_connection(raw)
    return Inputs(**{name: backend.table(name) for name in tables})


@pytest.mark.django_db
def test_live_database_duckdb_and_sqlite_agree(demo_db):
    live = figures(live_inputs())
    tables = as_arrow(live_inputs())
    assert len(live) == 115 * len(PERIODS)  # the province, 15 departments, 99 communes
    assert figures(on_duckdb(tables)) == live
    assert figures(on_sqlite(tables)) == live
    province = Unit.objects.get(kind=UnitKind.PROVINCE).pk
    totals = dict(zip(FACT_COLUMNS, live[("2026-10", province)]))
    assert totals["ON_TIME_den"] > 300 and 0.6 < totals["ON_TIME_num"] / totals["ON_TIME_den"] < 0.95
    assert 0.5 < totals["E_RESULT_num"] / totals["E_RESULT_den"] < 0.95
