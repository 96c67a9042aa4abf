"""A real `kill -9` of `motcua db_worker` in the middle of a result's signature (issue 17): the
task is recovered by `motcua schedule` (lease 2 s), retried by another worker, and the dossier ends
with exactly one signed result — one SignedDocument, one signed file, valid for pyHanko and pdfsig."""
import signal
import subprocess
from pathlib import Path

import pytest

from tests.results.sign_crash_site import STARTED
from tests.scheduling.test_worker_crash import Site, database_url, wait_for  # noqa: F401 (the fixture)

pytestmark = pytest.mark.slow
WORKER = ["db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
SIGNED = "SELECT count(*) FROM results_signeddocument"
UNFINISHED = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"


@pytest.fixture
def site(tmp_path, database_url):  # noqa: F811
    site = Site(tmp_path, database_url)
    site.env.pop("MOTCUA_DOCUMENT_TASK_BACKEND", None)  # the database queue, as in production
    site.run("motcua.cli", "migrate", "--noinput")
    site.run("tests.results.sign_crash_site", "seed")
    yield site
    site.stop()


def report(site) -> dict:
    import json
    return json.loads(site.run("tests.results.sign_crash_site", "report"))


def test_a_signature_cut_by_kill_9_is_retried_into_exactly_one_signed_result(site, tmp_path):
    site.env["MOTCUA_SIGNER"] = "tests.results.sign_crash_site.signer"  # hangs inside the signature
    first = site.start(*WORKER)
    del site.env["MOTCUA_SIGNER"]
    wait_for(lambda: (tmp_path / STARTED).exists(), 120, "the signature to start")
    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL
    cut = report(site)
    assert cut["job"]["state"] == "signing" and cut["documents"] == [] and cut["signed_files"] == []
    [killed] = [t for t in cut["tasks"] if t["status"] == "RUNNING"]

    site.start(*WORKER)
    scheduler = site.start("schedule", "--loop", "--every", "1")
    wait_for(lambda: site.count(SIGNED) == 1 and site.count(UNFINISHED) == 0, 240, "the retry to sign")
    scheduler.terminate()
    scheduler.wait(30)

    after = report(site)
    assert after["job"]["state"] == "signed" and after["job"]["attempts"] >= 2
    [document] = after["documents"]
    assert document["ok"] and after["signed_files"] == [document["path"]] == [after["job"]["document"]]
    assert len(after["files"]) == 2  # the draft and the one signed result
    killed_after = next(t for t in after["tasks"] if t["id"] == killed["id"])
    assert killed_after["status"] == "FAILED" and killed_after["error"] == "motcua.scheduling.recovery.WorkerLost"
    [lost] = after["lost"]
    assert lost["task_id"] == killed["id"] and lost["retry_id"]
    poppler = subprocess.run(["pdfsig", str(Path(site.folder, "media", document["path"]))], capture_output=True,
                             text=True, check=True).stdout
    assert "Signature is Valid." in poppler and "Total document signed" in poppler
