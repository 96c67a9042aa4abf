"""Retrying a failed send (the national sync's outbox, applicants' notices): exponential back-off."""
from datetime import timedelta

from django.conf import settings

MAX_ERROR_LENGTH = 2000  # the longest error text kept beside a failed send


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed send: base × 2^(attempts − 1), capped — 1 min, 2, 4, …
    up to 6 h by default (`MOTCUA_SYNC_BACKOFF_SECONDS`, `MOTCUA_SYNC_BACKOFF_MAX_SECONDS`)."""
    base, cap = settings.MOTCUA_SYNC_BACKOFF_SECONDS, settings.MOTCUA_SYNC_BACKOFF_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** min(max(attempts - 1, 0), 40)))
