from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using="default", **kwargs):
    """The database cache's table (where the limits count) exists after every `migrate`: in `make
    run`, in the tests' database and after an upgrade. Nothing is done for another cache backend."""
    call_command("createcachetable", database=using, verbosity=0)


class LimitsConfig(AppConfig):
    name = "motcua.limits"
    verbose_name = "Giới hạn chống lạm dụng"

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="motcua.limits.cache_table")
