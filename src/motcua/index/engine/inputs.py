"""The engine's input tables: what every source (Parquet files, the live database) must provide.

Timestamps are instants (any time zone, or naive UTC); the engine reads them as epoch seconds.
`dossiers.fee_obligation`: the dossier's fee was recorded as a fee obligation payable online (the
fee data integrated with online payment, `payments.FeeObligation`).
"""
from dataclasses import dataclass, field
from pathlib import Path

import ibis
from ibis.expr.types import Table

from motcua.index.engine.certified_copy_facts import CERTIFIED_COPY_COLUMNS, no_certified_copies
from motcua.index.engine.feedback_facts import PETITION_COLUMNS, RATING_COLUMNS, no_petitions, no_ratings
from motcua.index.engine.publication_facts import PUBLICATION_COLUMNS, no_publications

DOSSIER_COLUMNS = (
    "dossier_id", "unit_id", "procedure_id", "channel", "status",
    "received_at", "appointment_at", "finished_at", "returned_at", "closed_at",
    "supplement_count", "supplement_requested_at", "supplement_received_at",
    "fee_total_vnd", "paid_at", "payment_channel", "fee_obligation",
    "result_signed", "result_to_personal_store",
    "components_digitized", "component_reused", "component_from_personal_store",
    "population_verified", "synced_national",
)
PROCEDURE_COLUMNS = ("procedure_id", "level", "agency_id", "time_limit", "time_unit", "fee_bearing",
                     "result_is_document", "online_level", "for_individuals")
UNIT_COLUMNS = ("unit_id", "kind", "parent_id")
CALENDAR_COLUMNS = ("day_number", "is_working_day", "working_day_ordinal")  # day_number: days since 1970-01-01


# Tables a source may lack (the engine then reads them as empty).
OPTIONAL_TABLES = ("petitions", "ratings", "publications", "certified_copies")


@dataclass(frozen=True)
class Inputs:
    dossiers: Table
    procedures: Table
    units: Table
    calendar: Table
    # Optional (feedback app): empty unless the source records petitions and ratings.
    petitions: Table = field(default_factory=no_petitions)
    ratings: Table = field(default_factory=no_ratings)
    # Optional (catalogue): one row per procedure per publication decision; empty when not given.
    publications: Table = field(default_factory=no_publications)
    # Optional (results): one row per signed electronic certified copy (unit_id, certified_at).
    certified_copies: Table = field(default_factory=no_certified_copies)

    def __post_init__(self):
        for name, columns in (("dossiers", DOSSIER_COLUMNS), ("procedures", PROCEDURE_COLUMNS),
                              ("units", UNIT_COLUMNS), ("calendar", CALENDAR_COLUMNS),
                              ("petitions", PETITION_COLUMNS), ("ratings", RATING_COLUMNS),
                              ("publications", PUBLICATION_COLUMNS),
                              ("certified_copies", CERTIFIED_COPY_COLUMNS)):
            missing = set(columns) - set(getattr(self, name).columns)
            if missing:
                raise ValueError(f"input table '{name}' lacks columns {sorted(missing)}")


def from_parquet(folder: Path, con=None) -> Inputs:
    """The tables `motcua demo parquet` writes, read in place by ``con`` (default a new DuckDB;
    `bench/spark_check.py` passes PySpark's), the optional ones wherever their file exists."""
    con = con or ibis.duckdb.connect()
    # str: PySpark's reader takes no Path
    read = lambda name: con.read_parquet(str(Path(folder) / f"{name}.parquet"), table_name=name)  # noqa: E731
    optional = {name: read(name) for name in OPTIONAL_TABLES
                if (Path(folder) / f"{name}.parquet").exists()}
    return Inputs(dossiers=read("dossiers"), procedures=read("procedures"), units=read("units"),
                  calendar=read("calendar"), **optional)
