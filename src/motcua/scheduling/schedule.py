"""The schedule: which periodic task is due, enqueued once per slot of its period.

`MOTCUA_SCHEDULE` (settings) maps a task name of `tasks.PERIODIC` to its period in minutes. Slots
are aligned on the epoch (every 15 minutes: :00, :15, :30, :45), so a scheduler started at any
time, or several schedulers, agree on them; `ScheduledRun`'s unique (name, slot) makes the enqueue
happen once. A task whose previous run is still waiting or running is not enqueued again for the
new slot (a slow index computation does not pile up behind itself).
"""
from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from motcua.scheduling.models import ScheduledRun
from motcua.scheduling.tasks import PERIODIC


class ScheduleError(ValueError):
    pass


def configured_schedule(schedule: dict | None = None) -> dict[str, int]:
    """`MOTCUA_SCHEDULE`, checked: known task names, whole minutes from 1 to 1440."""
    schedule = getattr(settings, "MOTCUA_SCHEDULE", {}) if schedule is None else schedule
    checked = {}
    for name, minutes in schedule.items():
        if name not in PERIODIC:
            raise ScheduleError(f"MOTCUA_SCHEDULE: không có việc định kỳ «{name}» "
                                f"(các việc: {', '.join(PERIODIC)}).")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 1440:
            raise ScheduleError(f"MOTCUA_SCHEDULE: chu kỳ của «{name}» phải là số phút nguyên từ 1 đến 1440, "
                                f"không phải {minutes!r}.")
        checked[name] = minutes
    return checked


def slot_of(now: datetime, minutes: int) -> datetime:
    """The start of the period of `minutes` that contains `now` (aligned on the epoch, UTC)."""
    seconds = int(now.timestamp())
    return datetime.fromtimestamp(seconds - seconds % (minutes * 60), tz=UTC)


def _still_pending(task, run: ScheduledRun | None) -> bool:
    if run is None or not run.task_id or not task.get_backend().supports_get_result:
        return False
    try:
        status = task.get_result(run.task_id).status
    except TaskResultDoesNotExist:  # pruned
        return False
    return status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def enqueue_due(now: datetime | None = None, schedule: dict | None = None) -> list[str]:
    """Enqueue every task whose current slot has not been enqueued yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for name, minutes in configured_schedule(schedule).items():
        task, slot = PERIODIC[name], slot_of(now, minutes)
        previous = ScheduledRun.objects.filter(name=name, slot__lt=slot).order_by("-slot").first()
        if _still_pending(task, previous):
            continue
        with transaction.atomic():  # the database backend's enqueue is a row in the same transaction
            run, created = ScheduledRun.objects.get_or_create(name=name, slot=slot)
            if not created:
                continue
            result = task.enqueue()
            ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        enqueued.append(name)
    return enqueued
