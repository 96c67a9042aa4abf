"""Benchmark of the index engine on DuckDB over Parquet, next to pandas and a hand-written SQL floor.

    .venv/bin/python bench/index_bench.py --rows 10000000 [--data var/pq10m] [--repeat 3]

Data: the Parquet files of `motcua demo parquet` (generated into --data, with the same generator
and seed, when the folder does not exist yet): dossiers received December 2025 – November 2026,
taken at the snapshot 2026-12-01 00:00 (Asia/Ho_Chi_Minh).

Work: every indicator the engine computes (`FACT_COLUMNS`: numerator and denominator of all 21
indicators; pandas: the 15 dossier and procedure indicators, which hold nearly all the work), for
every unit (the province, its departments and communes, each over its subtree), for the 12 months
of the data and the year 2026, evaluated at the snapshot (`as_of`).

Variants, each run in a fresh process of its own (so that its peak memory is its own):

* engine   — `from_parquet` + `unit_facts` (Ibis) on DuckDB, reading the Parquet files in place;
* pandas   — a plain pandas implementation of the same definitions for the dossier and procedure
             indicators: period by period, the rows of the period, their end, supplement pause and
             working positions (calendar merges), the on-time verdict, group-bys; every (period,
             unit) figure of those indicators must equal the engine's;
* floor    — one hand-written DuckDB SQL query for ON_TIME alone (num and den): one pass over the
             dossiers, the calendar as in-memory lists; the floor for the heaviest indicator;
* join_sql — for reference, the same by the plain formulation, one row per (dossier, period).
The ON_TIME figures of floor and join_sql must equal the engine's.

Wall time is the computation inside the process (connecting, reading the files, building and
compiling the query included; interpreter start and imports excluded), the best of --repeat runs
(pandas: once, it is slow); peak MB is the process's peak resident set (ru_maxrss) over its runs,
interpreter and libraries included. DuckDB runs with its default threads (the machine's cores).
The machine's other load shows in the load averages printed before and after.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SNAPSHOT = datetime(2026, 12, 1, tzinfo=TZ)  # `motcua demo parquet`: the data is taken then
UTC_OFFSET = 7 * 3600
DAY = 86400
OFFICE = ((7 * 3600 + 1800, 11 * 3600 + 1800), (13 * 3600 + 1800, 17 * 3600))  # 07:30–11:30, 13:30–17:00
DAY_SECONDS = sum(end - start for start, end in OFFICE)


def bench_periods():
    from motcua.index.engine import periods as P

    return [P.month(2025, 12), *(P.month(2026, m) for m in range(1, 12)), P.year(2026)]


def period_bounds(periods, as_of: datetime) -> list[tuple[str, int, int]]:
    """(key, start, end) in local seconds; a period not over at `as_of` ends there."""
    local = lambda d: (d - date(1970, 1, 1)).days * DAY  # noqa: E731
    cut = int(as_of.timestamp()) + UTC_OFFSET
    return [(p.key, local(p.start), min(local(p.end), cut)) for p in periods]


# ------------------------------------------------------------------------------------------------
# Variant 1: the engine
# ------------------------------------------------------------------------------------------------


def run_engine(folder: Path) -> dict:
    from motcua.index.engine.facts import FACT_COLUMNS, unit_facts
    from motcua.index.engine.inputs import from_parquet

    table = unit_facts(from_parquet(folder), bench_periods(), as_of=SNAPSHOT).to_pyarrow()
    return {(r["period"], r["unit_id"]): tuple(int(r[c]) for c in FACT_COLUMNS) for r in table.to_pylist()}


# ------------------------------------------------------------------------------------------------
# Variant 2: pandas, written plainly
# ------------------------------------------------------------------------------------------------


def pandas_columns() -> tuple[str, ...]:
    """The figures the pandas variant computes: the dossier and procedure indicators (the
    feedback, publication and certified-copy parts, small tables, are the engine's alone)."""
    from motcua.index.engine.facts import DOSSIER_INDICATORS, PROCEDURE_INDICATORS

    return tuple(f"{code}_{part}" for code in DOSSIER_INDICATORS + PROCEDURE_INDICATORS for part in ("num", "den"))


def run_pandas(folder: Path) -> dict:
    import numpy as np
    import pandas as pd

    columns = list(pandas_columns())
    dossiers = pd.read_parquet(folder / "dossiers.parquet", columns=[
        "dossier_id", "unit_id", "procedure_id", "channel", "status", "received_at", "appointment_at", "finished_at",
        "returned_at", "closed_at", "supplement_count", "supplement_requested_at", "supplement_received_at",
        "fee_total_vnd", "paid_at", "payment_channel", "fee_obligation", "result_signed", "result_to_personal_store",
        "components_digitized", "component_reused", "component_from_personal_store", "population_verified",
        "synced_national"])
    procedures = pd.read_parquet(folder / "procedures.parquet")
    units = pd.read_parquet(folder / "units.parquet")
    calendar = pd.read_parquet(folder / "calendar.parquet")

    def local_seconds(ts: pd.Series) -> pd.Series:
        """Whole local seconds (floor), NaN where null."""
        micros = ts.dt.tz_convert("UTC").dt.as_unit("us").array.asi8
        seconds = (np.floor_divide(micros, 1_000_000) + UTC_OFFSET).astype("float64")
        seconds[ts.isna().to_numpy()] = np.nan
        return pd.Series(seconds, index=ts.index)

    days = pd.DataFrame({"day": calendar.day_number.astype("float64"), "working": calendar.is_working_day,
                         "ordinal": calendar.working_day_ordinal.astype("float64")})

    def clock(seconds: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Working position of local instants (merge with the calendar on the local day), and
        whether each lies past a working day's close up to the next opening (its position is a day
        boundary, whose instant is the earlier close)."""
        day = np.floor(seconds / DAY)
        cal = pd.DataFrame({"day": day.to_numpy()}).merge(days, on="day", how="left")
        time_of_day = (seconds - day * DAY).to_numpy()
        elapsed = sum(np.clip(time_of_day - start, 0, end - start) for start, end in OFFICE)
        working = cal.working.fillna(False).to_numpy(dtype=bool)
        ordinal = cal.ordinal.to_numpy()
        after_close = ~working | (time_of_day <= OFFICE[0][0]) | (time_of_day > OFFICE[-1][1])
        return (pd.Series(np.where(working, (ordinal - 1) * DAY_SECONDS + elapsed, ordinal * DAY_SECONDS),
                          index=seconds.index), pd.Series(after_close, index=seconds.index))

    def position(seconds: pd.Series) -> pd.Series:
        return clock(seconds)[0]

    def by_clock(end_pos: pd.Series, after_close: pd.Series, due_pos: pd.Series) -> pd.Series:
        """end ≤ the instant of working position due_pos (WorkCalendar.postpone), as instants."""
        return (end_pos < due_pos) | ((end_pos == due_pos) & ~after_close)

    # DOSSIER_SATISFACTION leaves out the dossiers rated unsatisfied or named by a petition.
    ratings = pd.read_parquet(folder / "ratings.parquet", columns=["dossier_id", "satisfied"])
    petitions = pd.read_parquet(folder / "petitions.parquet", columns=["dossier_id"])
    dissatisfied = set(ratings.dossier_id[~ratings.satisfied.astype(bool)]) | set(petitions.dossier_id.dropna())

    d = dossiers[(dossiers.status != 3) & dossiers.received_at.notna()]
    d = d.merge(procedures[["procedure_id", "time_limit", "time_unit", "result_is_document"]], on="procedure_id")
    finished = local_seconds(d.finished_at).fillna(local_seconds(d.returned_at))
    d = pd.DataFrame({
        "unit_id": d.unit_id, "procedure_id": d.procedure_id, "supplement_count": d.supplement_count,
        "time_limit": d.time_limit.astype("float64"), "time_unit": d.time_unit,
        "r": local_seconds(d.received_at), "appt": local_seconds(d.appointment_at),
        "finished": finished, "end_raw": finished.fillna(local_seconds(d.closed_at)),
        "req": local_seconds(d.supplement_requested_at), "rec": local_seconds(d.supplement_received_at),
        "synced": d.synced_national, "online": d.channel == "online", "fee": d.fee_total_vnd > 0,
        "paid_online": d.paid_at.notna() & d.payment_channel.isin(["national", "province"]),
        "fee_obligation": d.fee_obligation.fillna(False).astype(bool),
        "document": d.result_is_document, "signed": d.result_signed,
        "digitized": d.components_digitized & (~d.result_is_document | d.result_signed),
        "reused": d.component_reused, "store": d.component_from_personal_store | d.result_to_personal_store,
        "verified": d.population_verified, "dissatisfied": d.dossier_id.isin(dissatisfied),
    })
    for column in ("appt", "r", "req", "rec"):  # positions that do not depend on the period
        d[f"{column}_pos"] = position(d[column])
    working_factor = d.time_unit.map({"working_days": 1.0, "working_hours": 1 / 8, "in_day": 1.0}).fillna(0.0)
    calendar_factor = d.time_unit.map({"days": 1.0, "months": 30.0}).fillna(0.0)
    d["limit"] = d.time_limit * DAY_SECONDS * working_factor
    d["calendar_limit"] = d.time_limit * DAY * calendar_factor
    d["calendar_unit"] = d.time_unit.isin(["days", "months"])

    competence = units[["unit_id", "kind"]].merge(procedures, how="cross")
    competence = competence[((competence.level == "commune") & (competence.kind == "commune"))
                            | (competence.agency_id == competence.unit_id)]
    competence = pd.DataFrame({"unit_id": competence.unit_id, "procedure_id": competence.procedure_id,
                               "online": competence.online_level != "none", "fee": competence.fee_bearing,
                               "individual": competence.for_individuals})

    frames = []
    for key, ps, pe in period_bounds(bench_periods(), SNAPSHOT):
        x = d[(d.r < pe) & (d.end_raw.isna() | (d.end_raw >= ps))]
        ended = x.end_raw.notna() & (x.end_raw < pe)
        end = x.end_raw.where(ended, pe)
        pending = x.req.notna() & (x.req <= end) & (x.rec.isna() | (x.rec > end))
        completed = x.rec.notna() & (x.rec <= end)
        end = x.req.where(pending, end)
        end_pos, after_close = clock(end)
        pause = (x.rec_pos - x.req_pos).where(completed, 0)
        pause_wall = (x.rec - x.req).where(completed, 0)
        # On time ⇔ end ≤ the appointment moved later by the paused working time, as instants.
        on_time = np.select(
            [x.supplement_count > 1, x.appt_pos.notna() & (pause == 0), x.appt_pos.notna(), x.calendar_unit],
            [False, end <= x.appt, by_clock(end_pos, after_close, x.appt_pos + pause),
             end - x.r - pause_wall <= x.calendar_limit],
            default=by_clock(end_pos, after_close, x.r_pos + pause + x.limit))
        received = x.r >= ps
        fin = x.finished.notna() & (x.finished >= ps) & (x.finished < pe)
        flags = pd.DataFrame({
            "unit_id": x.unit_id,
            "ON_TIME_num": on_time, "ON_TIME_den": True,
            "DOSSIER_SYNC_num": received & x.synced, "DOSSIER_SYNC_den": received,
            "ONLINE_CHANNEL_num": received & x.online, "ONLINE_CHANNEL_den": received,
            "PAID_ONLINE_num": received & x.fee & x.paid_online, "PAID_ONLINE_den": received & x.fee,
            "E_RESULT_num": fin & x.document & x.signed, "E_RESULT_den": fin & x.document,
            "DIGITIZED_num": received & x.digitized, "DIGITIZED_den": received,
            "REUSED_DATA_num": received & x.reused, "REUSED_DATA_den": received,
            "PERSONAL_STORE_num": received & x.store, "PERSONAL_STORE_den": received,
            "POPULATION_DATA_DOSSIER_num": received & x.verified, "POPULATION_DATA_DOSSIER_den": received,
            "DOSSIER_SATISFACTION_num": fin & on_time & ~x.dissatisfied, "DOSSIER_SATISFACTION_den": fin,
        })
        per_dossier = flags.groupby("unit_id").sum()

        flags = ["online", "paid_online", "verified", "fee_obligation"]
        used = x[received].groupby(["unit_id", "procedure_id"])[flags].any()
        used.columns = [f"any_{flag}" for flag in flags]
        g = competence.merge(used.reset_index(), on=["unit_id", "procedure_id"], how="left")
        g[list(used.columns)] = g[list(used.columns)].fillna(False).astype(bool)
        per_procedure = pd.DataFrame({
            "unit_id": g.unit_id,
            "ONLINE_PROCEDURES_num": g.online, "ONLINE_PROCEDURES_den": True,
            "ONLINE_SERVICES_USED_num": g.online & g.any_online, "ONLINE_SERVICES_USED_den": g.online,
            "FEE_PROCEDURES_PAID_ONLINE_num": g.fee & g.any_paid_online, "FEE_PROCEDURES_PAID_ONLINE_den": g.fee,
            "FEE_PROCEDURES_INTEGRATED_num": g.fee & g.any_fee_obligation, "FEE_PROCEDURES_INTEGRATED_den": g.fee,
            "POPULATION_DATA_PROCEDURE_num": g.individual & g.any_verified,
            "POPULATION_DATA_PROCEDURE_den": g.individual,
        }).groupby("unit_id").sum()

        both = per_dossier.join(per_procedure, how="outer").fillna(0).astype("int64")
        both["period"] = key
        frames.append(both.reset_index())

    facts = pd.concat(frames, ignore_index=True)
    parent = dict(zip(units.unit_id, units.parent_id.astype("Int64")))
    pairs = []
    for unit in parent:
        node, seen = unit, set()
        while node is not None and not pd.isna(node) and int(node) not in seen:
            pairs.append((unit, int(node)))
            seen.add(int(node))
            node = parent.get(node)
    tree = pd.DataFrame(pairs, columns=["unit_id", "ancestor_id"])
    rolled = facts.merge(tree, on="unit_id").groupby(["period", "ancestor_id"])[columns].sum()
    return {(period, int(unit)): tuple(int(v) for v in row)
            for (period, unit), row in zip(rolled.index, rolled.to_numpy())}


# ------------------------------------------------------------------------------------------------
# Variants 3 and 4: ON_TIME alone, one hand-written DuckDB query each
# ------------------------------------------------------------------------------------------------
# Shared SQL pieces. The calendar is read into two lists indexed by day number (working flag,
# position at midnight), so a working position is two list lookups and a CASE — no join.


def _elapsed_sql(tod: str) -> str:
    """Office seconds of the day up to `tod` (seconds after midnight)."""
    branches, before = [], 0
    for start, end in OFFICE:
        branches += [f"WHEN {tod} < {start} THEN {before}", f"WHEN {tod} < {end} THEN {tod} - {start - before}"]
        before += end - start
    return f"CASE {' '.join(branches)} ELSE {before} END"


def _pos_sql(t: str) -> str:
    i = f"(({t}) // {DAY} - c.d0 + 1)::INTEGER"
    return (f"(CASE WHEN ({t}) // {DAY} BETWEEN c.d0 AND c.d1 THEN c.base[{i}] "
            f"+ CASE WHEN c.w[{i}] THEN {_elapsed_sql(f'(({t}) % {DAY})')} ELSE 0 END END)")


def _after_close_sql(t: str) -> str:
    """The instant `t` lies past a working day's close, up to the next opening (its position is a
    day boundary, whose instant is the earlier close)."""
    i = f"(({t}) // {DAY} - c.d0 + 1)::INTEGER"
    return f"(NOT c.w[{i}] OR ({t}) % {DAY} <= {OFFICE[0][0]} OR ({t}) % {DAY} > {OFFICE[-1][1]})"


def _verdict_sql(stop: str, stop_pos: str, completed: str) -> str:
    """ON_TIME of the dossier whose clock stops at `stop` (supplement received by then: `completed`):
    stop ≤ the appointment moved later by the paused working time, as instants."""
    pause = f"(CASE WHEN {completed} THEN rec_pos - req_pos ELSE 0 END)"
    by_clock = lambda due: (f"({stop_pos} < {due} OR ({stop_pos} = {due} AND NOT {_after_close_sql(stop)}))")  # noqa: E731
    return (f"CASE WHEN supplements > 1 THEN false "
            f"WHEN appt_pos IS NOT NULL AND {pause} = 0 THEN {stop} <= appt "
            f"WHEN appt_pos IS NOT NULL THEN {by_clock(f'appt_pos + {pause}')} "
            f"WHEN time_unit IN ('days', 'months') THEN {stop} - r - (CASE WHEN {completed} THEN rec - req ELSE 0 END) <= wall_limit "
            f"ELSE {by_clock(f'r_pos + {pause} + work_limit')} END")


def _sql_sources(folder: Path) -> tuple[str, str]:
    """(the common CTEs: calendar lists `c`, dossiers `d` with local seconds; the unit tree `tree`,
    the final roll-up of `leaf`)."""
    epoch = lambda col: f"(floor(epoch({col}))::BIGINT + {UTC_OFFSET})"  # noqa: E731
    f = lambda name: f"read_parquet('{folder / (name + '.parquet')}')"  # noqa: E731
    head = f"""
c AS (SELECT min(day_number) AS d0, max(day_number) AS d1,
             list(is_working_day ORDER BY day_number) AS w,
             list((working_day_ordinal - is_working_day::INTEGER) * {DAY_SECONDS} ORDER BY day_number) AS base
      FROM {f('calendar')}),
d AS (SELECT d.unit_id, d.supplement_count AS supplements, p.time_unit,
             p.time_limit::DOUBLE * {DAY_SECONDS} * CASE p.time_unit WHEN 'working_days' THEN 1.0
                 WHEN 'working_hours' THEN 0.125 WHEN 'in_day' THEN 1.0 ELSE 0.0 END AS work_limit,
             p.time_limit::DOUBLE * {DAY} * CASE p.time_unit WHEN 'days' THEN 1 WHEN 'months' THEN 30 ELSE 0 END
                 AS wall_limit,
             {epoch('d.received_at')} AS r, {epoch('d.appointment_at')} AS appt,
             {epoch('coalesce(d.finished_at, d.returned_at, d.closed_at)')} AS end_raw,
             {epoch('d.supplement_requested_at')} AS req, {epoch('d.supplement_received_at')} AS rec
      FROM {f('dossiers')} AS d JOIN {f('procedures')} AS p USING (procedure_id)
      WHERE d.status <> 3 AND d.received_at IS NOT NULL),"""
    tail = f"""
units AS (SELECT unit_id, parent_id FROM {f('units')}),
tree(unit_id, ancestor_id) AS (
    SELECT unit_id, unit_id FROM units
    UNION ALL
    SELECT tree.unit_id, units.parent_id FROM tree JOIN units ON units.unit_id = tree.ancestor_id
    WHERE units.parent_id IS NOT NULL)
SELECT period, ancestor_id AS unit_id, sum(num)::BIGINT AS num, sum(den)::BIGINT AS den
FROM leaf JOIN tree USING (unit_id) GROUP BY ALL
"""
    return head, tail


def floor_sql(folder: Path) -> str:
    """One pass over the dossiers: each is judged at its own end and at each period end it is
    still open at, then counted per (unit, segment of reception, segment of end); the counts are
    assigned to the periods (the engine's method, by hand, with list lookups for the calendar)."""
    rows = period_bounds(bench_periods(), SNAPSHOT)
    bounds = sorted({v for _, ps, pe in rows for v in (ps, pe)})
    rank = {v: i for i, v in enumerate(bounds, start=1)}
    ends = sorted({pe for _, _, pe in rows})
    segment = lambda t: ("CASE " + " ".join(f"WHEN {t} < {b} THEN {i}" for i, b in enumerate(bounds))  # noqa: E731
                         + f" ELSE {len(bounds)} END")
    periods = ", ".join(f"('{k}', {rank[ps]}, {rank[pe]})" for k, ps, pe in rows)
    at_end = _verdict_sql(
        "CASE WHEN req <= end_raw AND (rec IS NULL OR rec > end_raw) THEN req ELSE end_raw END",
        "CASE WHEN req <= end_raw AND (rec IS NULL OR rec > end_raw) THEN req_pos ELSE end_pos END",
        "rec <= end_raw")
    opens = ",\n       ".join(
        f"CASE WHEN r < {pe} AND (end_raw IS NULL OR end_raw >= {pe}) THEN "
        + _verdict_sql(f"CASE WHEN req <= {pe} AND (rec IS NULL OR rec > {pe}) THEN req ELSE {pe} END",
                       f"CASE WHEN req <= {pe} AND (rec IS NULL OR rec > {pe}) THEN req_pos ELSE {_pos_sql(str(pe))} END",
                       f"rec <= {pe}")
        + f" END AS open_{rank[pe]}" for pe in ends)
    head, tail = _sql_sources(folder)
    return f"""
WITH RECURSIVE {head}
x AS (SELECT d.*, {_pos_sql('appt')} AS appt_pos, {_pos_sql('r')} AS r_pos, {_pos_sql('req')} AS req_pos,
             {_pos_sql('rec')} AS rec_pos, {_pos_sql('end_raw')} AS end_pos,
             {segment('r')} AS s_r, CASE WHEN end_raw IS NULL THEN {len(bounds) + 1} ELSE {segment('end_raw')} END AS s_end
      FROM d, c),
v AS (SELECT unit_id, s_r, s_end, {at_end} AS at_end,
       {opens}
      FROM x, c),
g AS (SELECT unit_id, s_r, s_end, count(*) AS n, count(*) FILTER (WHERE at_end) AS at_end,
             {", ".join(f"count(*) FILTER (WHERE open_{rank[pe]}) AS open_{rank[pe]}" for pe in ends)}
      FROM v GROUP BY ALL),
periods(period, a, b) AS (VALUES {periods}),
leaf AS (SELECT period, unit_id, sum(n) AS den,
                sum(CASE WHEN s_end < b THEN at_end
                         ELSE CASE b {" ".join(f"WHEN {rank[pe]} THEN open_{rank[pe]}" for pe in ends)} END END) AS num
         FROM g JOIN periods ON s_r < b AND s_end >= a GROUP BY ALL),
{tail}"""


def join_sql(folder: Path) -> str:
    """The plain formulation: every (dossier, period) pair of the period join, judged one by one."""
    periods = ", ".join(f"('{k}', {ps}, {pe})" for k, ps, pe in period_bounds(bench_periods(), SNAPSHOT))
    head, tail = _sql_sources(folder)
    return f"""
WITH RECURSIVE {head}
periods(period, ps, pe) AS (VALUES {periods}),
x AS (SELECT d.*, {_pos_sql('appt')} AS appt_pos, {_pos_sql('r')} AS r_pos, {_pos_sql('req')} AS req_pos,
             {_pos_sql('rec')} AS rec_pos
      FROM d, c),
stops AS (SELECT x.*, periods.period, CASE WHEN end_raw < pe THEN end_raw ELSE pe END AS stop
          FROM x JOIN periods ON x.r < periods.pe AND (x.end_raw IS NULL OR x.end_raw >= periods.ps)),
clock AS (SELECT *, CASE WHEN req <= stop AND (rec IS NULL OR rec > stop) THEN req ELSE stop END AS e,
                 rec <= stop AS completed
          FROM stops),
judged AS (SELECT period, unit_id, {_verdict_sql('e', _pos_sql('e'), 'completed')} AS on_time
           FROM clock, c),
leaf AS (SELECT period, unit_id, count(*) FILTER (WHERE on_time) AS num, count(*) AS den
         FROM judged GROUP BY ALL),
{tail}"""


def _run_sql(sql: str) -> dict:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return {(period, unit): (num, den) for period, unit, num, den in con.execute(sql).fetchall()}


def run_floor(folder: Path) -> dict:
    return _run_sql(floor_sql(folder))


def run_join_sql(folder: Path) -> dict:
    return _run_sql(join_sql(folder))


# ------------------------------------------------------------------------------------------------
# Harness
# ------------------------------------------------------------------------------------------------

VARIANTS = {"engine": run_engine, "pandas": run_pandas, "floor": run_floor, "join_sql": run_join_sql}


def _child(name: str, folder: str, queue) -> None:
    import duckdb  # noqa: F401  (imports are not part of the timed work)
    import ibis  # noqa: F401
    import pandas  # noqa: F401

    import motcua.index.engine.facts  # noqa: F401
    import motcua.index.engine.inputs  # noqa: F401

    started = time.perf_counter()
    figures = VARIANTS[name](Path(folder))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak_mb, figures))


def measure(name: str, folder: Path) -> tuple[float, float, dict]:
    """(wall seconds, peak MB, figures) of one run of the variant in a fresh process."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, str(folder), queue))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode:
        raise SystemExit(f"variant {name} failed (exit {process.exitcode})")
    return result


def ensure_data(folder: Path, rows: int) -> int:
    import pyarrow.parquet as pq

    if not folder.exists():
        from motcua.demo.parquet import write_dossiers_parquet

        print(f"generating {rows:,} dossiers into {folder} (motcua demo parquet) …", flush=True)
        summary = write_dossiers_parquet(folder, rows)
        print(f"  done in {summary.seconds:.1f} s", flush=True)
    found = pq.ParquetFile(folder / "dossiers.parquet").metadata.num_rows
    if found != rows:
        raise SystemExit(f"{folder} holds {found:,} dossiers, not {rows:,}: pass another --data folder")
    return found


def compare_all(engine: dict, pandas_: dict) -> int:
    """Every figure pandas computes (`pandas_columns`) equals the engine's; the engine's rows pandas
    lacks (units with only petitions or certified copies) must have them all zero."""
    from motcua.index.engine.facts import FACT_COLUMNS

    columns = pandas_columns()
    index = [FACT_COLUMNS.index(c) for c in columns]
    assert pandas_.keys() <= engine.keys(), f"rows unknown to the engine: {sorted(pandas_.keys() - engine.keys())[:5]}"
    zero = (0,) * len(columns)
    bad = [(key, column, e, p) for key, row in engine.items()
           for column, e, p in zip(columns, (row[i] for i in index), pandas_.get(key, zero)) if e != p]
    assert not bad, f"{len(bad)} figures differ between engine and pandas, e.g. {bad[:5]}"
    return len(engine) * len(columns)


def compare_on_time(engine: dict, floor: dict) -> int:
    from motcua.index.engine.facts import FACT_COLUMNS

    num, den = FACT_COLUMNS.index("ON_TIME_num"), FACT_COLUMNS.index("ON_TIME_den")
    assert floor.keys() <= engine.keys(), f"floor rows unknown to the engine: {sorted(floor.keys() - engine.keys())[:5]}"
    bad = [(key, (row[num], row[den]), floor.get(key, (0, 0))) for key, row in engine.items()
           if (row[num], row[den]) != floor.get(key, (0, 0))]
    assert not bad, f"{len(bad)} ON_TIME figures differ between engine and floor, e.g. {bad[:5]}"
    return len(engine) * 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="dossiers (default 10,000,000)")
    parser.add_argument("--data", type=Path, help="folder of the Parquet files (default var/motcua-bench-<rows>)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of engine and floor; best time kept (default 3)")
    parser.add_argument("--skip-pandas", action="store_true", help="leave out pandas (and the full comparison)")
    args = parser.parse_args()
    folder = args.data or Path(f"var/motcua-bench-{args.rows}")
    rows = ensure_data(folder, args.rows)

    import duckdb
    import ibis
    import pandas

    from motcua.index.engine.facts import FACT_COLUMNS

    periods = bench_periods()
    print(f"data {folder}: {rows:,} dossiers; periods {periods[0].key} … {periods[-2].key} and {periods[-1].key}, "
          f"as of {SNAPSHOT.isoformat()}; {len(FACT_COLUMNS) // 2} indicators (num + den)")
    print(f"python {sys.version.split()[0]}, duckdb {duckdb.__version__} (threads: "
          f"{duckdb.connect().execute('SELECT current_setting(' + repr('threads') + ')').fetchone()[0]}), "
          f"ibis {ibis.__version__}, pandas {pandas.__version__}; {os.cpu_count()} CPUs; "
          f"load average before {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)

    results = {}
    for name in ("engine", "floor", "join_sql") + (() if args.skip_pandas else ("pandas",)):
        runs = [measure(name, folder) for _ in range(1 if name == "pandas" else args.repeat)]
        times = [seconds for seconds, _, _ in runs]
        results[name] = (min(times), max(peak for _, peak, _ in runs), runs[0][2])
        print(f"  {name}: {', '.join(f'{t:.2f}' for t in times)} s", flush=True)

    for name in ("floor", "join_sql"):
        checked = compare_on_time(results["engine"][2], results[name][2])
        print(f"{name} = engine: {checked:,} ON_TIME figures identical")
    if not args.skip_pandas:
        checked = compare_all(results["engine"][2], results["pandas"][2])
        print(f"pandas = engine: {checked:,} figures identical ({len(results['engine'][2]):,} (period, unit) rows "
              f"× {len(pandas_columns())} columns: the dossier and procedure indicators)")
    print(f"load average after {' '.join(f'{v:.2f}' for v in os.getloadavg())}")

    base = results.get("pandas", (None,))[0]
    labels = {"engine": "engine: Ibis on DuckDB, all indicators",
              "pandas": "pandas, dossier + procedure indicators",
              "floor": "floor: hand SQL, ON_TIME, one pass",
              "join_sql": "hand SQL, ON_TIME, dossier × period join"}
    width = max(map(len, labels.values()))
    print()
    print(f"| {'variant':<{width}} | {'wall s':>7} | {'peak MB':>8} | {'speed-up vs pandas':>18} |")
    print(f"|{'-' * (width + 2)}|{'-' * 8}:|{'-' * 9}:|{'-' * 19}:|")
    for name in ("engine", "pandas", "floor", "join_sql"):
        if name not in results:
            continue
        seconds, peak, _ = results[name]
        speedup = f"{base / seconds:.1f}×" if base else "–"
        print(f"| {labels[name]:<{width}} | {seconds:>7.2f} | {peak:>8.0f} | {speedup:>18} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
