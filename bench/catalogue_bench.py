"""Benchmark of the catalogue consistency check: 2,000 procedures × 3 sources, target < 2 s.

    .venv/bin/python bench/catalogue_bench.py [--procedures 2000] [--repeat 3] [--seed 5]
                                              [--db var/catalogue_bench.sqlite3]

What it measures, all in one run on the same synthetic data:

1. `compare` — the pure check (`motcua.catalogue.consistency.compare`) of three sources of
   `--procedures` procedures each, where about 8 % of the provincial and portal records differ
   from the national one in one field, 1 % are missing and 1 % extra: the best of `--repeat` runs.
2. baseline — the same check done naively: for each pair, each reference record is matched by a
   linear scan of the other source's list (a nested loop, O(n²)), then compared field by field
   with the same `field_differences`. Its findings must equal `compare`'s.
3. `motcua catalogue check` — `checks.run_check` on a fresh SQLite database (`--db`, recreated
   and migrated): the three snapshots are saved first (not timed), then the check is timed twice:
   the first run reads the snapshots, compares and writes every finding; the second finds the same
   disagreements and only keeps them (the daily case).

Prints one table (seconds) and exits 1 when the check misses the target.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

TARGET_SECONDS = 2.0
FIELDS = ("name", "time_limit", "fee_total_vnd", "components", "legal_bases", "online_level", "agency_code")


def synthetic_sources(n: int, seed: int):
    """(national, provincial, portal) lists of Records: the province and the portal copy the national
    record with a few deliberate disagreements."""
    from motcua.catalogue.consistency import Record

    rng = random.Random(seed)
    agencies = ["STP", "SYT", "SCT", "SXD", "STC", "SNV", "SGDDT"]
    national = []
    for i in range(n):
        commune = i % 3 == 0
        national.append(Record(
            code=f"1.{i:06d}", name=f"Cấp giấy phép số {i} lĩnh vực {i % 40}",
            level="commune" if commune else "province", agency_code=None if commune else agencies[i % 7],
            agency_text="UBND cấp xã" if commune else f"Sở {agencies[i % 7]}",
            time_limit=Decimal(rng.choice([3, 5, 7, 10, 15])), time_unit="working_days",
            fee_total_vnd=rng.choice([0, 50_000, 100_000]),
            components=(("Tờ khai", 1), ("Bản sao giấy tờ tùy thân", 1)), legal_bases=("118/2025/NĐ-CP",),
            online_level=rng.choice(["full", "partial", "none"]), status="published"))

    def copy(with_components: bool):
        out = []
        for r in national:
            roll = rng.random()
            if roll < 0.01:
                continue  # missing
            changes = {}
            if roll < 0.09:
                field = rng.choice(FIELDS)
                changes[field] = {
                    "name": f"{r.name} (cũ)", "time_limit": (r.time_limit or 0) + 2,
                    "fee_total_vnd": (r.fee_total_vnd or 0) + 10_000, "components": (("Tờ khai", 2),),
                    "legal_bases": ("61/2018/NĐ-CP",), "online_level": "none" if r.online_level != "none" else "full",
                    "agency_code": "SNNMT",
                }[field]
            values = {f: getattr(r, f) for f in Record.__dataclass_fields__} | changes
            if not with_components:
                values.update(components=None, legal_bases=None, agency_code=None, agency_text=None, level=None)
            out.append(Record(**values))
        out += [Record(code=f"9.{n + k:06d}", name=f"Thủ tục thừa {k}", status="published") for k in range(n // 100)]
        return out

    return national, copy(True), copy(False)


def naive_compare(national, provincial, portal):
    """The baseline: each record matched by a linear scan of the other source (a nested loop),
    then checked with the same `compare` on that one pair of records."""
    from motcua.catalogue.consistency import compare

    findings = []
    for other, args in ((provincial, lambda a, b: (a, b, None)), (portal, lambda a, b: (a, None, b))):
        for a in national:
            b = next((r for r in other if r.code == a.code), None)
            findings += compare(*args([a], [b] if b is not None else []))
        for b in other:
            if not any(a.code == b.code for a in national):
                findings += compare(*args([], [b]))
    return findings


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def setup_django(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def save_sources(national, provincial, portal) -> None:
    from motcua.catalogue.models import Source
    from motcua.catalogue.services import RowRef
    from motcua.catalogue.sources import ParsedRow, save_snapshot
    from motcua.units.models import Unit, UnitKind

    province = Unit.objects.create(code="24", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE)
    for code in ("VPUB", "STP", "SYT", "SCT", "SXD", "STC", "SNV", "SGDDT", "SNNMT"):
        Unit.objects.create(code=code, name=f"Sở {code}", kind=UnitKind.DEPARTMENT, parent=province)
    for source, records in ((Source.NATIONAL, national), (Source.PROVINCIAL, provincial), (Source.PORTAL, portal)):
        rows = [ParsedRow(RowRef(None, i), r, {"code": r.code}) for i, r in enumerate(records)]
        save_snapshot(source, rows, [], sha256=f"{source}-bench")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--db", type=Path, default=Path("var/catalogue_bench.sqlite3"))
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    setup_django(args.db)

    from motcua.catalogue import checks
    from motcua.catalogue.consistency import compare

    national, provincial, portal = synthetic_sources(args.procedures, args.seed)
    fast, findings = best_of(args.repeat, lambda: compare(national, provincial, portal))
    slow, naive = best_of(1, lambda: naive_compare(national, provincial, portal))
    key = lambda f: (f.pair, f.code, f.kind, f.field, f.reference_value, f.other_value, f.severity)  # noqa: E731
    if sorted(map(key, naive)) != sorted(map(key, findings)):
        print("baseline and compare disagree", file=sys.stderr)
        return 2

    save_sources(national, provincial, portal)
    t0 = time.perf_counter()
    first = checks.run_check()
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    second = checks.run_check()
    second_s = time.perf_counter() - t0

    n = args.procedures
    print(f"catalogue check: {n:,} procedures × 3 sources ({len(findings):,} findings), "
          f"SQLite, target < {TARGET_SECONDS:.0f} s")
    print(f"{'step':<52}{'seconds':>9}")
    print(f"{'baseline: nested-loop match, same field compare':<52}{slow:>9.3f}")
    print(f"{'compare() (pure, best of ' + str(args.repeat) + ')':<52}{fast:>9.3f}   ×{slow / fast:,.0f} faster")
    print(f"{'motcua catalogue check, first run (writes findings)':<52}{first_s:>9.3f}   "
          f"created {first.created:,}")
    print(f"{'motcua catalogue check, second run (keeps them)':<52}{second_s:>9.3f}   "
          f"kept {second.kept:,}, created {second.created}")
    ok = max(first_s, second_s) < TARGET_SECONDS and first.created == len(findings) == second.kept
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
