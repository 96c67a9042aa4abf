from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.operations import backup


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu, các tệp đã lưu (MEDIA) và thư mục khóa (MOTCUA_KEY_DIR) vào một tệp .tar.gz "
            "(xem docs/deploy.md).")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="tệp sao lưu sẽ ghi, ví dụ /srv/backup/motcua.tar.gz")

    def handle(self, *args, out, **options):
        manifest = backup.create(out)
        self.stdout.write(f"Đã sao lưu vào {out}: {sum(manifest['rows'].values())} bản ghi, "
                          f"{manifest['files']['media']} tệp, {manifest['files']['keys']} tệp khóa.")
