"""Reads for officers: every query goes through units.scoping.scoped."""
from django.db.models import QuerySet

from motcua.dossiers.models import DeadlineState, Dossier
from motcua.dossiers.transitions import Status
from motcua.units.scoping import scoped

OPEN = (Status.SUBMITTED_ONLINE, Status.RECEIVED, Status.IN_PROCESS, Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED)
WAITING_FOR_APPLICANT = (Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED)

QUEUES = {
    # key: (Vietnamese title, filter)
    "mine": ("Hồ sơ của tôi", lambda qs, user: qs.filter(assignee=user)),
    "unit": ("Hồ sơ của đơn vị", lambda qs, user: qs),
    "new": ("Chờ tiếp nhận (trực tuyến)", lambda qs, user: qs.filter(status=Status.SUBMITTED_ONLINE)),
    "at_risk": ("Sắp quá hạn", lambda qs, user: qs.filter(deadline_state=DeadlineState.AT_RISK)),
    "overdue": ("Quá hạn", lambda qs, user: qs.filter(deadline_state=DeadlineState.OVERDUE)),
    "waiting": ("Chờ công dân bổ sung, nộp phí", lambda qs, user: qs.filter(status__in=WAITING_FOR_APPLICANT)),
}


def visible_dossiers(user) -> QuerySet:
    return scoped(Dossier.objects.select_related("procedure", "unit", "assignee"), user)


def queue(user, key: str) -> QuerySet:
    """An officer's work list, most urgent first (the earliest appointment has the least time left)."""
    _, narrow = QUEUES[key]
    open_dossiers = visible_dossiers(user).filter(status__in=OPEN)
    return narrow(open_dossiers, user).order_by("current_appointment_at", "received_at", "id")


def queue_counts(user) -> dict[str, int]:
    return {key: queue(user, key).count() for key in QUEUES}


def dossier_for_officer(user, code: str) -> Dossier | None:
    return visible_dossiers(user).filter(code=code).first()


def applicant_dossier(code: str, identifier: str) -> Dossier | None:
    """The public lookup: a dossier is shown only to whoever knows its code and the applicant's id."""
    if not code or not identifier:
        return None
    return (Dossier.objects.select_related("procedure", "unit")
            .filter(code=code.strip(), applicant_id=identifier.strip()).first())


def document_accesses(dossier: Dossier) -> QuerySet:
    """Every use of the applicant's store for `dossier`, as the applicant is shown it."""
    return dossier.document_accesses.select_related("document", "component", "officer", "unit").order_by("at", "id")
