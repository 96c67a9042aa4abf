"""Tasks lost with their worker (scheduling.recovery) and the worker heartbeat (scheduling.heartbeat),
on the database backend, with the clock and the heartbeats set by hand. The real `kill -9` is
test_worker_crash."""
import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.scheduling import tasks
from motcua.scheduling.heartbeat import Heartbeat, beat, lease, worker_heartbeat_fresh
from motcua.scheduling.models import LostTask, ScheduledRun, WorkerHeartbeat
from motcua.scheduling.recovery import WORKER_LOST, WorkerLost, recover_lost_tasks
from motcua.scheduling.schedule import enqueue_due

pytestmark = pytest.mark.django_db
NOW = timezone.now()
LEASE = timedelta(seconds=300)


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MOTCUA_TASK_LEASE_SECONDS = 300
    settings.MOTCUA_TASK_MAX_RETRIES = 3


def running(task=tasks.push_national_sync, worker="w1", started=NOW - LEASE - timedelta(seconds=1), args=()):
    """A task a worker claimed at `started` and never finished."""
    row = DBTaskResult.objects.get(pk=task.enqueue(*args).id)
    DBTaskResult.objects.filter(pk=row.pk).update(status=TaskResultStatus.RUNNING, started_at=started,
                                                  worker_ids=[worker])
    return row.pk


def status(pk):
    return DBTaskResult.objects.get(pk=pk).status


def test_a_task_whose_worker_went_silent_is_failed_and_retried():
    beat("w1", started_at=NOW - timedelta(hours=1), now=NOW - LEASE - timedelta(seconds=1))
    pk = running()
    [lost] = recover_lost_tasks(NOW)
    row = DBTaskResult.objects.get(pk=pk)
    assert (row.status, row.exception_class_path, row.finished_at) == (TaskResultStatus.FAILED, WORKER_LOST, NOW)
    assert row.traceback == (f"Tiến trình chạy việc nền w1 không còn báo sống quá 300 giây (bị dừng đột ngột): "
                             f"lần chạy thứ 1 được ghi là thất bại; đã đưa vào hàng đợi chạy lại ({lost.retry_id}).")
    retry = DBTaskResult.objects.get(pk=lost.retry_id)
    assert (retry.status, retry.task_path) == (TaskResultStatus.READY, "motcua.scheduling.tasks.push_national_sync")
    assert (lost.task_id, lost.worker_id, lost.attempt) == (str(pk), "w1", 1)
    assert row.task_result.errors[0].exception_class is WorkerLost  # what the admin and get_result show
    assert recover_lost_tasks(NOW) == []  # recovered once


def test_a_task_with_no_heartbeat_at_all_is_lost_once_its_lease_has_passed():
    pk = running(worker="plain-library-worker", started=NOW - LEASE + timedelta(seconds=1))
    assert recover_lost_tasks(NOW) == [] and status(pk) == TaskResultStatus.RUNNING  # just claimed
    assert len(recover_lost_tasks(NOW + timedelta(seconds=2))) == 1 and status(pk) == TaskResultStatus.FAILED


def test_a_long_task_of_a_beating_worker_is_left_running():
    beat("w1", started_at=NOW - timedelta(hours=2), now=NOW - timedelta(seconds=20))
    pk = running(started=NOW - timedelta(hours=1))  # an hour into a slow push: far longer than the lease
    assert recover_lost_tasks(NOW) == [] and status(pk) == TaskResultStatus.RUNNING
    assert not LostTask.objects.exists() and DBTaskResult.objects.count() == 1


def test_a_worker_restarted_under_the_same_id_does_not_keep_its_old_task_alive():
    pk = running(started=NOW - timedelta(hours=1))
    beat("w1", started_at=NOW - timedelta(minutes=30), now=NOW)  # a new process, beating, same --worker-id
    assert [lost.task_id for lost in recover_lost_tasks(NOW)] == [str(pk)]


def test_the_schedule_waits_for_the_retry_then_enqueues_the_next_period_as_usual():
    t0 = NOW.replace(minute=1, second=0, microsecond=0)
    assert enqueue_due(t0, {"sync-push": 5}) == ["sync-push"]
    run = ScheduledRun.objects.get()
    DBTaskResult.objects.filter(pk=run.task_id).update(status=TaskResultStatus.RUNNING, started_at=t0,
                                                      worker_ids=["dead"])
    assert enqueue_due(t0 + timedelta(minutes=5), {"sync-push": 5}) == []  # before: blocked for ever
    [lost] = recover_lost_tasks(t0 + LEASE + timedelta(seconds=1))
    assert ScheduledRun.objects.get(pk=run.pk).task_id == lost.retry_id  # the slot's run is now the retry
    assert enqueue_due(t0 + timedelta(minutes=10), {"sync-push": 5}) == []  # the retry still waits
    DBTaskResult.objects.filter(pk=lost.retry_id).update(status=TaskResultStatus.SUCCESSFUL)
    assert enqueue_due(t0 + timedelta(minutes=10), {"sync-push": 5}) == ["sync-push"]


def test_a_task_that_keeps_killing_its_worker_is_retried_max_retries_times_then_left_failed(settings):
    settings.MOTCUA_TASK_MAX_RETRIES = 2
    pk = running(task=tasks.check_population)
    attempts = []
    for _ in range(3):
        [lost] = recover_lost_tasks(NOW)
        attempts.append((lost.attempt, bool(lost.retry_id)))
        if lost.retry_id:  # the retry is claimed by a worker that dies too
            DBTaskResult.objects.filter(pk=lost.retry_id).update(
                status=TaskResultStatus.RUNNING, started_at=NOW - LEASE - timedelta(seconds=1), worker_ids=["w2"])
    assert attempts == [(1, True), (2, True), (3, False)]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.FAILED).exists()
    assert "không chạy lại nữa" in DBTaskResult.objects.get(pk=LostTask.objects.get(attempt=3).task_id).traceback
    assert status(pk) == TaskResultStatus.FAILED


def test_the_retry_has_the_lost_task_s_arguments():
    pk = running(task=tasks.scan_deadlines_task)
    DBTaskResult.objects.filter(pk=pk).update(args_kwargs={"args": [], "kwargs": {}}, priority=5)
    [lost] = recover_lost_tasks(NOW)
    retry = DBTaskResult.objects.get(pk=lost.retry_id)
    assert (retry.task_path, retry.args_kwargs, retry.priority) == (
        "motcua.scheduling.tasks.scan_deadlines_task", {"args": [], "kwargs": {}}, 5)


def test_the_schedule_command_recovers_before_it_enqueues(settings):
    settings.MOTCUA_SCHEDULE = {"scan-deadlines": 15}
    pk = running(started=timezone.now() - LEASE - timedelta(seconds=5))
    out = StringIO()
    call_command("schedule", stdout=out)
    lost = LostTask.objects.get()
    assert (f"Việc motcua.scheduling.tasks.push_national_sync ({pk}) mất tiến trình w1: ghi thất bại, "
            f"chạy lại ({lost.retry_id}).") in out.getvalue()
    assert "đã đưa vào hàng đợi: scan-deadlines" in out.getvalue()


def test_worker_heartbeat_fresh_tells_a_live_worker_from_a_dead_one():
    assert worker_heartbeat_fresh(NOW) is False  # no worker ever started
    beat("w1", started_at=NOW - timedelta(hours=1), now=NOW - timedelta(seconds=299))
    assert worker_heartbeat_fresh(NOW) is True
    assert worker_heartbeat_fresh(NOW + timedelta(seconds=2)) is False


def test_the_heartbeat_registers_the_worker_first_and_unregisters_it_on_a_clean_exit():
    with Heartbeat("w9") as heartbeat:
        row = WorkerHeartbeat.objects.get(worker_id="w9")
        assert row.beat_at == row.started_at == heartbeat.started_at and heartbeat.interval == 30
        assert worker_heartbeat_fresh()
    assert not WorkerHeartbeat.objects.filter(worker_id="w9").exists()


def test_a_lease_under_a_second_is_refused(settings):
    settings.MOTCUA_TASK_LEASE_SECONDS = 0
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_TASK_LEASE_SECONDS phải từ 1 giây trở lên"):
        lease()


@pytest.fixture
def keep_signals():
    """The library's worker installs its own SIGINT/SIGTERM handlers: give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between tasks, as in production
def test_motcua_db_worker_is_registered_while_it_runs_a_task(monkeypatch, keep_signals):
    seen = []

    def scan_deadlines():
        seen.append(list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)))
        raise RuntimeError("stop here")
    monkeypatch.setattr(tasks, "scan_deadlines", scan_deadlines)
    pk = tasks.scan_deadlines_task.enqueue().id
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id", "w7", verbosity=0)
    assert seen == [["w7"]]
    assert status(pk) == TaskResultStatus.FAILED  # ran (and failed by itself) in that worker
    assert DBTaskResult.objects.get(pk=pk).worker_ids == ["w7"] and not WorkerHeartbeat.objects.exists()
