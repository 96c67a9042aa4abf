"""Reads for officers: every query goes through units.scoping.scoped."""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.dossiers.models import DeadlineState, Dossier
from motcua.dossiers.transitions import Status
from motcua.units.models import Role
from motcua.units.scoping import scoped

OPEN = (Status.SUBMITTED_ONLINE, Status.RECEIVED, Status.IN_PROCESS, Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED)
WAITING_FOR_APPLICANT = (Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED)
# A processed dossier (status 9) whose document result is not signed yet waits for the head; the
# others wait at the desk to be handed over (the results rules: a document result goes out signed).
_AWAITS_SIGNATURE = Q(procedure__result_is_document=True, result_signed=False)


@dataclass(frozen=True)
class Queue:
    title: str
    statuses: tuple[int, ...]
    narrow: Callable[[QuerySet, object], QuerySet] = lambda qs, user: qs


QUEUES = {
    # key (the `hang` of the desk page and the API's `queue`): one stage of the day's work
    "mine": Queue("Hồ sơ của tôi", OPEN, lambda qs, user: qs.filter(assignee=user)),
    "unit": Queue("Hồ sơ đang giải quyết của đơn vị", OPEN),
    "new": Queue("Chờ tiếp nhận (trực tuyến)", (Status.SUBMITTED_ONLINE,)),
    "received": Queue("Đã tiếp nhận, chờ xử lý", (Status.RECEIVED,)),
    "in_process": Queue("Đang xử lý", (Status.IN_PROCESS,)),
    "waiting": Queue("Chờ công dân bổ sung, nộp phí", WAITING_FOR_APPLICANT),
    "to_sign": Queue("Chờ phê duyệt, ký số", (Status.PROCESSED,), lambda qs, user: qs.filter(_AWAITS_SIGNATURE)),
    "to_return": Queue("Chờ trả kết quả", (Status.PROCESSED,), lambda qs, user: qs.exclude(_AWAITS_SIGNATURE)),
    "at_risk": Queue("Sắp quá hạn", OPEN, lambda qs, user: qs.filter(deadline_state=DeadlineState.AT_RISK)),
    "overdue": Queue("Quá hạn", OPEN, lambda qs, user: qs.filter(deadline_state=DeadlineState.OVERDUE)),
    "all": Queue("Tất cả hồ sơ", tuple(Status)),
}


def default_queue(user) -> str:
    """Where an officer's day starts: processing officers at their own work, heads at what awaits
    their signature, everyone else at the unit's open dossiers."""
    return {Role.PROCESSING: "mine", Role.HEAD: "to_sign"}.get(user.role, "unit")


def visible_dossiers(user) -> QuerySet:
    return scoped(Dossier.objects.select_related("procedure", "unit", "assignee"), user)


def search(qs: QuerySet, text: str) -> QuerySet:
    """Find by dossier code (any case, or a part of it), applicant name, identification number or tax
    code, or procedure code or name."""
    text = " ".join(text.split())
    if not text:
        return qs
    return qs.filter(Q(code__iexact=text) | Q(code__icontains=text) | Q(applicant_name__icontains=text)
                     | Q(applicant_id=text) | Q(procedure__code=text) | Q(procedure__name__icontains=text))


def queue(user, key: str, text: str = "") -> QuerySet:
    """An officer's work list, most urgent first (the earliest appointment has the least time left);
    the list of every dossier puts the newest first."""
    q = QUEUES[key]
    rows = search(q.narrow(visible_dossiers(user).filter(status__in=q.statuses), user), text)
    if key == "all":
        return rows.order_by("-created_at", "-id")
    return rows.order_by("current_appointment_at", "received_at", "id")


def queue_counts(user) -> dict[str, int]:
    return {key: queue(user, key).count() for key in QUEUES}


def dossier_for_officer(user, code: str) -> Dossier | None:
    return visible_dossiers(user).filter(code=code).first()


def applicant_dossier(code: str, identifier: str) -> Dossier | None:
    """The public lookup: a dossier is shown only to whoever knows its code and the applicant's id.
    Codes are upper case (`H24.05-…` as the older `STP-…`): the code is matched whatever case is typed."""
    if not code or not identifier:
        return None
    return (Dossier.objects.select_related("procedure", "unit")
            .filter(code=code.strip().upper(), applicant_id=identifier.strip()).first())


def document_accesses(dossier: Dossier) -> QuerySet:
    """Every use of the applicant's store for `dossier`, as the applicant is shown it."""
    return dossier.document_accesses.select_related("document", "component", "officer", "unit").order_by("at", "id")
