"""Reads: officers see the petitions of their unit (`units.scoping`); the public sees published
answers and, with the petition's code and phone number, its own petition."""
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback.models import OPEN_STATUSES, Petition, PetitionStatus, Rating
from motcua.units.scoping import scoped

QUEUES = {"open": _("Đang xử lý"), "all": _("Tất cả")}


def petition_queue(user, which: str = "open") -> QuerySet:
    petitions = scoped(Petition.objects.select_related("unit", "dossier"), user)
    if which == "open":
        return petitions.filter(status__in=OPEN_STATUSES).order_by("due_at")
    return petitions.order_by("-received_at")


def officer_petition(user, code: str) -> Petition | None:
    return scoped(Petition.objects.select_related("unit", "dossier", "earlier"), user).filter(code=code).first()


def tracked_petition(code: str, phone: str) -> Petition | None:
    """The petitioner's view: code and phone number, no account."""
    if not code or not phone:
        return None
    return Petition.objects.select_related("unit").filter(code=code.strip(), petitioner_phone=phone.strip()).first()


def published_petitions() -> QuerySet:
    return Petition.objects.filter(status=PetitionStatus.PUBLISHED).select_related("unit").order_by("-closed_at")


def published_petition(code: str) -> Petition | None:
    return published_petitions().filter(code=code).first()


def rating_of(dossier: Dossier | None) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first() if dossier else None


def can_rate(dossier: Dossier | None) -> bool:
    return dossier is not None and dossier.status == Status.RETURNED and rating_of(dossier) is None
