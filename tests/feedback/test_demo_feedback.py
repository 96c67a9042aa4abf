"""The demo's petitions and ratings: Parquet (numpy) deadlines equal the work calendar's, the tables
hold together (ratings of returned dossiers, re-raises of closed petitions), and the live demo's go
through the services (events, deadlines, the first missed deadline)."""
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pyarrow.parquet as pq
import pytest

from motcua.demo.feedback_parquet import add_working_days
from motcua.demo.loader import load_demo
from motcua.demo.parquet import CalendarArrays, build_calendar, write_dossiers_parquet
from motcua.dossiers.transitions import Status
from motcua.feedback.models import Petition, PetitionAction, Rating
from motcua.workdays.calendar import TimeUnit


def test_working_day_arithmetic_matches_the_work_calendar():
    calendar = build_calendar(2026, 2027)
    cal = CalendarArrays(calendar, date(2026, 1, 1), date(2027, 12, 31))
    rng = np.random.default_rng(3)
    local = cal.local_us(datetime(2026, 1, 2, tzinfo=calendar.tz)) + rng.integers(0, 300 * 86_400, 400) * 1_000_000
    days = rng.choice([0.5, 1.5, 2.0, 15.0, 3.7], 400)
    got = cal.to_utc_us(add_working_days(cal, local, days))
    for t, d, g in zip(cal.to_utc_us(local).tolist(), days.tolist(), got.tolist()):
        start = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=t)
        expected = calendar.add(start, d, TimeUnit.WORKING_DAYS)
        assert datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=g) == expected


def test_parquet_petitions_and_ratings_hold_together(tmp_path):
    summary = write_dossiers_parquet(tmp_path, 30_000, seed=5, chunk=10_000, months=3)
    dossiers = pq.read_table(summary.paths["dossiers"], columns=["dossier_id", "status", "unit_id"]).to_pylist()
    petitions = pq.read_table(tmp_path / "petitions.parquet").to_pylist()
    ratings = pq.read_table(tmp_path / "ratings.parquet").to_pylist()
    status = {d["dossier_id"]: d["status"] for d in dossiers}
    unit = {d["dossier_id"]: d["unit_id"] for d in dossiers}
    assert 0.005 < len(petitions) / len(dossiers) < 0.02 and 0.03 < len(ratings) / len(dossiers) < 0.15
    assert all(status[r["dossier_id"]] == 10 for r in ratings)
    assert 0 < sum(not r["satisfied"] for r in ratings) < len(ratings) / 4
    by_id = {p["petition_id"]: p for p in petitions}
    snapshot = datetime(2026, 12, 1, tzinfo=UTC) - timedelta(hours=7)
    for p in petitions:
        assert p["received_at"] < snapshot
        assert p["dossier_id"] is None or unit[p["dossier_id"]] == p["unit_id"]
        if p["closed_at"] is None:
            assert p["overdue_at"] is not None and p["overdue_at"] > p["received_at"]  # the pending step's deadline
        else:
            assert p["received_at"] < p["closed_at"] < snapshot
            assert p["overdue_at"] is None or p["overdue_at"] < p["closed_at"]  # a deadline it missed
        if p["earlier_id"] is not None:
            earlier = by_id[p["earlier_id"]]
            assert earlier["closed_at"] < p["received_at"] and earlier["unit_id"] == p["unit_id"]
    on_time = sum(p["overdue_at"] is None for p in petitions if p["closed_at"] is not None)
    closed = sum(p["closed_at"] is not None for p in petitions)
    assert 0.6 < on_time / closed < 0.9


@pytest.mark.django_db
def test_the_live_demo_rates_returned_dossiers_and_handles_petitions_through_the_services():
    until = datetime(2026, 11, 20, 12, tzinfo=UTC)
    load_demo(province_code=24, months=3, per_month=400, seed=7, until=until, progress=lambda _: None)
    ratings = Rating.objects.select_related("dossier")
    assert ratings.count() > 10 and all(r.dossier.status == Status.RETURNED for r in ratings)
    petitions = Petition.objects.prefetch_related("events")
    assert petitions.count() >= 5
    for p in petitions:
        events = list(p.events.all())
        assert events[0].action == PetitionAction.SUBMIT and all(e.at <= until for e in events)
        assert p.is_open == (p.closed_at is None) and (p.due_at is None) == (not p.is_open)
        late = [e.due_at for e in events if e.due_at and e.at > e.due_at]
        assert p.missed_at == (min(late) if late else None)
        if p.earlier_id:
            assert not p.earlier.is_open and p.earlier.closed_at < p.received_at
