"""The limits of the doors that reach a dossier, shared by the pages and the API.

Every door that takes a dossier code and the applicant's number (lookup, result download,
supplement, withdrawal, payment, rating) answers differently for a match and a miss, so each is
an enumeration oracle: all of them go through `applicant_dossier`, which counts the client on the
"lookup" door and refuses a code or a number that has missed too often today — before looking,
so that a refusal says nothing about whether the pair exists.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from motcua.dossiers import selectors
from motcua.dossiers.models import Channel, Dossier
from motcua.feedback import selectors as feedback_selectors
from motcua.limits.limiter import Throttled, check, record_failure, seconds_until_local_midnight


def applicant_dossier(request, code: str, identifier: str) -> Dossier | None:
    """`selectors.applicant_dossier` behind the lookup limits (see the module's docstring)."""
    code, identifier = (code or "").strip(), (identifier or "").strip()
    check(request, "lookup", count_targets=False, dossier=code, identifier=identifier)
    dossier = selectors.applicant_dossier(code, identifier)
    if dossier is None and code and identifier:
        record_failure("lookup", dossier=code, identifier=identifier)
    return dossier


def check_daily_submissions(identifier: str) -> None:
    """The cap of online submissions per identification number in a local day (every unit), counted
    from the dossiers themselves; the applicant may still submit at the desk. (The client's rate is
    the "submit" door; the unit's codes are kept for the desk by `dossiers.services._next_code`.)"""
    cap = settings.MOTCUA_LIMITS["submissions_per_identifier_per_day"]
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = Dossier.objects.filter(applicant_id=identifier.strip(), channel=Channel.ONLINE,
                                   submitted_at__gte=midnight, submitted_at__lt=midnight + timedelta(days=1))
    if today.count() >= cap:
        raise Throttled(seconds_until_local_midnight(), (
            f"Mỗi số định danh cá nhân hoặc mã số thuế được nộp tối đa {cap} hồ sơ trực tuyến trong một ngày; "
            "số này đã nộp đủ hôm nay. Vui lòng nộp tiếp vào ngày mai hoặc nộp trực tiếp tại bộ phận một cửa."))


def tracked_petition(request, code: str, phone: str):
    """`feedback.selectors.tracked_petition` behind the same limits as the dossier lookup: a
    petition code and the petitioner's phone number that miss too often are refused before looking."""
    code, phone = (code or "").strip(), (phone or "").strip()
    check(request, "petition_lookup", count_targets=False, petition=code, phone=phone)
    petition = feedback_selectors.tracked_petition(code, phone)
    if petition is None and code and phone:
        record_failure("petition_lookup", petition=code, phone=phone)
    return petition
