"""The engine's inputs read from the live database (SQLite or PostgreSQL) through Django's own
connection, so that the index sees exactly what the current transaction sees."""
import contextlib

import ibis
from django.db import connection
from ibis.backends.sqlite import Backend as SQLiteBackend

from motcua.index.engine.inputs import Inputs


class BorrowedSQLite(SQLiteBackend):
    """Ibis on Django's SQLite connection. Ibis commits after each statement it runs in `begin`;
    on a borrowed connection that would end Django's transaction (and its savepoints)."""

    @contextlib.contextmanager
    def begin(self):
        cursor = self.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()


def _backend():
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        return ibis.postgres.from_connection(connection.connection)
    if connection.vendor == "sqlite":
        return BorrowedSQLite.from_connection(connection.connection)
    raise NotImplementedError(f"the index engine does not run on {connection.vendor}")


def live_inputs() -> Inputs:
    con = _backend()
    d, c = con.table("dossiers_dossier"), con.table("dossiers_dossiercomponent")
    components = c.group_by("dossier_id").aggregate(
        components_digitized=c.digitized.cast("boolean").any(), component_reused=c.reused.cast("boolean").any(),
        component_from_personal_store=c.from_personal_store.cast("boolean").any())
    d = d.left_join(components, d.id == components.dossier_id)
    dossiers = d.select(
        dossier_id=d.id, unit_id=d.unit_id, procedure_id=d.procedure_id, channel=d.channel,
        status=d.status, received_at=d.received_at, appointment_at=d.appointment_at,
        finished_at=d.finished_at, returned_at=d.returned_at, closed_at=d.closed_at,
        supplement_count=d.supplement_count, supplement_requested_at=d.supplement_requested_at,
        supplement_received_at=d.supplement_received_at, fee_total_vnd=d.fee_total_vnd,
        paid_at=d.paid_at, payment_channel=d.payment_channel,
        result_signed=d.result_signed.cast("boolean"),
        result_to_personal_store=d.result_to_personal_store.cast("boolean"),
        components_digitized=d.components_digitized.fill_null(False),
        component_reused=d.component_reused.fill_null(False),
        component_from_personal_store=d.component_from_personal_store.fill_null(False),
        population_verified=d.population_verified.cast("boolean"),
        synced_national=d.synced_national.cast("boolean"),
    )
    p, f = con.table("catalogue_procedure"), con.table("catalogue_fee")
    fees = f.group_by("procedure_id").aggregate(fee_bearing=(f.amount_vnd > 0).any())
    p = p.left_join(fees, p.id == fees.procedure_id)
    procedures = p.select(
        procedure_id=p.id, level=p.level, agency_id=p.agency_id, time_limit=p.time_limit.cast("float64"),
        time_unit=p.time_unit, fee_bearing=p.fee_bearing.fill_null(False),
        result_is_document=p.result_is_document.cast("boolean"), online_level=p.online_level,
        for_individuals=p.subjects.cast("string").contains('"individual"'),
    )
    u = con.table("units_unit")
    units = u.select(unit_id=u.id, kind=u.kind, parent_id=u.parent_id)
    cal = con.table("workdays_calendar_day")
    calendar = cal.select("day_number", is_working_day=cal.is_working_day.cast("boolean"),
                          working_day_ordinal=cal.working_day_ordinal)
    return Inputs(dossiers=dossiers, procedures=procedures, units=units, calendar=calendar)


def as_arrow(inputs: Inputs) -> dict:
    """The same inputs as Arrow tables (to run the engine on DuckDB over exactly these facts)."""
    return {name: getattr(inputs, name).to_pyarrow() for name in ("dossiers", "procedures", "units", "calendar")}
