"""Argument types shared by the `motcua` commands."""
from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def instant(text: str) -> datetime:
    """`--now` and the like: an ISO 8601 instant, read in the project's time zone when it has none."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now: '{text}' không phải thời điểm ISO 8601 (ví dụ 2026-03-02T09:00).") from None
    return value if timezone.is_aware(value) else timezone.make_aware(value)
