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
