"""Migration 0004 on a database with events recorded before the keys: they become «legacy» links,
unchanged (their hashes are the MaSuKien the national portal holds), reported until the first
checkpoint seals them; new events chain on under the key."""
import hashlib
import json
from datetime import UTC

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.dossiers import checkpoints
from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierEvent
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.units.models import Role
from tests import factories as f

BEFORE = [("dossiers", "0003_alter_dossierevent_action")]


def migrate(target=None):
    """To `target`, or (None) to the latest state of every app: the database the rest of the suite
    expects back, with the migrations that went back beside 0004 (e.g. the documents' access log)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def unkeyed_chain_as_before_the_keys(dossier):
    """Recompute the dossier's links the way the code before 0004 did (plain SHA-256); the model's
    columns are named one by one, since `key_id` does not exist yet."""
    prev = ""
    for e in (DossierEvent.objects.filter(dossier=dossier).order_by("seq")
              .values_list("pk", "seq", "action", "from_status", "to_status", "actor_id", "actor_role", "unit_id",
                           "at", "reason", "data", named=True)):
        payload = {"dossier": dossier.code, "seq": e.seq, "action": e.action, "from": e.from_status,
                   "to": e.to_status, "actor": e.actor_id, "role": e.actor_role, "unit": e.unit_id,
                   "at": e.at.astimezone(UTC).isoformat(), "reason": e.reason, "data": e.data}
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        new_hash = hashlib.sha256((prev + "\n" + canonical).encode()).hexdigest()
        DossierEvent.objects.filter(pk=e.pk).update(prev_hash=prev, hash=new_hash)
        prev = new_hash
    Dossier.objects.filter(pk=dossier.pk).update(event_head_hash=prev)
    return prev


@pytest.mark.django_db(transaction=True)
def test_events_before_the_keys_become_legacy_sealed_by_the_first_checkpoint(settings):
    settings.MOTCUA_EVENT_KEYS = "a:" + "1" * 40
    dept = f.unit()
    processing = f.officer(dept, Role.PROCESSING)
    d = open_dossier(procedure=f.procedure(agency=dept), unit=dept, channel=Channel.DIRECT, action=Action.RECEIVE,
                     actor=f.officer(dept, Role.RECEPTION), at=f.at(2026, 5, 4, 8, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Lê Văn C", f.VALID_PID))
    transition(d, Action.START_PROCESSING, actor=processing, at=f.at(2026, 5, 4, 9, 0))
    try:
        migrate(BEFORE)
        head = unkeyed_chain_as_before_the_keys(d)
    finally:
        migrate()
    assert list(DossierEvent.objects.filter(dossier=d).order_by("seq").values_list("key_id", flat=True)) == \
        ["legacy", "legacy"]
    assert DossierEvent.objects.get(dossier=d, seq=2).hash == head  # not rewritten
    assert [p.problem for p in verify_event_chains()] == [
        "2 sự kiện ghi trước khi nhật ký có khóa («legacy») chưa được mốc thời gian nào niêm phong: "
        "chạy «motcua checkpoint-events»."]
    checkpoints.create_checkpoint()
    assert list(verify_event_chains()) == []
    transition(Dossier.objects.get(pk=d.pk), Action.COMPLETE, actor=processing, at=f.at(2026, 5, 5, 9, 0))
    third = DossierEvent.objects.get(dossier=d, seq=3)
    assert (third.key_id, third.prev_hash) == ("a", head)
    assert list(verify_event_chains()) == []
