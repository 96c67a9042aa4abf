"""Queue the applicant's notice in the transaction that appends the dossier event it is about.

An event recorded long after it happened (`MOTCUA_NOTICE_MAX_AGE_HOURS`, default 24) is history
being loaded — the demo province, an import — not news for the applicant: no notice.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.notify.services import EVENT_NOTICES, queue_for_event

DEFAULT_MAX_AGE_HOURS = 24


@receiver(post_save, sender=DossierEvent, dispatch_uid="notify-applicant-of-event")
def notify_applicant(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.action not in EVENT_NOTICES:
        return
    max_age = timedelta(hours=getattr(settings, "MOTCUA_NOTICE_MAX_AGE_HOURS", DEFAULT_MAX_AGE_HOURS))
    if timezone.now() - instance.at <= max_age:
        queue_for_event(instance)
