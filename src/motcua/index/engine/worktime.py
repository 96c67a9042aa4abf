"""Working time as column expressions, over the precomputed calendar table.

An instant's *position* is the working time (in seconds) elapsed since the calendar's epoch:
the same clock as motcua.workdays.calendar.WorkCalendar.position, so differences of positions are
working time between two instants, in any engine that can join the calendar table.
"""
from dataclasses import dataclass

import ibis
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
        """Office seconds from the day's opening up to `time_of_day` (seconds after midnight)."""
        total = ibis.literal(0)
        for start, end in self.periods:
            total = total + (time_of_day - start).clip(lower=0, upper=end - start)
        return total


def local_seconds(ts) -> IntegerValue:
    """Whole seconds, truncated alike on every engine (DuckDB's cast would round fractions)."""
    return ts.epoch_seconds().floor().cast("int64") + UTC_OFFSET


def day_table(calendar: Table) -> Table:
    """The calendar keyed by local day number (days since 1970-01-01)."""
    return calendar.select(
        # No casts on the key: SQLite uses the table's index only on the bare column.
        day=calendar.day_number,
        working=calendar.is_working_day,
        ordinal=calendar.working_day_ordinal,
    )


def with_positions(t: Table, days: Table, columns: dict[str, str], office: OfficePeriods) -> Table:
    """`t` plus, for each `name: seconds_column` of `columns`, column `name`: the working position
    of that local instant (null stays null). One flat chain of joins, so that every SQL engine,
    SQLite's small parser stack included, takes it."""
    t = t.mutate(**{f"_{name}_day": t[col] // DAY for name, col in columns.items()}).view()
    joined, sides = t, {}
    for name in columns:
        side = days.rename(**{f"_{name}_{c}": c for c in ("day", "working", "ordinal")}).view()
        joined = joined.left_join(side, t[f"_{name}_day"] == side[f"_{name}_day"])
        sides[name] = side
    positions = {}
    for name, col in columns.items():
        side = sides[name]
        tod = t[col] % DAY
        working, ordinal = side[f"_{name}_working"], side[f"_{name}_ordinal"]
        position = ibis.ifelse(working, (ordinal - 1) * office.day_seconds + office.elapsed(tod),
                               ordinal * office.day_seconds)
        positions[name] = ibis.ifelse(t[col].isnull(), ibis.null("int64"), position)
    return joined.select(*[c for c in t.columns if not c.startswith("_")], **positions)
