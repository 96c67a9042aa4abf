import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.demo import loader
from motcua.demo.models import DemoLoad
from motcua.demo.organisation import DEMO_PASSWORD
from motcua.units.models import Unit


class Command(BaseCommand):
    help = "Nạp tỉnh mẫu (Bắc Ninh) hoặc sinh dữ liệu Parquet cho đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="xóa toàn bộ dữ liệu rồi nạp lại")
        parser.add_argument("--if-empty", action="store_true",
                            help="chỉ nạp khi cơ sở dữ liệu còn trống (một lần nạp dở thì nạp tiếp)")
        parser.add_argument("--core", action="store_true",
                            help="chỉ phần cần để làm việc ngay (tổ chức, thủ tục, hồ sơ tháng này); "
                                 "phần lịch sử nạp sau bằng --history")
        parser.add_argument("--history", action="store_true",
                            help="nạp nốt phần lịch sử của lần nạp dở (không có gì thì thôi)")
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--per-month", type=int, default=1000, help="số hồ sơ mỗi tháng của cả tỉnh")
        parser.add_argument("--seed", type=int, default=2026)
        sub = parser.add_subparsers(dest="target")
        pq = sub.add_parser("parquet", help="ghi N hồ sơ thẳng ra Parquet")
        pq.add_argument("--rows", type=int, required=True)
        pq.add_argument("--out", type=Path, default=Path("var/parquet"))
        pq.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, target=None, **options):
        if target == "parquet":
            return self._parquet(options)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
        load = DemoLoad.objects.first()
        if options["history"]:
            return self._run(load, limit=None)
        if Unit.objects.exists():
            # Never a second province on top of the first; a load cut short goes on where it stopped.
            if load is None or not loader.pending_steps(load).exists():
                self.stdout.write("Dữ liệu mẫu đã có sẵn (dùng --reset để nạp lại).")
            else:
                self._run(load, limit=loader.CORE_STEPS if options["core"] else None)
        else:
            load = loader.plan_demo(province_code=settings.MOTCUA_PROVINCE_CODE, months=options["months"],
                                    per_month=options["per_month"], seed=options["seed"],
                                    progress=self.stdout.write)
            self._run(load, limit=loader.CORE_STEPS if options["core"] else None)
        self._print_logins()

    def _run(self, load, *, limit):
        if load is None or not loader.pending_steps(load).exists():
            return
        started = time.perf_counter()
        loader.run_steps(load, progress=self.stdout.write, limit=limit)
        s = loader.summary(time.perf_counter() - started)
        rest = loader.pending_steps(load).count()
        self.stdout.write(self.style.SUCCESS(
            f"Đã nạp trong {s.seconds:.0f} s — tỉnh mẫu có {s.units} đơn vị, {s.officers} cán bộ, "
            f"{s.procedures} thủ tục, {s.dossiers} hồ sơ, {s.events} sự kiện, {s.delay_reports} phiếu xin lỗi"
            + (f"; còn {rest} bước lịch sử (motcua demo --history)." if rest else ".")))

    def _print_logins(self):
        self.stdout.write(
            "\nĐăng nhập (mật khẩu chung: %s):\n"
            "  admin            quản trị hệ thống\n"
            "  vanphong         Văn phòng UBND tỉnh (xem toàn tỉnh)\n"
            "  stp.tiepnhan / stp.xuly / stp.lanhdao   tiếp nhận / xử lý / lãnh đạo Sở Tư pháp\n"
            "  x07627.tiepnhan  tiếp nhận của một xã (mã xã 07627); mọi đơn vị đều có .tiepnhan .xuly .lanhdao\n"
            % DEMO_PASSWORD)

    def _parquet(self, options):
        from motcua.demo.parquet import write_dossiers_parquet

        summary = write_dossiers_parquet(
            options["out"], options["rows"], seed=options["seed"],
            progress=lambda done, total: self.stdout.write(f"  {done:,}/{total:,} hồ sơ"))
        self.stdout.write(self.style.SUCCESS(
            f"{summary.rows} hồ sơ → {options['out']} trong {summary.seconds:.1f} s, "
            f"bộ nhớ đỉnh {summary.peak_rss_mb:.0f} MB"))
