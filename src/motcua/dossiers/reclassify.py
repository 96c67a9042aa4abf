"""Refusals recorded after reception, reclassified as stops (data migration 0004).

Until the transition table followed one-stop.md, a received dossier could be refused (status 3
with a reception time and an appointment). By the rules a refusal happens only at reception,
before a dossier is received; after reception processing ends early only by a stop (status 8, the
stop notice Mẫu 05 of Circular 03/2025/TT-VPCP). The index drops every status-3 dossier as never
received, so these dossiers vanished from every indicator of their unit.

They are converted, not only reported: the dossier was received and its processing ended early,
which is what status 8 records, and the index (service-index.md) must count it in the denominator.
History is not rewritten: the refusal event stays in the chain and a system event is appended
(3 → 8, dated when processing ended, `data.reclassified_from = "refuse"`), chained to it and
queued for the national portal like any status change. `closed_at` (the end) is kept. A stop
notice can be printed from the dossier's page. Dossiers refused before reception (no reception
time) are left alone.

Works on the models it is given (the migration's historical ones, or the app's own).
"""
from collections.abc import Callable
from datetime import UTC, datetime

from motcua.dossiers.event_keys import signing_key
from motcua.dossiers.events import chain_hash, event_payload
from motcua.dossiers.models import ONLINE_PAYMENT_CHANNELS
from motcua.dossiers.national import status_payload

REFUSED, STOPPED = 3, 8
REASON = ("Chuyển từ «từ chối tiếp nhận» sang «dừng xử lý»: hồ sơ đã được tiếp nhận, sau tiếp nhận chỉ được "
          "dừng giải quyết (Thông tư 03/2025/TT-VPCP, Mẫu 05)")


class _Row:
    """A dossier as `status_payload` reads it (historical models have no properties)."""

    def __init__(self, dossier):
        self._dossier = dossier

    def __getattr__(self, name):
        return getattr(self._dossier, name)

    @property
    def paid_online(self) -> bool:
        return self._dossier.paid_at is not None and self._dossier.payment_channel in ONLINE_PAYMENT_CHANNELS


def _link(DossierEvent, prev_hash: str, payload: dict) -> dict:  # noqa: N803 (a model class)
    """The new event's link: legacy (unkeyed) in the migration, which runs before the chain has keys
    (0004_keyed_event_chain); keyed with the signing key on models that have them."""
    if not any(f.name == "key_id" for f in DossierEvent._meta.get_fields()):
        return {"hash": chain_hash(prev_hash, payload, None)}
    key_id, key = signing_key()
    return {"hash": chain_hash(prev_hash, payload, key), "key_id": key_id}


def stop_refusals_after_reception(Dossier, DossierEvent, OutboxMessage,  # noqa: N803 (model classes)
                                  report: Callable[[str], None] = print) -> list[str]:
    """Convert every refused dossier that had been received into a stopped one; the codes converted."""
    converted = []
    rows = Dossier.objects.filter(status=REFUSED, received_at__isnull=False).select_related("procedure", "unit")
    for dossier in rows.order_by("pk"):
        at = dossier.closed_at or dossier.last_event_at
        seq = dossier.version + 1
        data = {"reclassified_from": "refuse", "recorded_at": datetime.now(UTC).isoformat()}
        payload = event_payload(dossier_code=dossier.code, seq=seq, action="stop", from_status=REFUSED,
                                to_status=STOPPED, actor_id=None, actor_role="system", unit_id=dossier.unit_id,
                                at=at, reason=REASON, data=data)
        event = DossierEvent.objects.create(
            dossier=dossier, seq=seq, action="stop", from_status=REFUSED, to_status=STOPPED, actor=None,
            actor_role="system", unit_id=dossier.unit_id, at=at, reason=REASON, data=data,
            prev_hash=dossier.event_head_hash, **_link(DossierEvent, dossier.event_head_hash, payload))
        updated = Dossier.objects.filter(pk=dossier.pk, version=dossier.version).update(
            status=STOPPED, version=seq, event_head_hash=event.hash, last_event_at=max(at, dossier.last_event_at),
            closed_at=at)
        if updated != 1:  # pragma: no cover - a migration runs alone
            raise RuntimeError(f"{dossier.code} changed while it was reclassified")
        dossier.status = STOPPED
        OutboxMessage.objects.create(event=event, dossier=dossier, payload=status_payload(_Row(dossier), event))
        converted.append(dossier.code)
    if converted:
        shown = ", ".join(converted[:20]) + (" …" if len(converted) > 20 else "")
        report(f"  {len(converted)} hồ sơ bị từ chối sau khi đã tiếp nhận được chuyển sang «dừng xử lý» "
               f"(trạng thái 8, in Mẫu 05 từ trang hồ sơ): {shown}")
    return converted
