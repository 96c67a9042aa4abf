from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.integrity import verify_event_chains


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký sự kiện hồ sơ (phát hiện sự kiện bị sửa hoặc xóa)."

    def handle(self, *args, **options):
        problems = 0
        for p in verify_event_chains():
            problems += 1
            where = f"sự kiện #{p.seq}" if p.seq else "cuối chuỗi"
            self.stderr.write(f"{p.dossier_code} {where}: {p.problem}")
        if problems:
            raise CommandError(f"Phát hiện {problems} vấn đề trong nhật ký sự kiện.")
        self.stdout.write("Nhật ký sự kiện toàn vẹn.")
