"""Per-unit numerators and denominators for every period, from the input tables (Ibis).

One definition runs on every backend Ibis reaches: DuckDB over Parquet, SQLite, PostgreSQL.
Refused dossiers (status 3) were never received and count nowhere.

How the periods are applied: one pass over the dossiers, whatever the number of periods
--------------------------------------------------------------------------------------
A dossier belongs to the period [ps, pe) when received before pe and not ended before ps. Within
it, it is *received* (ps ≤ received), *finished* (ps ≤ finished < pe), and judged *on time* at its
end if it ended before pe, or else at pe (its state at the period's end).

Each of these tests compares an instant of the dossier with a period bound. The bounds of all the
periods, sorted, cut the time axis into segments; an instant's segment — how many bounds are ≤ it —
decides every such test (t < the k-th bound ⇔ segment(t) < k). So each dossier is read once and
reduced to the segments of its reception, end and finish, its flags, its ON_TIME verdict at its own
end and its verdict at each period end it is still open at (`open_<k>`); these are counted per
(unit, segments), and the few thousand counts are then assigned to the periods. The segment of an
instant comes with the calendar row of its day (already joined for the working positions).

Indicators as rules, counted or listed
--------------------------------------
`DOSSIER_RULES` and `PROCEDURE_RULES` say which items each numerator and denominator holds. The
facts sum them (`_dossier_measures` over the counts, `PROCEDURE_RULES` over the procedure grid);
`dossier_items` and `procedure_items` evaluate the same expressions per dossier and per (unit,
procedure) for the drill-down (`drilldown.py`, whose docstring gives the contract for other parts),
so the items of a unit's subtree always add up to its figures. The supplement limit of ON_TIME is
the methodology's `max_supplement_requests`.
"""
from collections.abc import Sequence
from datetime import date, datetime

import ibis
from ibis.expr.types import BooleanValue, IntegerValue, Table

from motcua.index.engine.certified_copy_facts import CERTIFIED_COPY_INDICATORS, certified_copy_facts
from motcua.index.engine.feedback_facts import FEEDBACK_INDICATORS, dissatisfied_dossiers, petition_facts
from motcua.index.engine.inputs import Inputs
from motcua.index.engine.methodology import Methodology, get_methodology
from motcua.index.engine.periods import Period
from motcua.index.engine.publication_facts import PUBLICATION_INDICATORS, publication_facts
from motcua.index.engine.worktime import DAY, UTC_OFFSET, OfficePeriods, day_table, local_seconds, with_positions

REFUSED = 3
ONLINE_PAYMENT = ("national", "province")
# Working-time limits in positions (seconds of office time per unit of the limit), by time unit.
WORKING_UNITS = {"working_days": 1.0, "working_hours": 1 / 8, "in_day": 1.0}
# Each dossier indicator's (numerator, denominator), each (the dossiers of the period it counts, the
# flag of `_dossiers` they must carry; None: every one). "period": received before the period's end
# and not ended before its start; "received": received in it; "finished": processed or returned in
# it. "on_time" is the ON_TIME verdict in the period (at the dossier's end, or at the period's end).
DOSSIER_RULES = {
    "ON_TIME": (("period", "on_time"), ("period", None)),
    "DOSSIER_SYNC": (("received", "synced"), ("received", None)),
    "ONLINE_CHANNEL": (("received", "online"), ("received", None)),
    "PAID_ONLINE": (("received", "fee_paid"), ("received", "fee")),
    "E_RESULT": (("finished", "signed"), ("finished", "document")),
    "DIGITIZED": (("received", "digitized"), ("received", None)),
    "REUSED_DATA": (("received", "reused"), ("received", None)),
    "PERSONAL_STORE": (("received", "store"), ("received", None)),
    "POPULATION_DATA_DOSSIER": (("received", "verified"), ("received", None)),
    # Handled dossiers minus the overdue ones, those rated unsatisfied and those named by a petition.
    # A dossier finished in the period ended in it: its verdict at its end is the period's.
    "DOSSIER_SATISFACTION": (("finished", "satisfied"), ("finished", None)),
}
DOSSIER_FLAGS = tuple(sorted({flag for rule in DOSSIER_RULES.values() for _, flag in rule} - {None, "on_time"}))
# Flags made of the columns of `_dossiers` (derived where counted: in its own select, `satisfied`
# would compute the ON_TIME verdict a second time).
DERIVED_FLAGS = {
    "fee_paid": lambda x: x.fee & x.paid_online,
    "satisfied": lambda x: x.on_time_at_end & ~x.dissatisfied,
}
# Each procedure indicator's (numerator, denominator): the flags a (unit, procedure) of the period
# must all carry (none: every procedure under the unit's competence).
PROCEDURE_RULES = {
    "ONLINE_PROCEDURES": (("online",), ()),
    "ONLINE_SERVICES_USED": (("online", "any_online"), ("online",)),
    "FEE_PROCEDURES_PAID_ONLINE": (("fee", "any_paid_online"), ("fee",)),
    # Fee data integrated with online payment: ≥ 1 dossier of the period whose fee was recorded as a
    # fee obligation payable online (payments.FeeObligation).
    "FEE_PROCEDURES_INTEGRATED": (("fee", "any_fee_obligation"), ("fee",)),
    "POPULATION_DATA_PROCEDURE": (("individual", "any_verified"), ("individual",)),
}
# The dossier flags a (unit, procedure) of the period carries when any of its dossiers does (`any_<flag>`).
USED_FLAGS = ("online", "paid_online", "verified", "fee_obligation")
# Indicators computed from dossiers, and from the procedures under each unit's competence.
DOSSIER_INDICATORS = tuple(DOSSIER_RULES)
PROCEDURE_INDICATORS = tuple(PROCEDURE_RULES)


def _local_midnight(d: date) -> int:
    """Epoch seconds of local midnight, shifted into local seconds (the engine's time axis)."""
    return (d - date(1970, 1, 1)).days * DAY


def _bounds(periods: Sequence[Period], as_of: datetime | None) -> list[tuple[str, int, int]]:
    """(key, ps, pe) of each period on the engine's time axis. A period that has not ended yet is
    evaluated at `as_of` (its open dossiers are judged against their appointments at that instant)."""
    cut = None if as_of is None else int(as_of.timestamp()) + UTC_OFFSET
    return [(p.key, _local_midnight(p.start),
             _local_midnight(p.end) if cut is None else min(_local_midnight(p.end), cut)) for p in periods]


def periods_table(periods: Sequence[Period], as_of: datetime | None = None) -> Table:
    """The periods on the engine's time axis: `period`, `ps`, `pe`; and `a`, `b`, the segment
    numbers of ps and pe (1-based ranks among all the periods' bounds: t < pe ⇔ segment(t) < b)."""
    rows = _bounds(periods, as_of)
    rank = {v: i for i, v in enumerate(sorted({v for _, ps, pe in rows for v in (ps, pe)}), start=1)}
    return ibis.memtable({
        "period": [k for k, _, _ in rows], "ps": [ps for _, ps, _ in rows], "pe": [pe for _, _, pe in rows],
        "a": [rank[ps] for _, ps, _ in rows], "b": [rank[pe] for _, _, pe in rows],
    })


def _segment(t: IntegerValue, bounds: Sequence[int], missing: int) -> IntegerValue:
    """How many of the sorted `bounds` are ≤ t; `missing` when t is null."""
    return ibis.cases((t.isnull(), missing), *((t < b, i) for i, b in enumerate(bounds)),
                      else_=len(bounds)).cast("int32")


def _segment_by_day(t: IntegerValue, day_segment: IntegerValue, bounds: Sequence[int], missing: int) -> IntegerValue:
    """`_segment(t, …)` from `day_segment`, the segment of t's day at midnight (read with the
    calendar): plus the bounds later within that day (an `as_of` cut). Where the calendar lacks
    the day, or t is null, the full comparison."""
    within_day = [b for b in bounds if b % DAY]
    segment = day_segment
    for b in within_day:
        segment = segment + ((t >= b) & (t < b - b % DAY + DAY)).ifelse(1, 0)
    return segment.cast("int32").fill_null(_segment(t, bounds, missing))


def _limits(procedures: Table, office: OfficePeriods) -> Table:
    """Each procedure's time limit, in positions (working units) or seconds (calendar units)."""
    p = procedures
    return p.select(
        "procedure_id", "result_is_document",
        calendar_unit=p.time_unit.isin(("days", "months")),
        calendar_limit=p.time_limit.cast("float64") * DAY * p.time_unit.substitute({"days": 1, "months": 30}, else_=0),
        working_limit=p.time_limit.cast("float64") * office.day_seconds * p.time_unit.substitute(WORKING_UNITS, else_=0.0),
    )


def after_close(t: IntegerValue, working: BooleanValue, office: OfficePeriods) -> BooleanValue:
    """Whether local instant `t` (its day `working` or not) lies past a working day's close and up
    to the next opening: the evening, the night, a day off, the early morning and the opening
    instant itself. Its working position is a day boundary, which the calendar places at the
    earlier day's close (17:00), so `t` is later than the instant of its own position."""
    tod = t % DAY
    return ~working | (tod <= office.periods[0][0]) | (tod > office.periods[-1][1])


def _by_clock(end: IntegerValue, end_pos: IntegerValue, end_after_close: BooleanValue, due_pos) -> BooleanValue:
    """`end` ≤ the deadline at working position `due_pos` (the appointment moved by the paused
    supplement time, or reception plus the time limit), compared as instants: the deadline is the
    instant of that position (`WorkCalendar.postpone`/`add`: inside an office period, 13:30 for the
    lunch break, the day's close for a day boundary), found without computing it. A lower position
    is earlier; an equal one is that very instant, or lies in the flat stretch around it: over lunch
    (due 13:30: on time) or after a close (due 17:00: finished at 17:30, at night or on the weekend
    is late)."""
    return (end_pos < due_pos) | ((end_pos == due_pos) & ~end_after_close)


def _on_time(t: Table, end: IntegerValue, end_pos: IntegerValue, end_after_close: BooleanValue,
             completed: BooleanValue, max_supplements: int) -> BooleanValue:
    """ON_TIME of a dossier whose clock stops at `end` (local seconds; `end_pos` its position,
    `end_after_close` its `after_close`), `completed`: its supplement was received by then (the
    time it took is not counted). On time ⇔ end ≤ the appointment moved later by the paused
    working time, as instants (service-index.md, ON_TIME in detail): nothing paused, the
    appointment itself; else `_by_clock`. More than `max_supplements` supplement requests: overdue."""
    pause = ibis.ifelse(completed, t.rec_pos - t.req_pos, 0)
    pause_wall = ibis.ifelse(completed, t.rec - t.req, 0)
    return ibis.cases(
        (t.supplement_count > max_supplements, False),
        (t.appt_pos.notnull() & (pause == 0), end <= t.appt),
        (t.appt_pos.notnull(), _by_clock(end, end_pos, end_after_close, t.appt_pos + pause)),
        (t.calendar_unit, end - t.r - pause_wall <= t.calendar_limit),
        else_=_by_clock(end, end_pos, end_after_close, t.r_pos + pause + t.working_limit),
    )


def _clock(t: Table, stop: IntegerValue) -> tuple[IntegerValue, BooleanValue, BooleanValue]:
    """Where the clock of a dossier stopped at `stop` (its end, or a period's end) really stops:
    (end, pending, completed). A supplement still pending at `stop`: the request time is the end,
    nothing is paused; one received by then: its time is paused."""
    pending = t.req.notnull() & (t.req <= stop) & (t.rec.isnull() | (t.rec > stop))
    completed = t.rec.notnull() & (t.rec <= stop)
    return ibis.ifelse(pending, t.req, stop), pending, completed


def _end_positions(calendar: Table, ends: Sequence[int], office: OfficePeriods) -> dict[int, tuple]:
    """The working position and `after_close` of each of a few instants (the periods' ends), read once."""
    t = ibis.memtable({"t": list(ends)})
    t = with_positions(t, day_table(calendar, office), {"pos": "t"}, office, carry={"working": ("pos", "working")})
    rows = t.select("t", "pos", after=after_close(t.t, t.working, office)).to_pyarrow().to_pylist()
    return {r["t"]: (r["pos"], r["after"]) for r in rows}


def _dossiers(inputs: Inputs, bounds: Sequence[int], ends: dict[int, tuple], office: OfficePeriods,
              max_supplements: int) -> Table:
    """One row per received dossier: its id, unit and procedure, the flags every dossier indicator
    needs, its segments of reception (s_r), end (s_end; past every bound if it has not ended) and
    finish (s_fin; 0 if not finished), `on_time_at_end`, its ON_TIME verdict at its own end, and
    for each period end pe of `ends` (local seconds: position, after_close), `open_<i>` (i: the rank of pe
    among `bounds`): whether it is still open at pe and then on time."""
    d, p = inputs.dossiers, inputs.procedures
    d = d.join(_limits(p, office), "procedure_id")
    d = d.filter(d.status != REFUSED, d.received_at.notnull())
    d = d.select(
        "dossier_id", "unit_id", "procedure_id", "supplement_count", "calendar_unit", "calendar_limit", "working_limit",
        r=local_seconds(d.received_at), appt=local_seconds(d.appointment_at),
        # The first terminal status, in the priority processed > returned > stopped/withdrawn.
        end_raw=local_seconds(d.finished_at.coalesce(d.returned_at, d.closed_at)),
        # Finished (processed or returned): then its end is its finish.
        has_finished=d.finished_at.notnull() | d.returned_at.notnull(),
        req=local_seconds(d.supplement_requested_at), rec=local_seconds(d.supplement_received_at),
        synced=d.synced_national, online=d.channel == "online", fee=d.fee_total_vnd > 0,
        paid_online=d.paid_at.notnull() & d.payment_channel.isin(ONLINE_PAYMENT),
        fee_obligation=d.fee_obligation.fill_null(False),
        document=d.result_is_document, signed=d.result_is_document & d.result_signed,
        digitized=d.components_digitized & (~d.result_is_document | d.result_signed),
        components_digitized=d.components_digitized, reused=d.component_reused,
        store=d.component_from_personal_store | d.result_to_personal_store,
        verified=d.population_verified,
        dissatisfied=d.dossier_id.isin(dissatisfied_dossiers(inputs.petitions, inputs.ratings)),
    )
    days = day_table(inputs.calendar, office)
    days = days.mutate(segment=_segment(days.day.cast("int64") * DAY, bounds, 0))  # each day's, at midnight
    d = with_positions(d, days,
                       {"end_pos": "end_raw", "appt_pos": "appt", "r_pos": "r", "req_pos": "req", "rec_pos": "rec"},
                       office, carry={"r_day_segment": ("r_pos", "segment"), "end_day_segment": ("end_pos", "segment"),
                                      "end_working": ("end_pos", "working"), "req_working": ("req_pos", "working")})
    req_after_close = after_close(d.req, d.req_working, office)
    end, pending, completed = _clock(d, d.end_raw)
    s_end = _segment_by_day(d.end_raw, d.end_day_segment, bounds, len(bounds) + 1)
    open_at = {}
    for pe, (pe_pos, pe_after_close) in ends.items():
        stop, pending_at_pe, completed_at_pe = _clock(d, ibis.literal(pe, "int64"))
        stop_pos = ibis.ifelse(pending_at_pe, d.req_pos, ibis.literal(pe_pos, "int64"))
        stop_after_close = ibis.ifelse(pending_at_pe, req_after_close, ibis.literal(bool(pe_after_close)))
        still_open = (d.r < pe) & (d.end_raw.isnull() | (d.end_raw >= pe))
        # (The verdict is evaluated only where the dossier is open at pe: most are not.)
        open_at[f"open_{bounds.index(pe) + 1}"] = ibis.ifelse(
            still_open, _on_time(d, stop, stop_pos, stop_after_close, completed_at_pe, max_supplements), False)
    return d.select(
        "dossier_id", "unit_id", "procedure_id", "synced", "online", "fee", "paid_online", "fee_obligation",
        "document", "signed",
        "digitized", "components_digitized", "reused", "store", "verified", "dissatisfied",
        on_time_at_end=_on_time(d, end, ibis.ifelse(pending, d.req_pos, d.end_pos),
                                ibis.ifelse(pending, req_after_close, after_close(d.end_raw, d.end_working, office)),
                                completed, max_supplements),
        s_r=_segment_by_day(d.r, d.r_day_segment, bounds, len(bounds)),
        s_end=s_end,
        s_fin=d.has_finished.ifelse(s_end, 0),
        **open_at,
    )


def _flag(x: Table, name: str) -> BooleanValue:
    """A flag of the dossiers of `_dossiers`, derived or not."""
    return DERIVED_FLAGS[name](x) if name in DERIVED_FLAGS else x[name]


def _dossier_measures(x: Table, everyone, flag=lambda x, name: x[name]) -> dict[str, tuple]:
    """`<INDICATOR>_num`/`_den` of each dossier indicator as (condition on the period's dossiers,
    value), over `x`: dossiers of `_dossiers` (then `flag` is `_flag`) or counts of them (a column
    per flag), joined with their period (a, b). `everyone` is the value of a rule without a flag
    (1 per dossier, or the count)."""
    opens = [c for c in x.columns if c.startswith("open_")]
    scopes = {"period": None, "received": x.s_r >= x.a, "finished": (x.s_fin >= x.a) & (x.s_fin < x.b)}
    # Ended in the period: judged at its end; still open at the period's end: judged there.
    on_time = ibis.ifelse(x.s_end < x.b, x.on_time_at_end,
                          ibis.cases(*((x.b == int(col.removeprefix("open_")), x[col]) for col in opens)))
    values = {None: everyone, "on_time": on_time} | {name: flag(x, name) for name in DOSSIER_FLAGS}
    return {f"{code}_{part}": (scopes[scope], values[flag])
            for code, rule in DOSSIER_RULES.items() for part, (scope, flag) in zip(("num", "den"), rule)}


def _dossier_facts(dossiers: Table, periods: Table) -> Table:
    """Per (period, unit): `<INDICATOR>_num` and `<INDICATOR>_den` of the dossier indicators.
    Counts of booleans are sums, null where every value is null (`_all_columns` makes them 0)."""
    x = dossiers
    counted = ("on_time_at_end",) + tuple(c for c in x.columns if c.startswith("open_"))
    counts = x.group_by(["unit_id", "s_r", "s_end", "s_fin"]).aggregate(
        n=x.count(), **{name: _flag(x, name).sum() for name in DOSSIER_FLAGS}, **{c: x[c].sum() for c in counted})
    c = counts.join(periods, [counts.s_r < periods.b, counts.s_end >= periods.a])  # the dossiers of the period
    return c.group_by(["period", "unit_id"]).aggregate(**{
        column: (value if condition is None else ibis.ifelse(condition, value, 0)).sum()
        for column, (condition, value) in _dossier_measures(c, c.n).items()})


def _count(flag):
    return flag.ifelse(1, 0).sum()  # PostgreSQL casts no boolean to bigint


def _procedure_grid(inputs: Inputs, periods: Table, dossiers: Table) -> Table:
    """One row per (period, unit, procedure under the unit's competence — its own for a department,
    every commune-level procedure for a commune) with the flags of `PROCEDURE_RULES`."""
    u, p = inputs.units, inputs.procedures
    competence = u.join(p, ((p.level == "commune") & (u.kind == "commune")) | (p.agency_id == u.unit_id))
    competence = competence.select(
        "unit_id", "procedure_id", online=competence.online_level != "none", fee=competence.fee_bearing,
        individual=competence.for_individuals)
    x = dossiers
    # Received in the period and of it: ps ≤ received and ps ≤ end, i.e. a ≤ min(s_r, s_end); s_r < b.
    first = ibis.ifelse(x.s_end < x.s_r, x.s_end, x.s_r)
    seen = x.group_by(["unit_id", "procedure_id", "s_r", first.name("s_first")]).aggregate(
        **{f"any_{flag}": x[flag].any() for flag in USED_FLAGS})
    s = seen.join(periods, [seen.s_first >= periods.a, seen.s_r < periods.b])
    used = s.group_by(["period", "unit_id", "procedure_id"]).aggregate(
        **{f"any_{flag}": s[f"any_{flag}"].any() for flag in USED_FLAGS})
    grid = competence.cross_join(periods.select("period"))
    g = grid.left_join(used, [grid.period == used.period, grid.unit_id == used.unit_id,
                              grid.procedure_id == used.procedure_id])
    return g.select("period", "unit_id", "procedure_id", "online", "fee", "individual",
                    **{f"any_{flag}": g[f"any_{flag}"].fill_null(False) for flag in USED_FLAGS})


def _all_of(t: Table, flags: Sequence[str]) -> BooleanValue | None:
    """Every one of `flags` (columns of `t`) is true; None for no flags."""
    condition = None
    for flag in flags:
        condition = t[flag] if condition is None else condition & t[flag]
    return condition


def _procedure_facts(inputs: Inputs, periods: Table, dossiers: Table) -> Table:
    """Per (period, unit): the procedure indicators, over the procedures under the unit's competence."""
    g = _procedure_grid(inputs, periods, dossiers)
    return g.group_by(["period", "unit_id"]).aggregate(**{
        f"{code}_{part}": g.count() if condition is None else _count(condition)
        for code, rule in PROCEDURE_RULES.items()
        for part, condition in zip(("num", "den"), (_all_of(g, flags) for flags in rule))})


INDICATORS = (DOSSIER_INDICATORS + PROCEDURE_INDICATORS + FEEDBACK_INDICATORS + PUBLICATION_INDICATORS
              + CERTIFIED_COPY_INDICATORS)
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


def _all_columns(t: Table) -> Table:
    """`t` with every fact column (int64), zero where `t` has none."""
    return t.select("period", "unit_id", **{
        c: t[c].fill_null(0).cast("int64") if c in t.columns else ibis.literal(0, "int64") for c in FACT_COLUMNS})


def _prepared(inputs: Inputs, periods: Sequence[Period], as_of: datetime | None, office: OfficePeriods,
              methodology: Methodology | None) -> tuple[Table, Table]:
    """(`periods_table`, `_dossiers`) of the periods, under the methodology's rules (default: the
    default version's)."""
    rows = _bounds(periods, as_of)
    bounds = sorted({v for _, ps, pe in rows for v in (ps, pe)})
    ends = _end_positions(inputs.calendar, sorted({pe for _, _, pe in rows}), office)
    max_supplements = (methodology or get_methodology()).max_supplement_requests
    return periods_table(periods, as_of), _dossiers(inputs, bounds, ends, office, max_supplements)


def unit_facts(inputs: Inputs, periods: Sequence[Period], *, as_of: datetime | None = None,
               office: OfficePeriods = OfficePeriods(), methodology: Methodology | None = None) -> Table:
    """Numerator and denominator of every computed indicator, per (period, unit), where a unit's
    figures are the sums over its subtree (the province: all its departments and communes).
    `as_of` is the instant of evaluation (now, for the current month); None: the periods' ends.
    A (period, unit) row exists when the unit's subtree has a dossier of the period, a procedure
    or a commune."""
    table, dossiers = _prepared(inputs, periods, as_of, office, methodology)
    parts = [_dossier_facts(dossiers, table), _procedure_facts(inputs, table, dossiers),
             petition_facts(inputs.petitions, table, inputs.dossiers.unit_id.type()),
             publication_facts(inputs.publications, inputs.calendar, table, inputs.dossiers.unit_id.type()),
             certified_copy_facts(inputs.certified_copies, inputs.units, table, inputs.dossiers.unit_id.type())]
    both = ibis.union(*[_all_columns(part) for part in parts], distinct=False).view()
    tree = ancestors(inputs.units)
    rolled = both.join(tree, "unit_id")
    return rolled.group_by(["period", rolled.ancestor_id.name("unit_id")]).aggregate(
        **{c: rolled[c].sum() for c in FACT_COLUMNS})


# -- item rows: what the drill-down lists ------------------------------------------------------------


def _item_flag(condition: BooleanValue | None, value: BooleanValue | None) -> BooleanValue:
    terms = [t for t in (condition, value) if t is not None]
    if not terms:
        return ibis.literal(True)
    return (terms[0] & terms[1] if len(terms) == 2 else terms[0]).fill_null(False)


def dossier_items(inputs: Inputs, period: Period, *, as_of: datetime | None = None,
                  office: OfficePeriods = OfficePeriods(), methodology: Methodology | None = None) -> Table:
    """One row per dossier of the period: `period`, `dossier_id`, `unit_id`, `procedure_id`, the
    flags of `_dossiers`, `open_at_end` (not ended by the period's end or `as_of`) and booleans
    `<INDICATOR>_num`/`_den` for each dossier indicator — the same `_dossier_measures` that
    `unit_facts` sums, so their counts are its numerators and denominators."""
    table, dossiers = _prepared(inputs, [period], as_of, office, methodology)
    x = dossiers.cross_join(table)
    x = x.filter(x.s_r < x.b, x.s_end >= x.a)  # the dossiers of the period, as `_dossier_facts` joins them
    flags = [c for c in dossiers.columns if c not in ("dossier_id", "unit_id", "procedure_id")]
    return x.select("period", "dossier_id", "unit_id", "procedure_id", *flags, open_at_end=x.s_end >= x.b, **{
        column: _item_flag(condition, value)
        for column, (condition, value) in _dossier_measures(x, None, _flag).items()})


def procedure_items(inputs: Inputs, period: Period, *, as_of: datetime | None = None,
                    office: OfficePeriods = OfficePeriods(), methodology: Methodology | None = None) -> Table:
    """One row per (unit, procedure under its competence) in the period: `period`, `unit_id`,
    `procedure_id`, the flags of `_procedure_grid` and booleans `<INDICATOR>_num`/`_den` for each
    procedure indicator (the conditions `_procedure_facts` counts)."""
    table, dossiers = _prepared(inputs, [period], as_of, office, methodology)
    g = _procedure_grid(inputs, table, dossiers)
    return g.select(*g.columns, **{
        f"{code}_{part}": _item_flag(_all_of(g, flags), None)
        for code, rule in PROCEDURE_RULES.items() for part, flags in zip(("num", "den"), rule)})
