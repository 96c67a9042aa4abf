"""`motcua payments reconcile --date YYYY-MM-DD [--unit CODE] [--out FILE]`: the day's
reconciliation of fee payments per unit and channel, as an Excel workbook (every unit)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.payments import reconciliation
from motcua.units.models import Unit


class Command(BaseCommand):
    help = "Thanh toán phí, lệ phí: đối soát theo ngày, theo đơn vị (Excel)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reconcile = sub.add_parser("reconcile", help="lập bảng đối soát thu phí, lệ phí của một ngày (Excel)")
        reconcile.add_argument("--date", required=True, help="ngày, ví dụ 2026-06-01")
        reconcile.add_argument("--unit", default="", help="mã đơn vị (mặc định: mọi đơn vị)")
        reconcile.add_argument("--out", default="", help="tệp Excel (mặc định: doi-soat-thu-phi-<ngày>.xlsx)")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except reconciliation.ReconciliationError as exc:
            raise CommandError(exc.message) from exc

    def _reconcile(self, date, unit="", out="", **_):
        day = reconciliation.parse_day(date)
        unit_id = None
        if unit:
            found = Unit.objects.filter(code=unit).first()
            if found is None:
                raise CommandError(f"Không có đơn vị mã {unit}.")
            unit_id = found.pk
        report = reconciliation.reconcile(day, unit_id=unit_id)
        path = Path(out or reconciliation.file_name(report))
        reconciliation.write_xlsx(report, str(path))
        for line in report.lines:
            self.stdout.write(f"{line.unit_code}\t{line.channel_label}\tthu {line.paid_count} ({line.paid_vnd:,} đ)"
                              f"\thoàn {line.refunded_count} ({line.refunded_vnd:,} đ)\tsai lệch {line.mismatch_count}"
                              f"\tchưa có kết quả {line.unsettled_count}")
        self.stdout.write(self.style.SUCCESS(
            f"Đối soát ngày {day:%d/%m/%Y}: {len(report.payments)} giao dịch, thực thu "
            f"{report.total('net_vnd'):,} đồng. {path}"))
