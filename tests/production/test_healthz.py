"""/healthz: database reachable, a worker's heartbeat fresh (the same lease by which its tasks are
taken for lost)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.scheduling.heartbeat import beat

pytestmark = pytest.mark.django_db


def test_no_worker_ever_seen_is_unhealthy(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": {"ok": True},
                               "worker": {"ok": False, "last_seen": None, "age_seconds": None, "max_age_seconds": 300}}


def test_a_worker_that_beat_within_the_lease_is_healthy(client):
    now = timezone.now()
    beat("w1", started_at=now - timedelta(hours=2), now=now - timedelta(seconds=40))
    body = client.get("/healthz").json()
    assert body["ok"] and body["worker"]["ok"] and 35 <= body["worker"]["age_seconds"] <= 60


def test_a_silent_worker_is_not(client, settings):
    now = timezone.now()
    beat("w1", started_at=now - timedelta(hours=2), now=now - timedelta(minutes=4))
    assert client.get("/healthz").status_code == 200
    settings.MOTCUA_TASK_LEASE_SECONDS = 120
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker"]["max_age_seconds"] == 120
    assert response["Cache-Control"].startswith("max-age=0")


def test_only_reading(client):
    assert client.post("/healthz").status_code == 405
