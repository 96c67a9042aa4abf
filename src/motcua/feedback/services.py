"""Every write about ratings and petitions: one function per use case, one transaction each.

A petition's steps follow `RULES` (from status, to status, who may act, the step's limit in
working days). Each step is an event recording its deadline, computed with `motcua.workdays` from
the submission or the latest transfer (publishing: from the answer); a step after its deadline
sets `missed_at`, the first deadline missed, which the index reads. The petition row is locked
while a step is applied, so two officers acting at once cannot both move it.
"""
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.common.errors import AppError
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback.models import Petition, PetitionAction, PetitionEvent, PetitionStatus, Rating, Reaction
from motcua.units.models import Officer, Role, Unit
from motcua.workdays.services import deadline

UNIT_ROLES = frozenset({Role.RECEPTION, Role.PROCESSING, Role.HEAD})
ANSWER_DAYS = 15  # trả lời ≤ 15 ngày làm việc


class FeedbackError(AppError):
    """A refused rating or petition."""


@dataclass(frozen=True)
class Rule:
    sources: tuple[str, ...]
    target: str
    roles: frozenset  # roles of the handling unit's officers who may take the step
    limit_days: int | None  # the step's deadline, in working days from the clock start (publish: the answer)
    provincial: bool = False  # the provincial office and administrators may take it too


_OPEN = (PetitionStatus.RECEIVED, PetitionStatus.AWAITING_INFO)
# Deadlines: reject ≤ 2, request more information ≤ 5, answer ≤ 15 working days from submission or the
# latest transfer; publish the answer ≤ 2 after it is ready. A transfer must come before the answer is due.
RULES = {
    PetitionAction.REJECT: Rule(_OPEN, PetitionStatus.REJECTED, UNIT_ROLES, 2),
    PetitionAction.REQUEST_INFO: Rule((PetitionStatus.RECEIVED,), PetitionStatus.AWAITING_INFO, UNIT_ROLES, 5),
    PetitionAction.ANSWER: Rule(_OPEN, PetitionStatus.ANSWERED, UNIT_ROLES, ANSWER_DAYS),
    PetitionAction.PUBLISH: Rule((PetitionStatus.ANSWERED,), PetitionStatus.PUBLISHED, frozenset({Role.HEAD}), 2),
    PetitionAction.TRANSFER: Rule(_OPEN, PetitionStatus.RECEIVED, UNIT_ROLES, ANSWER_DAYS, provincial=True),
}


def _working_days(start: datetime, days: int) -> datetime:
    return deadline(start, days, "working_days")


def _bounded(text: str, what: str) -> str:
    """`text` stripped, or FeedbackError when it is longer than MOTCUA_FEEDBACK_MAX_CHARS."""
    limit = settings.MOTCUA_FEEDBACK_MAX_CHARS
    text = (text or "").strip()
    if len(text) > limit:
        raise FeedbackError(_("%(what)s dài %(length)s ký tự, vượt quá giới hạn %(limit)s ký tự.")
                            % {"what": what, "length": f"{len(text):,}", "limit": f"{limit:,}"}, "too_long")
    return text


# -- ratings -------------------------------------------------------------------------------------

def rate_dossier(dossier: Dossier, *, satisfied: bool, comment: str = "", at: datetime | None = None) -> Rating:
    """The applicant's rating of a dossier whose result was returned (one per dossier)."""
    if dossier.status != Status.RETURNED:
        raise FeedbackError(_("Chỉ đánh giá được hồ sơ đã trả kết quả."), "not_returned")
    comment = _bounded(comment, _("Ý kiến đánh giá"))
    try:
        with transaction.atomic():
            return Rating.objects.create(dossier=dossier, satisfied=satisfied, comment=comment,
                                         rated_at=at or timezone.now())
    except IntegrityError as exc:
        raise FeedbackError(_("Hồ sơ này đã được đánh giá."), "already_rated") from exc


# -- petitions -----------------------------------------------------------------------------------

def _new_code(at: datetime) -> str:
    while True:
        code = f"PAKN-{timezone.localtime(at):%y%m%d}-{secrets.token_hex(3).upper()}"
        if not Petition.objects.filter(code=code).exists():
            return code


def _event(petition: Petition, action, from_status: str, *, actor, at: datetime, due_at=None, note: str = ""):
    return PetitionEvent.objects.create(petition=petition, action=action, from_status=from_status,
                                        to_status=petition.status, actor=actor, unit_id=petition.unit_id,
                                        at=at, due_at=due_at, note=note)


@transaction.atomic
def submit_petition(*, unit: Unit, petitioner_name: str, petitioner_phone: str, title: str, content: str,
                    category: str, petitioner_email: str = "", dossier: Dossier | None = None,
                    earlier: Petition | None = None, at: datetime | None = None) -> Petition:
    """A new petition about `unit` (and `dossier` of it); `earlier`: the petition it re-raises."""
    at = at or timezone.now()
    if not (petitioner_name.strip() and petitioner_phone.strip() and title.strip() and content.strip()):
        raise FeedbackError(_("Hãy nhập họ tên, điện thoại, tiêu đề và nội dung phản ánh."), "missing_field")
    content = _bounded(content, _("Nội dung phản ánh"))
    if dossier is not None and dossier.unit_id != unit.pk:
        raise FeedbackError(_("Hồ sơ này không do đơn vị được phản ánh giải quyết."), "dossier_unit")
    if earlier is not None:
        if earlier.is_open:
            raise FeedbackError(_("Phản ánh trước vẫn đang được xử lý; chỉ phản ánh lại khi đã có kết quả."),
                                "earlier_open")
        if earlier.petitioner_phone != petitioner_phone.strip():
            raise FeedbackError(_("Số điện thoại không khớp với phản ánh trước."), "earlier_phone")
    petition = Petition.objects.create(
        code=_new_code(at), unit=unit, dossier=dossier, earlier=earlier, category=category,
        petitioner_name=petitioner_name.strip(), petitioner_phone=petitioner_phone.strip(),
        petitioner_email=petitioner_email.strip(), title=title.strip(), content=content,
        received_at=at, clock_started_at=at, due_at=_working_days(at, ANSWER_DAYS))
    _event(petition, PetitionAction.SUBMIT, "", actor=None, at=at)
    return petition


def _locked(petition: Petition, at: datetime | None = None) -> Petition:
    """`petition` re-read under a row lock (the caller's instance is updated in place)."""
    list(Petition.objects.select_for_update().filter(pk=petition.pk).values_list("pk"))
    petition.refresh_from_db()
    last = petition.events.order_by("-at").values_list("at", flat=True).first()
    if at and last and at < last:
        raise FeedbackError(_("Thời điểm thao tác sớm hơn bước trước của phản ánh."), "time_goes_back")
    return petition


def _may_act(actor, petition: Petition, rule: Rule) -> bool:
    if not isinstance(actor, Officer) or not actor.is_active:
        return False
    if rule.provincial and actor.sees_everything:
        return True
    return actor.unit_id == petition.unit_id and actor.role in rule.roles


@transaction.atomic
def act(petition: Petition, action: str, *, actor, note: str = "", to_unit: Unit | None = None,
        at: datetime | None = None) -> Petition:
    """An officer's step on a petition: reject, request more information, answer, publish the
    answer, or transfer it to `to_unit`. `note`: the reason, question or answer."""
    at = at or timezone.now()
    action = PetitionAction(action)
    rule = RULES.get(action)
    if rule is None:
        raise FeedbackError(_("Thao tác không hợp lệ."), "unknown_action")
    petition = _locked(petition, at)
    if not _may_act(actor, petition, rule):
        raise FeedbackError(_("Bạn không có quyền thực hiện thao tác này với phản ánh."), "forbidden")
    if petition.status not in rule.sources:
        raise FeedbackError(_("Không thể %(action)s khi phản ánh ở trạng thái “%(status)s”.")
                            % {"action": action.label.lower(), "status": petition.get_status_display()},
                            "wrong_status")
    note = note.strip()
    if not note and action != PetitionAction.PUBLISH:
        raise FeedbackError(_("Hãy nhập nội dung (lý do, yêu cầu hoặc trả lời)."), "missing_note")
    if action == PetitionAction.TRANSFER and (to_unit is None or to_unit.pk == petition.unit_id):
        raise FeedbackError(_("Hãy chọn một đơn vị khác để chuyển phản ánh."), "transfer_unit")
    start = petition.answered_at if action == PetitionAction.PUBLISH else petition.clock_started_at
    step_due = _working_days(start, rule.limit_days)
    if at > step_due and petition.missed_at is None:
        petition.missed_at = step_due
    from_status = petition.status
    petition.status = rule.target
    if action == PetitionAction.ANSWER:
        petition.answer, petition.answered_at, petition.due_at = note, at, _working_days(at, 2)
    elif action == PetitionAction.TRANSFER:
        petition.unit, petition.clock_started_at, petition.due_at = to_unit, at, _working_days(at, ANSWER_DAYS)
    elif action in (PetitionAction.REJECT, PetitionAction.PUBLISH):
        petition.closed_at, petition.due_at = at, None
    petition.save()
    _event(petition, action, from_status, actor=actor, at=at, due_at=step_due, note=note)
    return petition


@transaction.atomic
def supply_info(petition: Petition, *, phone: str, note: str, at: datetime | None = None) -> Petition:
    """The petitioner answers a request for more information (checked by their phone number)."""
    at = at or timezone.now()
    petition = _locked(petition, at)
    if phone.strip() != petition.petitioner_phone:
        raise FeedbackError(_("Số điện thoại không khớp với phản ánh."), "wrong_phone")
    if petition.status != PetitionStatus.AWAITING_INFO:
        raise FeedbackError(_("Phản ánh không ở trạng thái chờ bổ sung thông tin."), "wrong_status")
    if not note.strip():
        raise FeedbackError(_("Hãy nhập thông tin bổ sung."), "missing_note")
    note = _bounded(note, _("Thông tin bổ sung"))
    petition.status = PetitionStatus.RECEIVED
    petition.save(update_fields=["status"])
    _event(petition, PetitionAction.SUPPLY_INFO, PetitionStatus.AWAITING_INFO, actor=None, at=at, note=note.strip())
    return petition


def voter_key(client_address: str) -> str:
    """Who votes, for "one like or dislike per person per answer". Readers have no account and a
    session is only a cookie (drop it and vote again), so a person is their network address: a
    keyed hash of it, so that the table holds no address. Readers behind one shared address share
    one vote, and a later vote from there replaces the earlier one."""
    return salted_hmac("motcua.feedback.voter", client_address, algorithm="sha256").hexdigest()


@transaction.atomic
def react(petition: Petition, *, voter: str, like: bool, at: datetime | None = None) -> Petition:
    """A reader likes or dislikes a published answer; a second vote replaces the first."""
    petition = _locked(petition)
    if petition.status != PetitionStatus.PUBLISHED:
        raise FeedbackError(_("Chỉ bình chọn được câu trả lời đã công khai."), "not_published")
    previous = Reaction.objects.filter(petition=petition, voter=voter).first()
    if previous is not None and previous.like == like:
        return petition
    counts = {"likes": F("likes") + 1} if like else {"dislikes": F("dislikes") + 1}
    if previous is not None:
        counts.update({"dislikes": F("dislikes") - 1} if like else {"likes": F("likes") - 1})
        previous.like, previous.at = like, at or timezone.now()
        previous.save(update_fields=["like", "at"])
    else:
        Reaction.objects.create(petition=petition, voter=voter, like=like, at=at or timezone.now())
    Petition.objects.filter(pk=petition.pk).update(**counts)
    petition.refresh_from_db(fields=["likes", "dislikes"])
    return petition
