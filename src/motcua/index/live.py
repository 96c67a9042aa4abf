"""The engine's inputs read from the live database (SQLite or PostgreSQL) through Django's own
connection, so that the index sees exactly what the current transaction sees."""
import contextlib

import ibis
from django.db import connection
from ibis.backends.sqlite import Backend as SQLiteBackend

from motcua.index.engine.inputs import OPTIONAL_TABLES, Inputs


class BorrowedSQLite(SQLiteBackend):
    """Ibis on Django's SQLite connection. Ibis commits after each statement it runs in `begin`;
    on a borrowed connection that would end Django's transaction (and its savepoints). Ibis also
    turns SQLite's LIKE case-sensitive on the connection it is given, which would make every later
    `icontains`/`iexact` of this Django connection (the desk's search) case-sensitive: put it back."""

    def _post_connect(self, type_map=None) -> None:
        super()._post_connect(type_map)
        self.con.execute("PRAGMA case_sensitive_like = OFF")

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
    # Fee data integrated with online payment: the dossier's fee was recorded as a fee obligation
    # (payments app), payable online; a cancelled one was integrated all the same.
    obligations = con.table("payments_feeobligation")
    dossiers = d.select(
        dossier_id=d.id, unit_id=d.unit_id, procedure_id=d.procedure_id, channel=d.channel,
        status=d.status, received_at=d.received_at, appointment_at=d.appointment_at,
        finished_at=d.finished_at, returned_at=d.returned_at, closed_at=d.closed_at,
        supplement_count=d.supplement_count, supplement_requested_at=d.supplement_requested_at,
        supplement_received_at=d.supplement_received_at, fee_total_vnd=d.fee_total_vnd,
        paid_at=d.paid_at, payment_channel=d.payment_channel,
        fee_obligation=d.id.isin(obligations.dossier_id),
        result_signed=d.result_signed.cast("boolean"),
        result_to_personal_store=d.result_to_personal_store.cast("boolean"),
        components_digitized=d.components_digitized.fill_null(False),
        component_reused=d.component_reused.fill_null(False),
        component_from_personal_store=d.component_from_personal_store.fill_null(False),
        population_verified=d.population_verified.cast("boolean"),
        synced_national=d.synced_national.cast("boolean"),
    )
    p, f, m = con.table("catalogue_procedure"), con.table("catalogue_fee"), con.table("catalogue_proceduremethod")
    # `Procedure.is_fee_bearing`, the one definition: a fee or charge above zero in the fee schedule
    # or on any submission method (tests/index/test_fee_bearing.py holds the two together).
    charged = (f.filter(f.amount_vnd > 0).select("procedure_id")
               .union(m.filter(m.fee_vnd > 0).select("procedure_id")).distinct())
    fees = charged.mutate(fee_bearing=ibis.literal(True))
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
    return Inputs(dossiers=dossiers, procedures=procedures, units=units, calendar=calendar, **_feedback(con),
                  publications=_publications(con), certified_copies=_certified_copies(con))


def _feedback(con) -> dict:
    """Petitions and ratings (feedback app). A petition is overdue from the first deadline it
    missed, or, while open, from the deadline of its pending step."""
    p, r = con.table("feedback_petition"), con.table("feedback_rating")
    petitions = p.select(
        petition_id=p.id, unit_id=p.unit_id, dossier_id=p.dossier_id, earlier_id=p.earlier_id,
        received_at=p.received_at, closed_at=p.closed_at, overdue_at=p.missed_at.coalesce(p.due_at),
        likes=p.likes, dislikes=p.dislikes)
    return {"petitions": petitions, "ratings": r.select("dossier_id", satisfied=r.satisfied.cast("boolean"))}


def _day(date_column):
    """A date as a day number (days since 1970-01-01), as `calendar.day_number`."""
    return (date_column.epoch_seconds() // 86400).cast("int64")


def _publications(con):
    """One row per procedure per issued publication decision (catalogue app; drafts are not
    decisions yet). The unit: the procedure's department, else the decision's issuer (the province
    for commune-level procedures). `content_full`: the 7 mandatory parts, as
    `catalogue.models.Procedure.missing_mandatory_parts` reads them."""
    i, d, p = con.table("catalogue_publicationitem"), con.table("catalogue_publicationdecision"), \
        con.table("catalogue_procedure")
    steps, methods, c = con.table("catalogue_processstep"), con.table("catalogue_proceduremethod"), \
        con.table("catalogue_component")
    components = c.group_by("procedure_id").aggregate(
        all_counted=((c.original_count + c.copy_count) > 0).all())
    p = p.left_join(components, p.id == components.procedure_id)
    full = ((p.name.strip() != "") & p.id.isin(steps.procedure_id) & p.id.isin(methods.procedure_id)
            & p.all_counted.fill_null(False)
            & p.time_limit.notnull() & (p.time_unit != "") & ((p.time_limit > 0) | (p.time_unit == "in_day"))
            & p.subjects.cast("string").contains('"')
            & (p.agency_id.notnull() | (p.implementing_agency_text.strip() != "") | (p.level == "commune")))
    p = p.select(pid=p.id, agency_id=p.agency_id, content_full=full)
    x = i.join(d, i.decision_id == d.id).join(p, i.procedure_id == p.pid)
    x = x.filter(x.status != "draft")
    return x.select(
        unit_id=x.agency_id.coalesce(x.issuer_unit_id).cast("int64"), procedure_id=x.procedure_id.cast("int64"),
        decided_day=_day(x.decided_on), effective_day=_day(x.effective_on),
        ministry=x.issued_by_ministry.cast("boolean"), published_day=_day(x.published_national_on),
        content_full=x.content_full, abolished=x.change_type == "abolished")


def _certified_copies(con):
    """One row per entry of the communes' registers of certified copies (results app): each entry
    carries its signed electronic copy, `certified_at` the instant it was signed."""
    c, d = con.table("results_certifiedcopy"), con.table("results_signeddocument")
    x = c.join(d, c.document_id == d.id)
    return x.select(unit_id=c.unit_id.cast("int64"), certified_at=x.signed_at)


def as_arrow(inputs: Inputs) -> dict:
    """The same inputs as Arrow tables (to run the engine on DuckDB over exactly these facts)."""
    names = ("dossiers", "procedures", "units", "calendar") + OPTIONAL_TABLES
    return {name: getattr(inputs, name).to_pyarrow() for name in names}
