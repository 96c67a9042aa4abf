"""A real `kill -9` of `motcua db_worker` in the middle of the national sync push (issue 12, item 5).

Subprocesses share one database of their own — a file SQLite database in a temporary folder, and
on PostgreSQL a database next to the suite's — : the seeder, the worker that is killed, a second
worker, and `motcua schedule --loop` with a lease of 2 seconds. Within the period the push resumes,
and the national receiver (the in-process stand-in) ends with every change once.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import dj_database_url
import pytest
from django.utils import timezone

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DOSSIERS = 150  # 300 status changes: the push takes seconds, in two batches of 150
LEASE = 2


class Site:
    """The installation the processes share, and the processes started on it."""

    def __init__(self, folder: Path, database_url: str):
        self.folder, self.database_url, self.processes = folder, database_url, []
        self.env = {key: value for key, value in os.environ.items() if key != "MOTCUA_TASK_BACKEND"}  # development, as the suite
        self.env.update(PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
                        DJANGO_SETTINGS_MODULE="motcua.settings", MOTCUA_DEBUG="1", MOTCUA_DATA_DIR=str(folder),
                        DATABASE_URL=database_url, MOTCUA_TASK_LEASE_SECONDS=str(LEASE),
                        MOTCUA_SYNC_TRANSPORT="in-process", MOTCUA_SYNC_TASK_BATCH="150")

    def run(self, *args) -> str:
        done = subprocess.run([sys.executable, "-m", *args], cwd=REPO, env=self.env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, *args) -> subprocess.Popen:
        log = open(self.folder / f"{args[0]}-{len(self.processes)}.log", "w")
        process = subprocess.Popen([sys.executable, "-m", "motcua.cli", *args], cwd=REPO, env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def count(self, sql: str) -> int:
        if self.database_url.startswith("sqlite"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=30) as db:
                return db.execute(sql).fetchone()[0]
        import psycopg
        with psycopg.connect(self.database_url) as db:
            return db.execute(sql).fetchone()[0]

    def report(self) -> dict:
        return json.loads(self.run("tests.scheduling.crash_site", "report"))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'motcua.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    suite = dj_database_url.parse(os.environ["DATABASE_URL"])  # the suite's server and database name
    name = f"{suite['NAME']}_crash"
    server = dict(host=suite["HOST"] or None, port=suite["PORT"] or None, user=suite["USER"] or None,
                  password=suite["PASSWORD"] or None)
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def site(tmp_path, database_url):
    site = Site(tmp_path, database_url)
    site.run("motcua.cli", "migrate", "--noinput")
    site.run("tests.scheduling.crash_site", "seed", str(DOSSIERS))
    yield site
    site.stop()


def wait_for(condition, timeout, what, every=0.1):
    start = time.monotonic()
    while not condition():
        if time.monotonic() > start + timeout:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(every)
    print(f"{what}: {time.monotonic() - start:.1f} s")


def test_a_push_cut_by_kill_9_resumes_within_the_period_and_every_change_arrives_once(site):
    worker = ["db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
    changes = 2 * DOSSIERS
    received = "SELECT count(*) FROM integrations_receivedstatuschange"
    scheduled = site.run("motcua.cli", "schedule")  # the push first, then the other periodic tasks
    assert "đã đưa vào hàng đợi: sync-push" in scheduled
    first = site.start(*worker)
    wait_for(lambda: site.count(received) >= 20, 120, "the push to start", every=0.02)

    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL
    cut = site.report()
    assert len(cut["workers"]) == 1  # the killed worker cannot unregister
    running = [t for t in cut["tasks"] if t["status"] == "RUNNING"]
    assert [t["path"] for t in running] == ["motcua.scheduling.tasks.push_national_sync"]
    assert 20 <= len(cut["received_keys"]) < changes and cut["unacknowledged"] > 0

    second = site.start(*worker)
    scheduler = site.start("schedule", "--loop", "--every", "1")
    unfinished = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
    wait_for(lambda: site.count("SELECT count(*) FROM dossiers_outboxmessage WHERE acknowledged_at IS NULL") == 0
             and site.count(unfinished) == 0, 240, "the push to resume and finish")
    scheduler.terminate()
    scheduler.wait(30)
    wait_for(lambda: site.count(unfinished) == 0, 120, "the worker to run what the scheduler last enqueued")
    second.terminate()
    assert second.wait(30) == 0  # a clean stop

    after = site.report()
    assert after["workers"] == cut["workers"]  # the killed worker's registration stays; the stopped one is gone
    killed = next(t for t in after["tasks"] if t["id"] == running[0]["id"])
    assert killed["status"] == "FAILED" and killed["error"] == "motcua.scheduling.recovery.WorkerLost"
    assert "không còn báo sống quá 2 giây" in killed["reason"] and "chạy lại" in killed["reason"]
    [lost] = after["lost"]
    assert (lost["task_id"], lost["attempt"]) == (killed["id"], 1)
    retry = next(t for t in after["tasks"] if t["id"] == lost["retry_id"])
    assert (retry["path"], retry["status"]) == ("motcua.scheduling.tasks.push_national_sync", "SUCCESSFUL")
    assert [t for t in after["tasks"] if t["status"] == "FAILED"] == [killed]

    # Exactly once: each change acknowledged once (one recorded send each), stored once by the
    # receiver; only the change in flight at the kill may have reached it twice.
    assert after["outbox"] == changes and after["unacknowledged"] == 0 and after["attempts"] == {"1": changes}
    assert after["received_keys"] == after["outbox_keys"] and len(set(after["received_keys"])) == changes
    assert after["deliveries"] - changes in (0, 1)

    # The next period enqueues as usual.
    next_period = (timezone.now() + timedelta(minutes=5)).isoformat()
    assert "đã đưa vào hàng đợi: sync-push" in site.run("motcua.cli", "schedule", "--now", next_period)
