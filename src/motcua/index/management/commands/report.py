from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.index import national, rankings, reports
from motcua.index.engine.periods import month


class Command(BaseCommand):
    help = "Chu trình hằng tháng của Chỉ số phục vụ: báo cáo Chủ tịch UBND tỉnh, bảng xếp hạng quốc gia."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        monthly = sub.add_parser("monthly", help="tính (nếu cần), công bố xếp hạng của tháng và lập báo cáo PDF, Excel")
        which = monthly.add_mutually_exclusive_group(required=True)
        which.add_argument("--period", help="tháng, ví dụ 2026-10")
        which.add_argument("--previous", action="store_true", help="tháng vừa kết thúc (việc định kỳ ngày đầu tháng)")
        monthly.add_argument("--reason", default="", help="lý do, khi số liệu của tháng đã công bố thay đổi")
        monthly.add_argument("--out", default=None, help="thư mục ghi báo cáo (mặc định: MOTCUA_DATA_DIR/reports)")
        imp = sub.add_parser("national", help="nhập bảng điểm quốc gia của 34 tỉnh, thành phố (CSV)")
        imp.add_argument("file")
        imp.add_argument("--period", required=True, help="tháng của bảng điểm, ví dụ 2026-10")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (reports.ReportError, national.NationalImportError) as exc:
            raise CommandError(str(exc)) from exc

    def _monthly(self, period=None, previous=False, reason="", out=None, **_):
        if previous:
            today = timezone.localdate()
            period = rankings.previous_month(month(today.year, today.month).key)
        outcome = reports.monthly(period, reason=reason)
        report, snapshot = outcome.report, outcome.report.snapshot
        folder = Path(out) if out else Path(settings.DATA_DIR) / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for extension, content in (("pdf", bytes(report.pdf)), ("xlsx", bytes(report.xlsx))):
            path = folder / reports.file_name(snapshot, extension)
            if not path.exists() or path.read_bytes() != content:
                path.write_bytes(content)
            paths.append(str(path))
        state = "Đã lập" if outcome.created else "Không có gì thay đổi: đã có"
        revision = f", bản sửa đổi lần {snapshot.revision} ({snapshot.reason})" if snapshot.revision else ""
        self.stdout.write(self.style.SUCCESS(
            f"{state} báo cáo tháng {snapshot.period}{revision}; xếp hạng đã công bố trên cổng. " + " ".join(paths)))

    def _national(self, file, period, **_):
        table = national.import_csv(Path(file), period)
        self.stdout.write(self.style.SUCCESS(f"Đã nhập bảng điểm quốc gia tháng {table.period}: "
                                             f"{table.scores.count()} tỉnh, thành phố."))
