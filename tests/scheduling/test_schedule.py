"""The periodic tasks (Django tasks API) and the scheduler that enqueues them: each task does its
job when run (the immediate backend), the scheduler enqueues what is due, once per slot."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import ApplicantKind, Channel, DeadlineState, Dossier, OutboxMessage
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.index.models import Snapshot
from motcua.integrations.models import PopulationRecord, ReceivedStatusChange
from motcua.notify.models import ApplicantMessage, Notification
from motcua.scheduling import tasks
from motcua.scheduling.models import ScheduledRun
from motcua.scheduling.schedule import ScheduleError, configured_schedule, enqueue_due, slot_of
from tests import factories as f

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def desk():
    return f.desk()


def received(desk, at=f.at(2026, 3, 2, 9, 0), **contact):
    applicant = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, **contact)
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=applicant, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=desk["reception"], at=at)
    return transition(d, Action.START_PROCESSING, actor=desk["processing"], at=at, assignee_id=desk["processing"].pk)


def test_scan_deadlines_task_marks_and_notifies(desk):
    d = received(desk, at=f.at(2024, 1, 2, 9, 0))  # long overdue by now
    desk["processing"].email = "xuly@example.vn"
    desk["processing"].save()
    result = tasks.scan_deadlines_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["overdue"] == 1 and result.return_value["scanned"] == 1
    assert Dossier.objects.get(pk=d.pk).deadline_state == DeadlineState.OVERDUE
    assert Notification.objects.filter(dossier=d, kind="overdue", recipient=desk["processing"]).exists()
    assert [m.to for m in mail.outbox] == [["xuly@example.vn"]]


def test_sync_task_pushes_the_outbox_in_process(desk, settings):
    settings.MOTCUA_SYNC_TRANSPORT = "in-process"
    received(desk)
    result = tasks.push_national_sync.enqueue()
    assert result.return_value["acknowledged"] == 2 and result.return_value["failed"] == 0
    assert not OutboxMessage.objects.filter(acknowledged_at__isnull=True).exists()
    assert ReceivedStatusChange.objects.count() == 2
    assert tasks.push_national_sync.enqueue().return_value["acknowledged"] == 0  # nothing twice


def test_sync_task_sends_a_batch_a_run_and_queues_the_rest_behind_other_work(desk, settings):
    settings.MOTCUA_SYNC_TRANSPORT = "in-process"
    settings.MOTCUA_SYNC_TASK_BATCH = 3
    settings.TASKS = DUMMY  # enqueued, not run: the continuation waits in the queue
    for _ in range(2):
        received(desk)  # two status changes each
    first = tasks.push_national_sync.call()
    assert (first["acknowledged"], first["continued"]) == (3, True)
    assert OutboxMessage.objects.filter(acknowledged_at__isnull=True).count() == 1
    assert [r.task.name for r in task_backends["default"].results] == ["push_national_sync"]
    second = tasks.push_national_sync.call()
    assert (second["acknowledged"], second["continued"]) == (1, False)
    assert not OutboxMessage.objects.filter(acknowledged_at__isnull=True).exists()
    assert len(task_backends["default"].results) == 1  # a run that emptied the outbox queues nothing


def test_population_task_checks_the_unchecked_once(desk):
    PopulationRecord.objects.create(personal_id=f.VALID_PID, full_name="Trần Thị B")
    d = received(desk)
    assert tasks.check_population.enqueue().return_value == {
        "source": "local-registry", "matched": 1, "unmatched": 0, "errors": 0}
    assert Dossier.objects.get(pk=d.pk).population_verified
    assert tasks.check_population.enqueue().return_value["matched"] == 0


def test_settle_payments_task_calls_the_payments_service(monkeypatch):
    calls = []

    def settle_pending(**kwargs):
        calls.append(kwargs)
        return {"queried": 0, "settled": 0, "unknown": 0, "refused": 0}
    monkeypatch.setattr(tasks, "settle_pending", settle_pending)
    assert tasks.settle_payments.enqueue().return_value["queried"] == 0
    assert calls == [{"min_age": timedelta(minutes=15)}]


def test_publication_alerts_task_reports_the_alert_run(monkeypatch):
    from motcua.catalogue.alerts import AlertRun
    monkeypatch.setattr(tasks, "run_alerts", lambda: AlertRun(alerts=2, notices=3, emails=1))
    assert tasks.publication_alerts.enqueue().return_value == {"alerts": 2, "notices": 3, "emails": 1}


def test_index_task_computes_the_current_month(desk):
    result = tasks.compute_current_index.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    snapshot = Snapshot.objects.get(period=result.return_value["period"])
    assert snapshot.period == f"{timezone.localdate():%Y-%m}" and snapshot.revision == result.return_value["revision"]


def test_notices_task_delivers_the_outbox(desk, settings):
    d = received(desk, email="b@example.vn")
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0), reason="Thiếu")
    assert tasks.deliver_applicant_notices.enqueue().return_value == {"sent": 1, "failed": 0}
    assert ApplicantMessage.objects.get().sent_at is not None and len(mail.outbox) == 1


def test_slots_are_aligned_on_the_period():
    at = f.at(2026, 3, 2, 9, 22, 30)  # 02:22:30 UTC
    assert slot_of(at, 15) == f.at(2026, 3, 2, 9, 15) and slot_of(at, 60) == f.at(2026, 3, 2, 9, 0)
    assert slot_of(f.at(2026, 3, 2, 9, 15), 15) == f.at(2026, 3, 2, 9, 15)


def test_the_scheduler_enqueues_what_is_due_and_nothing_twice(settings):
    settings.TASKS = DUMMY  # enqueued, not run
    schedule = {"sync-push": 5, "scan-deadlines": 15}
    t0 = f.at(2026, 3, 2, 9, 1)
    assert enqueue_due(t0, schedule) == ["sync-push", "scan-deadlines"]
    assert enqueue_due(t0 + timedelta(minutes=2), schedule) == []  # same slots
    assert enqueue_due(t0 + timedelta(minutes=4), schedule) == ["sync-push"]  # 09:05
    assert enqueue_due(t0 + timedelta(minutes=14), schedule) == ["sync-push", "scan-deadlines"]  # 09:15
    runs = list(ScheduledRun.objects.order_by("slot", "name").values_list("name", "slot"))
    assert runs == [("scan-deadlines", f.at(2026, 3, 2, 9, 0)), ("sync-push", f.at(2026, 3, 2, 9, 0)),
                    ("sync-push", f.at(2026, 3, 2, 9, 5)), ("scan-deadlines", f.at(2026, 3, 2, 9, 15)),
                    ("sync-push", f.at(2026, 3, 2, 9, 15))]
    assert all(ScheduledRun.objects.values_list("task_id", flat=True))


def test_a_task_still_waiting_is_not_enqueued_again(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    t0 = f.at(2026, 3, 2, 9, 1)
    assert enqueue_due(t0, {"index-current-month": 60}) == ["index-current-month"]
    assert enqueue_due(t0 + timedelta(hours=1), {"index-current-month": 60}) == []  # the 09:00 run still waits
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert enqueue_due(t0 + timedelta(hours=1), {"index-current-month": 60}) == ["index-current-month"]
    assert DBTaskResult.objects.count() == 2


def test_the_schedule_command_runs_the_due_tasks(desk, settings):
    settings.MOTCUA_SCHEDULE = {"scan-deadlines": 15}
    out = StringIO()
    call_command("schedule", "--now", "2026-03-02T09:01", stdout=out)
    assert "scan-deadlines mỗi 15 phút" in out.getvalue() and "đã đưa vào hàng đợi: scan-deadlines" in out.getvalue()
    out = StringIO()
    call_command("schedule", "--now", "2026-03-02T09:10", stdout=out)
    assert "hàng đợi" not in out.getvalue() and ScheduledRun.objects.count() == 1


@pytest.mark.parametrize("schedule, message", [
    ({"backup": 5}, "không có việc định kỳ «backup»"),
    ({"sync-push": 0}, "phải là số phút nguyên từ 1 đến 1440"),
    ({"sync-push": "5"}, "phải là số phút nguyên từ 1 đến 1440"),
])
def test_a_bad_schedule_is_refused_in_vietnamese_and_enqueues_nothing(settings, schedule, message):
    settings.MOTCUA_SCHEDULE = schedule
    with pytest.raises(ScheduleError, match=message):
        configured_schedule()
    with pytest.raises(CommandError, match=message):
        call_command("schedule", stdout=StringIO())
    assert not ScheduledRun.objects.exists()


def test_the_default_schedule_is_valid():
    from django.conf import settings
    assert set(configured_schedule(settings.MOTCUA_SCHEDULE)) == set(tasks.PERIODIC)
