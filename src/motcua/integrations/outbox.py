"""Pushing the outbox of status changes to the national portal.

`dossiers.services` queues one `OutboxMessage` per event in the event's own transaction; this
module delivers them:

* in id order, at most `limit` sends per run; a message whose earlier event (same dossier, lower
  `seq`) is not yet acknowledged is held back, so a dossier's changes arrive in order;
* an acknowledged message gets `acknowledged_at` (set once, by a conditional update) and is never
  sent again; when a dossier has no unacknowledged message left and its latest event is
  acknowledged, `Dossier.synced_national` is set by a queryset update (not a state change);
* a failure keeps the message, counts the attempt, keeps the error and schedules the next attempt
  after an exponential back-off (base × 2^(attempts − 1), capped);
* an answer that says the endpoint cannot take anything now (unreachable, 401/403/429/503) stops
  the run: the other messages keep their place and are tried next run.

Concurrency: where the database can `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL), each message
is locked for the duration of its send, so two pushers running at once never send the same
message and never overtake each other within a dossier. SQLite has no row locks: there one pusher
at a time is expected (`single_pusher`, a file lock taken by `motcua sync push` and its task, makes a second run exit at once); the
conditional update still never acknowledges a message twice, and the receiver's idempotency on
MaSuKien absorbs a repeated send.
"""
import fcntl
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone

from motcua.common.retry import MAX_ERROR_LENGTH, backoff
from motcua.dossiers.models import Dossier, OutboxMessage
from motcua.integrations.transports import Delivery, Transport

BATCH = 200


@dataclass
class PushResult:
    acknowledged: int = 0
    failed: int = 0
    held_back: int = 0  # waiting for an earlier change of the same dossier
    dossiers_synced: int = 0  # dossiers whose sync flag this run set
    stopped: str = ""  # why the run stopped early, if it did
    errors: list = field(default_factory=list)  # (message id, dossier code, error)

    @property
    def sent(self) -> int:
        return self.acknowledged + self.failed


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def _earlier_unacknowledged(message) -> bool:
    return OutboxMessage.objects.filter(
        dossier_id=message.dossier_id, acknowledged_at__isnull=True, event__seq__lt=message.seq).exists()


def _claim(pk: int, now: datetime, lock: bool):
    query = OutboxMessage.objects.filter(pk=pk, acknowledged_at__isnull=True).filter(_due(now)) \
        .annotate(seq=F("event__seq"))
    if lock:  # held until the caller's transaction ends; another pusher skips it
        query = query.select_for_update(skip_locked=True, of=("self",))
    return query.first()


def _send(transport: Transport, payload: dict) -> Delivery:
    try:
        return transport.send(payload)
    except Exception as exc:  # noqa: BLE001 — a transport's bug is a failed send, never a lost change
        return Delivery(None, error=f"{type(exc).__name__}: {exc}")


def _mark_synced(message) -> int:
    """Set the dossier's sync flag if its latest event is acknowledged and nothing is left."""
    unacknowledged = OutboxMessage.objects.filter(dossier_id=OuterRef("pk"), acknowledged_at__isnull=True)
    return (Dossier.objects.filter(pk=message.dossier_id, version=message.seq, synced_national=False)
            .exclude(Exists(unacknowledged)).update(synced_national=True))


def _record(message, delivery: Delivery, now: datetime, result: PushResult) -> None:
    pending = OutboxMessage.objects.filter(pk=message.pk, acknowledged_at__isnull=True)
    key = message.payload.get("MaSuKien", "")
    with transaction.atomic():
        if delivery.acknowledges(key):
            if pending.update(acknowledged_at=now, attempts=F("attempts") + 1, next_attempt_at=None):
                result.acknowledged += 1
                result.dossiers_synced += _mark_synced(message)
            return
        error = delivery.describe()
        if delivery.status == 200:
            error = f"câu trả lời không xác nhận MaSuKien {key}: {error}"
        attempts = message.attempts + 1
        pending.update(attempts=F("attempts") + 1, last_error=error[:MAX_ERROR_LENGTH],
                       next_attempt_at=now + backoff(attempts))
        result.failed += 1
        result.errors.append((message.pk, message.payload.get("MaHoSo", ""), error))
        if delivery.stop_run:
            result.stopped = error


def _deliver_one(pk: int, transport: Transport, now: datetime, result: PushResult) -> bool:
    """Send message `pk` if it is still due and not held back. True when a send was made."""
    lock = connection.features.has_select_for_update_skip_locked
    # With row locks the send happens inside the locking transaction. Without them (SQLite) no
    # transaction is held across the network call, so the receiver can write meanwhile.
    with transaction.atomic() if lock else nullcontext():
        message = _claim(pk, now, lock)
        if message is None:  # acknowledged meanwhile, no longer due, or another pusher has it
            return False
        if _earlier_unacknowledged(message):
            result.held_back += 1
            return False
        delivery = _send(transport, message.payload)
        _record(message, delivery, now, result)
        return True


def push_pending(transport: Transport, now: datetime | None = None, limit: int | None = None) -> PushResult:
    """Send the due, unacknowledged outbox messages through `transport` (see the module doc).

    `now` fixes the clock for the whole run (tests); by default each message is judged and
    recorded at the time it is sent.
    """
    clock = (lambda: now) if now is not None else timezone.now
    result = PushResult()
    last_id = 0
    while not result.stopped and (limit is None or result.sent < limit):
        ids = list(OutboxMessage.objects.filter(acknowledged_at__isnull=True, id__gt=last_id).filter(_due(clock()))
                   .order_by("id").values_list("id", flat=True)[:BATCH])
        if not ids:
            break
        for pk in ids:
            last_id = pk
            _deliver_one(pk, transport, clock(), result)
            if result.stopped or (limit is not None and result.sent >= limit):
                break
    return result


@contextmanager
def single_pusher():
    """SQLite has no row locks: let one pusher (command or task) run at a time; yields False when
    another one holds the lock. PostgreSQL needs no such lock."""
    if connection.features.has_select_for_update_skip_locked:
        yield True
        return
    path = Path(getattr(settings, "DATA_DIR", ".")) / "sync-push.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class SyncStatus:
    unsent: int  # never tried yet
    failing: int  # tried, not yet acknowledged
    due: int  # unacknowledged and due now
    acknowledged: int
    oldest_pending_at: datetime | None
    oldest_pending_age: timedelta | None
    dossiers_synced: int
    dossiers: int

    @property
    def pending(self) -> int:
        return self.unsent + self.failing


def sync_status(now: datetime | None = None) -> SyncStatus:
    now = now or timezone.now()
    open_ = OutboxMessage.objects.filter(acknowledged_at__isnull=True)
    oldest = open_.aggregate(at=Min("created_at"))["at"]
    return SyncStatus(
        unsent=open_.filter(attempts=0).count(),
        failing=open_.filter(attempts__gt=0).count(),
        due=open_.filter(_due(now)).count(),
        acknowledged=OutboxMessage.objects.filter(acknowledged_at__isnull=False).count(),
        oldest_pending_at=oldest,
        oldest_pending_age=(now - oldest) if oldest else None,
        dossiers_synced=Dossier.objects.filter(synced_national=True).count(),
        dossiers=Dossier.objects.count(),
    )


def failing_messages(count: int = 5):
    return (OutboxMessage.objects.filter(acknowledged_at__isnull=True, attempts__gt=0)
            .select_related("dossier").order_by("id")[:count])
