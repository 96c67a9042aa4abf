from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = "Thông báo cho công dân"

    def ready(self):
        from motcua.dossiers.door import after_append
        from motcua.notify.services import on_appended

        after_append(on_appended)  # the applicant's notices, with the fact they are about
