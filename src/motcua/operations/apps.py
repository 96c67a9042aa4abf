from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: the health probe, backup and restore (docs/deploy.md)."""

    name = "motcua.operations"
    verbose_name = "Vận hành"
