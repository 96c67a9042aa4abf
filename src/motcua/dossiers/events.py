"""The chain of the event log (pure): each link is an HMAC-SHA256, under a server-held key, of the
previous link and this event's canonical JSON; legacy links (before keys) are plain SHA-256."""
import hashlib
import hmac
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


def chain_hash(prev_hash: str, payload: dict, key: bytes | None) -> str:
    """The link over the previous link and `payload`: keyed with `key`, or unkeyed (legacy) for None."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = (prev_hash + "\n" + canonical).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.digest(key, message, "sha256").hex()
