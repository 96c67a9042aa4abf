"""G5 facts from petitions (phản ánh, kiến nghị — PAKN) and ratings (Ibis, no Django).

The petitions table carries one row per petition, with the instants the feedback app records:
`received_at` (first submission), `closed_at` (rejected, or its answer published; null while open)
and `overdue_at`: the first deadline it missed, or while open the deadline of its pending step
(reject ≤ 2, request more information ≤ 5, answer ≤ 15 working days from submission or the latest
transfer; publish ≤ 2 after the answer is ready — computed with `motcua.workdays` when each step is
recorded). So a petition is within its deadlines at an instant t ⇔ overdue_at is null or t ≤ overdue_at,
and `unit_id` is the unit handling it now (a transfer hands it over and restarts the clock).

Per period [ps, pe):
- PETITION_ON_TIME: petitions received before pe and not closed before ps; in the numerator those
  within their deadlines at pe (a closed one: it missed none; an open one: none passed by pe).
- PETITION_SATISFACTION: petitions first received in the period; in the numerator those within
  their deadlines at pe, not disliked more than liked, and not re-raised by a later petition.
- DOSSIER_SATISFACTION (in `facts`): a handled dossier rated unsatisfied, or named by a petition,
  leaves the numerator — `dissatisfied_dossiers` gives their ids. Likes, ratings and petitions
  count as recorded when the index is computed.
"""
import ibis
import ibis.expr.datatypes as dt
from ibis.expr.types import Column, Table

from motcua.index.engine.worktime import local_seconds

PETITION_SCHEMA = ibis.schema({
    "petition_id": "int64", "unit_id": "int64", "dossier_id": "int64", "earlier_id": "int64",
    "received_at": dt.Timestamp(timezone="UTC"), "closed_at": dt.Timestamp(timezone="UTC"),
    "overdue_at": dt.Timestamp(timezone="UTC"), "likes": "int64", "dislikes": "int64",
})
RATING_SCHEMA = ibis.schema({"dossier_id": "int64", "satisfied": "boolean"})
PETITION_COLUMNS = tuple(PETITION_SCHEMA.names)
RATING_COLUMNS = tuple(RATING_SCHEMA.names)
FEEDBACK_INDICATORS = ("PETITION_ON_TIME", "PETITION_SATISFACTION")


def no_petitions() -> Table:
    return ibis.memtable(PETITION_SCHEMA.to_pyarrow().empty_table())


def no_ratings() -> Table:
    return ibis.memtable(RATING_SCHEMA.to_pyarrow().empty_table())


def dissatisfied_dossiers(petitions: Table, ratings: Table) -> Column:
    """Ids of the dossiers rated unsatisfied or named by a petition (no nulls: `isin` stays two-valued)."""
    rated = ratings.filter(~ratings.satisfied).select(dossier_id=ratings.dossier_id.cast("int64"))
    named = petitions.filter(petitions.dossier_id.notnull()).select(dossier_id=petitions.dossier_id.cast("int64"))
    return ibis.union(rated, named).dossier_id


def _count(flag):
    return flag.ifelse(1, 0).sum()


def _petitions_of_periods(petitions: Table, periods: Table) -> Table:
    """One row per (period, petition of the period): `period`, `unit_id`, `petition_id`, `first`
    (first received in the period), `on_time` (within its deadlines at the period's end) and
    `satisfied` (on time, not disliked more than liked, not re-raised)."""
    p = petitions
    re_raised = p.filter(p.earlier_id.notnull()).earlier_id
    p = p.select(
        "petition_id", "unit_id", r=local_seconds(p.received_at), closed=local_seconds(p.closed_at),
        overdue=local_seconds(p.overdue_at),
        liked=p.dislikes.fill_null(0) <= p.likes.fill_null(0), re_raised=p.petition_id.isin(re_raised),
    )
    x = p.join(periods, [p.r < periods.pe, p.closed.isnull() | (p.closed >= periods.ps)])
    on_time = x.overdue.isnull() | (x.pe <= x.overdue)
    first = x.r >= x.ps
    return x.select("period", "unit_id", "petition_id", first=first, on_time=on_time,
                    satisfied=first & on_time & x.liked & ~x.re_raised)


def petition_facts(petitions: Table, periods: Table, unit_type: dt.DataType = dt.int64) -> Table:
    """Per (period, unit): numerator and denominator of PETITION_ON_TIME and PETITION_SATISFACTION.
    `periods` is `facts.periods_table(...)` (period, ps, pe on the engine's local-seconds axis);
    `unit_type` the type of the other facts' unit_id (to stack them)."""
    x = _petitions_of_periods(petitions, periods)
    return x.group_by(["period", x.unit_id.cast(unit_type).name("unit_id")]).aggregate(
        PETITION_ON_TIME_num=_count(x.on_time), PETITION_ON_TIME_den=x.count(),
        PETITION_SATISFACTION_num=_count(x.satisfied), PETITION_SATISFACTION_den=_count(x.first),
    )


def feedback_items(petitions: Table, periods: Table, indicator: str) -> Table:
    """The petitions behind `indicator` (PETITION_ON_TIME or PETITION_SATISFACTION), for the
    drill-down: `period`, `unit_id` (the handling unit; filter on a subtree), `petition_id`,
    `in_numerator`, `in_denominator`."""
    if indicator not in FEEDBACK_INDICATORS:
        raise ValueError(f"{indicator} is not a petition indicator; expected one of {FEEDBACK_INDICATORS}")
    x = _petitions_of_periods(petitions, periods)
    if indicator == "PETITION_ON_TIME":
        return x.select("period", "unit_id", "petition_id", in_numerator=x.on_time, in_denominator=ibis.literal(True))
    x = x.filter(x.first)
    return x.select("period", "unit_id", "petition_id", in_numerator=x.satisfied, in_denominator=ibis.literal(True))
