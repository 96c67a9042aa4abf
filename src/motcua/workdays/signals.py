"""Keep the cached province calendar in step with overrides and with migrations."""
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .models import CalendarOverride


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays-override-saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays-override-deleted")
def _override_changed(**kwargs) -> None:
    from .services import invalidate_calendar_cache

    invalidate_calendar_cache()


@receiver(post_migrate, dispatch_uid="workdays-fill-calendar-table")
def _fill_calendar_table(sender, using, **kwargs) -> None:
    """After `migrate`, fill the precomputed calendar table if it is empty or stale."""
    if getattr(sender, "name", None) != "motcua.workdays":
        return
    from .services import ensure_calendar_table, table_exists

    if table_exists(using):
        ensure_calendar_table(using=using)
