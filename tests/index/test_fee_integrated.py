"""FEE_PROCEDURES_INTEGRATED from payment records: a fee-bearing procedure counts in a period when
one of its dossiers received in it has its fee recorded as a fee obligation (payments.FeeObligation)."""
import pytest

from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.index.engine import periods as P
from motcua.index.engine.facts import procedure_items, unit_facts
from motcua.index.live import live_inputs
from motcua.payments.models import FeeObligation
from motcua.units.models import Role
from motcua.workdays.services import ensure_calendar_table
from tests import factories as f
from tests.index.builders import COMMUNE, PROVINCE, inputs, procedure
from tests.index.test_backends import on_sqlite

PERIODS = [P.month(2026, 9), P.month(2026, 10), P.quarter(2026, 4)]
PROCEDURES = [procedure(10, fee_bearing=True), procedure(11, fee_bearing=True), procedure(12, fee_bearing=False)]
DOSSIERS = [
    # Procedure 10: an obligation in September (received on its last evening), none in October.
    dict(procedure_id=10, received_at=f.at(2026, 9, 30, 16, 0), fee_total_vnd=50_000, fee_obligation=True),
    dict(procedure_id=10, received_at=f.at(2026, 10, 2, 9, 0), fee_total_vnd=50_000),
    # Procedure 11: paid online but its fee never recorded as an obligation: paid, not integrated.
    dict(procedure_id=11, received_at=f.at(2026, 10, 5, 9, 0), fee_total_vnd=20_000, paid_at=f.at(2026, 10, 5, 9, 5),
         payment_channel="national"),
    dict(procedure_id=12, received_at=f.at(2026, 10, 6, 9, 0), fee_obligation=True),  # no fee: outside
]


def integrated(inp) -> dict:
    rows = unit_facts(inp, PERIODS).to_pyarrow().to_pylist()
    return {(r["period"], r["unit_id"]): (r["FEE_PROCEDURES_INTEGRATED_num"], r["FEE_PROCEDURES_INTEGRATED_den"])
            for r in rows}


EXPECTED = {("2026-09", COMMUNE): (1, 2), ("2026-10", COMMUNE): (0, 2), ("2026-Q4", COMMUNE): (0, 2),
            ("2026-09", PROVINCE): (1, 2), ("2026-10", PROVINCE): (0, 2), ("2026-Q4", PROVINCE): (0, 2)}


def test_a_procedure_counts_in_the_periods_its_fee_obligations_were_received():
    assert integrated(inputs(DOSSIERS, PROCEDURES)) == EXPECTED


def test_sqlite_agrees_with_duckdb():
    base = inputs(DOSSIERS, PROCEDURES)
    tables = {name: getattr(base, name).to_pyarrow() for name in ("dossiers", "procedures", "units", "calendar")}
    assert integrated(on_sqlite(tables)) == EXPECTED


def test_the_drill_down_lists_the_fee_bearing_procedures():
    rows = procedure_items(inputs(DOSSIERS, PROCEDURES), P.month(2026, 9)).to_pyarrow().to_pylist()
    listed = {r["procedure_id"]: (r["FEE_PROCEDURES_INTEGRATED_num"], r["FEE_PROCEDURES_INTEGRATED_den"])
              for r in rows}
    assert listed == {10: (True, True), 11: (False, True), 12: (False, False)}


@pytest.mark.django_db
def test_live_database_reads_the_fee_obligations():
    ensure_calendar_table()
    unit = f.unit("STP", "Sở Tư pháp")
    reception = f.officer(unit, Role.RECEPTION)
    proc = f.procedure(code="1.000001", agency=unit)
    dossiers = [open_dossier(procedure=proc, unit=unit, channel=Channel.DIRECT, action=Action.RECEIVE,
                             actor=reception, at=f.at(2026, 10, day, 9), fee_total_vnd=10_000,
                             applicant=Applicant(ApplicantKind.INDIVIDUAL, "Vũ Văn F", f.VALID_PID))
                for day in (5, 6)]
    FeeObligation.objects.create(dossier=dossiers[0], amount_vnd=10_000, description="Lệ phí")
    flags = {r["dossier_id"]: r["fee_obligation"] for r in live_inputs().dossiers.to_pyarrow().to_pylist()}
    assert flags == {dossiers[0].pk: True, dossiers[1].pk: False}
