from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import EventCheckpoint


class Command(BaseCommand):
    help = ("Kiểm tra nhật ký sự kiện hồ sơ: chuỗi có khóa và các mốc thời gian (phát hiện sự kiện "
            "bị sửa, bị xóa, hồ sơ bị quay lui).")

    def handle(self, *args, **options):
        problems = 0
        for p in verify_event_chains():
            problems += 1
            self.stderr.write(str(p))
        self._report_last_checkpoint()
        if problems:
            raise CommandError(f"Phát hiện {problems} vấn đề trong nhật ký sự kiện.")
        self.stdout.write("Nhật ký sự kiện toàn vẹn.")

    def _report_last_checkpoint(self):
        """Where the checkpoints stand: what is after the last one is not covered by any timestamp."""
        last = EventCheckpoint.objects.order_by("-pk").first()
        if last is None:
            self.stdout.write("Chưa có mốc thời gian nào: sự kiện bị xóa cùng hồ sơ bị quay lui chưa thể phát hiện.")
            return
        at = timezone.localtime(last.timestamped_at)
        self.stdout.write(f"Mốc thời gian cuối #{last.pk}: {at:%d/%m/%Y %H:%M:%S}.")
        period = settings.MOTCUA_SCHEDULE.get("checkpoint-events")
        if period and timezone.now() - last.timestamped_at > timedelta(minutes=2 * period):
            self.stderr.write(f"Cảnh báo: mốc thời gian cuối cũ hơn hai chu kỳ ({2 * period} phút): việc định kỳ "
                              "«checkpoint-events» không chạy, hoặc các mốc gần đây đã bị xóa.")
