"""`motcua calendar rebuild [--years 2024-2028]`,
`motcua calendar check 2026-02-13T16:00 5 working_days` and `motcua calendar notices [--year 2026]`."""
from datetime import datetime
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

from motcua.workdays import services
from motcua.workdays.calendar import TimeUnit
from motcua.workdays.notices import load_notices

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _fmt(dt: datetime) -> str:
    clock = f"{dt:%H:%M:%S}" if dt.second or dt.microsecond else f"{dt:%H:%M}"
    if dt.microsecond:
        clock += f".{dt.microsecond:06d}"
    return f"{dt:%Y-%m-%d} {clock} {dt:%a} ({WEEKDAYS_VI[dt.weekday()]})"


def _num(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    if value.denominator <= 8:
        return f"{value} (≈ {float(value):.3f})"
    return f"≈ {float(value):.3f}"


class Command(BaseCommand):
    help = ("Work calendar: rebuild the precomputed table, compute a deadline, or list the government's "
            "notices it follows.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{rebuild,check,notices}")
        rebuild = sub.add_parser("rebuild", help="rebuild the workdays_calendar_day table")
        rebuild.add_argument("--years", help="e.g. 2024-2028 (default MOTCUA_CALENDAR_YEARS)")
        check = sub.add_parser("check", help="print the deadline for a reception time and limit")
        check.add_argument("start", help="reception time, e.g. 2026-02-13T16:00 (local time)")
        check.add_argument("amount", help="time limit, e.g. 5 or 1/2")
        check.add_argument("unit", choices=[u.value for u in TimeUnit])
        notices = sub.add_parser("notices", help="list the government's notices (days off, làm bù)")
        notices.add_argument("--year", type=int, help="only the notices with days in this year")

    def handle(self, *args, action, **options):
        try:
            if action == "rebuild":
                years = services.calendar_years(options["years"]) if options["years"] else None
                count = services.rebuild_calendar_table(years)
                self.stdout.write(f"workdays_calendar_day: {count} days written "
                                  f"({len(load_notices())} government notices applied)")
            elif action == "notices":
                self._notices(options["year"])
            else:
                self._check(options["start"], options["amount"], options["unit"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _notices(self, year: int | None) -> None:
        def days(values) -> str:
            return ", ".join(f"{d:%d/%m/%Y} {WEEKDAYS_VI[d.weekday()]}" for d in values) or "—"

        shown = [n for n in load_notices() if year is None or any(d.year == year for d in n.days)]
        for n in shown:
            self.stdout.write(
                f"{n.occasion}: {n.document} ({n.issuer}, {n.issued:%d/%m/%Y}; checked: {n.checked})\n"
                f"  nghỉ:   {days(n.off)}\n  làm bù: {days(n.work)}\n  {n.url}"
            )
        self.stdout.write(f"{len(shown)} notices")

    def _check(self, start_text: str, amount_text: str, unit_text: str) -> None:
        calendar = services.province_calendar()
        try:
            start = datetime.fromisoformat(start_text)
        except ValueError:
            raise CommandError(f"start: {start_text!r} is not an ISO date-time") from None
        if start.tzinfo is None:
            start = start.replace(tzinfo=calendar.tz)
        try:
            amount = Fraction(amount_text)
        except (ValueError, ZeroDivisionError):
            raise CommandError(f"amount: {amount_text!r} is not a number") from None
        unit = TimeUnit(unit_text)
        received = calendar.next_working_instant(start)
        due = calendar.add(start, amount, unit)
        elapsed = calendar.working_time_between(received, due)
        lines = [f"submitted   {_fmt(start.astimezone(calendar.tz))}"]
        if received != start:
            lines.append(f"received    {_fmt(received)}  (next working period)")
        lines.append(f"limit       {amount} {unit.value}")
        lines.append(f"deadline    {_fmt(due)}")
        lines.append(
            f"working time {_num(elapsed)} working days = {_num(elapsed * 8)} working hours "
            "(from reception to deadline)"
        )
        self.stdout.write("\n".join(lines))
