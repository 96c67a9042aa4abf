"""Per-unit numerators and denominators for every period, from the input tables (Ibis).

One definition runs on every backend Ibis reaches: DuckDB over Parquet, SQLite, PostgreSQL.
Refused dossiers (status 3) were never received and count nowhere.
"""
from collections.abc import Sequence
from datetime import date, datetime

import ibis
from ibis.expr.types import Table

from motcua.index.engine.inputs import Inputs
from motcua.index.engine.periods import Period
from motcua.index.engine.worktime import DAY, UTC_OFFSET, OfficePeriods, day_table, local_seconds, with_positions

REFUSED = 3
ONLINE_PAYMENT = ("national", "province")
# Working-time limits in positions (seconds of office time per unit of the limit), by time unit.
WORKING_UNITS = {"working_days": 1.0, "working_hours": 1 / 8, "in_day": 1.0}
# Indicators computed from dossiers, and from the procedures under each unit's competence.
DOSSIER_INDICATORS = ("ON_TIME", "DOSSIER_SYNC", "ONLINE_CHANNEL", "PAID_ONLINE", "E_RESULT", "DIGITIZED",
                      "REUSED_DATA", "PERSONAL_STORE", "POPULATION_DATA_DOSSIER", "DOSSIER_SATISFACTION")
PROCEDURE_INDICATORS = ("ONLINE_PROCEDURES", "ONLINE_SERVICES_USED", "FEE_PROCEDURES_PAID_ONLINE",
                        "FEE_PROCEDURES_INTEGRATED", "POPULATION_DATA_PROCEDURE")


def _local_midnight(d: date) -> int:
    """Epoch seconds of local midnight, shifted into local seconds (the engine's time axis)."""
    return (d - date(1970, 1, 1)).days * DAY


def periods_table(periods: Sequence[Period], as_of: datetime | None = None) -> Table:
    """The periods on the engine's time axis. A period that has not ended yet is evaluated at
    `as_of` (its open dossiers are judged against their appointments at that instant)."""
    cut = None if as_of is None else int(as_of.timestamp()) + UTC_OFFSET
    return ibis.memtable({
        "period": [p.key for p in periods],
        "ps": [_local_midnight(p.start) for p in periods],
        "pe": [_local_midnight(p.end) if cut is None else min(_local_midnight(p.end), cut) for p in periods],
    })


def _dossier_rows(inputs: Inputs, periods: Table, office: OfficePeriods) -> Table:
    """One row per (dossier, period) for dossiers received before the period's end and not ended
    before its start, with the flags every dossier indicator needs."""
    d, p = inputs.dossiers, inputs.procedures
    d = d.filter(d.status != REFUSED, d.received_at.notnull())
    d = d.join(p.select("procedure_id", "time_limit", "time_unit", "result_is_document"), "procedure_id")
    d = d.select(
        "dossier_id", "unit_id", "procedure_id", "channel", "supplement_count", "fee_total_vnd",
        "payment_channel", "result_signed", "result_to_personal_store", "components_digitized",
        "component_reused", "component_from_personal_store", "population_verified", "synced_national",
        "time_limit", "time_unit", "result_is_document",
        r=local_seconds(d.received_at), appt=local_seconds(d.appointment_at),
        # The first terminal status, in the priority processed > returned > stopped/withdrawn.
        end_raw=local_seconds(d.finished_at.coalesce(d.returned_at, d.closed_at)),
        finished=local_seconds(d.finished_at.coalesce(d.returned_at)),
        req=local_seconds(d.supplement_requested_at), rec=local_seconds(d.supplement_received_at),
        paid=local_seconds(d.paid_at),
    )
    d = d.view()  # a relation of its own: the period join below must not merge into the one above
    rows = d.join(periods, [d.r < periods.pe, d.end_raw.isnull() | (d.end_raw >= periods.ps)])
    end = ibis.ifelse(rows.end_raw.notnull() & (rows.end_raw < rows.pe), rows.end_raw, rows.pe)
    # A supplement still pending at the end: the request time is the end, nothing is paused.
    pending = rows.req.notnull() & (rows.req <= end) & (rows.rec.isnull() | (rows.rec > end))
    completed = rows.rec.notnull() & (rows.rec <= end)
    rows = rows.mutate(end=ibis.ifelse(pending, rows.req, end), completed=completed)
    days = day_table(inputs.calendar)
    rows = with_positions(rows, days, {f"{c}_pos": c for c in ("end", "appt", "r", "req", "rec")}, office)
    pause = ibis.ifelse(rows.completed, rows.rec_pos - rows.req_pos, 0)
    limit = rows.time_limit.cast("float64") * office.day_seconds * rows.time_unit.substitute(WORKING_UNITS, else_=0.0)
    calendar_limit = rows.time_limit.cast("float64") * DAY * rows.time_unit.substitute({"days": 1, "months": 30}, else_=0)
    pause_wall = ibis.ifelse(rows.completed, rows.rec - rows.req, 0)
    on_time = ibis.cases(
        (rows.supplement_count > 1, False),
        (rows.appt_pos.notnull(), rows.end_pos - pause <= rows.appt_pos),
        (rows.time_unit.isin(("days", "months")), rows.end - rows.r - pause_wall <= calendar_limit),
        else_=rows.end_pos - rows.r_pos - pause <= limit,
    )
    received = rows.r >= rows.ps
    finished = rows.finished.notnull() & (rows.finished >= rows.ps) & (rows.finished < rows.pe)
    return rows.select(
        "period", "unit_id", "procedure_id", received=received, finished=finished, on_time=on_time,
        synced=rows.synced_national, online=rows.channel == "online",
        fee=rows.fee_total_vnd > 0,
        paid_online=rows.paid.notnull() & rows.payment_channel.isin(ONLINE_PAYMENT),
        document=rows.result_is_document, signed=rows.result_signed,
        digitized=rows.components_digitized & (~rows.result_is_document | rows.result_signed),
        reused=rows.component_reused,
        store=rows.component_from_personal_store | rows.result_to_personal_store,
        verified=rows.population_verified,
    )


def _count(flag):
    return flag.ifelse(1, 0).sum()  # PostgreSQL casts no boolean to bigint


def _dossier_facts(rows: Table) -> Table:
    """Per (period, unit): `<INDICATOR>_num` and `<INDICATOR>_den` of the dossier indicators."""
    rec, fin = rows.received, rows.finished
    return rows.group_by(["period", "unit_id"]).aggregate(
        ON_TIME_num=_count(rows.on_time), ON_TIME_den=rows.count(),
        DOSSIER_SYNC_num=_count(rec & rows.synced), DOSSIER_SYNC_den=_count(rec),
        ONLINE_CHANNEL_num=_count(rec & rows.online), ONLINE_CHANNEL_den=_count(rec),
        PAID_ONLINE_num=_count(rec & rows.fee & rows.paid_online), PAID_ONLINE_den=_count(rec & rows.fee),
        E_RESULT_num=_count(fin & rows.document & rows.signed), E_RESULT_den=_count(fin & rows.document),
        DIGITIZED_num=_count(rec & rows.digitized), DIGITIZED_den=_count(rec),
        REUSED_DATA_num=_count(rec & rows.reused), REUSED_DATA_den=_count(rec),
        PERSONAL_STORE_num=_count(rec & rows.store), PERSONAL_STORE_den=_count(rec),
        POPULATION_DATA_DOSSIER_num=_count(rec & rows.verified), POPULATION_DATA_DOSSIER_den=_count(rec),
        # Handled dossiers minus the overdue ones (ratings and petitions join with the feedback app).
        DOSSIER_SATISFACTION_num=_count(fin & rows.on_time), DOSSIER_SATISFACTION_den=_count(fin),
    )


def _procedure_facts(inputs: Inputs, periods: Sequence[Period], rows: Table) -> Table:
    """Per (period, unit): the procedure indicators, over the procedures under the unit's competence
    (its own for a department, every commune-level procedure for a commune)."""
    u, p = inputs.units, inputs.procedures
    competence = u.join(p, ((p.level == "commune") & (u.kind == "commune")) | (p.agency_id == u.unit_id))
    competence = competence.select(
        "unit_id", "procedure_id", online=competence.online_level != "none", fee=competence.fee_bearing,
        individual=competence.for_individuals)
    used = rows.filter(rows.received).group_by(["period", "unit_id", "procedure_id"]).aggregate(
        any_online=rows.online.any(), any_paid_online=rows.paid_online.any(), any_verified=rows.verified.any())
    grid = competence.cross_join(ibis.memtable({"period": [p.key for p in periods]}))
    g = grid.left_join(used, [grid.period == used.period, grid.unit_id == used.unit_id,
                              grid.procedure_id == used.procedure_id])
    g = g.select("period", "unit_id", "online", "fee", "individual",
                 any_online=g.any_online.fill_null(False), any_paid_online=g.any_paid_online.fill_null(False),
                 any_verified=g.any_verified.fill_null(False))
    return g.group_by(["period", "unit_id"]).aggregate(
        ONLINE_PROCEDURES_num=_count(g.online), ONLINE_PROCEDURES_den=g.count(),
        ONLINE_SERVICES_USED_num=_count(g.online & g.any_online), ONLINE_SERVICES_USED_den=_count(g.online),
        FEE_PROCEDURES_PAID_ONLINE_num=_count(g.fee & g.any_paid_online), FEE_PROCEDURES_PAID_ONLINE_den=_count(g.fee),
        # A fee-bearing procedure offered online carries its fee data to the payment platform.
        FEE_PROCEDURES_INTEGRATED_num=_count(g.fee & g.online), FEE_PROCEDURES_INTEGRATED_den=_count(g.fee),
        POPULATION_DATA_PROCEDURE_num=_count(g.individual & g.any_verified),
        POPULATION_DATA_PROCEDURE_den=_count(g.individual),
    )


INDICATORS = DOSSIER_INDICATORS + PROCEDURE_INDICATORS
FACT_COLUMNS = tuple(f"{code}_{part}" for code in INDICATORS for part in ("num", "den"))


def ancestors(units: Table) -> Table:
    """(unit_id, ancestor_id) for every unit and each of its ancestors, itself included."""
    parent = {r["unit_id"]: r["parent_id"] for r in units.select("unit_id", "parent_id").to_pyarrow().to_pylist()}
    pairs = []
    for unit in parent:
        node, seen = unit, set()
        while node is not None and node not in seen:
            pairs.append((unit, node))
            seen.add(node)
            node = parent.get(node)
    return ibis.memtable({"unit_id": [a for a, _ in pairs], "ancestor_id": [b for _, b in pairs]})


def unit_facts(inputs: Inputs, periods: Sequence[Period], *, as_of: datetime | None = None,
               office: OfficePeriods = OfficePeriods()) -> Table:
    """Numerator and denominator of every computed indicator, per (period, unit), where a unit's
    figures are the sums over its subtree (the province: all its departments and communes).
    `as_of` is the instant of evaluation (now, for the current month); None: the periods' ends."""
    rows = _dossier_rows(inputs, periods_table(periods, as_of), office)
    per_dossier = _dossier_facts(rows).view()  # both sides derive from `rows`: a self-join
    per_procedure = _procedure_facts(inputs, periods, rows)
    both = per_procedure.outer_join(per_dossier, [per_procedure.period == per_dossier.period,
                                                  per_procedure.unit_id == per_dossier.unit_id])
    both = both.select(period=both.period.coalesce(both.period_right), unit_id=both.unit_id.coalesce(both.unit_id_right),
                       **{c: both[c].fill_null(0).cast("int64") for c in FACT_COLUMNS}).view()
    tree = ancestors(inputs.units)
    rolled = both.join(tree, "unit_id")
    return rolled.group_by(["period", rolled.ancestor_id.name("unit_id")]).aggregate(
        **{c: rolled[c].sum() for c in FACT_COLUMNS})
