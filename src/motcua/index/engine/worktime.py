"""Working time as column expressions, over the precomputed calendar table.

An instant's *position* is the working time (in seconds) elapsed since the calendar's epoch:
the same clock as motcua.workdays.calendar.WorkCalendar.position, so differences of positions are
working time between two instants, in any engine that can join the calendar table.

A day of the calendar carries its position at midnight (`base`): on a working day the opening of its
first office period, (ordinal − 1) working days; on a closed day the flat position of the whole day,
ordinal working days. An instant's position is its day's base, plus, on a working day, the office
time elapsed since the day opened: one join and a little arithmetic per instant.
"""
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
from ibis.common.exceptions import IbisError
from ibis.expr.types import IntegerValue, Table

UTC_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh: UTC+7, no daylight saving since 1975
DAY = 86400


@dataclass(frozen=True)
class OfficePeriods:
    """Office periods of a working day as (start, end) seconds after midnight."""

    periods: tuple[tuple[int, int], ...] = ((7 * 3600 + 1800, 11 * 3600 + 1800), (13 * 3600 + 1800, 17 * 3600))

    @property
    def day_seconds(self) -> int:
        return sum(end - start for start, end in self.periods)

    def elapsed(self, time_of_day: IntegerValue) -> IntegerValue:
        """Office seconds from the day's opening up to `time_of_day` (seconds after midnight), as
        one flat CASE over the periods' bounds (cheaper than a sum of clipped differences).
        Callers add it to a base that is null when the instant is."""
        branches, before = [], 0
        for start, end in self.periods:
            branches += [(time_of_day < start, before), (time_of_day < end, time_of_day - (start - before))]
            before += end - start
        return ibis.cases(*branches, else_=before)


@ibis.udf.scalar.builtin(name="epoch", signature=((dt.Timestamp(timezone="UTC"),), dt.float64))
def _duckdb_epoch(ts):
    """DuckDB's epoch() of an instant, read straight from its UTC value (Ibis's generic epoch
    casts a zoned timestamp to a naive one first, which costs a time-zone conversion per value)."""


def _backend_name(expr) -> str | None:
    try:
        return expr._find_backend().name
    except (IbisError, AttributeError):
        return None


def local_seconds(ts) -> IntegerValue:
    """Whole seconds, truncated alike on every engine (DuckDB's cast would round fractions)."""
    if _backend_name(ts) == "duckdb" and ts.type().timezone is not None:
        seconds = _duckdb_epoch(ts.cast(dt.Timestamp(timezone="UTC")))
    else:
        seconds = ts.epoch_seconds()
    return seconds.floor().cast("int64") + UTC_OFFSET


def day_table(calendar: Table, office: OfficePeriods = OfficePeriods()) -> Table:
    """The calendar keyed by local day number (days since 1970-01-01), with each day's position
    at midnight (`base`)."""
    return calendar.select(
        # No casts on the key: SQLite uses the table's index only on the bare column.
        day=calendar.day_number,
        working=calendar.is_working_day,
        base=(calendar.working_day_ordinal - calendar.is_working_day.ifelse(1, 0)) * office.day_seconds,
    )


def with_positions(t: Table, days: Table, columns: dict[str, str], office: OfficePeriods,
                   carry: dict[str, tuple[str, str]] | None = None) -> Table:
    """`t` plus, for each `name: seconds_column` of `columns`, column `name`: the working position
    of that local instant (null when the instant is null or outside the calendar). `days` is
    `day_table(calendar, office)`, possibly with more columns: `carry` maps an output column to
    (name, column of `days`), that day-level column of the day of instant `name`. One flat chain
    of joins, so that every SQL engine, SQLite's small parser stack included, takes it."""
    joined, sides = t, {}
    for name, col in columns.items():
        side = days.rename(**{f"_{name}_{c}": c for c in days.columns}).view()
        joined = joined.left_join(side, t[col] // DAY == side[f"_{name}_day"])
        sides[name] = side
    positions = {}
    for name, col in columns.items():
        side = sides[name]
        in_office = side[f"_{name}_working"].ifelse(office.elapsed(t[col] % DAY), 0)
        positions[name] = side[f"_{name}_base"] + in_office
    for out, (name, column) in (carry or {}).items():
        positions[out] = sides[name][f"_{name}_{column}"]
    return joined.select(*[c for c in t.columns if not c.startswith("_")], **positions)
