"""`motcua sync push | population | status`: the national-portal outbox and the population check."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.integrations import outbox, population
from motcua.integrations.transports import configured_transport


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ (cần YYYY-MM-DD): {value}") from None


def _age(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return " ".join(p for p in (f"{days} ngày" if days else "", f"{hours} giờ" if hours else "",
                                f"{minutes} phút") if p)


class Command(BaseCommand):
    help = "Đồng bộ trạng thái hồ sơ lên Cổng DVC quốc gia và tra cứu CSDL quốc gia về dân cư."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        push = sub.add_parser("push", help="gửi các thay đổi trạng thái đang chờ (việc định kỳ)")
        push.add_argument("--limit", type=int, default=None, help="gửi tối đa N thay đổi trong lần chạy này")
        push.add_argument("--transport", choices=["http", "in-process"], default="http",
                          help="http: tới MOTCUA_NATIONAL_ENDPOINT; in-process: thẳng vào bộ nhận giả lập")
        pop = sub.add_parser("population", help="tra cứu CSDL dân cư cho hồ sơ cá nhân chưa tra cứu")
        pop.add_argument("--since", type=_day, default=None, help="chỉ hồ sơ nộp/tiếp nhận từ ngày này (YYYY-MM-DD)")
        pop.add_argument("--limit", type=int, default=None)
        sub.add_parser("status", help="in số thay đổi chờ gửi, đang lỗi, đã xác nhận")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _push(self, limit=None, transport="http", **_):
        if limit is not None and limit < 1:
            raise CommandError("--limit phải lớn hơn 0.")
        try:
            chosen = configured_transport(transport)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with outbox.single_pusher() as alone:
            if not alone:
                self.stdout.write("Một lần gửi khác đang chạy trên cơ sở dữ liệu này; bỏ qua lần này.")
                return
            result = outbox.push_pending(chosen, limit=limit)
        self.stdout.write(
            f"Đã gửi {result.sent}: {result.acknowledged} được xác nhận, {result.failed} lỗi (sẽ gửi lại), "
            f"{result.held_back} chờ thay đổi trước của cùng hồ sơ; {result.dossiers_synced} hồ sơ đã đồng bộ đủ.")
        for pk, code, error in result.errors[:10]:
            self.stderr.write(f"  #{pk} {code}: {error[:300]}")
        if result.stopped:
            raise CommandError(f"Dừng lần gửi: {result.stopped[:300]}")

    def _population(self, since=None, limit=None, **_):
        counts = population.check_unchecked(since, limit, on_error=lambda code, exc: self.stderr.write(f"  {code}: {exc}"))
        self.stdout.write(f"Tra cứu CSDL dân cư ({counts.source}): {counts.matched + counts.unmatched} hồ sơ, "
                          f"{counts.matched} khớp, {counts.unmatched} không khớp, {counts.errors} chưa tra cứu được.")
        if counts.errors:
            raise CommandError(f"{counts.errors} hồ sơ chưa tra cứu được; chạy lại sau.")

    def _status(self, **_):
        s = outbox.sync_status()
        self.stdout.write(f"Đồng bộ Cổng DVC quốc gia, lúc {timezone.localtime():%d/%m/%Y %H:%M}:")
        self.stdout.write(f"  chờ gửi (chưa gửi lần nào): {s.unsent}")
        self.stdout.write(f"  đang lỗi (đã gửi, chưa được xác nhận): {s.failing}")
        self.stdout.write(f"  đến hạn gửi ngay: {s.due}")
        self.stdout.write(f"  đã xác nhận: {s.acknowledged}")
        if s.oldest_pending_at:
            self.stdout.write(f"  chờ lâu nhất: {_age(s.oldest_pending_age)} "
                              f"(từ {timezone.localtime(s.oldest_pending_at):%d/%m/%Y %H:%M})")
        else:
            self.stdout.write("  chờ lâu nhất: không có thay đổi nào đang chờ")
        self.stdout.write(f"  hồ sơ đã đồng bộ: {s.dossiers_synced}/{s.dossiers}")
        for m in outbox.failing_messages():
            nxt = timezone.localtime(m.next_attempt_at).strftime("%d/%m %H:%M") if m.next_attempt_at else "ngay"
            self.stdout.write(f"  lỗi #{m.pk} {m.dossier.code} → trạng thái {m.payload.get('TrangThai')}: "
                              f"{m.attempts} lần, gửi lại {nxt}: {m.last_error[:200]}")
