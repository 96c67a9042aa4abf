"""Petitions and ratings for `motcua demo parquet`, drawn with numpy from each chunk of dossiers.

The same shape as the live demo (`motcua.demo.feedback`, which reads its rates from here): a
quarter of the units receive the petitions, 1 per 100 dossiers of the province; 8 % are rejected
(due in 2 working days), the others answered (due in 15) and the answer published (due 2 after
it); about 80 % of answers and 95 % of publications are in time; 6 % of the closed petitions are
raised again. A petition still open at the snapshot carries the deadline of its pending step in
`overdue_at`, a closed one the first deadline it missed. 12 % of returned dossiers are rated,
unsatisfied 4 % of the time when on time and 35 % when late. No transfers or information requests:
they change only which unit and which clock, which the live demo exercises.
"""
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PETITION_SHARE = 0.01  # petitions per dossier received
PRONE_UNITS = 0.25  # the share of units that receive nearly all of them
RATED_SHARE = 0.12  # returned dossiers the applicant rates
UNSATISFIED_ON_TIME, UNSATISFIED_LATE = 0.04, 0.35
RE_RAISED = 0.06
_DAY_US = 86_400 * 1_000_000
_RETURNED, _REFUSED = 10, 3
TS = pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
PETITION_SCHEMA = pa.schema([
    ("petition_id", pa.int64()), ("unit_id", pa.int32()), ("dossier_id", pa.int64()), ("earlier_id", pa.int64()),
    ("received_at", TS), ("closed_at", TS), ("overdue_at", TS), ("likes", pa.int32()), ("dislikes", pa.int32())])
RATING_SCHEMA = pa.schema([("dossier_id", pa.int64()), ("satisfied", pa.bool_())])


def add_working_days(cal, local_us: np.ndarray, days: np.ndarray) -> np.ndarray:
    """`WorkCalendar.add(t, days, working_days)` for arrays of local µs, on working positions
    (`cal`: a `demo.parquet.CalendarArrays`)."""
    return cal.instant(cal.position(local_us) + np.ceil(days * cal.day_us).astype(np.int64))


class FeedbackSampler:
    """Collects petitions and ratings chunk by chunk (`add`), then writes both files (`write`).
    `cal` is the generator's `CalendarArrays`; `snapshot_local` the snapshot in local µs."""

    def __init__(self, cal, seed: int, snapshot_local: int, units: pa.Table):
        self.cal, self.snapshot = cal, snapshot_local
        self.rng = np.random.default_rng([seed, 0xFEED])
        ids = units.filter(pc.not_equal(units["kind"], "province"))["unit_id"].to_numpy()
        self.prone = self.rng.choice(ids, size=max(1, int(len(ids) * PRONE_UNITS)), replace=False)
        self.petitions: list[pa.Table] = []
        self.ratings: list[pa.Table] = []
        self.next_id = 1

    def _add_working_days(self, local_us: np.ndarray, days: np.ndarray) -> np.ndarray:
        return add_working_days(self.cal, local_us, days)

    def _local(self, dossiers: pa.Table, name: str) -> tuple[np.ndarray, np.ndarray]:
        column = dossiers[name]
        valid = column.is_valid().to_numpy(zero_copy_only=False)
        utc = column.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        return self.cal.from_utc_us(utc), valid

    def add(self, dossiers: pa.Table) -> None:
        rng = self.rng
        ids = dossiers["dossier_id"].to_numpy()
        status = dossiers["status"].to_numpy(zero_copy_only=False)
        unit = dossiers["unit_id"].to_numpy(zero_copy_only=False)
        received, has_received = self._local(dossiers, "received_at")
        returned, has_returned = self._local(dossiers, "returned_at")
        appointment, has_appointment = self._local(dossiers, "appointment_at")

        rated = (status == _RETURNED) & has_returned & (rng.random(len(ids)) < RATED_SHARE)
        late = has_appointment[rated] & (returned[rated] > appointment[rated])
        unsatisfied = rng.random(int(rated.sum())) < np.where(late, UNSATISFIED_LATE, UNSATISFIED_ON_TIME)
        self.ratings.append(pa.table({"dossier_id": pa.array(ids[rated], pa.int64()),
                                      "satisfied": pa.array(~unsatisfied)}, schema=RATING_SCHEMA))

        share = PETITION_SHARE / PRONE_UNITS  # of the prone units' dossiers
        picked = np.isin(unit, self.prone) & has_received & (status != _REFUSED) & (rng.random(len(ids)) < share)
        at = received[picked] + (rng.uniform(1, 20, int(picked.sum())) * _DAY_US).astype(np.int64)
        keep = at < self.snapshot
        dossier_id = np.where(rng.random(int(keep.sum())) < 0.6, ids[picked][keep], -1)
        first = self._draw(unit[picked][keep], at[keep], dossier_id, np.full(int(keep.sum()), -1))
        closed = first["closed_at"].is_valid().to_numpy(zero_copy_only=False)
        again = closed & (rng.random(len(closed)) < RE_RAISED)
        closed_at = first["closed_at"].cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)[again]
        re_at = self.cal.from_utc_us(closed_at) + (rng.uniform(1, 10, int(again.sum())) * _DAY_US).astype(np.int64)
        inside = re_at < self.snapshot
        earlier = first["petition_id"].to_numpy()[again][inside]
        self.petitions += [first, self._draw(first["unit_id"].to_numpy()[again][inside], re_at[inside],
                                             np.full(len(earlier), -1), earlier)]

    def _draw(self, unit: np.ndarray, at: np.ndarray, dossier_id: np.ndarray, earlier_id: np.ndarray) -> pa.Table:
        """Petitions received at `at` (local µs), handled as drawn, seen at the snapshot."""
        rng, n, snap = self.rng, len(at), self.snapshot
        reject = rng.random(n) < 0.08
        reject_due = self._add_working_days(at, np.full(n, 2.0))
        answer_due = self._add_working_days(at, np.full(n, 15.0))
        reject_at = self._add_working_days(at, rng.choice([0.5, 1, 1, 1.5, 1.5, 3], n))
        answer_at = self._add_working_days(at, np.where(rng.random(n) < 0.8, rng.uniform(3, 14.5, n),
                                                        rng.uniform(15.5, 25, n)))
        publish_due = self._add_working_days(answer_at, np.full(n, 2.0))
        publish_at = self._add_working_days(answer_at, np.where(rng.random(n) < 0.95, rng.uniform(0.2, 1.8, n), 3.0))
        closed_at = np.where(reject, reject_at, publish_at)
        closed = closed_at < snap
        answer_late = answer_at > answer_due
        missed = np.where(reject, np.where(reject_at > reject_due, reject_due, -1),
                          np.where(answer_late, answer_due, np.where(publish_at > publish_due, publish_due, -1)))
        # Open at the snapshot: the pending step's deadline (the answer's, or the publication's once answered).
        pending = np.where(reject | (answer_at >= snap), answer_due, np.where(answer_late, answer_due, publish_due))
        overdue = np.where(closed, missed, pending)
        published = closed & ~reject
        likes = np.where(published, rng.integers(0, 5, n), 0)
        dislikes = np.where(published, rng.choice([0, 0, 0, 1, 2, 5], n), 0)
        first_id, self.next_id = self.next_id, self.next_id + n
        return pa.table({
            "petition_id": pa.array(np.arange(first_id, first_id + n), pa.int64()),
            "unit_id": pa.array(unit, pa.int32()),
            "dossier_id": pa.array(dossier_id, pa.int64(), mask=dossier_id < 0),
            "earlier_id": pa.array(earlier_id, pa.int64(), mask=earlier_id < 0),
            "received_at": pa.array(self.cal.to_utc_us(at), TS),
            "closed_at": pa.array(self.cal.to_utc_us(closed_at), TS, mask=~closed),
            "overdue_at": pa.array(self.cal.to_utc_us(overdue), TS, mask=overdue < 0),
            "likes": pa.array(likes, pa.int32()), "dislikes": pa.array(dislikes, pa.int32()),
        }, schema=PETITION_SCHEMA)

    def write(self, out_dir: Path) -> dict[str, Path]:
        paths = {"petitions": Path(out_dir) / "petitions.parquet", "ratings": Path(out_dir) / "ratings.parquet"}
        pq.write_table(pa.concat_tables(self.petitions or [PETITION_SCHEMA.empty_table()]), paths["petitions"])
        pq.write_table(pa.concat_tables(self.ratings or [RATING_SCHEMA.empty_table()]), paths["ratings"])
        return paths
