"""The desk's "overdue" badge and the index's ON_TIME verdict agree on the same dossiers: over the
demo province, judged at the close of a Friday, that evening, on the Saturday and on Monday
morning (one-stop.md: "overdue" is derived from the clock; service-index.md: ON_TIME compares
instants)."""
import pytest
from django.core.management import call_command

from motcua.demo.loader import load_demo
from motcua.dossiers.deadlines import OPEN_STATUSES, scan_deadlines
from motcua.dossiers.models import DeadlineState, Dossier
from motcua.index.engine import periods as P
from motcua.index.engine.facts import dossier_items
from motcua.index.live import live_inputs
from tests.factories import at

UNTIL = at(2026, 11, 20, 17, 0)  # Friday close: the demo's last instant; nothing happens after it
MOMENTS = [UNTIL, at(2026, 11, 20, 17, 30), at(2026, 11, 21, 10, 0), at(2026, 11, 23, 9, 0)]


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(province_code=24, months=1, per_month=400, seed=5, until=UNTIL, progress=lambda _: None)
        yield
        call_command("flush", interactive=False, verbosity=0)


def index_late(now) -> set[int]:
    """The dossiers open at `now` that the index does not count on time."""
    items = dossier_items(live_inputs(), P.month(now.year, now.month), as_of=now)
    items = items.filter(items.open_at_end).select("dossier_id", "ON_TIME_num").to_pyarrow().to_pylist()
    return {r["dossier_id"] for r in items if not r["ON_TIME_num"]}


@pytest.mark.django_db
def test_overdue_on_the_desk_is_late_in_the_index(demo_province):
    open_ids = set(Dossier.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    assert len(open_ids) > 50
    overdue_counts = []
    for now in MOMENTS:
        scan_deadlines(now, send_mail=False)
        desk = set(Dossier.objects.filter(status__in=OPEN_STATUSES, deadline_state=DeadlineState.OVERDUE)
                   .values_list("pk", flat=True))
        late = index_late(now)
        assert late <= open_ids
        assert desk == late, (now, sorted(desk - late)[:5], sorted(late - desk)[:5])
        overdue_counts.append(len(desk))
    # Dossiers due at Friday's close are overdue from that evening, before any office time has run.
    due_at_close = Dossier.objects.filter(status__in=OPEN_STATUSES, current_appointment_at=UNTIL).count()
    assert due_at_close > 0
    assert overdue_counts[1] == overdue_counts[0] + due_at_close
    assert overdue_counts[2] == overdue_counts[1]
