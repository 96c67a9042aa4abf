"""/healthz: database reachable, worker heartbeat (its newest task start or finish) fresh."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


def task(**times):
    return DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="motcua.x", queue_name="default",
                                       backend_name="default", run_after=timezone.now(), **times)


def test_no_worker_ever_seen_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": {"ok": True},
                               "worker": {"ok": False, "last_seen": None, "age_seconds": None, "max_age_seconds": 900}}


def test_a_task_finished_minutes_ago_is_a_fresh_heartbeat(client):
    now = timezone.now()
    task(started_at=now - timedelta(hours=2), finished_at=now - timedelta(hours=2))
    task(started_at=now - timedelta(minutes=4), finished_at=now - timedelta(minutes=3))
    body = client.get("/healthz").json()
    assert body["ok"] and body["worker"]["ok"] and 170 <= body["worker"]["age_seconds"] <= 190


def test_a_long_task_still_running_counts_and_a_stale_one_does_not(client, settings):
    task(started_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/healthz").status_code == 200
    settings.MOTCUA_HEALTH_WORKER_MAX_AGE_MINUTES = 5
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"]["max_age_seconds"] == 300
    assert response["Cache-Control"].startswith("max-age=0")


def test_only_reading(client):
    assert client.post("/healthz").status_code == 405
