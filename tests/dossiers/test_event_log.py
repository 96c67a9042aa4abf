"""The event log against someone with database access: keyed links (and their rotation), timestamped
checkpoints of the chain heads, and what `verify-events` then catches, or cannot."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from motcua.dossiers import checkpoints
from motcua.dossiers.event_keys import LEGACY_KEY_ID, parse_keys
from motcua.dossiers.events import chain_hash, event_payload
from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import (
    AppendOnlyError, ApplicantKind, Channel, Dossier, DossierEvent, EventCheckpoint, EventCheckpointHead, OutboxMessage,
)
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Status
from motcua.results import identities, pki, signing
from motcua.scheduling import tasks
from motcua.units.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db
KEY_A = "a:" + "1" * 40
KEY_B = "b:" + "2" * 40
EDITED = "nội dung sự kiện đã bị sửa"


@pytest.fixture(autouse=True)
def one_key(settings):
    settings.MOTCUA_EVENT_KEYS = KEY_A


@pytest.fixture
def desk():
    dept = f.unit()
    return {"unit": dept, "procedure": f.procedure(agency=dept),
            "reception": f.officer(dept, Role.RECEPTION), "processing": f.officer(dept, Role.PROCESSING)}


def received(desk, name="Lê Văn C"):
    """A dossier with two events: received, then in process."""
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT, action=Action.RECEIVE,
                     actor=desk["reception"], at=f.at(2026, 5, 4, 8, 0),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, name, f.VALID_PID))
    return transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 5, 4, 9, 0))


def complete(d, desk):
    return transition(d, Action.COMPLETE, actor=desk["processing"], at=f.at(2026, 5, 5, 9, 0))


def problems():
    return [(p.seq, p.problem) for p in verify_event_chains()]


def snapshot(d):
    return list(DossierEvent.objects.filter(dossier=d).order_by("seq").values_list("seq", "key_id", "hash"))


# --- what a tamperer with database access does ------------------------------------------------------

def rewrite_chain(d, *, key: bytes | None, key_id: str | None = None, reason: str | None = None, seq: int = 2,
                  start: int | None = None):
    """Edit event `seq`'s reason (when given) and recompute the links from `start` (default `seq`) on,
    as the old code did (key None: plain SHA-256) or with the key; the dossier's head follows.
    `key_id` relabels the recomputed events."""
    start = start or seq
    prev = DossierEvent.objects.get(dossier=d, seq=start - 1).hash if start > 1 else ""
    for e in DossierEvent.objects.filter(dossier=d, seq__gte=start).order_by("seq"):
        if reason is not None and e.seq == seq:
            e.reason = reason
        payload = event_payload(dossier_code=d.code, seq=e.seq, action=e.action, from_status=e.from_status,
                                to_status=e.to_status, actor_id=e.actor_id, actor_role=e.actor_role,
                                unit_id=e.unit_id, at=e.at, reason=e.reason, data=e.data)
        new_hash = chain_hash(prev, payload, key)
        DossierEvent.objects.filter(pk=e.pk).update(reason=e.reason, prev_hash=prev, hash=new_hash,
                                                    key_id=key_id or e.key_id)
        prev = new_hash
    Dossier.objects.filter(pk=d.pk).update(event_head_hash=prev)


def roll_back_last_event(d):
    """Delete the last event (and its outbox entry) and restore the dossier as it was before it."""
    last = DossierEvent.objects.filter(dossier=d).order_by("-seq").first()
    before = DossierEvent.objects.filter(dossier=d, seq=last.seq - 1).get()
    OutboxMessage.objects.filter(event=last).delete()
    DossierEvent.objects.filter(pk=last.pk).delete()
    Dossier.objects.filter(pk=d.pk).update(version=before.seq, status=last.from_status,
                                           event_head_hash=before.hash, last_event_at=before.at)


# --- keys -------------------------------------------------------------------------------------------

def test_events_are_keyed_with_the_newest_key(desk):
    d = received(desk)
    assert [key_id for _, key_id, _ in snapshot(d)] == ["a", "a"]
    first = DossierEvent.objects.get(dossier=d, seq=1)
    payload = event_payload(dossier_code=d.code, seq=1, action=first.action, from_status=None,
                            to_status=first.to_status, actor_id=first.actor_id, actor_role=first.actor_role,
                            unit_id=first.unit_id, at=first.at, reason="", data=first.data)
    assert first.hash == chain_hash("", payload, b"1" * 40) != chain_hash("", payload, None)
    assert problems() == []


def test_edited_event_with_recomputed_unkeyed_chain_is_detected(desk):
    d = complete(received(desk), desk)
    rewrite_chain(d, key=None, reason="sửa lén")
    assert DossierEvent.objects.get(dossier=d, seq=2).reason == "sửa lén"
    assert problems() == [(2, EDITED), (3, EDITED)]
    with pytest.raises(CommandError, match="2 vấn đề"):
        call_command("verify-events", stdout=StringIO(), stderr=StringIO())


def test_edited_event_recomputed_with_a_guessed_key_is_detected(desk):
    d = complete(received(desk), desk)
    rewrite_chain(d, key=b"dev-only-event-key-change-me-in-production", reason="sửa lén")
    assert problems() == [(2, EDITED), (3, EDITED)]


def test_chain_relabelled_legacy_and_recomputed_unkeyed_is_detected_once_checkpointed(desk):
    """The attacker also marks every event «legacy» (no key); the first checkpoint vouches for the
    keyed chain, so the legacy links contradict it."""
    d = complete(received(desk), desk)
    first = checkpoints.create_checkpoint()
    rewrite_chain(d, key=None, key_id=LEGACY_KEY_ID, reason="sửa lén", start=1)
    assert problems() == [(3, f"chuỗi khác với đầu chuỗi mốc thời gian #{first.pk} đã ghi nhận (bị viết lại)")]


def test_legacy_links_are_reported_unsealed_before_any_checkpoint(desk):
    d = complete(received(desk), desk)
    rewrite_chain(d, key=None, key_id=LEGACY_KEY_ID, reason="sửa lén", start=1)
    assert problems() == [(None, "3 sự kiện ghi trước khi nhật ký có khóa («legacy») chưa được mốc thời gian "
                                 "nào niêm phong: chạy «motcua checkpoint-events».")]


def test_key_rotation_old_events_still_verify(desk, settings):
    d = received(desk)
    settings.MOTCUA_EVENT_KEYS = f"{KEY_A},{KEY_B}"  # b added: it keys new events, a still verifies
    complete(d, desk)
    assert [key_id for _, key_id, _ in snapshot(d)] == ["a", "a", "b"]
    assert problems() == []
    call_command("verify-events", stdout=StringIO())


def test_a_dropped_key_leaves_its_events_unverifiable(desk, settings):
    d = received(desk)
    settings.MOTCUA_EVENT_KEYS = KEY_B
    complete(d, desk)
    assert problems() == [(1, "khóa «a» không có trong MOTCUA_EVENT_KEYS"),
                          (2, "khóa «a» không có trong MOTCUA_EVENT_KEYS")]


@pytest.mark.parametrize("raw, message", [
    ("", "chưa cấu hình khóa nào"),
    ("a" + "1" * 40, "không phải mã khóa hợp lệ"),
    ("legacy:" + "1" * 40, "không phải mã khóa hợp lệ"),
    ("a b:" + "1" * 40, "không phải mã khóa hợp lệ"),
    ("a:short", "ít nhất 32 ký tự"),
    (f"{KEY_A},{KEY_A}", "lặp lại"),
])
def test_malformed_keys_are_refused_and_nothing_is_recorded(desk, settings, raw, message):
    settings.MOTCUA_EVENT_KEYS = raw
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_keys(raw)
    with pytest.raises(ImproperlyConfigured):
        received(desk)
    assert Dossier.objects.count() == 0 and DossierEvent.objects.count() == 0


def test_keys_are_parsed_oldest_first():
    assert list(parse_keys(f" {KEY_A} , {KEY_B} ")) == ["a", "b"]
    assert parse_keys("k:" + "x:y" * 11)["k"] == b"x:y" * 11  # the secret may contain ':'


# --- checkpoints ------------------------------------------------------------------------------------

def heads_of(checkpoint):
    return sorted(EventCheckpointHead.objects.filter(checkpoint=checkpoint)
                  .values_list("dossier__code", "seq", "hash"))


def test_checkpoints_record_the_heads_that_moved_and_chain_up(desk):
    a, b = received(desk, "A"), received(desk, "B")
    first = checkpoints.create_checkpoint()
    assert heads_of(first) == sorted([(a.code, 2, a.event_head_hash), (b.code, 2, b.event_head_hash)])
    assert first.prev_digest == "" and first.head_count == 2
    complete(a, desk)
    second = checkpoints.create_checkpoint()
    assert heads_of(second) == [(a.code, 3, a.event_head_hash)] and second.prev_digest == first.digest
    third = checkpoints.create_checkpoint()  # nothing moved: the pace of checkpoints goes on
    assert heads_of(third) == [] and third.prev_digest == second.digest
    for checkpoint in (first, second, third):
        check = signing.check_timestamp_token(bytes(checkpoint.token), bytes.fromhex(checkpoint.digest),
                                              identities.trusted_roots())
        assert check.ok and abs(check.timestamped_at - timezone.now()) < timedelta(minutes=1)
        assert checkpoint.timestamped_at == check.timestamped_at
    assert problems() == []


def test_deleted_last_event_with_dossier_rolled_back_is_detected_against_the_checkpoint(desk):
    d = complete(received(desk), desk)
    checkpoint = checkpoints.create_checkpoint()
    roll_back_last_event(d)
    row = Dossier.objects.get(pk=d.pk)
    assert (row.version, row.status, DossierEvent.objects.filter(dossier=d).count()) == (2, Status.IN_PROCESS, 2)
    assert problems() == [(3, f"sự kiện mà mốc thời gian #{checkpoint.pk} đã ghi nhận không còn "
                              "(bị xóa, hồ sơ bị quay lui)")]
    err = StringIO()
    with pytest.raises(CommandError, match="1 vấn đề"):
        call_command("verify-events", stdout=StringIO(), stderr=err)
    assert f"{d.code} sự kiện #3: sự kiện mà mốc thời gian #{checkpoint.pk}" in err.getvalue()


def test_a_rollback_after_the_last_checkpoint_is_not_detectable(desk):
    """What the README says: deletions after the last checkpoint leave a consistent, shorter log."""
    d = received(desk)
    checkpoints.create_checkpoint()
    complete(d, desk)
    roll_back_last_event(d)
    assert problems() == []


def test_a_rewrite_with_the_key_is_detected_up_to_the_last_checkpoint(desk):
    """Someone who also holds the key recomputes valid links; the checkpointed head disagrees."""
    d = complete(received(desk), desk)
    checkpoint = checkpoints.create_checkpoint()
    rewrite_chain(d, key=b"1" * 40, reason="sửa lén")
    assert problems() == [(3, f"chuỗi khác với đầu chuỗi mốc thời gian #{checkpoint.pk} đã ghi nhận (bị viết lại)")]


def test_a_rewrite_with_the_key_after_the_last_checkpoint_is_not_detectable(desk):
    d = received(desk)
    checkpoints.create_checkpoint()
    complete(d, desk)
    rewrite_chain(d, key=b"1" * 40, reason="sửa lén", seq=3)
    assert problems() == []


def test_edited_checkpoint_head_is_detected(desk):
    d = received(desk)
    checkpoint = checkpoints.create_checkpoint()
    EventCheckpointHead.objects.filter(dossier=d).update(seq=1, hash=DossierEvent.objects.get(dossier=d, seq=1).hash)
    assert (None, f"Đầu chuỗi của mốc thời gian #{checkpoint.pk} đã bị sửa.") in problems()


def test_deleted_checkpoint_is_detected(desk):
    d = received(desk)
    checkpoints.create_checkpoint()
    complete(d, desk)
    second = checkpoints.create_checkpoint()
    third = checkpoints.create_checkpoint()
    EventCheckpointHead.objects.filter(checkpoint=second).delete()
    EventCheckpoint.objects.filter(pk=second.pk).delete()
    assert problems() == [(None, f"Mốc thời gian #{third.pk} không nối tiếp mốc trước (có mốc bị xóa hoặc chèn).")]


def test_checkpoints_recomputed_and_timestamped_by_an_untrusted_tsa_are_detected(desk):
    """The tamperer rolls a dossier back, rewrites the checkpoint's heads and digest and stamps
    them with a TSA of their own: the last token is not from a trusted TSA."""
    d = complete(received(desk), desk)
    checkpoint = checkpoints.create_checkpoint()
    roll_back_last_event(d)
    before = Dossier.objects.get(pk=d.pk)
    EventCheckpointHead.objects.filter(dossier=d).update(seq=2, hash=before.event_head_hash)
    digest = checkpoints.checkpoint_digest("", [checkpoints.Head(d.pk, d.code, 2, before.event_head_hash)])
    own_tsa = signing.load_timestamper(pki.new_tsa(pki.new_root()))
    token = signing.timestamp_token(own_tsa, bytes.fromhex(digest))
    EventCheckpoint.objects.filter(pk=checkpoint.pk).update(digest=digest, token=token)
    assert problems() == [(None, f"Dấu thời gian của mốc cuối #{checkpoint.pk} không hợp lệ "
                                 "hoặc không do TSA tin cậy ký.")]


def test_a_token_of_another_checkpoint_is_detected(desk):
    received(desk)
    first = checkpoints.create_checkpoint()
    second = checkpoints.create_checkpoint()
    EventCheckpoint.objects.filter(pk=second.pk).update(token=bytes(first.token))
    assert problems() == [(None, f"Dấu thời gian của mốc #{second.pk} không khớp với mốc."),
                          (None, f"Dấu thời gian của mốc cuối #{second.pk} không hợp lệ hoặc không do TSA tin cậy ký.")]


def test_legacy_events_are_accepted_up_to_the_first_checkpoint_only(desk):
    """Events recorded before the keys (migration 0004 marks them «legacy») are sealed by the first
    checkpoint; new events chain on under the key; a legacy event after that is refused."""
    d = received(desk)
    rewrite_chain(d, key=None, key_id=LEGACY_KEY_ID, start=1)  # the state right after the migration
    checkpoints.create_checkpoint()
    d.refresh_from_db()
    complete(d, desk)
    assert [key_id for _, key_id, _ in snapshot(d)] == [LEGACY_KEY_ID, LEGACY_KEY_ID, "a"]
    assert problems() == []
    later = received(desk, "D")
    rewrite_chain(later, key=None, key_id=LEGACY_KEY_ID, start=1)
    legacy = "sự kiện không khóa («legacy») nằm ngoài phần mốc thời gian đầu tiên đã niêm phong"
    assert problems() == [(1, legacy), (2, legacy)]


def test_a_concurrent_checkpoint_makes_the_other_one_give_way(desk, monkeypatch):
    received(desk)
    moved = checkpoints.moved_heads

    def racing():  # another run checkpoints between this one's reading and writing
        heads = moved()
        monkeypatch.setattr(checkpoints, "moved_heads", moved)
        checkpoints.create_checkpoint()
        return heads

    monkeypatch.setattr(checkpoints, "moved_heads", racing)
    assert checkpoints.create_checkpoint() is None
    assert EventCheckpoint.objects.count() == 1 and EventCheckpointHead.objects.count() == 1
    assert problems() == []


def test_checkpoints_refuse_edit_and_delete_through_the_model(desk):
    received(desk)
    checkpoint = checkpoints.create_checkpoint()
    for row in (checkpoint, checkpoint.heads.get()):
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()


# --- the command and the periodic task --------------------------------------------------------------

def test_checkpoint_command_and_verify_report(desk):
    received(desk)
    out = StringIO()
    call_command("verify-events", stdout=out)
    assert "Chưa có mốc thời gian nào" in out.getvalue()
    out = StringIO()
    call_command("checkpoint-events", stdout=out)
    checkpoint = EventCheckpoint.objects.get()
    assert out.getvalue().startswith(f"Mốc thời gian #{checkpoint.pk}: 1 đầu chuỗi, dấu thời gian lúc ")
    assert out.getvalue().endswith(f", băm {checkpoint.digest}.\n")
    out = StringIO()
    call_command("verify-events", stdout=out)
    assert f"Mốc thời gian cuối #{checkpoint.pk}: " in out.getvalue() and "toàn vẹn" in out.getvalue()


def test_verify_warns_when_the_last_checkpoint_is_stale(desk, settings):
    received(desk)
    checkpoint = checkpoints.create_checkpoint()
    EventCheckpoint.objects.filter(pk=checkpoint.pk).update(timestamped_at=timezone.now() - timedelta(hours=3))
    err = StringIO()
    call_command("verify-events", stdout=StringIO(), stderr=err)
    assert "cũ hơn hai chu kỳ (120 phút)" in err.getvalue()


def test_checkpoint_is_a_periodic_task(desk, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert settings.MOTCUA_SCHEDULE["checkpoint-events"] == 60
    assert tasks.PERIODIC["checkpoint-events"] is tasks.checkpoint_event_chains
    received(desk)
    result = tasks.checkpoint_event_chains.enqueue()
    checkpoint = EventCheckpoint.objects.get()
    assert result.return_value == {"checkpoint": checkpoint.pk, "heads": 1, "digest": checkpoint.digest}


def test_malformed_keys_stop_every_command_at_start(settings):
    settings.MOTCUA_EVENT_KEYS = "a:short"
    with pytest.raises(SystemCheckError, match="motcua.E801.*ít nhất 32 ký tự"):
        call_command("check")
    settings.MOTCUA_EVENT_KEYS = KEY_A
    call_command("check", stdout=StringIO())
