"""`/healthz`: is this installation able to serve and to do its background work?

JSON for a load balancer or a monitoring probe; 200 when all is well, 503 otherwise:

* `database`: a query answered;
* `worker`: the worker's heartbeat is its own work — the newest moment a task of the Django tasks
  database started or finished. `motcua schedule` enqueues a task every few minutes and
  `motcua db_worker` takes it at once, so a heartbeat older than MOTCUA_HEALTH_WORKER_MAX_AGE_MINUTES
  means the worker (or the scheduler feeding it) is down. Nothing is written to record it.
"""
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def worker_heartbeat() -> datetime | None:
    from django_tasks_db.models import DBTaskResult

    times = DBTaskResult.objects.order_by().aggregate(started=Max("started_at"), finished=Max("finished_at"))
    present = [t for t in times.values() if t is not None]
    return max(present) if present else None


def status(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        heartbeat = worker_heartbeat()
    except DatabaseError as exc:
        return {"ok": False, "database": {"ok": False, "error": type(exc).__name__},
                "worker": {"ok": False, "last_seen": None}}
    max_age = timedelta(minutes=settings.MOTCUA_HEALTH_WORKER_MAX_AGE_MINUTES)
    fresh = heartbeat is not None and now - heartbeat <= max_age
    worker = {"ok": fresh, "last_seen": heartbeat.isoformat() if heartbeat else None,
              "age_seconds": round((now - heartbeat).total_seconds()) if heartbeat else None,
              "max_age_seconds": int(max_age.total_seconds())}
    return {"ok": fresh, "database": {"ok": True}, "worker": worker}


@never_cache
@require_safe
def healthz(request):
    report = status()
    return JsonResponse(report, status=200 if report["ok"] else 503)
