"""The bulk Parquet generator: schema, determinism, realistic rates, consistency, deadlines.

Pure pytest: no database. One 50,000-row dataset is generated per module.
"""
import hashlib
from datetime import date, datetime, time
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from motcua.demo.parquet import (
    DOSSIER_SCHEMA,
    TIME_UNITS,
    CalendarArrays,
    build_calendar,
    write_dossiers_parquet,
)

ROWS = 50_000
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SNAPSHOT = datetime(2026, 12, 1, tzinfo=TZ)
FIRST_DAY = datetime(2025, 12, 1, tzinfo=TZ)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("pq")
    calls = []
    summary = write_dossiers_parquet(out, ROWS, chunk=20_000, progress=lambda d, t: calls.append((d, t)))
    return summary, calls


@pytest.fixture(scope="module")
def table(dataset):
    return pq.read_table(dataset[0].paths["dossiers"])


@pytest.fixture(scope="module")
def cols(table):
    """Timestamps as int64 µs since the epoch (null → max), booleans and ints as numpy."""
    out = {}
    big = np.iinfo(np.int64).max
    for name in table.column_names:
        col = table[name]
        if pa.types.is_timestamp(col.type):
            out[name] = pc.fill_null(col.cast(pa.int64()), big).to_numpy()
        elif pa.types.is_dictionary(col.type):
            out[name] = np.array(col.to_pylist(), dtype=object)
        else:
            out[name] = col.to_numpy()
    return out


@pytest.fixture(scope="module")
def procedures(dataset):
    return pq.read_table(dataset[0].paths["procedures"])


@pytest.fixture(scope="module")
def units(dataset):
    return pq.read_table(dataset[0].paths["units"])


def _is(cols, name):
    return cols[name] != np.iinfo(np.int64).max


def _us(dt: datetime) -> int:
    return int(dt.timestamp() * 1_000_000)


# --- files and schema --------------------------------------------------------------------------


def test_files_schema_and_summary(dataset, table, units, procedures):
    summary, calls = dataset
    assert summary.rows == ROWS and summary.seconds > 0 and summary.peak_rss_mb > 0
    assert set(summary.paths) == {"dossiers", "units", "procedures", "calendar", "publications", "petitions",
                                  "ratings", "certified_copies"}
    # Every file written is listed, under its own name.
    folder = summary.paths["dossiers"].parent
    assert {p.name for p in folder.glob("*.parquet")} == {f"{name}.parquet" for name in summary.paths}
    assert all(path == folder / f"{name}.parquet" for name, path in summary.paths.items())
    assert calls[-1] == (ROWS, ROWS) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert table.schema.equals(DOSSIER_SCHEMA)
    assert table.column_names == [
        "dossier_id", "code", "procedure_id", "unit_id", "channel", "status", "received_at",
        "appointment_at", "finished_at", "returned_at", "closed_at", "supplement_count",
        "supplement_requested_at", "supplement_received_at", "fee_total_vnd", "paid_at",
        "payment_channel", "fee_obligation", "result_signed", "result_paper", "result_to_personal_store",
        "components_digitized", "component_reused", "component_from_personal_store",
        "population_verified", "synced_national", "applicant_kind",
    ]
    assert table.schema.field("received_at").type == pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
    assert table.num_rows == ROWS
    assert pq.ParquetFile(summary.paths["dossiers"]).num_row_groups == 3  # chunks of 20,000

    kinds = units["kind"].to_pylist()
    assert kinds.count("province") == 1 and kinds.count("department") == 15
    assert kinds.count("commune") == 99
    copies = pq.read_table(summary.paths["certified_copies"])
    communes = {u for u, k in zip(units["unit_id"].to_pylist(), kinds) if k == "commune"}
    assert set(copies["unit_id"].to_pylist()) < communes and copies.num_rows == round(99 * 0.95)
    assert units.column_names[:5] == ["unit_id", "code", "name", "kind", "parent_id"]
    assert "Sở Tư pháp" in units["name"].to_pylist() and "STP" in units["code"].to_pylist()
    assert set(procedures.column_names) >= {
        "procedure_id", "code", "level", "agency_id", "time_limit", "time_unit", "fee_bearing",
        "result_is_document", "online_level", "for_individuals",
    }
    assert set(procedures["time_unit"].to_pylist()) == set(TIME_UNITS)

    calendar = pq.read_table(summary.paths["calendar"])
    assert calendar.column_names == ["date", "is_working_day", "working_day_ordinal", "day_number"]
    rows = dict(zip(calendar["date"].to_pylist(), calendar["is_working_day"].to_pylist()))
    assert rows[date(2026, 2, 17)] is False  # Tết
    assert rows[date(2026, 8, 22)] is True  # a swapped Saturday
    assert rows[date(2026, 9, 2)] is False


def test_keys_codes_and_order(table, cols, units, procedures):
    ids = cols["dossier_id"]
    assert np.array_equal(ids, np.arange(1, ROWS + 1))
    assert np.all(np.diff(cols["received_at"]) >= 0)  # in order of reception
    assert set(np.unique(cols["unit_id"])) <= set(units["unit_id"].to_pylist()) - {1}
    assert set(np.unique(cols["procedure_id"])) <= set(procedures["procedure_id"].to_pylist())
    codes = table["code"].to_pylist()
    assert len(set(codes)) == ROWS
    unit_code = dict(zip(units["unit_id"].to_pylist(), units["code"].to_pylist()))
    received = table["received_at"].to_pylist()
    for i in range(0, ROWS, 997):
        assert codes[i] == f"{unit_code[int(cols['unit_id'][i])]}-{received[i]:%y%m%d}-{codes[i][-4:]}"
    # the sequence restarts each day for each unit and counts up in reception order
    first = {}
    for c in codes:
        prefix, seq = c.rsplit("-", 1)
        assert int(seq) == first.get(prefix, 0) + 1
        first[prefix] = int(seq)


def test_deterministic(dataset, tmp_path):
    again = write_dossiers_parquet(tmp_path, ROWS, chunk=20_000)
    for name, path in dataset[0].paths.items():
        assert hashlib.sha256(path.read_bytes()).digest() == \
            hashlib.sha256(again.paths[name].read_bytes()).digest(), name
    other = write_dossiers_parquet(tmp_path / "other", 2_000, seed=7)
    assert not pq.read_table(other.paths["dossiers"]).equals(
        pq.read_table(again.paths["dossiers"]).slice(0, 2_000)
    )


# --- consistency ---------------------------------------------------------------------------------


def test_times_are_ordered_and_before_the_snapshot(cols):
    received = cols["received_at"]
    assert received.min() >= _us(FIRST_DAY) and received.max() < _us(SNAPSHOT)
    chain = ["received_at", "supplement_requested_at", "supplement_received_at", "finished_at",
             "returned_at"]
    for a_i, a in enumerate(chain):
        for b in chain[a_i + 1:]:
            both = _is(cols, a) & _is(cols, b)
            assert np.all(cols[a][both] <= cols[b][both]), (a, b)
    for name in chain + ["closed_at", "paid_at"]:
        assert np.all(cols[name][_is(cols, name)] < _us(SNAPSHOT)), name
    for name in ("closed_at", "paid_at", "appointment_at"):
        has = _is(cols, name)
        assert np.all(cols[name][has] >= received[has]), name


def test_status_agrees_with_times(cols):
    status = cols["status"]
    fin, ret, clo = _is(cols, "finished_at"), _is(cols, "returned_at"), _is(cols, "closed_at")
    req, rec = _is(cols, "supplement_requested_at"), _is(cols, "supplement_received_at")
    assert set(np.unique(status)) == {2, 3, 4, 5, 6, 7, 8, 9, 10}
    assert np.array_equal(fin, np.isin(status, [9, 10]))
    assert np.array_equal(ret, status == 10)
    assert np.array_equal(clo, np.isin(status, [3, 7, 8]))
    assert np.array_equal(req & ~rec, status == 5)
    assert np.all(req | ~rec)
    assert np.array_equal(req, cols["supplement_count"] > 0)
    assert np.array_equal(_is(cols, "appointment_at"), status != 3)
    assert np.all(cols["supplement_count"][status == 3] == 0)
    # payment: a channel exactly when paid, a fee when paid
    paid = _is(cols, "paid_at")
    assert np.array_equal(paid, cols["payment_channel"] != None)  # noqa: E711
    assert np.all(cols["fee_total_vnd"][paid] > 0)
    # results only on finished dossiers
    for name in ("result_signed", "result_paper", "result_to_personal_store"):
        assert not np.any(cols[name] & ~fin), name
    # open dossiers are the recent ones
    open_ = np.isin(status, [2, 4, 5, 6])
    assert np.median(cols["received_at"][open_]) > _us(datetime(2026, 10, 15, tzinfo=TZ))


def test_late_dossiers_finish_after_their_appointment(cols):
    fin = np.isin(cols["status"], [9, 10])
    two = fin & (cols["supplement_count"] == 2)
    assert two.sum() > 50
    assert np.all(cols["finished_at"][two] > cols["appointment_at"][two])
    late = fin & (cols["finished_at"] > cols["appointment_at"])
    assert 0.1 < late.sum() / fin.sum() < 0.35


def test_supplements_never_make_the_on_time_rule_ambiguous(table, cols):
    """With one supplement, a dossier is on time whether or not its pause is counted: either it
    finished by the appointment, or it is late even without the pause."""
    calendar = build_calendar(2025, 2027)
    idx = np.flatnonzero(np.isin(cols["status"], [9, 10]) & (cols["supplement_count"] == 1))
    rows = table.take(pa.array(idx[:600])).to_pylist()
    assert len(rows) > 300
    for r in rows:
        if r["finished_at"] <= r["appointment_at"]:
            continue
        pause = calendar.working_time_between(r["supplement_requested_at"], r["supplement_received_at"])
        worked = calendar.working_time_between(r["received_at"], r["finished_at"]) - pause
        allowed = calendar.working_time_between(r["received_at"], r["appointment_at"])
        assert worked > allowed, r["code"]


# --- rates ---------------------------------------------------------------------------------------


def on_time(cols):
    """ON_TIME per dossier (spec/service-index.md) at the snapshot: end = processed, returned,
    or stopped/refused/withdrawn; else a pending supplement request; else the period end."""
    status = cols["status"]
    end = np.where(_is(cols, "finished_at"), cols["finished_at"], cols["closed_at"])
    pending = (status == 5) & (cols["supplement_count"] == 1)
    end = np.where(pending, cols["supplement_requested_at"], end)
    end = np.where(end == np.iinfo(np.int64).max, _us(SNAPSHOT), end)
    ok = (end <= cols["appointment_at"]) | (status == 3)  # refused at the desk: no appointment
    return ok & (cols["supplement_count"] < 2)


def by_unit(cols, values, mask=None, min_count=300):
    mask = np.ones(len(values), bool) if mask is None else mask
    unit = cols["unit_id"][mask]
    n = np.bincount(unit)
    k = np.bincount(unit, weights=values[mask].astype(float), minlength=len(n))
    big = n >= min_count
    return k[big] / n[big]


def test_on_time_rate(cols):
    ok = on_time(cols)
    assert 0.75 <= ok.mean() <= 0.81
    per_unit = by_unit(cols, ok)
    assert per_unit.min() >= 0.64 and per_unit.max() <= 1.0
    assert per_unit.max() - per_unit.min() > 0.15  # units differ


def test_electronic_results(cols, procedures):
    doc = procedures["result_is_document"].to_numpy(zero_copy_only=False)
    is_doc = doc[cols["procedure_id"] - 1]
    finished = np.isin(cols["status"], [9, 10]) & is_doc
    rate = cols["result_signed"][finished].mean()
    assert 0.69 <= rate <= 0.75
    per_unit = by_unit(cols, cols["result_signed"], finished)
    assert per_unit.min() >= 0.33 and per_unit.max() <= 1.0 and per_unit.max() - per_unit.min() > 0.2


def test_online_payment(cols):
    due = cols["fee_total_vnd"] > 0
    paid_online = np.isin(cols["payment_channel"], ["national", "province"])
    assert 0.81 <= paid_online[due].mean() <= 0.87
    per_unit = by_unit(cols, paid_online, due, min_count=150)
    assert per_unit.min() >= 0.05 and per_unit.max() <= 0.95 and per_unit.max() - per_unit.min() > 0.2


def test_channels(cols):
    online = cols["channel"] == "online"
    assert 0.38 <= online.mean() <= 0.52
    per_unit = by_unit(cols, online)
    assert per_unit.min() >= 0.25 and per_unit.max() <= 0.65
    assert 0.005 < (cols["channel"] == "postal").mean() < 0.04


def test_digitization_reuse_and_other_flags(cols, procedures):
    doc = procedures["result_is_document"].to_numpy(zero_copy_only=False)[cols["procedure_id"] - 1]
    digitized = cols["components_digitized"] & (~doc | cols["result_signed"])  # DIGITIZED
    assert 0.10 <= digitized.mean() <= 0.13
    assert 0.013 <= cols["component_reused"].mean() <= 0.021
    assert 0.35 <= cols["population_verified"].mean() <= 0.6
    assert 0.95 <= cols["synced_national"].mean() <= 1.0
    assert 0.6 <= (cols["applicant_kind"] == "individual").mean() <= 0.95


def test_supplements_and_outcomes(cols):
    count = cols["supplement_count"]
    assert 0.043 <= (count == 1).mean() <= 0.06
    assert 0.0035 <= (count == 2).mean() <= 0.0075
    status = cols["status"]
    for code, lo, hi in ((3, 0.004, 0.02), (7, 0.003, 0.015), (8, 0.001, 0.01)):
        assert lo <= (status == code).mean() <= hi, code
    open_ = np.isin(status, [2, 4, 5, 6])
    assert 0.01 <= open_.mean() <= 0.12
    for code in (2, 4, 5, 6):
        assert (status == code).sum() > 5, code


def test_monthly_volume_has_the_tet_dip(table):
    month = pc.strftime(table["received_at"], format="%Y-%m").to_pylist()
    counts = {m: month.count(m) for m in sorted(set(month))}
    assert len(counts) == 12 and min(counts) == "2025-12" and max(counts) == "2026-11"
    others = [v for m, v in counts.items() if m != "2026-02"]
    assert counts["2026-02"] < 0.75 * np.mean(others)
    assert min(others) > 0.8 * np.mean(others)


# --- deadlines: the vectorised appointment is WorkCalendar.add ------------------------------------


def test_appointment_matches_workcalendar_add(table, procedures):
    calendar = build_calendar(2025, 2027)
    rng = np.random.default_rng(1)
    sample = table.take(pa.array(np.sort(rng.choice(ROWS, 2_000, replace=False))))
    proc = {r["procedure_id"]: r for r in procedures.to_pylist()}
    seen_units = set()
    for r in sample.select(["received_at", "appointment_at", "procedure_id", "status"]).to_pylist():
        if r["status"] == 3:
            assert r["appointment_at"] is None
            continue
        p = proc[r["procedure_id"]]
        seen_units.add(p["time_unit"])
        expected = calendar.add(r["received_at"], p["time_limit"], p["time_unit"])
        assert r["appointment_at"] == expected, (r, p["time_limit"], p["time_unit"])
    assert {"working_days", "in_day"} <= seen_units


def _edge_instants():
    """Instants on awkward days and at awkward times, in the dataset's year and beyond."""
    days = [date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 16), date(2026, 2, 23),
            date(2026, 4, 24), date(2026, 4, 30), date(2026, 8, 21), date(2026, 8, 22),
            date(2026, 8, 31), date(2026, 11, 24), date(2026, 11, 30), date(2026, 12, 31),
            date(2026, 1, 30), date(2026, 3, 31), date(2026, 5, 29)]
    times = [time(0, 0), time(7, 29, 59, 999999), time(7, 30), time(9, 0), time(11, 30),
             time(11, 30, 0, 1), time(12, 0), time(13, 30), time(14, 59, 59, 999999),
             time(15, 0), time(16, 59), time(17, 0), time(17, 0, 0, 1), time(23, 59, 59)]
    return [datetime.combine(d, t, tzinfo=TZ) for d in days for t in times]


@pytest.mark.parametrize(
    "unit,amounts",
    [("working_days", [0, 1, 2, 5, 10, 0.5, 30]), ("working_hours", [0, 1, 4, 8, 12, 16]),
     ("days", [0, 1, 7, 15, 30]), ("months", [0, 1, 2, 3]), ("in_day", [0, 1])],
)
def test_vectorised_arithmetic_on_edge_instants(unit, amounts):
    calendar = build_calendar(2025, 2027)
    cal = CalendarArrays(calendar, date(2025, 1, 1), date(2027, 12, 31))
    instants = _edge_instants()
    local = np.array([cal.local_us(dt) for dt in instants], dtype=np.int64)
    # positions and instants
    pos = cal.position(local)
    day = calendar.hours.day_micros
    for dt, p in zip(instants, pos.tolist()):
        assert calendar.position(dt) * day == p
    for amount in amounts:
        got = cal.appointment(local, amount, TIME_UNITS.index(unit))
        for dt, g in zip(instants, got.tolist()):
            expected = calendar.add(dt, amount, unit)
            assert cal.local_us(expected) == g, (dt, amount, unit)


def test_instant_inverts_position():
    calendar = build_calendar(2025, 2027)
    cal = CalendarArrays(calendar, date(2025, 1, 1), date(2027, 12, 31))
    day = calendar.hours.day_micros
    rng = np.random.default_rng(3)
    start = cal.position(np.array([cal.local_us(datetime(2026, 1, 1, tzinfo=TZ))]))[0]
    positions = start + rng.integers(0, 200 * day, 500)
    positions[:5] = start + np.arange(5) * day  # day boundaries: the previous close
    local = cal.instant(positions)
    assert np.array_equal(cal.position(local), positions)
    for p, loc in zip(positions.tolist()[:100], local.tolist()[:100]):
        assert cal.local_us(calendar.instant_at(Fraction(p, day))) == loc
