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
from motcua.limits.limiter import Throttled, check, record_failure, seconds_until_local_midnight


def guarded(request, door: str, find, **targets):
    """`find(*targets)` behind the door's limits: refused before looking once the client or a target
    has missed too often; a miss with every target given counts against each of them."""
    targets = {name: (value or "").strip() for name, value in targets.items()}
    check(request, door, count_targets=False, **targets)
    found = find(*targets.values())
    if found is None and all(targets.values()):
        record_failure(door, **targets)
    return found


def applicant_dossier(request, code: str, identifier: str) -> Dossier | None:
    """`selectors.applicant_dossier` behind the lookup limits (see the module's docstring)."""
    return guarded(request, "lookup", selectors.applicant_dossier, dossier=code, identifier=identifier)


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
