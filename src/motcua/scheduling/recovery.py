"""Tasks lost with their worker: found, recorded as failed, retried.

A task is lost when it is RUNNING, started more than a lease ago (`MOTCUA_TASK_LEASE_SECONDS`), and
the worker that claimed it (the last of its `worker_ids`) has not beaten within the lease — or
beats, but as a process started after the task (a worker restarted under the same `--worker-id`).
`motcua schedule` looks for them at every pass, before it enqueues what is due.

A lost task's row becomes FAILED (`exception_class_path` = `WORKER_LOST`, the reason in
`traceback`) by a conditional update, so two schedulers never recover it twice. In the same
transaction the same task with the same arguments is enqueued again — up to
`MOTCUA_TASK_MAX_RETRIES` times in a row, so a task that kills its worker every time does not loop
for ever — and the schedule's run follows the retry: the next period waits for it, then enqueues
as usual. The periodic tasks are idempotent (the sync push resumes from the outbox, and the
national receiver acknowledges a change sent twice without storing it twice), so a retry is safe.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.scheduling.heartbeat import lease
from motcua.scheduling.models import LostTask, ScheduledRun, WorkerHeartbeat


class WorkerLost(Exception):
    """The error a lost task's result records (`TaskResult.errors[0].exception_class`)."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def _worker_alive(worker_id: str, task_started_at: datetime, since: datetime) -> bool:
    return WorkerHeartbeat.objects.filter(worker_id=worker_id, beat_at__gt=since,
                                          started_at__lte=task_started_at).exists()


def _retry(row: DBTaskResult) -> str:
    """Enqueue `row`'s task again with its arguments; its id, or "" when the task is gone."""
    try:
        task = row.task
    except (ImportError, SuspiciousOperation):  # the code no longer has this task
        return ""
    return str(task.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]).id)


def _recover(row: DBTaskResult, worker_id: str, now: datetime) -> LostTask | None:
    with transaction.atomic():
        claimed = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at) \
            .update(status=TaskResultStatus.FAILED, finished_at=now, return_value=None, exception_class_path=WORKER_LOST)
        if not claimed:  # it finished meanwhile, or another scheduler recovered it
            return None
        previous = LostTask.objects.filter(retry_id=str(row.pk)).first()
        attempt = previous.attempt + 1 if previous else 1
        retry_id = _retry(row) if attempt <= settings.MOTCUA_TASK_MAX_RETRIES else ""
        reason = (f"Tiến trình chạy việc nền {worker_id or '(không rõ)'} không còn báo sống quá "
                  f"{int(lease().total_seconds())} giây (bị dừng đột ngột): lần chạy thứ {attempt} được ghi là thất bại; "
                  + (f"đã đưa vào hàng đợi chạy lại ({retry_id})." if retry_id else "không chạy lại nữa."))
        DBTaskResult.objects.filter(pk=row.pk).update(traceback=reason)
        if retry_id:
            ScheduledRun.objects.filter(task_id=str(row.pk)).update(task_id=retry_id)
        return LostTask.objects.create(task_id=str(row.pk), task_path=row.task_path, worker_id=worker_id,
                                       started_at=row.started_at, detected_at=now, attempt=attempt,
                                       retry_id=retry_id)


def recover_lost_tasks(now: datetime | None = None) -> list[LostTask]:
    """Fail and retry every task lost with its worker (see the module doc)."""
    now = now or timezone.now()
    since = now - lease()
    lost = []
    for row in DBTaskResult.objects.running().filter(started_at__lte=since):
        worker_id = row.worker_ids[-1] if row.worker_ids else ""
        if not _worker_alive(worker_id, row.started_at, since) and (recovered := _recover(row, worker_id, now)):
            lost.append(recovered)
    # The registrations of workers long dead (each start has a new id) are of no more use.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return lost
