from django.contrib import admin

from motcua.readonly_admin import ReadOnlyAdmin
from motcua.scheduling.models import LostTask, WorkerHeartbeat


@admin.register(LostTask)
class LostTaskAdmin(ReadOnlyAdmin):
    list_display = ("task_path", "task_id", "worker_id", "started_at", "detected_at", "attempt", "retry_id")
    search_fields = ("task_id", "retry_id", "worker_id")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "beat_at")
