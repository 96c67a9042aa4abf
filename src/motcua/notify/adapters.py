"""How a notice reaches the applicant: one `send(message) -> reference` per channel.

An adapter raises on failure (the outbox counts the attempt and retries later) and returns the
provider's reference on success. E-mail goes through Django's mail backend; SMS and Zalo go to the
adapter class named by `MOTCUA_SMS_ADAPTER` / `MOTCUA_ZALO_ADAPTER`; when none is named and
`MOTCUA_TEXT_STAND_IN` is on (development), a local stand-in that records what it was given
(`StandInDelivery`), as `integrations/` does for the national portal.
"""
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from motcua.notify.models import ApplicantMessage, NoticeChannel, StandInDelivery

ADAPTER_SETTINGS = {NoticeChannel.SMS: "MOTCUA_SMS_ADAPTER", NoticeChannel.ZALO: "MOTCUA_ZALO_ADAPTER"}


class Sender(Protocol):
    def send(self, message: ApplicantMessage) -> str: ...


class EmailSender:
    """The notice as an e-mail, with its attachment (the slip PDF) read from the file store."""

    def send(self, message: ApplicantMessage) -> str:
        email = EmailMessage(message.subject, message.body, getattr(settings, "DEFAULT_FROM_EMAIL", None),
                             [message.address])
        if message.attachment:
            with default_storage.open(message.attachment) as handle:
                email.attach(message.attachment_name or "tep-dinh-kem.pdf", handle.read(), "application/pdf")
        email.send()
        return ""


class LocalTextGateway:
    """Stand-in for an SMS gateway or the Zalo notification service: stores the text it was given."""

    def send(self, message: ApplicantMessage) -> str:
        delivery = StandInDelivery.objects.create(channel=message.channel, address=message.address,
                                                  text=message.body)
        return f"local-{delivery.pk}"


def sender_for(channel: str) -> Sender:
    if channel == NoticeChannel.EMAIL:
        return EmailSender()
    name = ADAPTER_SETTINGS[NoticeChannel(channel)]
    path = getattr(settings, name, "")
    if path:
        return import_string(path)()
    if settings.MOTCUA_TEXT_STAND_IN:
        return LocalTextGateway()
    # Raised inside the outbox's send: the message waits for the next run, nothing is lost.
    raise ImproperlyConfigured(f"Chưa cấu hình {name} (hoặc MOTCUA_TEXT_STAND_IN=1 khi phát triển).")
