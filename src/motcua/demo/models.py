"""Where a demo load stands, so that `make run` can serve at once and finish the history in the
background, and a load cut short (Ctrl-C, a restart) resumes where it stopped with the same
parameters instead of starting over or loading twice."""
from django.db import models


class DemoLoad(models.Model):
    """The demo province's parameters (one row: the database holds one demo province)."""

    seed = models.IntegerField()
    months = models.PositiveSmallIntegerField()
    per_month = models.PositiveIntegerField()
    until = models.DateTimeField(help_text="the demo's last instant: nothing is simulated after it")
    started_at = models.DateTimeField(auto_now_add=True)


class DemoStep(models.Model):
    """One step of the load, in order. A step commits in small transactions (a unit at a time) and
    records in the same transaction how far it got (`cursor`), so that a web request writing to
    SQLite never waits long and a resumed step skips what is already there."""

    load = models.ForeignKey(DemoLoad, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=20)  # "copies", "month:2026-01", "feedback", "publications", "index"
    cursor = models.CharField(max_length=20, blank=True)  # the last unit code done
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["load", "key"], name="demo_step_once")]
