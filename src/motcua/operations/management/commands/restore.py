from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.operations import backup


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu của `motcua backup` vào một cài đặt trống cùng phiên bản "
            "(cơ sở dữ liệu mới, thư mục MEDIA và thư mục khóa trống), rồi kiểm tra bằng `motcua verify-events`.")

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="tệp .tar.gz do `motcua backup` ghi")

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"Không có tệp {archive}.")
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã khôi phục bản sao lưu lúc {manifest['created_at']}: "
                          f"{sum(manifest['rows'].values())} bản ghi, {manifest['files']['media']} tệp, "
                          f"{manifest['files']['keys']} tệp khóa.")
