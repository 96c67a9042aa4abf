from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = "Thông báo cho công dân"

    def ready(self):
        from motcua.notify import signals  # noqa: F401 — queue notices from the dossier event log
