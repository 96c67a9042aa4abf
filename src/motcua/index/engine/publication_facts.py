"""G1 publication indicators from publication decisions (Ibis, every backend).

Input: the optional `publications` table, one row per procedure per publication decision (QĐCB):

    unit_id        the unit answerable for it (the procedure's department; the province for a
                   commune-level procedure)
    procedure_id
    decided_day    the decision's date, as a day number (days since 1970-01-01, as `calendar.day_number`)
    effective_day  the day its legal basis takes effect (null: not known — nothing to be late for)
    ministry       a ministry's decision: 20 / 10 working days instead of 5 / 5
    published_day  the day it became public on the National Database (null: not yet)
    content_full   the procedure has all 7 mandatory parts (as of now: a snapshot)
    abolished      the decision abolishes it

Rules (service-index.md; working days counted with `calendar.working_day_ordinal`, exactly as
`motcua.catalogue.deadlines` does):

* PUBLISH_ON_TIME — distinct procedures in QĐCBs dated in the period; on time when every such
  decision has ≥ 5 (20) working days in (decided_day, effective_day]; late in any, late.
* PUBLIC_UPDATE_ON_TIME — procedures published on the National Database in the period, plus those
  still awaiting publication at the period's end whose deadline (decided_day + 5 (10) working days)
  had passed by its last day; on time: published with ≤ 5 (10) working days in (decided, published].
* PUBLIC_CONTENT_FULL — procedures published at the period's end (their latest decision dated
  before it does not abolish them) / those of them with the 7 mandatory parts.
"""
from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis.expr.types import BooleanValue, Table

from motcua.index.engine.worktime import DAY

PUBLICATION_SCHEMA = ibis.schema({
    "unit_id": "int64", "procedure_id": "int64", "decided_day": "int64", "effective_day": "int64",
    "ministry": "boolean", "published_day": "int64", "content_full": "boolean", "abolished": "boolean",
})
PUBLICATION_COLUMNS = tuple(PUBLICATION_SCHEMA.names)
PUBLICATION_INDICATORS = ("PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL")
DECIDE_BEFORE = (5, 20)  # working days: (province, ministry)
PUBLISH_WITHIN = (5, 10)


def no_publications() -> Table:
    return ibis.memtable(PUBLICATION_SCHEMA.to_pyarrow().empty_table())


def _ordinal(t: Table, calendar: Table, day_column: str, name: str) -> Table:
    """`t` plus `name`: the working-day ordinal of its `day_column` (null when that is null)."""
    side = calendar.select(_d=calendar.day_number, **{name: calendar.working_day_ordinal}).view()
    joined = t.left_join(side, t[day_column] == side._d)
    return joined.select(*t.columns, name)


def _days(periods: Table) -> Table:
    """The periods as day numbers: [first, end) and `last`, the last day (a period cut at an instant
    within a day includes that day)."""
    return periods.select("period", first=periods.ps // DAY, end=(periods.pe + DAY - 1) // DAY,
                          last=(periods.pe + DAY - 1) // DAY - 1)


def _rows(publications: Table, calendar: Table, periods: Table) -> Table:
    """Each (period, publication row) with its verdicts in that period."""
    p = publications
    for column, name in (("decided_day", "dec_ord"), ("effective_day", "eff_ord"), ("published_day", "pub_ord")):
        p = _ordinal(p, calendar, column, name)
    days = _days(periods)
    days = _ordinal(days, calendar, "last", "last_ord")
    x = p.cross_join(days)
    before = x.ministry.ifelse(DECIDE_BEFORE[1], DECIDE_BEFORE[0])
    within = x.ministry.ifelse(PUBLISH_WITHIN[1], PUBLISH_WITHIN[0])
    decided_in = (x.decided_day >= x.first) & (x.decided_day < x.end)
    published_in = x.published_day.notnull() & (x.published_day >= x.first) & (x.published_day < x.end)
    awaiting_late = ((x.published_day.isnull() | (x.published_day >= x.end)) & (x.decided_day < x.end)
                     & (x.last_ord >= x.dec_ord + within))
    return x.select(
        "period", "unit_id", "procedure_id", "decided_day", "abolished", "content_full",
        decided_in=decided_in,
        decided_late=decided_in & x.effective_day.notnull() & (x.eff_ord - x.dec_ord < before),
        update_counted=published_in | awaiting_late,
        update_late=awaiting_late | (published_in & (x.pub_ord - x.dec_ord > within)),
        known=x.decided_day < x.end,
    )


def _count(flag: BooleanValue):
    return flag.ifelse(1, 0).sum()


def _per_procedure(publications: Table, calendar: Table, periods: Table) -> Table:
    """One row per (period, unit, procedure) with a decision dated before the period's end: whether
    it counts in, and is on time for, each indicator."""
    r = _rows(publications, calendar, periods)
    r = r.filter(r.known)
    g = r.group_by(["period", "unit_id", "procedure_id"]).aggregate(
        decided=r.decided_in.any(), decided_late=r.decided_late.any(),
        updated=r.update_counted.any(), update_late=r.update_late.any(),
        last_day=r.decided_day.max(),
        last_abolished=r.abolished.ifelse(r.decided_day, -1).max(),
        content_full=r.content_full.any(),
    )
    published = g.last_abolished < g.last_day  # the latest decision does not abolish it
    return g.select(
        "period", "unit_id", "procedure_id",
        PUBLISH_ON_TIME_num=g.decided & ~g.decided_late, PUBLISH_ON_TIME_den=g.decided,
        PUBLIC_UPDATE_ON_TIME_num=g.updated & ~g.update_late, PUBLIC_UPDATE_ON_TIME_den=g.updated,
        PUBLIC_CONTENT_FULL_num=published & g.content_full, PUBLIC_CONTENT_FULL_den=published,
    )


def publication_facts(publications: Table, calendar: Table, periods: Table, unit_id_type=None) -> Table:
    """Per (period, unit): `<INDICATOR>_num` / `_den` of the G1 publication indicators. `periods`
    is `facts.periods_table` (period, ps, pe in local seconds); `unit_id_type`: the type unit_id
    must have (that of the other facts, for their union)."""
    x = _per_procedure(publications, calendar, periods)
    unit_id = x.unit_id if unit_id_type is None else x.unit_id.cast(unit_id_type)
    return x.group_by(["period", unit_id.name("unit_id")]).aggregate(**{
        f"{code}_{part}": _count(x[f"{code}_{part}"]) for code in PUBLICATION_INDICATORS for part in ("num", "den")})


def publication_items(publications: Table, calendar: Table, periods: Table, period: str,
                      unit_ids: Sequence[int], indicator: str) -> Table:
    """The drill-down: each procedure behind `indicator` for the units `unit_ids` in `period`:
    procedure_id, unit_id (the unit answerable for it), in_numerator, in_denominator (only
    procedures in the denominator)."""
    if indicator not in PUBLICATION_INDICATORS:
        raise ValueError(f"not a publication indicator: {indicator}")
    x = _per_procedure(publications, calendar, periods)
    x = x.filter(x.period == period, x.unit_id.isin(list(unit_ids)), x[f"{indicator}_den"])
    return (x.group_by("procedure_id")
            .aggregate(unit_id=x.unit_id.min(), in_numerator=x[f"{indicator}_num"].all(),
                       in_denominator=x[f"{indicator}_den"].any())
            .order_by("procedure_id"))
