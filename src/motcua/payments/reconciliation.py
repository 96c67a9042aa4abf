"""The per-unit, per-day reconciliation (đối soát) of fee payments, and its Excel workbook.

For a day (Asia/Ho_Chi_Minh) and each unit handling the dossiers: per channel (cash at the desk,
VNPAY-style gateway of the province, national payment platform) the payments paid that day
(count, amount), the refunds made that day, the net, the amount mismatches flagged on payments
started that day, and the online payments started that day still unsettled (pending). Reads only;
what an officer may see goes through `units.scoping`: a head of unit sees their unit, the
provincial office every unit; other roles none.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from motcua.common.spreadsheets import new_workbook
from motcua.dossiers.models import PaymentChannel
from motcua.payments.models import Payment, PaymentStatus
from motcua.units import policy
from motcua.units.scoping import scoped

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CHANNELS = (PaymentChannel.CASH, PaymentChannel.PROVINCE_GATEWAY, PaymentChannel.NATIONAL_PLATFORM)
UNIT_FIELD = "obligation__dossier__unit"


class ReconciliationError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Line:
    """One unit × channel of the day."""

    unit_code: str
    unit_name: str
    channel: str
    paid_count: int = 0
    paid_vnd: int = 0
    refunded_count: int = 0
    refunded_vnd: int = 0
    mismatch_count: int = 0
    mismatch_vnd: int = 0
    unsettled_count: int = 0
    unsettled_vnd: int = 0

    @property
    def net_vnd(self) -> int:
        return self.paid_vnd - self.refunded_vnd

    @property
    def channel_label(self) -> str:
        with translation.override("vi"):
            return str(PaymentChannel(self.channel).label)


@dataclass
class Report:
    day: date
    lines: list[Line] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(line, name) for line in self.lines)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ReconciliationError(gettext("Ngày không hợp lệ; hãy ghi theo dạng YYYY-MM-DD, ví dụ 2026-06-01."),
                                  "bad_date") from None


def visible_payments(user):
    """The payments `user` may reconcile (None: the command, every unit)."""
    payments = Payment.objects.select_related("obligation__dossier__unit", "received_by", "refunded_by")
    if user is None:
        return payments
    if not policy.can_read_reconciliation(user) and not getattr(user, "is_superuser", False):
        return payments.none()
    return scoped(payments, user, UNIT_FIELD)


def reconcile(day: date, *, user=None, unit_id: int | None = None) -> Report:
    start = datetime.combine(day, time(), VN)
    end = start + timedelta(days=1)

    def within(name):
        return Q(**{f"{name}__gte": start, f"{name}__lt": end})

    payments = visible_payments(user).filter(within("paid_at") | within("refunded_at") | within("created_at"))
    if unit_id is not None:
        payments = payments.filter(obligation__dossier__unit_id=unit_id)
    payments = list(payments.order_by("obligation__dossier__unit__code", "channel", "created_at", "id"))
    lines: dict[tuple[str, str], Line] = {}
    for p in payments:
        unit = p.obligation.dossier.unit
        line = lines.setdefault((unit.code, p.channel), Line(unit.code, unit.name, p.channel))
        if p.paid_at and start <= p.paid_at < end:
            line.paid_count, line.paid_vnd = line.paid_count + 1, line.paid_vnd + p.amount_vnd
        if p.status == PaymentStatus.REFUNDED and start <= p.refunded_at < end:
            line.refunded_count, line.refunded_vnd = line.refunded_count + 1, line.refunded_vnd + p.amount_vnd
        if start <= p.created_at < end and p.status == PaymentStatus.MISMATCH:
            line.mismatch_count, line.mismatch_vnd = line.mismatch_count + 1, line.mismatch_vnd + p.amount_vnd
        if start <= p.created_at < end and p.status == PaymentStatus.PENDING:
            line.unsettled_count, line.unsettled_vnd = line.unsettled_count + 1, line.unsettled_vnd + p.amount_vnd
    order = {channel: i for i, channel in enumerate(CHANNELS)}
    return Report(day, sorted(lines.values(), key=lambda x: (x.unit_code, order.get(x.channel, 9))), payments)


SUMMARY_COLUMNS = (
    ("Mã đơn vị", 12, "unit_code"), ("Đơn vị", 36, "unit_name"), ("Hình thức", 28, "channel_label"),
    ("Số giao dịch đã thu", 12, "paid_count"), ("Số tiền đã thu (đồng)", 16, "paid_vnd"),
    ("Số giao dịch hoàn", 12, "refunded_count"), ("Số tiền hoàn (đồng)", 16, "refunded_vnd"),
    ("Thực thu (đồng)", 16, "net_vnd"), ("Sai lệch cần đối soát", 12, "mismatch_count"),
    ("Số tiền sai lệch (đồng)", 16, "mismatch_vnd"), ("Chưa có kết quả", 12, "unsettled_count"),
    ("Số tiền chưa có kết quả (đồng)", 16, "unsettled_vnd"),
)
DETAIL_COLUMNS = (
    ("Mã giao dịch", 24), ("Mã hồ sơ", 20), ("Mã đơn vị", 12), ("Hình thức", 28), ("Cổng", 10),
    ("Số tiền (đồng)", 14), ("Trạng thái", 22), ("Lập lúc", 17), ("Thanh toán lúc", 17),
    ("Mã giao dịch tại cổng", 18), ("Số biên lai", 16), ("Hoàn tiền lúc", 17), ("Người quyết định hoàn", 18),
    ("Lý do hoàn / sai lệch", 40),
)


def _local(value: datetime | None) -> str:
    return f"{value.astimezone(VN):%d/%m/%Y %H:%M}" if value else ""


def write_xlsx(report: Report, stream: BinaryIO | str) -> None:
    """Sheet "Đối soát": the lines and their totals; sheet "Giao dịch": every payment of the day."""
    workbook, fmt_header, fmt_text, fmt_wrap, _fmt_date = new_workbook(stream)
    fmt_money = workbook.add_format({"num_format": "#,##0", "valign": "top"})
    fmt_total = workbook.add_format({"num_format": "#,##0", "bold": True, "top": 1})
    ws = workbook.add_worksheet("Đối soát")
    ws.write_string(0, 0, f"Đối soát thu phí, lệ phí ngày {report.day:%d/%m/%Y}", workbook.add_format({"bold": True}))
    for j, (header, width, _key) in enumerate(SUMMARY_COLUMNS):
        ws.write_string(2, j, header, fmt_header)
        ws.set_column(j, j, width)
    ws.freeze_panes(3, 3)
    for i, line in enumerate(report.lines, start=3):
        for j, (_header, _width, key) in enumerate(SUMMARY_COLUMNS):
            value = getattr(line, key)
            if isinstance(value, int):
                ws.write_number(i, j, value, fmt_money)
            else:
                ws.write_string(i, j, value, fmt_text if j == 0 else fmt_wrap)
    total_row = 3 + len(report.lines)
    ws.write_string(total_row, 2, "Tổng cộng", fmt_header)
    for j, (_header, _width, key) in enumerate(SUMMARY_COLUMNS[3:], start=3):
        ws.write_number(total_row, j, report.total(key), fmt_total)

    detail = workbook.add_worksheet("Giao dịch")
    for j, (header, width) in enumerate(DETAIL_COLUMNS):
        detail.write_string(0, j, header, fmt_header)
        detail.set_column(j, j, width)
    detail.freeze_panes(1, 1)
    detail.autofilter(0, 0, max(len(report.payments), 1), len(DETAIL_COLUMNS) - 1)
    with translation.override("vi"):
        for i, p in enumerate(report.payments, start=1):
            row = (p.txn_ref, p.obligation.dossier.code, p.obligation.dossier.unit.code,
                   str(p.get_channel_display()), p.gateway, p.amount_vnd, str(p.get_status_display()),
                   _local(p.created_at), _local(p.paid_at), p.gateway_txn_no, p.receipt_number,
                   _local(p.refunded_at), p.refunded_by.username if p.refunded_by else "",
                   p.refund_reason or p.flag_reason)
            for j, value in enumerate(row):
                if isinstance(value, int):
                    detail.write_number(i, j, value, fmt_money)
                else:
                    detail.write_string(i, j, value, fmt_text if j < 3 else fmt_wrap)
    workbook.close()


def file_name(report: Report) -> str:
    return f"doi-soat-thu-phi-{report.day:%Y-%m-%d}.xlsx"
