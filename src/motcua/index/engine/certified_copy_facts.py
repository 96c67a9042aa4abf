"""G4 E_CERTIFIED_COPY from the register of electronic certified copies (Ibis, every backend).

Input: the optional `certified_copies` table, one row per signed electronic certified copy
(chứng thực bản sao điện tử từ bản chính, `results.CertifiedCopy`):

    unit_id        the commune that certified it
    certified_at   the instant its copy was signed

The indicator is "communes providing electronic certified copies from originals / communes"
(service-index.md). The reading motcua takes: **a commune provides the service from the first
electronic certified copy it issued** — it counts in the numerator of every period ending after
that copy, whether or not it issued another in the period (a service is provided once it exists;
a quiet month does not withdraw it). It is a stock, like PUBLIC_CONTENT_FULL, not a flow.

* Every commune-level unit: denominator 1, numerator 1 when it has issued ≥ 1 electronic certified
  copy before the period's end (or its evaluation instant).
* Departments (and the province itself) get no rows: their denominator is 0 and the methodology's
  zero-denominator rule scores them (full 2 in qd766-portal-2026).
* The province's figures are the subtree sums of `facts.unit_facts`: communes providing / communes.
"""
from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis.expr.types import Table

from motcua.index.engine.worktime import local_seconds

CERTIFIED_COPY_SCHEMA = ibis.schema({"unit_id": "int64", "certified_at": "timestamp('UTC')"})
CERTIFIED_COPY_COLUMNS = tuple(CERTIFIED_COPY_SCHEMA.names)
CERTIFIED_COPY_INDICATORS = ("E_CERTIFIED_COPY",)
COMMUNE = "commune"


def no_certified_copies() -> Table:
    return ibis.memtable(CERTIFIED_COPY_SCHEMA.to_pyarrow().empty_table())


def _per_commune(copies: Table, units: Table, periods: Table) -> Table:
    """One row per (period, commune): `unit_id` (int64), `first_at` (local seconds of its first
    copy, null: none yet), `provides` (it issued one before the period's end)."""
    c = copies.select(cid=copies.unit_id.cast("int64"), t=local_seconds(copies.certified_at))
    first = c.group_by("cid").aggregate(first_at=c.t.min())
    communes = units.filter(units.kind == COMMUNE).select(unit_id=units.unit_id.cast("int64"))
    x = communes.left_join(first, communes.unit_id == first.cid).select("unit_id", "first_at")
    g = x.cross_join(periods.select("period", "pe"))
    return g.select("period", "unit_id", "first_at",
                    provides=(g.first_at.notnull() & (g.first_at < g.pe)).fill_null(False))


def certified_copy_facts(copies: Table, units: Table, periods: Table, unit_id_type=None) -> Table:
    """Per (period, commune): `E_CERTIFIED_COPY_num` / `_den`. `periods` is `facts.periods_table`
    (period, pe in local seconds); `unit_id_type`: the type unit_id must have (that of the other
    facts, for their union)."""
    x = _per_commune(copies, units, periods)
    unit_id = x.unit_id if unit_id_type is None else x.unit_id.cast(unit_id_type)
    return x.select("period", unit_id.name("unit_id"),
                    E_CERTIFIED_COPY_num=x.provides.ifelse(1, 0).cast("int64"),
                    E_CERTIFIED_COPY_den=ibis.literal(1, "int64"))


def certified_copy_items(copies: Table, units: Table, periods: Table, period: str,
                         unit_ids: Sequence[int]) -> Table:
    """The drill-down: each commune of `unit_ids` in `period`: unit_id, first_at (local seconds of
    its first electronic certified copy, or null), in_numerator, in_denominator (always)."""
    x = _per_commune(copies, units, periods)
    x = x.filter(x.period == period, x.unit_id.isin([int(u) for u in unit_ids]))
    return x.select("unit_id", "first_at", in_numerator=x.provides, in_denominator=ibis.literal(True)) \
        .order_by("unit_id")
