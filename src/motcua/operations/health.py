"""`/healthz`: is this installation able to serve and to do its background work?

JSON for a load balancer or a monitoring probe; 200 when all is well, 503 otherwise:

* `database`: a query answered;
* `worker`: the newest heartbeat of a running `motcua db_worker` (`motcua.scheduling.heartbeat`:
  every worker beats every tenth of MOTCUA_TASK_LEASE_SECONDS, idle or busy); older than the lease,
  or no worker registered, means the worker is down — the same rule by which its tasks are taken
  for lost and retried.
"""
from datetime import datetime

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.scheduling.heartbeat import last_worker_beat, lease


def status(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        heartbeat = last_worker_beat()
    except DatabaseError as exc:
        return {"ok": False, "database": {"ok": False, "error": type(exc).__name__},
                "worker": {"ok": False, "last_seen": None}}
    max_age = lease()
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
