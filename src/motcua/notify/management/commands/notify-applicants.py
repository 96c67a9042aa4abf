"""`motcua notify-applicants`: send the applicants' notices due in the outbox (safe to run from cron)."""
from django.core.management.base import BaseCommand

from motcua.notify.services import deliver_pending


class Command(BaseCommand):
    help = ("Gửi các thông báo cho công dân đang chờ (thư điện tử, SMS, Zalo): lần đầu và gửi lại sau lỗi. "
            "Chạy lại nhiều lần không gửi trùng.")

    def handle(self, *args, **options):
        s = deliver_pending()
        self.stdout.write(f"Đã gửi {s.sent} thông báo cho công dân, {s.failed} lỗi (sẽ gửi lại).")
        for pk, address, error in s.errors[:10]:
            self.stderr.write(f"  #{pk} {address}: {error[:300]}")
