"""The public ranking page served from stored snapshots, next to computing the ranking live.

    .venv/bin/python bench/portal_bench.py [--database sqlite:///var/portal_bench.sqlite3]
                                           [--months 3] [--period 2026-10] [--requests 50]

Data: the demo province (115 units) loaded with `motcua demo --months N` into the database named
(a fresh SQLite file by default; an existing database is reused as it is), and the month published
through `motcua report monthly` (the monthly cycle) if it is not yet.

Measured in the same process, one after the other:

* page     — GET /chi-so/<period>/xa-phuong/ (the commune ranking, the largest page: 99 rows with
             their group scores, previous month and change) through Django's test client: URL
             resolution, the snapshot queries, the template; --requests times after one warm-up;
* page_dep — the same for the department ranking;
* baseline — the same ranking computed live through the engine (`services.calculate`: facts of
             every unit from the dossiers, scores, bands, ranks), what a page would cost without
             snapshots; --baseline times.
Median and 95th percentile in milliseconds; the target is a page median under 100 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(fn, times: int) -> list[float]:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{name:10} n={len(values):4}  median {statistics.median(values):9.1f} ms   p95 {p95:9.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite:///var/portal_bench.sqlite3")
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--baseline", type=int, default=5)
    args = parser.parse_args()

    Path("var").mkdir(exist_ok=True)  # the default database's folder (the repository's var/, ignored by git)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from motcua.index import rankings, services
    from motcua.index.engine import periods
    from motcua.units.models import Unit

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        call_command("demo", "--months", str(args.months))
    if rankings.published(args.period) is None:
        call_command("report", "monthly", "--period", args.period, "--out", "var/portal_bench_reports")
    snapshot = rankings.published(args.period)
    print(f"database {args.database}; period {args.period} revision {snapshot.revision}; "
          f"{snapshot.unit_scores.count()} units in the snapshot; load {os.getloadavg()[0]:.2f}")

    client = Client(HTTP_HOST="127.0.0.1")
    url_communes, url_departments = f"/chi-so/{args.period}/xa-phuong/", f"/chi-so/{args.period}/so-ban-nganh/"
    for url in (url_communes, url_departments):
        assert client.get(url).status_code == 200  # warm-up, and a check that the page is served

    def live():
        period = periods.parse(args.period)
        services.calculate(period, services.evaluation_instant(period, timezone.now()))

    page = timed(lambda: client.get(url_communes), args.requests)
    page_dep = timed(lambda: client.get(url_departments), args.requests)
    baseline = timed(live, args.baseline)
    print(line("page", page))
    print(line("page_dep", page_dep))
    print(line("baseline", baseline))
    print(f"snapshot page vs live engine: {statistics.median(baseline) / statistics.median(page):.0f}× faster; "
          f"target median < 100 ms: {'met' if statistics.median(page) < 100 else 'NOT met'}; "
          f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
