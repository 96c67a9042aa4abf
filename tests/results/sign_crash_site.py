"""The other side of test_sign_crash: run in a subprocess against the test's own database.

    python -m tests.results.sign_crash_site seed     # a desk whose head completed a document result
    python -m tests.results.sign_crash_site report   # the job, the signed documents, the tasks, as JSON

`signer` is a MOTCUA_SIGNER that signals it has started a signature and then hangs in it, so the
test can kill its worker mid-signature.
"""
import copy
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
STARTED = "signing-started"


def signer(identity):
    from motcua.results import signing
    from motcua.results.signers import server_key

    real = server_key.signer(identity)
    hanging = copy.copy(real.signer)

    def sign_raw(data, digest_algorithm):
        (Path(os.environ["MOTCUA_DATA_DIR"]) / STARTED).touch()
        time.sleep(600)
        return real.signer.sign_raw(data, digest_algorithm)

    hanging.sign_raw = sign_raw
    return signing.Signer(hanging, real.timestamper)


def seed() -> None:
    from motcua.dossiers.services import Applicant, open_dossier, transition
    from motcua.dossiers.transitions import Action
    from motcua.results import identities, services
    from tests import factories as f

    desk = f.desk()
    identities.issue_test_identity(desk["unit"])
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel="direct",
                     applicant=Applicant("individual", "Trần Văn An", f.VALID_PID), action=Action.RECEIVE,
                     actor=desk["reception"], at=f.at(2026, 3, 2, 9, 0))
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=f.at(2026, 3, 2, 10, 0),
               assignee_id=desk["processing"].pk)
    services.complete(d, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0))


def report() -> dict:
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from motcua.results import identities, signing
    from motcua.results.models import DocumentJob, SignedDocument
    from motcua.scheduling.models import LostTask

    job = DocumentJob.objects.get()
    media = Path(settings.MEDIA_ROOT) / "results"
    files = sorted(str(p.relative_to(media.parent)) for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    signed = [p for p in files if signing.validate_pdf((media.parent / p).read_bytes(), []).signatures]
    return {
        "job": {"state": job.state, "attempts": job.attempts, "document": job.document.path if job.document else None},
        "documents": [{"path": d.path, "ok": signing.validate_pdf((media.parent / d.path).read_bytes(),
                                                                  identities.trusted_roots()).ok}
                      for d in SignedDocument.objects.all()],
        "files": files, "signed_files": signed,
        "tasks": [{"id": str(t.id), "path": t.task_path, "status": t.status, "error": t.exception_class_path}
                  for t in DBTaskResult.objects.order_by("enqueued_at")],
        "lost": [{"task_id": lost.task_id, "retry_id": lost.retry_id} for lost in LostTask.objects.all()],
    }


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed()
    else:
        print(json.dumps(report()))
