"""Timestamped checkpoints of the event chains (`motcua checkpoint-events`, the periodic task
`checkpoint-events`).

A checkpoint records the head (seq, hash) of every dossier whose chain moved since the previous
checkpoint (every dossier in the first one) and chains to the previous checkpoint: its digest is
SHA-256 over the previous digest and the sorted heads. The configured TSA timestamps the digest
(RFC 3161). One TSA request per checkpoint, none per event: transitions never wait for the TSA.
Whoever deletes the last events of a dossier and rolls it back, or rewrites a chain (even with the
key), then contradicts a head that a timestamp token vouches for.
"""
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery

from motcua.dossiers.models import Dossier, EventCheckpoint, EventCheckpointHead
from motcua.results import identities, signing

DIGEST_PREFIX = "motcua-event-checkpoint-v1"


@dataclass(frozen=True)
class Head:
    dossier_id: int
    dossier_code: str
    seq: int
    hash: str


def checkpoint_digest(prev_digest: str, heads) -> str:
    """SHA-256 over the previous checkpoint's digest and the heads, one line each, sorted by dossier code."""
    lines = sorted(f"{h.dossier_code} {h.seq} {h.hash}" for h in heads)
    return hashlib.sha256("\n".join([DIGEST_PREFIX, prev_digest, *lines]).encode()).hexdigest()


def moved_heads() -> list[Head]:
    """The current head of every dossier with events no checkpoint has recorded yet. The dossier
    row carries its head (`version`, `event_head_hash`), written in the transaction of the event."""
    sealed = (EventCheckpointHead.objects.filter(dossier=OuterRef("pk")).order_by("-seq").values("seq")[:1])
    rows = (Dossier.objects.annotate(sealed=Subquery(sealed))
            .filter(Q(sealed__isnull=True) | Q(sealed__lt=F("version")), version__gt=0)
            .values_list("pk", "code", "version", "event_head_hash"))
    return [Head(*row) for row in rows.iterator(chunk_size=5000)]


def create_checkpoint() -> EventCheckpoint | None:
    """Checkpoint the heads that moved (also when none did: the checkpoints' regular pace is what
    shows that recent ones were not deleted). None when another run checkpointed at the same time."""
    last = EventCheckpoint.objects.order_by("-pk").first()
    prev_digest = last.digest if last else ""
    heads = moved_heads()
    digest = checkpoint_digest(prev_digest, heads)
    token = signing.timestamp_token(identities.timestamper(), bytes.fromhex(digest))
    try:
        with transaction.atomic():
            checkpoint = EventCheckpoint.objects.create(prev_digest=prev_digest, digest=digest, token=token,
                                                        timestamped_at=signing.token_time(token), head_count=len(heads))
            EventCheckpointHead.objects.bulk_create(
                [EventCheckpointHead(checkpoint=checkpoint, dossier_id=h.dossier_id, seq=h.seq, hash=h.hash)
                 for h in heads], batch_size=2000)
    except IntegrityError:  # unique prev_digest: a concurrent run extended the same checkpoint first
        return None
    return checkpoint
