"""The other side of test_worker_crash: run in a subprocess against the test's own file database.

    python -m tests.scheduling.crash_site seed N   # a desk and N dossiers, two status changes each
    python -m tests.scheduling.crash_site report   # what the outbox, the receiver and the queue hold, as JSON
"""
import json
import os
import sys
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def seed(count: int) -> None:
    from motcua.dossiers.models import ApplicantKind, Channel
    from motcua.dossiers.services import Applicant, open_dossier, transition
    from motcua.dossiers.transitions import Action
    from tests import factories as f

    desk = f.desk()
    at = f.at(2026, 3, 2, 9, 0)
    for _ in range(count):
        d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT,
                         applicant=Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID),
                         action=Action.RECEIVE, actor=desk["reception"], at=at)
        transition(d, Action.START_PROCESSING, actor=desk["processing"], at=at, assignee_id=desk["processing"].pk)


def report() -> dict:
    from django_tasks_db.models import DBTaskResult

    from motcua.dossiers.models import OutboxMessage
    from motcua.integrations.models import ReceivedStatusChange
    from motcua.scheduling.models import LostTask, WorkerHeartbeat

    outbox = list(OutboxMessage.objects.values("payload", "acknowledged_at", "attempts"))
    received = list(ReceivedStatusChange.objects.values("event_key", "deliveries"))
    return {
        "outbox": len(outbox),
        "unacknowledged": sum(m["acknowledged_at"] is None for m in outbox),
        "attempts": dict(Counter(m["attempts"] for m in outbox)),
        "outbox_keys": sorted(m["payload"]["MaSuKien"] for m in outbox),
        "received_keys": sorted(r["event_key"] for r in received),
        "deliveries": sum(r["deliveries"] for r in received),
        "tasks": [{"id": str(t.id), "path": t.task_path, "status": t.status, "error": t.exception_class_path,
                   "reason": t.traceback if t.exception_class_path.endswith("WorkerLost") else ""}
                  for t in DBTaskResult.objects.order_by("enqueued_at")],
        "lost": [{"task_id": lost.task_id, "task_path": lost.task_path, "attempt": lost.attempt, "retry_id": lost.retry_id}
                 for lost in LostTask.objects.all()],
        "workers": list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)),
    }


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        print(json.dumps(report()))
