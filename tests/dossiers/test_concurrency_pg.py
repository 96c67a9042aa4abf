"""Two connections act on one dossier at once: one wins, the other gets a clean error."""
import threading

import pytest
from django.db import connection

from motcua.dossiers.errors import ConcurrentUpdate
from motcua.dossiers.models import ApplicantKind, Channel, Dossier
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.units.models import Role
from tests import factories as f


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_one_dossier():
    dept = f.unit()
    reception, processing, head = (f.officer(dept, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD))
    d = open_dossier(procedure=f.procedure(agency=dept), unit=dept, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=reception, at=f.at(2026, 6, 1, 8, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Phạm D", f.VALID_PID))
    barrier, outcomes = threading.Barrier(2), []
    attempts = [(Action.START_PROCESSING, processing), (Action.STOP, head)]

    def act(action, actor):
        try:
            seen = Dossier.objects.get(pk=d.pk)  # each thread has its own connection
            barrier.wait()
            transition(seen, action, actor=actor, at=f.at(2026, 6, 1, 9, 0))
            outcomes.append(("ok", action))
        except ConcurrentUpdate as exc:
            outcomes.append(("lost", exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=a) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o[0] for o in outcomes) == ["lost", "ok"]
    assert ("lost", "stale_version") in outcomes
    final = Dossier.objects.get(pk=d.pk)
    assert final.version == 2 and final.events.count() == 2
    winner = next(a for status, a in outcomes if status == "ok")
    assert final.events.get(seq=2).action == winner
