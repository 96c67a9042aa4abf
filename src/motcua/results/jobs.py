"""A document result made off the request path (issue 17): the request records what was decided
and returns; the worker renders and signs.

* Completing a dossier whose result is a document creates its `DocumentJob` (the uploaded draft
  stored at once, else rendered by the worker from the procedure's template); the head's approval
  to sign (`approve`, or the head completing) marks it approved. Each enqueues `run` as a task of
  `MOTCUA_DOCUMENT_TASK_BACKEND` in the same transaction, so with the database backend the task
  exists exactly when the decision does.
* `run` claims the job for a lease (`MOTCUA_TASK_LEASE_SECONDS`, the worker's), renders the draft
  if missing, and once approved signs it (the configured signer, PAdES B-T) and issues it: the
  SignedDocument, SIGN_RESULT through `transition` (which queues the applicant's notice), the
  applicant's document store — in one transaction that first checks, under the row lock, that the
  job is not signed already. A second run, a retry of a run killed mid-signature (recovered by
  `motcua schedule`), or a task enqueued twice therefore never issues a second document; and the
  partial unique constraint `one_signed_result_per_dossier` holds even against a bug here.
* A run that fails records the error and enqueues itself again after 1, 2, 4… minutes, up to
  `MOTCUA_DOCUMENT_MAX_ATTEMPTS`; then the job is left `gave_up` for an officer to look at.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import store_bytes
from motcua.dossiers.models import Dossier
from motcua.results import documents, identities, issuing
from motcua.results.models import DocumentJob, DocumentKind, JobState

log = logging.getLogger(__name__)
MAX_ERROR = 2000


def _lease() -> timedelta:
    """The worker's lease (`motcua schedule` takes a task whose worker is silent this long for lost)."""
    return timedelta(seconds=settings.MOTCUA_TASK_LEASE_SECONDS)


def _enqueue(job: DocumentJob, *, after: datetime | None = None) -> None:
    from motcua.results.tasks import produce_result_document

    task = produce_result_document.using(backend=settings.MOTCUA_DOCUMENT_TASK_BACKEND)
    if after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=after)
    task.enqueue(job.pk)


def start(dossier: Dossier, *, completed_by, at: datetime, approved_by=None) -> DocumentJob:
    """The job of `dossier`'s document result, just completed (approved when the head completes)."""
    job = DocumentJob.objects.create(dossier=dossier, completed_by=completed_by, completed_at=at,
                                     approved_by=approved_by, approved_at=at if approved_by else None)
    _enqueue(job)
    return job


def approve(dossier: Dossier, *, actor, at: datetime) -> DocumentJob:
    """The head's approval to sign: recorded now, signed by the worker."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(dossier=dossier).first()
        if job is None:
            raise DossierError("Hồ sơ chưa có kết quả để ký số.", "no_result_file")
        if job.state == JobState.SIGNED:
            raise DossierError("Kết quả của hồ sơ đã được ký số.", "already_signed")
        if job.approved_by_id is not None:
            raise DossierError("Kết quả đã được duyệt ký; hệ thống đang ký số.", "already_signed")
        job.approved_by, job.approved_at = actor, at
        job.save(update_fields=["approved_by", "approved_at", "updated_at"])
        _enqueue(job)
    return job


def _claim(job_id: int) -> DocumentJob | None:
    """The job, claimed for a lease by this run; None when it is done or another live run holds it
    (this run is then put back behind that claim)."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job_id)
        now = timezone.now()
        if job.state in (JobState.SIGNED, JobState.GAVE_UP):
            return None
        if job.claimed_until is not None and job.claimed_until > now:
            _enqueue(job, after=job.claimed_until)
            return None
        job.claimed_until, job.attempts = now + _lease(), job.attempts + 1
        job.state = JobState.RENDERING if not job.dossier.result_file else JobState.SIGNING
        job.save(update_fields=["claimed_until", "attempts", "state", "updated_at"])
    return job


def _render_draft(job: DocumentJob) -> None:
    dossier = job.dossier
    draft = documents.result_draft_pdf(dossier, job.completed_at, job.completed_by)
    stored = store_bytes(draft, "application/pdf", folder=issuing.RESULTS_FOLDER)
    # The draft's file, not a change of status: the COMPLETE event recorded the decision.
    Dossier.objects.filter(pk=dossier.pk).update(result_file=stored.path, result_sha256=stored.sha256)
    dossier.result_file, dossier.result_sha256 = stored.path, stored.sha256


def _stop_unless_approved(job: DocumentJob) -> bool:
    """Release the claim, the draft waiting for the head, unless the approval came meanwhile."""
    with transaction.atomic():
        fresh = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if fresh.approved_by_id is not None:
            job.refresh_from_db(fields=["approved_by", "approved_at"])
            return False
        DocumentJob.objects.filter(pk=job.pk).update(state=JobState.WAITING, claimed_until=None, error="",
                                                     updated_at=timezone.now())
    return True


def _issued_code(job: DocumentJob) -> str | None:
    fresh = DocumentJob.objects.select_related("document").get(pk=job.pk)
    return fresh.document.code if fresh.state == JobState.SIGNED else None


def _sign_and_issue(job: DocumentJob) -> str:
    dossier, head = job.dossier, job.approved_by
    dossier.refresh_from_db()
    if (code := _issued_code(job)) is not None:  # issued by a run that had claimed it before
        return code
    with default_storage.open(dossier.result_file, "rb") as f:
        draft = f.read()
    identity = identities.active_identity(dossier.unit)
    at = job.approved_at  # the head's act (the event, the page); the TSA's token carries the signing time
    digest = hashlib.sha256(draft).hexdigest()
    pages = documents.page_count(draft)
    signed = issuing.sign(dossier, draft, lambda code: documents.verification_page_pdf(
        code, dossier, dossier.unit, head, at, draft_sha256=digest, draft_pages=pages), identity, head)
    with transaction.atomic():
        DocumentJob.objects.select_for_update().get(pk=job.pk)
        if (code := _issued_code(job)) is not None:  # another run issued it meanwhile: this signature is dropped
            return code
        dossier.refresh_from_db()
        document = issuing.issue(dossier, signed, kind=DocumentKind.RESULT,
                                 title=issuing.result_title(dossier),
                                 identity=identity, actor=head, at=at)
        DocumentJob.objects.filter(pk=job.pk).update(state=JobState.SIGNED, document=document, claimed_until=None,
                                                     error="", updated_at=timezone.now())
    return document.code


def _failed(job: DocumentJob, exc: Exception) -> None:
    gave_up = job.attempts >= settings.MOTCUA_DOCUMENT_MAX_ATTEMPTS
    error = (exc.message if isinstance(exc, DossierError) else f"{type(exc).__name__}: {exc}")[:MAX_ERROR]
    with transaction.atomic():
        recorded = DocumentJob.objects.filter(pk=job.pk).exclude(state=JobState.SIGNED).update(
            state=JobState.GAVE_UP if gave_up else JobState.FAILED, claimed_until=None, error=error,
            updated_at=timezone.now())
        if recorded and not gave_up:
            _enqueue(job, after=timezone.now() + timedelta(minutes=2 ** (job.attempts - 1)))


def run(job_id: int) -> dict:
    """One run of the job (the task's body); see the module doc."""
    job = _claim(job_id)
    if job is None:
        return {"job": job_id, "skipped": True}
    try:
        if not job.dossier.result_file:
            _render_draft(job)
        if job.approved_by_id is None and _stop_unless_approved(job):
            return {"job": job_id, "state": JobState.WAITING}
        DocumentJob.objects.filter(pk=job.pk).update(state=JobState.SIGNING, updated_at=timezone.now())
        return {"job": job_id, "state": JobState.SIGNED, "code": _sign_and_issue(job)}
    except Exception as exc:
        log.exception("document job %s failed", job_id)
        _failed(job, exc)
        raise
