"""The index engine on PySpark (local mode) against DuckDB: the same Ibis expressions, identical figures.

Runs `unit_facts` for the 12 months Dec 2025 – Nov 2026 and the year 2026 (as_of None) over the Parquet
files of `motcua demo parquet`, once on Spark and once on DuckDB, compares every (period, unit, column)
and prints the counts and the wall time of each engine. Exit status 1 on any difference.

Both engines read the same tables through `inputs.from_parquet`: the four core ones and the
optional four (petitions, ratings, publications, certified copies) the demo writes. PySpark is an
optional extra of the project:

    .venv/bin/pip install -e ".[spark]"
    .venv/bin/motcua demo parquet --rows 1000000 --out var/pq1m
    .venv/bin/python bench/spark_check.py var/pq1m

Spark runs local[2] on 127.0.0.1 with no UI and fetches nothing (no extra jars or packages); it needs
Java 17 on PATH. The session time zone is UTC, so epoch seconds of the (zoned) Parquet timestamps are
unambiguous; the engine's own UTC+7 shift is in its expressions, not in the session.
"""
import argparse
import os
import platform
import sys
import time
from pathlib import Path

from motcua.index.engine.inputs import OPTIONAL_TABLES

TABLES = ("dossiers", "procedures", "units", "calendar", *OPTIONAL_TABLES)


def spark_session(partitions: int, driver_memory: str):
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("motcua-spark-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.driver.memory", driver_memory)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def figures(inputs, periods) -> dict:
    from motcua.index.engine.facts import FACT_COLUMNS, unit_facts

    rows = unit_facts(inputs, periods).to_pyarrow().to_pylist()
    return {(r["period"], r["unit_id"]): {c: r[c] for c in FACT_COLUMNS} for r in rows}


def compare(spark: dict, duck: dict) -> tuple[int, int, list[str]]:
    """(rows compared, mismatching cells, a few examples). A row on one side only counts every column."""
    from motcua.index.engine.facts import FACT_COLUMNS

    mismatches, examples = 0, []
    for key in sorted(spark.keys() | duck.keys(), key=str):
        left, right = spark.get(key), duck.get(key)
        if left is None or right is None:
            mismatches += len(FACT_COLUMNS)
            examples.append(f"{key}: only on {'DuckDB' if left is None else 'Spark'}")
            continue
        for column in FACT_COLUMNS:
            a, b = left[column], right[column]
            if (a is None) != (b is None) or (a is not None and int(a) != int(b)):
                mismatches += 1
                examples.append(f"{key} {column}: Spark {a} DuckDB {b}")
    return len(spark.keys() | duck.keys()), mismatches, examples[:10]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("var/pq1m"),
                        help="the output of `motcua demo parquet` (default var/pq1m)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the engine on each backend (default 1)")
    parser.add_argument("--shuffle-partitions", type=int, default=8,
                        help="spark.sql.shuffle.partitions (default 8: two cores, small aggregates)")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (default 4g)")
    args = parser.parse_args()
    missing = [name for name in TABLES if not (args.folder / f"{name}.parquet").is_file()]
    if missing:
        parser.error(f"{args.folder} lacks {', '.join(f'{m}.parquet' for m in missing)}: "
                     f"run `motcua demo parquet --rows 1000000 --out {args.folder}`")

    try:
        import pyspark
    except ImportError:
        parser.error('pyspark is not installed here: pip install -e ".[spark]" (see this script\'s docstring)')
    import duckdb
    import ibis
    import pyarrow.parquet as pq

    from motcua.index.engine import periods as P
    from motcua.index.engine.facts import FACT_COLUMNS
    from motcua.index.engine.inputs import from_parquet

    periods = [P.month(2025, 12), *(P.month(2026, m) for m in range(1, 12)), P.year(2026)]
    dossiers = pq.ParquetFile(args.folder / "dossiers.parquet").metadata.num_rows

    started = time.perf_counter()
    session = spark_session(args.shuffle_partitions, args.driver_memory)
    spark_start = time.perf_counter() - started
    java = session.sparkContext._jvm.java.lang.System.getProperty("java.version")
    print(f"python {platform.python_version()}, pyspark {pyspark.__version__} (Spark {session.version}, "
          f"Java {java}), ibis {ibis.__version__}, duckdb {duckdb.__version__}")
    print(f"tables read by both engines: {', '.join(TABLES)}")
    print(f"data {args.folder}: {dossiers:,} dossiers; periods {', '.join(p.key for p in periods)} (as_of None)")

    con = ibis.pyspark.connect(session)
    spark_times, duck_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        spark = figures(from_parquet(args.folder, con), periods)
        spark_times.append(time.perf_counter() - started)
    for _ in range(args.repeat):
        started = time.perf_counter()
        duck = figures(from_parquet(args.folder), periods)
        duck_times.append(time.perf_counter() - started)
    session.stop()

    rows, mismatches, examples = compare(spark, duck)
    units = len({unit for _, unit in duck})
    print(f"rows compared: {rows} (Spark {len(spark)}, DuckDB {len(duck)}; {units} units x {len(periods)} periods), "
          f"cells compared: {rows * len(FACT_COLUMNS)} ({len(FACT_COLUMNS)} columns)")
    total = lambda figs: sum(v or 0 for row in figs.values() for v in row.values())  # noqa: E731
    print(f"sum of all compared values: Spark {total(spark):,}, DuckDB {total(duck):,}")
    print(f"mismatches: {mismatches}")
    for line in examples:
        print(f"  {line}")
    fmt = lambda ts: ", ".join(f"{t:.2f}" for t in ts)  # noqa: E731
    print(f"wall time, Spark local[2]: {fmt(spark_times)} s (load + unit_facts + collect; "
          f"session start {spark_start:.2f} s not included)")
    print(f"wall time, DuckDB:         {fmt(duck_times)} s (load + unit_facts + collect)")
    return 1 if mismatches or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
