"""The demo's index as a province that has run motcua for a year would have it: every finished month
computed and published through the monthly cycle (the last one with the chairman's report), and the
running month computed as a draft, so the public portal, the rankings, the scorecards, the open data
and the office's dashboard show figures right after `make run`."""
from datetime import datetime

from motcua.index import reports, services
from motcua.index.engine import periods


def publish_history(history: list[tuple[int, int]], until: datetime, progress=print) -> int:
    """Publish each finished month of `history` (the last one with its report) and compute the running
    month; returns the number of months published."""
    finished = [periods.month(y, m).key for y, m in history if services.period_end(periods.month(y, m)) <= until]
    for key in finished[:-1]:
        services.compute(key, now=until)
        services.publish(key, now=until)
        progress(f"  Chỉ số tháng {key}: đã tính và công bố.")
    if finished:
        reports.monthly(finished[-1], now=until)
        progress(f"  Chỉ số tháng {finished[-1]}: đã công bố, kèm báo cáo Chủ tịch UBND tỉnh (PDF, Excel).")
    if services.period_end(periods.month(until.year, until.month)) > until:
        running = services.compute_running_month(now=until)
        progress(f"  Chỉ số tháng {running.period} (đang diễn ra): số liệu tạm tính.")
    return len(finished)
