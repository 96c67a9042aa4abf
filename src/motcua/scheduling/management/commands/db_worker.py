"""`motcua db_worker`: django-tasks-db's worker, with a heartbeat (`scheduling.heartbeat`) so that a
task it leaves RUNNING when killed is recovered by `motcua schedule`. Options are the library's."""
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from motcua.scheduling.heartbeat import Heartbeat


class Command(LibraryWorkerCommand):
    help = ("Chạy các việc nền trong hàng đợi (django-tasks-db), báo sống định kỳ để việc đang chạy "
            "khi tiến trình chết được phát hiện và chạy lại.")

    def handle(self, **options) -> None:
        if options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(**options)  # the reloader's watcher runs no task; its child beats
        with Heartbeat(options["worker_id"]):
            return super().handle(**options)
