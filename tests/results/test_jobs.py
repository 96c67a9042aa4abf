"""Document results off the request path (issue 17): the officers' requests answer before any PDF
exists, the worker renders and signs (a valid PAdES B-T file, for pyHanko and poppler's pdfsig),
a failed run is retried, a result is never signed twice, the applicant is told once it is signed."""
import signal
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import Dossier
from motcua.notify.models import ApplicantMessage, NoticeKind
from motcua.results import identities, jobs, services, signing
from motcua.results.signers import server_key
from motcua.results.models import DocumentJob, DocumentKind, JobState, SignedDocument
from tests import factories as f
from tests.results.test_api import act, client_of, stored
from tests.results.test_services import in_process

FAILURES = []


def fails_once(identity):
    """A signer (MOTCUA_SIGNER) whose first signature fails, as a token unplugged would."""
    if not FAILURES:
        FAILURES.append(identity.pk)
        raise OSError("thiết bị ký không phản hồi")
    return server_key.signer(identity)


@pytest.fixture
def keep_signals():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout


def result_files() -> set[str]:
    """Every file under the results folder of the storage (drafts and signed results)."""
    if not default_storage.exists("results"):
        return set()
    return {f"{folder}/{name}" for folder in default_storage.listdir("results")[0]
            for name in default_storage.listdir(f"results/{folder}")[1]}


@pytest.mark.django_db(transaction=True)  # the worker runs as in production, committing its own work
def test_the_requests_answer_before_the_pdf_exists_then_the_worker_renders_signs_and_notifies(
        desk, settings, keep_signals, tmp_path):
    settings.MOTCUA_DOCUMENT_TASK_BACKEND = "default"  # the database queue of `motcua db_worker`
    d = in_process(desk)
    Dossier.objects.filter(pk=d.pk).update(applicant_email="an@example.vn")
    files_before = result_files()
    assert act(desk["processing"], d, "complete").status_code == 200
    assert act(desk["head"], d, "sign_result").status_code == 200

    # Both requests answered: the decisions are recorded, no PDF exists yet, two tasks wait.
    d.refresh_from_db()
    job = DocumentJob.objects.get(dossier=d)
    assert d.status == 9 and not d.result_file and not d.result_signed
    assert (job.state, job.approved_by, job.completed_by) == (JobState.WAITING, desk["head"], desk["processing"])
    assert result_files() == files_before and not SignedDocument.objects.exists()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2
    assert not ApplicantMessage.objects.filter(kind=NoticeKind.RESULT_READY).exists()
    # The state shows on the dossier page and on the applicant's tracking page.
    page = client_of(desk["head"]).get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert 'id="document-state"' in page and "Đang chờ" in page and "đã duyệt ký lúc" in page
    tracking = Client().post(reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}, follow=True).content.decode()
    assert "kết quả điện tử đang được ký số" in tracking

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--worker-id", "w1", verbosity=0)

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    job.refresh_from_db()
    d.refresh_from_db()
    assert job.state == JobState.SIGNED and job.attempts == 1 and d.result_signed
    [document] = SignedDocument.objects.filter(dossier=d)
    assert job.document == document and d.result_file == document.path
    pdf = stored(document.path)
    check = signing.validate_pdf(pdf, identities.trusted_roots())
    assert check.ok and check.signatures[0].timestamped and check.signatures[0].covers_whole_file
    poppler = pdfsig(pdf, tmp_path)
    assert "Signature is Valid." in poppler and "Total document signed" in poppler and "ETSI.CAdES.detached" in poppler
    [notice] = ApplicantMessage.objects.filter(kind=NoticeKind.RESULT_READY)
    assert notice.dossier_id == d.pk and notice.address == "an@example.vn"
    page = client_of(desk["head"]).get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Đã ký số" in page and document.code in page


def test_a_failed_signature_is_retried_into_one_signed_result(desk, settings):
    settings.MOTCUA_SIGNER = "tests.results.test_jobs.fails_once"
    FAILURES.clear()
    d = in_process(desk)
    services.complete(d, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0))  # the head completes: approved too
    job = DocumentJob.objects.get(dossier=d)
    assert FAILURES and job.state == JobState.SIGNED, job.error
    assert job.attempts == 2 and job.error == ""
    assert SignedDocument.objects.filter(dossier=d).count() == 1 and Dossier.objects.get(pk=d.pk).result_signed


def test_a_result_is_never_signed_twice(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["head"], at=f.at(2026, 3, 3, 9, 0))
    job = DocumentJob.objects.get(dossier=d)
    document = job.document
    assert jobs.run(job.pk) == {"job": job.pk, "skipped": True}  # the task enqueued again, or run twice
    # A run that had claimed the job before it was signed (its claim lapsed): it issues nothing.
    assert jobs._sign_and_issue(job) == document.code
    assert SignedDocument.objects.filter(dossier=d).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says the same
        SignedDocument.objects.create(code="X" * 12, kind=DocumentKind.RESULT, title="t", dossier=d, unit=d.unit,
                                      identity=document.identity, signed_by=desk["head"], signed_at=document.signed_at,
                                      path=document.path, sha256=document.sha256, size=1)


def test_the_head_cannot_approve_twice_and_a_unit_without_certificate_is_told_at_once(desk, settings):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    assert DocumentJob.objects.get(dossier=d).state == JobState.WAITING  # the draft, waiting for the head
    services.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0))
    with pytest.raises(Exception, match="đã được ký số"):
        services.sign_result(Dossier.objects.get(pk=d.pk), actor=desk["head"], at=f.at(2026, 3, 3, 10, 5))
