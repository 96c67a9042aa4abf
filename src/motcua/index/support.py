"""The technical-support hotline: units file requests, the provincial office answers.

An officer of a unit files for their own unit and sees their unit's requests; the office sees
every request and is the only one that answers. Bad input is refused with a Vietnamese message
and changes nothing.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.index.models import SupportRequest, SupportStatus
from motcua.index.oversight import require_office
from motcua.units.models import Officer
from motcua.units.scoping import scoped


def visible_requests(user):
    return scoped(SupportRequest.objects.select_related("unit", "filed_by", "answered_by"), user)


def file_request(user, subject: str, body: str) -> SupportRequest:
    if not isinstance(user, Officer) or not user.is_active or user.unit_id is None or user.sees_everything:
        raise PermissionDenied(_("Chỉ cán bộ của một đơn vị được gửi yêu cầu hỗ trợ."))
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("Hãy nhập tiêu đề và nội dung yêu cầu hỗ trợ."))
    if len(subject) > 200:
        raise ValidationError(_("Tiêu đề dài quá 200 ký tự."))
    return SupportRequest.objects.create(unit_id=user.unit_id, filed_by=user, filed_at=timezone.now(),
                                         subject=subject, body=body)


@transaction.atomic
def answer_request(user, request_id: int, answer: str) -> SupportRequest:
    require_office(user)
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Hãy nhập nội dung trả lời."))
    request = SupportRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise ValidationError(_("Không tìm thấy yêu cầu hỗ trợ."))
    if request.status == SupportStatus.ANSWERED:
        raise ValidationError(_("Yêu cầu này đã được trả lời."))
    request.answer, request.answered_by, request.answered_at = answer, user, timezone.now()
    request.status = SupportStatus.ANSWERED
    request.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    return request
