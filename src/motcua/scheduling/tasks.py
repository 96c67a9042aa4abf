"""The periodic jobs as tasks of the Django tasks API (`django-tasks`; the database backend
`django-tasks-db` in production, run by `motcua db_worker`). Each calls the service its command
calls and returns a JSON summary (stored with the task's result)."""
from datetime import timedelta

from django.conf import settings
from django_tasks import task

from motcua.catalogue.alerts import run_alerts
from motcua.dossiers.checkpoints import create_checkpoint
from motcua.dossiers.deadlines import scan_deadlines
from motcua.index import services as index
from motcua.integrations import outbox, population
from motcua.integrations.transports import configured_transport
from motcua.notify.services import deliver_pending
from motcua.payments.services import settle_pending


@task()
def scan_deadlines_task() -> dict:
    """`motcua scan-deadlines`: at risk / overdue, notices to officers and their e-mails."""
    s = scan_deadlines()
    return {"scanned": s.scanned, "at_risk": s.at_risk, "overdue": s.overdue, "changed": s.changed,
            "notices": s.notices, "emails": s.emails}


@task()
def push_national_sync() -> dict:
    """`motcua sync push` through `MOTCUA_SYNC_TRANSPORT` (http, or in-process for the demo), at
    most `MOTCUA_SYNC_TASK_BATCH` changes a run; a run that fills its batch queues the next one
    behind the tasks already waiting."""
    batch = int(settings.MOTCUA_SYNC_TASK_BATCH)
    with outbox.single_pusher() as alone:
        if not alone:
            return {"skipped": "another pusher is running"}
        result = outbox.push_pending(configured_transport(settings.MOTCUA_SYNC_TRANSPORT), limit=batch)
    continued = result.sent >= batch and not result.stopped
    if continued:
        push_national_sync.enqueue()
    return {"acknowledged": result.acknowledged, "failed": result.failed, "held_back": result.held_back,
            "dossiers_synced": result.dossiers_synced, "stopped": result.stopped, "continued": continued}


@task()
def check_population() -> dict:
    """`motcua sync population`: look up applicants not checked yet (those the registry could not
    answer last time are among them: the retries)."""
    return population.check_unchecked().as_dict()


@task()
def settle_payments() -> dict:
    """`motcua settle-payments`: ask the gateway about payments whose notification never came."""
    return settle_pending(min_age=timedelta(minutes=15))


@task()
def compute_current_index() -> dict:
    """`motcua index compute --current`: the index of the current month, from the recorded facts."""
    snapshot = index.compute_running_month()
    return {"period": snapshot.period, "revision": snapshot.revision}


@task()
def deliver_applicant_notices() -> dict:
    """Send the applicants' notices due in the outbox (first sends and retries)."""
    s = deliver_pending()
    return {"sent": s.sent, "failed": s.failed}


@task()
def publication_alerts() -> dict:
    """`motcua catalogue alerts`: publication deadlines approaching or passed, to the owner units."""
    run = run_alerts()
    return {"alerts": run.alerts, "notices": run.notices, "emails": run.emails}


@task()
def checkpoint_event_chains() -> dict:
    """`motcua checkpoint-events`: the heads of the event chains that moved, timestamped by the TSA."""
    checkpoint = create_checkpoint()
    if checkpoint is None:
        return {"skipped": "another checkpoint was made at the same time"}
    return {"checkpoint": checkpoint.pk, "heads": checkpoint.head_count, "digest": checkpoint.digest}


# The names the schedule (`MOTCUA_SCHEDULE`) refers to.
PERIODIC = {
    "sync-push": push_national_sync,
    "notify-applicants": deliver_applicant_notices,
    "scan-deadlines": scan_deadlines_task,
    "settle-payments": settle_payments,
    "population-checks": check_population,
    "index-current-month": compute_current_index,
    "publication-alerts": publication_alerts,
    "checkpoint-events": checkpoint_event_chains,
}
