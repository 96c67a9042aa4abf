from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.index import services
from motcua.index.models import Snapshot


class Command(BaseCommand):
    help = "Tính, công bố và xem Chỉ số phục vụ người dân, doanh nghiệp theo kỳ."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        compute = sub.add_parser("compute", help="tính chỉ số của một kỳ từ dữ liệu đã ghi nhận")
        which = compute.add_mutually_exclusive_group(required=True)
        which.add_argument("--period", help="2026-10, 2026-Q4, 2026, 2026-YTD-10, 2026-03-01..2026-03-15")
        which.add_argument("--current", action="store_true", help="tháng hiện tại (việc định kỳ)")
        compute.add_argument("--reason", default="", help="lý do, khi tính lại một kỳ đã công bố")
        publish = sub.add_parser("publish", help="công bố (đóng băng) kết quả của kỳ")
        publish.add_argument("--period", required=True)
        show = sub.add_parser("show", help="in bảng xếp hạng của kỳ")
        show.add_argument("--period", required=True)
        show.add_argument("--kind", choices=["department", "commune", "province"], default=None)

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (services.SnapshotError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _compute(self, period=None, current=False, reason="", **_):
        snapshot = services.compute_running_month() if current else services.compute(period, reason=reason)
        self.stdout.write(self.style.SUCCESS(
            f"Kỳ {snapshot.period}, lần {snapshot.revision} ({snapshot.get_status_display()}), "
            f"tính đến {timezone.localtime(snapshot.as_of):%d/%m/%Y %H:%M}, phương pháp {snapshot.methodology_version}: "
            f"{snapshot.unit_scores.count()} đơn vị."))

    def _publish(self, period, **_):
        snapshot = services.publish(period)
        self.stdout.write(self.style.SUCCESS(f"Đã công bố kỳ {snapshot.period} (lần {snapshot.revision})."))

    def _show(self, period, kind=None, **_):
        snapshot = Snapshot.objects.filter(period=period).order_by("-revision").first()
        if snapshot is None:
            raise CommandError(f"Kỳ {period} chưa được tính.")
        scores = snapshot.unit_scores.select_related("unit").order_by("unit__kind", "rank", "unit__name")
        if kind:
            scores = scores.filter(unit__kind=kind)
        for s in scores:
            groups = " ".join(f"{g} {v:5.2f}" for g, v in s.groups.items())
            self.stdout.write(f"{s.rank or '-':>4} {s.unit.name[:40]:40} {s.total:6.2f} {s.band:11} {groups}")
