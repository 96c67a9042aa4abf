from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.dossiers.checkpoints import create_checkpoint
from motcua.dossiers.errors import DossierError


class Command(BaseCommand):
    help = ("Lập mốc thời gian cho nhật ký sự kiện: ghi đầu chuỗi của các hồ sơ có sự kiện mới "
            "và xin dấu thời gian RFC 3161 của TSA.")

    def handle(self, *args, **options):
        try:
            checkpoint = create_checkpoint()
        except DossierError as exc:
            raise CommandError(exc.message) from exc
        if checkpoint is None:
            self.stdout.write("Một tiến trình khác vừa lập mốc; không lập thêm.")
            return
        self.stdout.write(f"Mốc thời gian #{checkpoint.pk}: {checkpoint.head_count} đầu chuỗi, "
                          f"dấu thời gian lúc {timezone.localtime(checkpoint.timestamped_at):%d/%m/%Y %H:%M:%S}, "
                          f"băm {checkpoint.digest}.")  # for a copy outside the database (the log server)
