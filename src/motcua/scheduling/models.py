from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One periodic task enqueued for one slot of its period: unique, so a slot is enqueued once,
    however many schedulers run and however often."""

    name = models.CharField(_("việc"), max_length=40)
    slot = models.DateTimeField(_("kỳ bắt đầu lúc"))
    enqueued_at = models.DateTimeField(_("đưa vào hàng đợi lúc"), auto_now_add=True)
    task_id = models.CharField(_("mã kết quả"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("lần chạy việc định kỳ")
        verbose_name_plural = _("lần chạy việc định kỳ")
        ordering = ["-slot", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="one_run_per_task_slot")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """A running `motcua db_worker`: its thread refreshes `beat_at` every tenth of the lease
    (`MOTCUA_TASK_LEASE_SECONDS`), whether the worker is idle or inside a long task. A task whose
    worker has not beaten for a whole lease is taken for lost (`recovery.recover_lost_tasks`)."""

    worker_id = models.CharField(_("mã tiến trình"), max_length=64, unique=True)
    hostname = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("số tiến trình"))
    started_at = models.DateTimeField(_("khởi động lúc"))
    beat_at = models.DateTimeField(_("còn sống lúc"))

    class Meta:
        verbose_name = _("tiến trình chạy việc nền")
        verbose_name_plural = _("tiến trình chạy việc nền")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class LostTask(models.Model):
    """A task found RUNNING after its worker died, recorded as failed, and the retry queued for it
    (empty once the retries allowed by `MOTCUA_TASK_MAX_RETRIES` are used up)."""

    task_id = models.CharField(_("mã kết quả bị mất"), max_length=64, unique=True)
    task_path = models.TextField(_("việc"))
    worker_id = models.CharField(_("tiến trình đã chết"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    detected_at = models.DateTimeField(_("phát hiện lúc"))
    attempt = models.PositiveSmallIntegerField(_("lần chạy thứ"))
    retry_id = models.CharField(_("mã kết quả chạy lại"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("việc mất tiến trình")
        verbose_name_plural = _("việc mất tiến trình")
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.task_path} {self.task_id}"
