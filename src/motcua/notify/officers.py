"""Officers' in-app notices (thông báo), also e-mailed through Django's mail backend: the one
mailer of every app that notifies officers (deadlines: `dossiers.notifications`; publication
deadlines: `catalogue.alerts`). The sending app writes the wording and chooses which notices are
due; this module stores and delivers them.

A notice is unique per (recipient, dossier, kind) — the model's constraint — so whoever creates
them can run again and again: only what is missing is added. Each notice is e-mailed at most once
(`emailed_at`, claimed before sending so that two overlapping runs never send it twice; what a
failed send left unsent is released and retried by the next run).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.utils import timezone

from motcua.notify.models import Notification

log = logging.getLogger(__name__)

_CHUNK = 500


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    dossier_id: int
    kind: str
    message: str


def create_notices(notices: Iterable[Notice]) -> list[Notification]:
    """Add the notices that do not exist yet (per recipient, dossier, kind); returns those added.
    A few queries for any number of notices."""
    wanted = {(n.recipient_id, n.dossier_id, n.kind): n for n in notices}
    if not wanted:
        return []
    kinds = sorted({k for _, _, k in wanted})
    dossier_ids = sorted({d for _, d, _ in wanted})
    existing = set()
    for i in range(0, len(dossier_ids), _CHUNK):
        existing.update(Notification.objects.filter(kind__in=kinds, dossier_id__in=dossier_ids[i:i + _CHUNK])
                        .values_list("recipient_id", "dossier_id", "kind"))
    new = [Notification(recipient_id=r, dossier_id=d, kind=k, message=n.message)
           for (r, d, k), n in wanted.items() if (r, d, k) not in existing]
    # ignore_conflicts: a concurrent run that added the same notice in between is not an error.
    Notification.objects.bulk_create(new, batch_size=_CHUNK, ignore_conflicts=True)
    return new


def _subject(notification: Notification, titles: Mapping[str, str]) -> str:
    title = titles.get(notification.kind, "Thông báo")
    code = f" – hồ sơ {notification.dossier.code}" if notification.dossier_id else ""
    return f"[Một cửa] {title}{code}"


def send_pending_emails(notices: QuerySet[Notification], titles: Mapping[str, str]) -> int:
    """E-mail every notice of `notices` not e-mailed yet to its recipient (active, with an address),
    with the subject `titles[kind]`. Returns the number of messages sent.

    Notices are claimed in batches before sending: one UPDATE stamps `emailed_at` with a token
    (this batch's instant) on the rows still unstamped, and only the rows carrying that token are
    sent — so two overlapping runs never send the same notice twice, on any database. At the first
    failed send (the mail server is down) the run stops and releases what it has not sent, for the
    next run; a crash between claim and send loses that mail (at most once, never twice).
    """
    pending = list(
        notices.filter(emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="").order_by("pk").values_list("pk", flat=True))
    if not pending:
        return 0
    sent = 0
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    previous = None
    with get_connection() as connection:
        for i in range(0, len(pending), _CHUNK):
            batch = pending[i:i + _CHUNK]
            token = timezone.now()
            if previous is not None and token <= previous:
                token = previous + timedelta(microseconds=1)
            previous = token
            Notification.objects.filter(pk__in=batch, emailed_at__isnull=True).update(emailed_at=token)
            mine = Notification.objects.filter(pk__in=batch, emailed_at=token).select_related("recipient", "dossier")
            done = []
            try:
                for notice in mine.order_by("pk"):
                    EmailMessage(_subject(notice, titles), notice.message, sender, [notice.recipient.email],
                                 connection=connection).send()
                    done.append(notice.pk)
            except Exception:  # the mail server is down: release what was not sent, the next run retries
                log.exception("e-mail of notifications failed after %s sent; the rest waits for the next run",
                              sent + len(done))
                Notification.objects.filter(pk__in=batch, emailed_at=token).exclude(pk__in=done).update(
                    emailed_at=None)
                return sent + len(done)
            sent += len(done)
    return sent
