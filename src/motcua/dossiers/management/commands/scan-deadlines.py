"""`motcua scan-deadlines`: mark open dossiers at risk / overdue and notify (safe to run from cron)."""
from django.core.management.base import BaseCommand, CommandError

from motcua.command_args import instant
from motcua.dossiers.deadlines import Thresholds, format_working_time, scan_deadlines


class Command(BaseCommand):
    help = ("Quét thời hạn các hồ sơ đang giải quyết: đánh dấu sắp quá hạn, quá hạn; thông báo cán bộ xử lý và "
            "lãnh đạo đơn vị (trong ứng dụng và thư điện tử), mỗi loại một lần. Chạy lại nhiều lần không gửi trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--now", type=instant, default=None,
                            help="đánh giá tại thời điểm này thay cho hiện tại (ISO 8601, giờ địa phương)")
        parser.add_argument("--no-mail", action="store_true", help="chỉ tạo thông báo, chưa gửi thư điện tử")

    def handle(self, *args, now=None, no_mail=False, **options):
        try:
            thresholds = Thresholds.from_settings()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        s = scan_deadlines(now, thresholds=thresholds, send_mail=not no_mail)
        self.stdout.write(
            f"Ngưỡng cảnh báo: còn dưới {format_working_time(thresholds.working_days)} làm việc, "
            f"hoặc dưới {float(thresholds.step_share):.0%} thời gian của bước.")
        self.stdout.write(
            f"Đã quét {s.scanned} hồ sơ đang giải quyết: {s.on_track} trong hạn, {s.at_risk} sắp quá hạn, "
            f"{s.overdue} quá hạn ({s.changed} thay đổi tình trạng).")
        self.stdout.write(
            f"Đã gửi {s.notices} thông báo mới ({s.escalated} báo cáo lãnh đạo), {s.emails} thư điện tử; "
            f"thời gian {s.seconds:.2f} s.")
