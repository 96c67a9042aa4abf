"""`verify-events`: re-walk every dossier's hash chain and report what was edited or deleted."""
from dataclasses import dataclass

from motcua.dossiers.events import chain_hash, event_payload
from motcua.dossiers.models import Dossier, DossierEvent


@dataclass(frozen=True)
class ChainProblem:
    dossier_code: str
    seq: int | None
    problem: str


def _check_dossier(dossier_code: str, version: int, head: str, events: list) -> list[ChainProblem]:
    problems, prev = [], ""
    for expected_seq, e in enumerate(events, start=1):
        if e.seq != expected_seq:
            problems.append(ChainProblem(dossier_code, expected_seq, "thiếu sự kiện (đã bị xóa)"))
            break
        if e.prev_hash != prev:
            problems.append(ChainProblem(dossier_code, e.seq, "liên kết băm với sự kiện trước bị đứt"))
        payload = event_payload(dossier_code=dossier_code, seq=e.seq, action=e.action,
                                from_status=e.from_status, to_status=e.to_status, actor_id=e.actor_id,
                                actor_role=e.actor_role, unit_id=e.unit_id, at=e.at, reason=e.reason,
                                data=e.data)
        if chain_hash(e.prev_hash, payload) != e.hash:
            problems.append(ChainProblem(dossier_code, e.seq, "nội dung sự kiện đã bị sửa"))
        prev = e.hash
    else:
        if len(events) != version or prev != head:
            problems.append(ChainProblem(dossier_code, None, "sự kiện cuối đã bị xóa hoặc thay thế"))
    return problems


def verify_event_chains(batch: int = 2000):
    """Yield every ChainProblem in the database, dossier by dossier (streamed in batches)."""
    last_id = 0
    while True:
        dossiers = list(Dossier.objects.filter(pk__gt=last_id).order_by("pk")
                        .values_list("pk", "code", "version", "event_head_hash")[:batch])
        if not dossiers:
            return
        last_id = dossiers[-1][0]
        by_dossier: dict[int, list] = {pk: [] for pk, *_ in dossiers}
        for event in DossierEvent.objects.filter(dossier_id__in=by_dossier).order_by("dossier_id", "seq"):
            by_dossier[event.dossier_id].append(event)
        for pk, code, version, head in dossiers:
            yield from _check_dossier(code, version, head, by_dossier[pk])
