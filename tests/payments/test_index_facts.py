"""The service index reads the payment records: the dossier's payment facts follow every payment
path (online at any status, cash, refund), and the live index inputs with them."""
import pytest

from motcua.catalogue.models import Fee
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier
from motcua.dossiers.transitions import Action
from motcua.index.engine import periods as P
from motcua.index.engine.facts import unit_facts
from motcua.index.live import live_inputs
from motcua.payments.services import pay_cash, refund, request_submission_obligation
from motcua.units.models import Role
from tests import factories as f
from tests.payments.helpers import pay_in_simulator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulator_on")]
JUNE = P.month(2026, 6)
CODES = ("PAID_ONLINE", "FEE_PROCEDURES_PAID_ONLINE", "FEE_PROCEDURES_INTEGRATED")


def g3b(unit) -> dict:
    rows = unit_facts(live_inputs(), [JUNE], as_of=f.at(2026, 7, 1, 0)).to_pyarrow().to_pylist()
    row = next(r for r in rows if r["unit_id"] == unit.pk)
    return {code: (row[f"{code}_num"], row[f"{code}_den"]) for code in CODES}


@pytest.fixture
def dept(db):
    unit = f.unit()
    procedure = f.procedure(agency=unit, online_level="full")
    Fee.objects.create(procedure=procedure, name="Lệ phí", amount_vnd=50_000)
    people = {r: f.officer(unit, r) for r in (Role.RECEPTION, Role.HEAD)}

    def receive(day):
        d = open_dossier(procedure=procedure, unit=unit, channel=Channel.DIRECT, action=Action.RECEIVE,
                         actor=people[Role.RECEPTION], at=f.at(2026, 6, day, 9),
                         applicant=Applicant(ApplicantKind.INDIVIDUAL, "Phạm D", f.VALID_PID))
        request_submission_obligation(d)
        return d

    return {"unit": unit, "receive": receive, **people}


def test_index_numbers_follow_the_payment_records(dept):
    unit = dept["unit"]
    first, second, third = (dept["receive"](day) for day in (1, 2, 3))
    assert g3b(unit) == {"PAID_ONLINE": (0, 3), "FEE_PROCEDURES_PAID_ONLINE": (0, 1),
                         "FEE_PROCEDURES_INTEGRATED": (1, 1)}
    online = pay_in_simulator(first)  # paid online at status 2: no status change, the facts follow
    assert g3b(unit)["PAID_ONLINE"] == (1, 3) and g3b(unit)["FEE_PROCEDURES_PAID_ONLINE"] == (1, 1)
    pay_cash(second, dept[Role.RECEPTION], amount_vnd=50_000)  # paid, but not online
    assert g3b(unit)["PAID_ONLINE"] == (1, 3)
    pay_in_simulator(third, "national")
    assert g3b(unit)["PAID_ONLINE"] == (2, 3)
    refund(online, dept[Role.HEAD], reason="Thu nhầm")  # a refunded payment no longer counts
    assert g3b(unit) == {"PAID_ONLINE": (1, 3), "FEE_PROCEDURES_PAID_ONLINE": (1, 1),
                         "FEE_PROCEDURES_INTEGRATED": (1, 1)}


def test_a_failed_or_cancelled_payment_counts_as_unpaid(dept):
    d = dept["receive"](4)
    pay_in_simulator(d, outcome="cancel")
    pay_in_simulator(d, outcome="error")
    assert g3b(dept["unit"])["PAID_ONLINE"] == (0, 1)
    assert g3b(dept["unit"])["FEE_PROCEDURES_PAID_ONLINE"] == (0, 1)
