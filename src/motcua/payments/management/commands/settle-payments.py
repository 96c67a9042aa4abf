"""`motcua settle-payments`: query the gateways (VNPAY-style, national platform) about online
payments whose notification never came, and apply the answers (safe to run from cron, repeatedly)."""
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from motcua.payments.services import PaymentError, settle_pending


class Command(BaseCommand):
    help = ("Tra vấn cổng thanh toán về các giao dịch trực tuyến chưa nhận được thông báo kết quả (IPN) "
            "và ghi nhận kết quả như một thông báo. Chạy lại nhiều lần không ghi nhận trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=int, default=15,
                            help="chỉ tra vấn giao dịch đã bắt đầu ít nhất từng ấy phút (mặc định 15)")

    def handle(self, *args, min_age=15, **options):
        try:
            counts = settle_pending(min_age=timedelta(minutes=min_age))
        except PaymentError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Đã tra vấn {counts['queried']} giao dịch: {counts['settled']} ghi nhận, "
                          f"{counts['unknown']} chưa có kết quả, {counts['refused']} bị từ chối; "
                          f"{counts['confirmed']} hồ sơ đã nộp phí trước được chuyển xử lý.")
