"""`verify-events`: re-walk every dossier's keyed chain, hold it against the timestamped
checkpoints, and report what was edited, deleted or rolled back.

Legacy links (key id «legacy», recorded before the chains were keyed) carry no key: they are
accepted only up to the dossier's head in the first checkpoint, which vouches for them from then
on. Until a first checkpoint exists they are reported as not yet sealed.
"""
from collections import defaultdict
from dataclasses import dataclass

from motcua.dossiers.checkpoints import Head, checkpoint_digest
from motcua.dossiers.event_keys import LEGACY_KEY_ID, configured_keys
from motcua.dossiers.events import chain_hash, event_payload
from motcua.dossiers.models import Dossier, DossierEvent, EventCheckpoint, EventCheckpointHead
from motcua.results import identities, signing


@dataclass(frozen=True)
class ChainProblem:
    dossier_code: str  # empty for a problem of the checkpoints themselves
    seq: int | None
    problem: str

    def __str__(self) -> str:
        if not self.dossier_code:
            return self.problem
        return f"{self.dossier_code} {f'sự kiện #{self.seq}' if self.seq else 'cuối chuỗi'}: {self.problem}"


def _link_problem(dossier_code: str, e, prev: str, keyed_before: bool, legacy_until: int,
                  keys: dict) -> str | None:
    """What is wrong with event `e` as a link after `prev`, or None."""
    if e.prev_hash != prev:
        return "liên kết băm với sự kiện trước bị đứt"
    if e.key_id == LEGACY_KEY_ID:
        if keyed_before or e.seq > legacy_until:
            return "sự kiện không khóa («legacy») nằm ngoài phần mốc thời gian đầu tiên đã niêm phong"
        key = None
    else:
        key = keys.get(e.key_id)
        if key is None:
            return f"khóa «{e.key_id}» không có trong MOTCUA_EVENT_KEYS"
    payload = event_payload(dossier_code=dossier_code, seq=e.seq, action=e.action, from_status=e.from_status,
                            to_status=e.to_status, actor_id=e.actor_id, actor_role=e.actor_role,
                            unit_id=e.unit_id, at=e.at, reason=e.reason, data=e.data)
    if chain_hash(e.prev_hash, payload, key) != e.hash:
        return "nội dung sự kiện đã bị sửa"
    return None


def _check_dossier(dossier_code: str, version: int, head: str, events: list, heads: list[tuple],
                   legacy_until: int, keys: dict) -> list[ChainProblem]:
    """`heads`: (checkpoint id, seq, hash) of this dossier in every checkpoint, oldest first."""
    problems, prev, keyed = [], "", False
    for expected_seq, e in enumerate(events, start=1):
        if e.seq != expected_seq:
            problems.append(ChainProblem(dossier_code, expected_seq, "thiếu sự kiện (đã bị xóa)"))
            break
        problem = _link_problem(dossier_code, e, prev, keyed, legacy_until, keys)
        if problem:
            problems.append(ChainProblem(dossier_code, e.seq, problem))
        keyed = keyed or e.key_id != LEGACY_KEY_ID
        prev = e.hash
    else:
        if len(events) != version or prev != head:
            problems.append(ChainProblem(dossier_code, None, "sự kiện cuối đã bị xóa hoặc thay thế"))
    hashes = {e.seq: e.hash for e in events}
    for checkpoint_id, seq, sealed_hash in heads:
        if seq not in hashes:
            problems.append(ChainProblem(dossier_code, seq, f"sự kiện mà mốc thời gian #{checkpoint_id} đã ghi "
                                                            "nhận không còn (bị xóa, hồ sơ bị quay lui)"))
            break
        if hashes[seq] != sealed_hash:
            problems.append(ChainProblem(dossier_code, seq, f"chuỗi khác với đầu chuỗi mốc thời gian "
                                                            f"#{checkpoint_id} đã ghi nhận (bị viết lại)"))
            break
    return problems


def _check_checkpoints() -> list[ChainProblem]:
    """The checkpoints chain to each other, each digest matches its heads, every token covers its
    digest, and the last token is a valid timestamp of a trusted TSA (it vouches for all before it)."""
    heads_of = defaultdict(list)
    for checkpoint_id, code, seq, sealed_hash in (EventCheckpointHead.objects.order_by()
                                                  .values_list("checkpoint_id", "dossier__code", "seq", "hash")
                                                  .iterator(chunk_size=5000)):
        heads_of[checkpoint_id].append(Head(0, code, seq, sealed_hash))
    problems, prev, last = [], "", None
    for checkpoint in EventCheckpoint.objects.order_by("pk").iterator(chunk_size=500):
        heads = heads_of.get(checkpoint.pk, [])
        if checkpoint.prev_digest != prev:
            problems.append(ChainProblem("", None, f"Mốc thời gian #{checkpoint.pk} không nối tiếp mốc trước "
                                                   "(có mốc bị xóa hoặc chèn)."))
        if checkpoint_digest(checkpoint.prev_digest, heads) != checkpoint.digest or len(heads) != checkpoint.head_count:
            problems.append(ChainProblem("", None, f"Đầu chuỗi của mốc thời gian #{checkpoint.pk} đã bị sửa."))
        elif not signing.token_covers(bytes(checkpoint.token), bytes.fromhex(checkpoint.digest)):
            problems.append(ChainProblem("", None, f"Dấu thời gian của mốc #{checkpoint.pk} không khớp với mốc."))
        prev, last = checkpoint.digest, checkpoint
    if last is not None and not signing.check_timestamp_token(bytes(last.token), bytes.fromhex(last.digest),
                                                              identities.trusted_roots()).ok:
        problems.append(ChainProblem("", None, f"Dấu thời gian của mốc cuối #{last.pk} không hợp lệ "
                                               "hoặc không do TSA tin cậy ký."))
    return problems


_EVENT_FIELDS = ("dossier_id", "seq", "action", "from_status", "to_status", "actor_id", "actor_role", "unit_id",
                 "at", "reason", "data", "prev_hash", "hash", "key_id")


def verify_event_chains(batch: int = 2000):
    """Yield every ChainProblem in the database: the checkpoints first, then dossier by dossier
    (streamed in batches)."""
    keys = configured_keys()
    yield from _check_checkpoints()
    first = EventCheckpoint.objects.order_by("pk").values_list("pk", flat=True).first()
    unsealed_legacy, last_id = 0, 0
    while True:
        dossiers = list(Dossier.objects.filter(pk__gt=last_id).order_by("pk")
                        .values_list("pk", "code", "version", "event_head_hash")[:batch])
        if not dossiers:
            break
        last_id = dossiers[-1][0]
        events: dict[int, list] = {pk: [] for pk, *_ in dossiers}
        for event in (DossierEvent.objects.filter(dossier_id__in=events).order_by("dossier_id", "seq")
                      .values_list(*_EVENT_FIELDS, named=True)):  # rows, not models: a third of the time
            events[event.dossier_id].append(event)
        heads: dict[int, list] = defaultdict(list)
        legacy_until: dict[int, int] = {}
        for dossier_id, checkpoint_id, seq, sealed_hash in (
                EventCheckpointHead.objects.filter(dossier_id__in=events).order_by("checkpoint_id")
                .values_list("dossier_id", "checkpoint_id", "seq", "hash")):
            heads[dossier_id].append((checkpoint_id, seq, sealed_hash))
            if checkpoint_id == first:
                legacy_until[dossier_id] = seq
        for pk, code, version, head in dossiers:
            if first is None:  # nothing seals legacy links yet: counted once, not reported per event
                unsealed_legacy += sum(e.key_id == LEGACY_KEY_ID for e in events[pk])
                legacy_until[pk] = version
            yield from _check_dossier(code, version, head, events[pk], heads[pk], legacy_until.get(pk, 0), keys)
    if unsealed_legacy:
        yield ChainProblem("", None, f"{unsealed_legacy} sự kiện ghi trước khi nhật ký có khóa («legacy») chưa "
                                     "được mốc thời gian nào niêm phong: chạy «motcua checkpoint-events».")
