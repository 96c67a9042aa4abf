"""Tiny input tables for engine tests: a province, one commune, procedures, the real calendar."""
from datetime import date

import ibis
import pyarrow as pa

from motcua.index.engine.inputs import Inputs
from motcua.workdays.calendar import WorkCalendar, vietnam_public_holidays

HOLIDAYS, SWAPPED = vietnam_public_holidays(range(2025, 2028))
CALENDAR = WorkCalendar(HOLIDAYS, SWAPPED)
PROVINCE, COMMUNE, DEPT = 1, 2, 3

DOSSIER_DEFAULTS = dict(
    unit_id=COMMUNE, procedure_id=10, channel="direct", status=4, received_at=None, appointment_at=None,
    finished_at=None, returned_at=None, closed_at=None, supplement_count=0, supplement_requested_at=None,
    supplement_received_at=None, fee_total_vnd=0, paid_at=None, payment_channel=None, fee_obligation=False,
    result_signed=False,
    result_to_personal_store=False, components_digitized=False, component_reused=False,
    component_from_personal_store=False, population_verified=False, synced_national=False,
)
TS = pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
DOSSIER_TYPES = {c: TS for c in DOSSIER_DEFAULTS if c.endswith("_at")} | {
    "unit_id": pa.int32(), "procedure_id": pa.int32(), "channel": pa.string(), "status": pa.int8(),
    "supplement_count": pa.int8(), "fee_total_vnd": pa.int64(), "payment_channel": pa.string()}


PROCEDURE_SCHEMA = pa.schema([
    ("procedure_id", pa.int32()), ("level", pa.string()), ("agency_id", pa.int32()), ("time_limit", pa.float64()),
    ("time_unit", pa.string()), ("fee_bearing", pa.bool_()), ("result_is_document", pa.bool_()),
    ("online_level", pa.string()), ("for_individuals", pa.bool_())])
UNIT_SCHEMA = pa.schema([("unit_id", pa.int32()), ("kind", pa.string()), ("parent_id", pa.int32())])


def procedure(procedure_id=10, level="commune", agency_id=None, time_limit=3, time_unit="working_days",
              fee_bearing=False, result_is_document=True, online_level="full", for_individuals=True) -> dict:
    return dict(procedure_id=procedure_id, level=level, agency_id=agency_id, time_limit=time_limit,
                time_unit=time_unit, fee_bearing=fee_bearing, result_is_document=result_is_document,
                online_level=online_level, for_individuals=for_individuals)


def inputs(dossiers: list[dict], procedures: list[dict] | None = None, backend=None) -> Inputs:
    rows = [{**DOSSIER_DEFAULTS, "dossier_id": i, **d} for i, d in enumerate(dossiers, start=1)]
    schema = pa.schema([("dossier_id", pa.int64())] + [
        (c, DOSSIER_TYPES.get(c, pa.bool_())) for c in DOSSIER_DEFAULTS])
    days = list(CALENDAR.calendar_rows(date(2025, 1, 1), date(2027, 12, 31)))
    tables = {
        "dossiers": pa.Table.from_pylist(rows, schema=schema),
        "procedures": pa.Table.from_pylist(procedures or [procedure()], schema=PROCEDURE_SCHEMA),
        "units": pa.Table.from_pylist([
            {"unit_id": PROVINCE, "kind": "province", "parent_id": None},
            {"unit_id": COMMUNE, "kind": "commune", "parent_id": PROVINCE},
            {"unit_id": DEPT, "kind": "department", "parent_id": PROVINCE}], schema=UNIT_SCHEMA),
        "calendar": pa.table({
            "day_number": [(d - date(1970, 1, 1)).days for d, _, _ in days],
            "is_working_day": [w for _, w, _ in days],
            "working_day_ordinal": [o for _, _, o in days]}),
    }
    con = backend or ibis.duckdb.connect()
    for name, table in tables.items():
        if hasattr(con, "con") and hasattr(con.con, "register"):
            con.con.register(name, table)
        else:
            con.create_table(name, table)
    return Inputs(**{name: con.table(name) for name in tables})
