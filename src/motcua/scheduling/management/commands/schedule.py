"""`motcua schedule`: recover the tasks lost with a dead worker (`recovery`), then enqueue the periodic
tasks that are due (`MOTCUA_SCHEDULE`); `motcua db_worker` runs them. Once (from cron, every minute)
or `--loop`."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.command_args import instant
from motcua.scheduling.recovery import recover_lost_tasks
from motcua.scheduling.schedule import ScheduleError, configured_schedule, enqueue_due


class Command(BaseCommand):
    help = ("Đưa các việc định kỳ đến hạn (quét thời hạn, đồng bộ Cổng DVC quốc gia, tra cứu CSDL dân cư, "
            "đối soát thanh toán, tính chỉ số tháng, gửi thông báo cho công dân) vào hàng đợi; "
            "`motcua db_worker` thực hiện. Mỗi kỳ chỉ đưa một lần.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="chạy mãi, kiểm tra mỗi --every giây")
        parser.add_argument("--every", type=int, default=30, help="khoảng kiểm tra khi --loop (giây, mặc định 30)")
        parser.add_argument("--now", type=instant, default=None, help="thời điểm thay cho hiện tại (ISO 8601)")

    def handle(self, *args, loop=False, every=30, now=None, **options):
        if every < 1:
            raise CommandError("--every phải lớn hơn 0.")
        try:
            schedule = configured_schedule()
        except ScheduleError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("Lịch: " + ", ".join(f"{name} mỗi {minutes} phút" for name, minutes in schedule.items()))
        while True:
            for lost in recover_lost_tasks():  # leases run on the real clock, whatever --now says
                self.stdout.write(f"Việc {lost.task_path} ({lost.task_id}) mất tiến trình {lost.worker_id}: ghi thất bại, "
                                  + (f"chạy lại ({lost.retry_id})." if lost.retry_id else "không chạy lại nữa."))
            at = now or timezone.now()
            names = enqueue_due(at, schedule)
            if names:
                self.stdout.write(f"{timezone.localtime(at):%d/%m/%Y %H:%M:%S} đã đưa vào hàng đợi: {', '.join(names)}",
                                  ending="\n")
            self.stdout.flush()
            if not loop:
                return
            time.sleep(every)
