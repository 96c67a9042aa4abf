import pytest

from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.units.models import Role
from tests import factories as f

FEE = 50_000


def make_waiting_dossier(*, fee=FEE, request_payment=True):
    """A dossier received at the desk on 1 June 2026, then waiting for payment (status 6)."""
    dept = f.unit()
    reception = f.officer(dept, Role.RECEPTION)
    processing = f.officer(dept, Role.PROCESSING)
    d = open_dossier(procedure=f.procedure(agency=dept), unit=dept, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=reception, at=f.at(2026, 6, 1, 8, 0), fee_total_vnd=fee,
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Phạm D", f.VALID_PID))
    if request_payment:
        transition(d, Action.REQUEST_PAYMENT, actor=processing, at=f.at(2026, 6, 1, 9, 0))
    return d


@pytest.fixture
def waiting_dossier(db):
    return make_waiting_dossier()


@pytest.fixture
def simulator_on(settings):
    settings.MOTCUA_PAYMENT_SIMULATOR = True
    settings.MOTCUA_VNPAY_PAY_URL = ""
    settings.MOTCUA_VNPAY_HASH_SECRET = "test-secret"
    settings.MOTCUA_VNPAY_TMN_CODE = "TESTTMN1"
    return settings
