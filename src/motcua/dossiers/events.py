"""The hash chain of the event log (pure)."""
import hashlib
import json
from datetime import UTC


def event_payload(*, dossier_code, seq, action, from_status, to_status, actor_id, actor_role,
                  unit_id, at, reason, data) -> dict:
    return {
        "dossier": dossier_code, "seq": seq, "action": str(action),
        "from": None if from_status is None else int(from_status), "to": int(to_status),
        "actor": actor_id, "role": str(actor_role), "unit": unit_id,
        # In UTC: the database may hand the time back in another zone than it was given.
        "at": at.astimezone(UTC).isoformat(), "reason": reason, "data": data,
    }


def chain_hash(prev_hash: str, payload: dict) -> str:
    """SHA-256 over the previous event's hash and this event's canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + canonical).encode()).hexdigest()
