"""The drill-down's items add up to the facts: count(in_numerator) is the numerator and
count(in_denominator) the denominator, for every indicator and several units, on DuckDB over a
generated data set and on the live database."""
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from django.core.management import call_command

from motcua.demo.loader import load_demo
from motcua.demo.parquet import write_dossiers_parquet
from motcua.index.engine import periods as P
from motcua.index.engine.drilldown import ITEM_PARTS, indicator_items, part_of, subtree
from motcua.index.engine.facts import (
    DOSSIER_INDICATORS, INDICATORS, PROCEDURE_INDICATORS, dossier_items, procedure_items, unit_facts,
)
from motcua.index.engine.inputs import Inputs, from_parquet
from motcua.index.live import live_inputs
from tests.factories import at

AS_OF = at(2026, 11, 20, 12, 0)


def sample_units(inputs: Inputs) -> list[int]:
    """The province and the commune with the most dossiers (every unit: `test_item_rows_add_up…`)."""
    units = {r["unit_id"]: r["kind"] for r in inputs.units.to_pyarrow().to_pylist()}
    counts = inputs.dossiers.group_by("unit_id").aggregate(n=inputs.dossiers.count()).to_pyarrow().to_pylist()
    busiest = {}
    for row in sorted(counts, key=lambda r: -r["n"]):
        busiest.setdefault(units[row["unit_id"]], row["unit_id"])
    province = next(u for u, kind in units.items() if kind == "province")
    return [province, busiest["commune"]]


def assert_items_add_up(inputs: Inputs, period: P.Period, as_of) -> int:
    facts = {r["unit_id"]: r for r in unit_facts(inputs, [period], as_of=as_of).to_pyarrow().to_pylist()}
    checked = 0
    for unit in sample_units(inputs):
        ids = subtree(inputs.units, unit)
        for code in INDICATORS:
            items = indicator_items(inputs, period, ids, code, as_of=as_of).to_pyarrow()
            num = pc.sum(items["in_numerator"].cast("int64")).as_py() or 0
            den = pc.sum(items["in_denominator"].cast("int64")).as_py() or 0
            expected = facts.get(unit, {})
            assert (num, den) == (expected.get(f"{code}_num", 0), expected.get(f"{code}_den", 0)), (unit, code)
            checked += 1
    return checked


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Inputs:
    folder = tmp_path_factory.mktemp("parquet")
    write_dossiers_parquet(folder, 3000, months=3, last_month=date(2026, 11, 1))
    return from_parquet(folder)


def test_every_indicator_has_items():
    assert all(part_of(code) is not None for code in INDICATORS)
    assert {part.kind for part in ITEM_PARTS} >= {"dossier", "procedure"}


def test_items_add_up_to_the_facts_on_duckdb(generated):
    assert assert_items_add_up(generated, P.month(2026, 11), AS_OF) == 2 * len(INDICATORS)


@pytest.mark.parametrize("period, as_of", [(P.month(2026, 10), None), (P.quarter(2026, 4), AS_OF)])
def test_item_rows_add_up_for_every_unit(generated, period, as_of):
    """Every unit's subtree, every dossier and procedure indicator, from the item rows at once."""
    facts = unit_facts(generated, [period], as_of=as_of).to_pyarrow().to_pylist()
    rows = {part: items(generated, period, as_of=as_of).to_pyarrow()
            for part, items in ((DOSSIER_INDICATORS, dossier_items), (PROCEDURE_INDICATORS, procedure_items))}
    for fact in facts:
        ids = pa.array(subtree(generated.units, fact["unit_id"]))
        for codes, table in rows.items():
            mine = table.filter(pc.is_in(table["unit_id"], value_set=ids.cast(table["unit_id"].type)))
            for column in (f"{code}_{part}" for code in codes for part in ("num", "den")):
                assert (pc.sum(mine[column].cast("int64")).as_py() or 0) == fact[column], (fact["unit_id"], column)
    assert len(facts) > 100


def test_items_are_the_units_own(generated):
    commune = sample_units(generated)[1]
    rows = indicator_items(generated, P.month(2026, 10), [commune], "ON_TIME").to_pyarrow().to_pylist()
    assert rows and {r["unit_id"] for r in rows} == {commune}
    assert any(not r["in_numerator"] for r in rows) and any(r["in_numerator"] for r in rows)
    assert all(r["in_denominator"] for r in rows)


def test_an_unknown_indicator_is_refused(generated):
    with pytest.raises(ValueError, match="không có dữ liệu chi tiết"):
        indicator_items(generated, P.month(2026, 10), [1], "NOT_AN_INDICATOR")


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(province_code=24, months=2, per_month=300, seed=5, until=AS_OF, progress=lambda _: None)
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_items_add_up_to_the_facts_on_the_live_database(demo_db):
    inputs = live_inputs()
    assert assert_items_add_up(inputs, P.month(2026, 11), AS_OF) == 2 * len(INDICATORS)
    province = next(r for r in unit_facts(inputs, [P.month(2026, 11)], as_of=AS_OF).to_pyarrow().to_pylist()
                    if r["unit_id"] == sample_units(inputs)[0])
    # Every kind of item took part: dossiers, procedures, petitions, publication decisions.
    assert all(province[f"{code}_den"] > 0 for code in (
        "ON_TIME", "ONLINE_SERVICES_USED", "PETITION_ON_TIME", "PUBLIC_CONTENT_FULL"))
