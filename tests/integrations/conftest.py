import pytest

from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from tests import factories as f

CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, phone="0912345678")
ENDPOINT_PATH = "/_quoc-gia/dong-bo/"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    """`motcua sync push` keeps its SQLite lock file in DATA_DIR: never the checkout's var/."""
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def desk(db):
    """A desk whose procedure's result is a paper decision (completed and returned by plain
    transitions; a document result would wait for the signature)."""
    desk = f.desk()
    desk["procedure"].result_is_document = False
    desk["procedure"].save(update_fields=["result_is_document"])
    return desk


@pytest.fixture
def make_dossier(desk):
    """A dossier received at the desk, then moved through `steps` more events (1 + steps events)."""

    def make(steps=0, applicant=CITIZEN, day=2):
        d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=applicant,
                         channel=Channel.DIRECT, action=Action.RECEIVE, actor=desk["reception"],
                         at=f.at(2026, 3, day, 9, 0))
        script = [(Action.START_PROCESSING, "processing"), (Action.COMPLETE, "head"),
                  (Action.RETURN_RESULT, "reception")]
        for hour, (action, who) in enumerate(script[:steps], start=10):
            transition(d, action, actor=desk[who], at=f.at(2026, 3, day, hour, 0))
        return d

    return make
