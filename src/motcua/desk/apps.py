from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The officers' one-stop desk: pages, JSON API and the action service, on top of dossiers,
    payments and results (which never import it)."""

    name = "motcua.desk"
    verbose_name = "Bàn làm việc một cửa"
