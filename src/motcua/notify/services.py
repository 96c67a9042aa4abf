"""Notices to applicants "by their channel": queued with what they are about, delivered from the outbox.

* `on_appended`, the dossiers' after-append listener (`dossiers.door`), runs in the transaction
  of every fact appended: `queue_for_event` queues a notice for a supplement request (Mẫu 02), a
  payment request, a result ready to take (a completed dossier, or the signature of a document
  result: never a draft still waiting for the head), a refusal (Mẫu 03) and a stop (Mẫu 05), each
  pointing to the form on the tracking page; `queue_apology` queues the apology slip (Mẫu 04) of a
  delay report, sent as soon as it is committed. Imported history is no news. One row per
  (subject, channel): queuing again adds nothing.
* The channel is the applicant's choice (`ContactPreference`) when they gave its address, else
  e-mail when they gave an address, else SMS to their phone; without either nothing is queued
  (the slip is handed over at the desk or shown by the online lookup).
* `deliver_pending` sends what is due. Each message is claimed by a conditional update before it
  is sent, so two overlapping runs never send it twice; a failed send is released with the
  attempt counted and retried after the national sync's back-off (1 min, 2, 4, … up to 6 h). A
  run that dies between claim and send leaves the message claimed and unsent: it is never sent
  twice, and shows in the admin with `claimed_at` set.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.common.retry import MAX_ERROR_LENGTH, backoff
from motcua.dossiers.transitions import Action
from motcua.notify import texts
from motcua.notify.adapters import sender_for
from motcua.notify.models import ApplicantMessage, ContactPreference, NoticeChannel, NoticeKind
from motcua.results.services import awaits_signature

log = logging.getLogger(__name__)

EVENT_NOTICES = {
    Action.REQUEST_SUPPLEMENT: (NoticeKind.SUPPLEMENT, texts.supplement),
    Action.REQUEST_PAYMENT: (NoticeKind.PAYMENT, texts.payment),
    Action.COMPLETE: (NoticeKind.RESULT_READY, texts.result_ready),
    Action.SIGN_RESULT: (NoticeKind.RESULT_READY, texts.result_ready),
    Action.REFUSE: (NoticeKind.REFUSED, texts.refused),
    Action.STOP: (NoticeKind.STOPPED, texts.stopped),
}


def channel_for(dossier) -> tuple[str, str] | None:
    """(channel, address) of the applicant of `dossier`, or None when they left no contact."""
    email, phone = dossier.applicant_email.strip(), dossier.applicant_phone.strip()
    if not (email or phone):
        return None
    addresses = {NoticeChannel.EMAIL: email, NoticeChannel.SMS: phone, NoticeChannel.ZALO: phone}
    chosen = (ContactPreference.objects.filter(applicant_id=dossier.applicant_id)
              .values_list("channel", flat=True).first())
    if chosen and addresses[chosen]:
        return chosen, addresses[chosen]
    return (NoticeChannel.EMAIL, email) if email else (NoticeChannel.SMS, phone)


def queue(dossier, kind: str, key: str, text: texts.Text, *, attachment: str = "",
          attachment_name: str = "") -> ApplicantMessage | None:
    """Queue `text` for the applicant of `dossier` by their channel, once per `key` and channel."""
    target = channel_for(dossier)
    if target is None:
        return None
    channel, address = target
    email = channel == NoticeChannel.EMAIL
    ApplicantMessage.objects.bulk_create([ApplicantMessage(
        dossier=dossier, kind=kind, key=key, channel=channel, address=address, subject=text.subject,
        body=text.letter if email else text.line, attachment=attachment if email else "",
        attachment_name=attachment_name if email else "")], ignore_conflicts=True)
    return ApplicantMessage.objects.get(key=key, channel=channel)


def queue_for_event(event) -> ApplicantMessage | None:
    """The notice of `event`. "Result ready" is told once, when the result can be taken: a document
    result once the head has signed it, any other when processing is complete."""
    notice = EVENT_NOTICES.get(event.action)
    if notice is None:
        return None
    kind, compose = notice
    key = f"event:{event.pk}"
    if kind == NoticeKind.RESULT_READY:
        if awaits_signature(event.dossier):
            return None
        key = f"result-ready:{event.dossier.pk}"
    return queue(event.dossier, kind, key, compose(event.dossier, event))


def queue_apology(dossier, report, letter: str) -> ApplicantMessage | None:
    """The apology slip (Mẫu 04) of `report`: the letter by e-mail with the slip attached, or one line."""
    return queue(dossier, NoticeKind.APOLOGY, f"delay:{report.pk}", texts.apology(dossier, report, letter),
                 attachment=report.apology_slip, attachment_name=f"phieu-xin-loi-{dossier.code}.pdf")


def on_appended(fact) -> None:
    """The applicant's notice of a fact just appended (`dossiers.door.Appended`)."""
    if fact.history is not None:
        return
    if fact.event is not None:
        queue_for_event(fact.event)
    elif fact.delay_report is not None:
        notice = queue_apology(fact.dossier, fact.delay_report, fact.apology)
        if notice is not None:
            transaction.on_commit(lambda: deliver_pending(ids=[notice.pk]))


def notices_of(dossier):
    """The notices to the applicant of `dossier`, oldest first (the dossier page)."""
    return ApplicantMessage.objects.filter(dossier=dossier).order_by("id")


@dataclass
class DeliverySummary:
    sent: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)  # (message id, address, error)


def _due(now: datetime) -> Q:
    return Q(sent_at__isnull=True, claimed_at__isnull=True) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def deliver_pending(now: datetime | None = None, *, ids: Iterable[int] | None = None,
                    limit: int = 500) -> DeliverySummary:
    """Send the due messages (or only `ids` among them), oldest first, at most `limit`."""
    clock = (lambda: now) if now is not None else timezone.now
    due = ApplicantMessage.objects.filter(_due(clock()))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    summary, senders = DeliverySummary(), {}
    for pk in due.order_by("id").values_list("pk", flat=True)[:limit]:
        at = clock()
        if not ApplicantMessage.objects.filter(_due(at), pk=pk).update(claimed_at=at):
            continue  # another run has it, or it was sent meanwhile
        message = ApplicantMessage.objects.get(pk=pk)
        row = ApplicantMessage.objects.filter(pk=pk, claimed_at=at)
        try:
            sender = senders.get(message.channel) or senders.setdefault(message.channel, sender_for(message.channel))
            reference = sender.send(message) or ""
        except Exception as exc:  # noqa: BLE001 — a failed send waits for the next run, never lost
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
            log.warning("notice #%s to %s failed: %s", pk, message.address, error)
            row.update(claimed_at=None, attempts=F("attempts") + 1, last_error=error,
                       next_attempt_at=at + backoff(message.attempts + 1))
            summary.failed += 1
            summary.errors.append((pk, message.address, error))
            continue
        row.update(sent_at=clock(), attempts=F("attempts") + 1, reference=reference[:100], last_error="")
        summary.sent += 1
    return summary
