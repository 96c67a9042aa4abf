"""Reads for officers: every query goes through units.scoping.scoped."""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

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


# Whose list a queue is: the resolving unit's (its normal work), the receiving point's (dossiers it
# received for other units, Decree 118/2025/NĐ-CP), or the return point's (results handed over there).
RESOLVING, RECEIVED_FOR_OTHERS, RETURN_POINT = "resolving", "received_for_others", "return_point"


@dataclass(frozen=True)
class Queue:
    title: str
    statuses: tuple[int, ...]
    narrow: Callable[[QuerySet, object], QuerySet] = lambda qs, user: qs
    side: str = RESOLVING


QUEUES = {
    # key (the `hang` of the desk page and the API's `queue`): one stage of the day's work
    "mine": Queue("Hồ sơ của tôi", OPEN, lambda qs, user: qs.filter(assignee=user)),
    "unit": Queue("Hồ sơ đang giải quyết của đơn vị", OPEN),
    "new": Queue("Chờ tiếp nhận (trực tuyến)", (Status.SUBMITTED_ONLINE,)),
    "received": Queue("Đã tiếp nhận, chờ xử lý", (Status.RECEIVED,)),
    "in_process": Queue("Đang xử lý", (Status.IN_PROCESS,)),
    "waiting": Queue("Chờ công dân bổ sung, nộp phí", WAITING_FOR_APPLICANT),
    "to_sign": Queue("Chờ phê duyệt, ký số", (Status.PROCESSED,), lambda qs, user: qs.filter(_AWAITS_SIGNATURE)),
    "to_return": Queue("Chờ trả kết quả", (Status.PROCESSED,), lambda qs, user: qs.exclude(_AWAITS_SIGNATURE),
                       side=RETURN_POINT),
    "at_risk": Queue("Sắp quá hạn", OPEN, lambda qs, user: qs.filter(deadline_state=DeadlineState.AT_RISK)),
    "overdue": Queue("Quá hạn", OPEN, lambda qs, user: qs.filter(deadline_state=DeadlineState.OVERDUE)),
    "all": Queue("Tất cả hồ sơ", tuple(Status)),
    "received_for_others": Queue("Tiếp nhận tại đây cho đơn vị khác", tuple(Status), side=RECEIVED_FOR_OTHERS),
}
# Lists with the newest first (the others put the earliest appointment first).
NEWEST_FIRST = frozenset({"all", "received_for_others"})


def default_queue(user) -> str:
    """Where an officer's day starts: processing officers at their own work, heads at what awaits
    their signature, everyone else at the unit's open dossiers."""
    return {Role.PROCESSING: "mine", Role.HEAD: "to_sign"}.get(user.role, "unit")


def _dossiers() -> QuerySet:
    return Dossier.objects.select_related("procedure", "unit", "received_unit", "assignee").annotate(
        return_point=Coalesce("return_unit", "received_unit"))


def visible_dossiers(user) -> QuerySet:
    """What an officer may open: the dossiers their unit resolves, received or returns."""
    return scoped(_dossiers(), user, ("unit", "received_unit", "return_point"))


def _side(user, side: str) -> QuerySet:
    if side == RECEIVED_FOR_OTHERS:
        return scoped(_dossiers(), user, "received_unit").exclude(unit=F("received_unit"))
    if side == RETURN_POINT:
        return scoped(_dossiers(), user, "return_point")
    return scoped(_dossiers(), user)


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
    rows = search(q.narrow(_side(user, q.side).filter(status__in=q.statuses), user), text)
    if key in NEWEST_FIRST:
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
