from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = "Hồ sơ"

    def ready(self):
        from motcua.dossiers import checks  # noqa: F401  (registers the system checks)
