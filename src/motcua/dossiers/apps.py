from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = "Hồ sơ"

    def ready(self):
        from motcua.dossiers import checks  # noqa: F401  (registers the system checks)
        from motcua.dossiers.door import after_append
        from motcua.dossiers.national import queue_for_portal

        after_append(queue_for_portal)  # the national portal's outbox row of every event
