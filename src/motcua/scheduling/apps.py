from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "motcua.scheduling"
    verbose_name = "Việc định kỳ"
