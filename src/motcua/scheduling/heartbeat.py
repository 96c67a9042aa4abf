"""Worker heartbeats: how a crashed `motcua db_worker` is told from a busy one.

`django-tasks-db` (0.13) marks a task RUNNING when a worker claims it and has no way to notice that
the worker died (its issue #5, "Unclean exits of the worker leave tasks in limbo", is open). So
`motcua db_worker` runs a thread beside the library's worker loop that writes `WorkerHeartbeat.beat_at`
every tenth of the lease. The thread beats whatever the task does — a sync push waiting on a slow
endpoint for minutes is alive — and dies with the process on `kill -9`, an OOM kill or a power
cut. A task whose worker has not beaten for a whole lease (`MOTCUA_TASK_LEASE_SECONDS`, 5 minutes by
default: ten missed beats) is lost; `recovery.recover_lost_tasks` fails and retries it.

A task that hangs forever inside a live worker keeps beating: that is a hang, not a crash, and
shows in the admin as a task RUNNING for long.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import Error, close_old_connections, connection
from django.utils import timezone

from motcua.scheduling.models import WorkerHeartbeat

logger = logging.getLogger("motcua.scheduling")


def lease() -> timedelta:
    """How long a worker may stay silent before its running tasks are taken for lost."""
    seconds = settings.MOTCUA_TASK_LEASE_SECONDS
    if seconds < 1:
        raise ImproperlyConfigured(f"MOTCUA_TASK_LEASE_SECONDS phải từ 1 giây trở lên, không phải {seconds!r}.")
    return timedelta(seconds=seconds)


def beat(worker_id: str, started_at: datetime, now: datetime | None = None) -> None:
    """Record that worker `worker_id` (a process started at `started_at`) is alive now."""
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={
        "hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
        "beat_at": now or timezone.now()})


def last_worker_beat() -> datetime | None:
    """When the most recent heartbeat of any worker was written (None: no worker is registered)."""
    return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def worker_heartbeat_fresh(now: datetime | None = None) -> bool:
    """True when at least one `motcua db_worker` has beaten within the lease (for `/healthz`)."""
    last = last_worker_beat()
    return last is not None and last > (now or timezone.now()) - lease()


class Heartbeat:
    """`with Heartbeat(worker_id):` — the worker is registered (one beat) before it can claim a
    task, beats from a daemon thread while the block runs, and is unregistered when it ends."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.interval = lease().total_seconds() / 10
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.started_at = timezone.now()
        beat(self.worker_id, self.started_at, self.started_at)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    close_old_connections()  # drops a connection a database restart broke
                    beat(self.worker_id, self.started_at)
                except Error:  # busy or briefly unreachable: the next beat tries again
                    logger.warning("heartbeat of worker %s not written", self.worker_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection
