"""The drill-down: the items behind one indicator of a unit in a period — "why 62 %?" (Ibis, no Django).

Items are what an indicator counts: dossiers, procedures under a unit's competence, petitions,
procedures in publication decisions, communes (electronic certified copies). For a period and a set of units (a unit's subtree), each
item comes with `in_numerator` and `in_denominator`, built from the very expressions the facts
part sums (`facts.dossier_items` and `facts.procedure_items` evaluate `_dossier_measures` and
`PROCEDURE_RULES` row by row), so the counts equal the numerator and the denominator of
`unit_facts` summed over those units — identical by construction, checked by
tests/index/test_drilldown.py for every indicator.

Contract for a facts part (`unit_facts` unions the parts; each part also offers its items):
the part module provides `<part>_items(...)` returning its item rows with `in_numerator` and
`in_denominator`; `ITEM_PARTS` below adapts it with one entry `Part(kind, indicators, items)`,
where `items(inputs, period, unit_ids, indicator, *, as_of, office, methodology)` returns a table
with `item_id`, `unit_id` (null where the part's items are not per unit) and both flags, at least
one row per item in the denominator or the numerator. `indicator_items` keeps those rows of the
units asked for. An item counted for several units of a subtree appears once per unit.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ibis.expr.types import Table

from motcua.index.engine.certified_copy_facts import CERTIFIED_COPY_INDICATORS, certified_copy_items
from motcua.index.engine.facts import (
    DOSSIER_INDICATORS, PROCEDURE_INDICATORS, ancestors, dossier_items, periods_table, procedure_items,
)
from motcua.index.engine.feedback_facts import FEEDBACK_INDICATORS, feedback_items
from motcua.index.engine.inputs import Inputs
from motcua.index.engine.methodology import Methodology
from motcua.index.engine.periods import Period
from motcua.index.engine.publication_facts import PUBLICATION_INDICATORS, publication_items
from motcua.index.engine.worktime import OfficePeriods

ITEM_COLUMNS = ("item_id", "unit_id", "in_numerator", "in_denominator")


@dataclass(frozen=True)
class Part:
    kind: str  # what an item is: "dossier", "procedure", "petition", "unit"
    indicators: tuple[str, ...]
    items: Callable[..., Table]


def of_units(inputs: Inputs, unit_ids: Sequence[int]) -> Inputs:
    """The inputs restricted to the units' own dossiers and competences (the rest cannot count)."""
    ids = list(unit_ids)
    return replace(inputs, dossiers=inputs.dossiers.filter(inputs.dossiers.unit_id.isin(ids)),
                   units=inputs.units.filter(inputs.units.unit_id.isin(ids)))


def _dossiers(inputs, period, unit_ids, indicator, **rules) -> Table:
    x = dossier_items(of_units(inputs, unit_ids), period, **rules)
    return x.select(item_id=x.dossier_id, unit_id=x.unit_id, in_numerator=x[f"{indicator}_num"],
                    in_denominator=x[f"{indicator}_den"])


def _procedures(inputs, period, unit_ids, indicator, **rules) -> Table:
    x = procedure_items(of_units(inputs, unit_ids), period, **rules)
    return x.select(item_id=x.procedure_id, unit_id=x.unit_id, in_numerator=x[f"{indicator}_num"],
                    in_denominator=x[f"{indicator}_den"])


def _petitions(inputs, period, unit_ids, indicator, *, as_of, **_) -> Table:
    x = feedback_items(inputs.petitions, periods_table([period], as_of), indicator)
    return x.select(item_id=x.petition_id, unit_id=x.unit_id, in_numerator=x.in_numerator,
                    in_denominator=x.in_denominator)


def _publications(inputs, period, unit_ids, indicator, *, as_of, **_) -> Table:
    x = publication_items(inputs.publications, inputs.calendar, periods_table([period], as_of), period.key,
                          unit_ids, indicator)
    return x.select(item_id=x.procedure_id, unit_id=x.unit_id, in_numerator=x.in_numerator,
                    in_denominator=x.in_denominator)


def _communes(inputs, period, unit_ids, indicator, *, as_of, **_) -> Table:
    x = certified_copy_items(inputs.certified_copies, inputs.units, periods_table([period], as_of), period.key,
                             unit_ids)
    return x.select(item_id=x.unit_id, unit_id=x.unit_id, in_numerator=x.in_numerator,
                    in_denominator=x.in_denominator)


ITEM_PARTS = (
    Part("dossier", DOSSIER_INDICATORS, _dossiers),
    Part("procedure", PROCEDURE_INDICATORS, _procedures),
    Part("petition", FEEDBACK_INDICATORS, _petitions),
    Part("procedure", PUBLICATION_INDICATORS, _publications),
    Part("unit", CERTIFIED_COPY_INDICATORS, _communes),
)


def part_of(indicator: str) -> Part | None:
    """The part whose items make `indicator`, or None (an indicator motcua does not measure)."""
    return next((part for part in ITEM_PARTS if indicator in part.indicators), None)


def indicator_items(inputs: Inputs, period: Period, unit_ids: Sequence[int], indicator: str, *,
                    as_of: datetime | None = None, office: OfficePeriods = OfficePeriods(),
                    methodology: Methodology | None = None) -> Table:
    """The items of `indicator` for the units `unit_ids` (give a whole subtree for a unit's figures)
    in `period`, evaluated at `as_of` (None: the period's end): `item_id`, `unit_id`,
    `in_numerator`, `in_denominator`, one row per item in the denominator or the numerator."""
    part = part_of(indicator)
    if part is None:
        raise ValueError(f"chỉ số {indicator} không có dữ liệu chi tiết")
    x = part.items(inputs, period, unit_ids, indicator, as_of=as_of, office=office, methodology=methodology)
    x = x.filter(x.in_numerator | x.in_denominator, x.unit_id.isnull() | x.unit_id.isin(list(unit_ids)))
    return x.select(*ITEM_COLUMNS).order_by([x.unit_id, x.item_id])


def subtree(units: Table, unit_id: int) -> list[int]:
    """The unit and every unit below it: the units whose figures make its own."""
    pairs = ancestors(units).to_pyarrow().to_pylist()
    return sorted(r["unit_id"] for r in pairs if r["ancestor_id"] == unit_id)
