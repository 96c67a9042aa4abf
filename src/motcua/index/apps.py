from django.apps import AppConfig


class IndexConfig(AppConfig):
    name = "motcua.index"
    label = "service_index"  # "index" reads badly in SQL and admin URLs
    verbose_name = "Chỉ số phục vụ"
