"""The desk's "overdue" badge and the index's ON_TIME verdict agree on the same dossiers: over the
demo province, judged at the close of a Friday, that evening, on the Saturday and on Monday
morning (one-stop.md: "overdue" is derived from the clock; service-index.md: ON_TIME compares
instants)."""
import pytest
from django.core.management import call_command

from motcua.demo.loader import load_demo
from motcua.dossiers.deadlines import OPEN_STATUSES, scan_deadlines
from motcua.dossiers.models import ApplicantKind, Channel, DeadlineState, Dossier
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Status
from motcua.index.engine import periods as P
from motcua.index.engine.facts import dossier_items
from motcua.index.live import live_inputs
from motcua.units.models import Role
from tests import factories as f
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


def due_at_friday_close() -> Dossier:
    """A dossier of a unit of our own, received Wed 18 Nov 07:30 with 3 working days: due Fri 17:00."""
    unit = f.unit(code="KTDH", name="Đơn vị kiểm thử đồng hồ")
    reception, processing = f.officer(unit, Role.RECEPTION), f.officer(unit, Role.PROCESSING)
    d = open_dossier(procedure=f.procedure(code="0.000001-KT", agency=unit, time_limit="3"), unit=unit,
                     channel=Channel.DIRECT, action=Action.RECEIVE, actor=reception, at=at(2026, 11, 18, 7, 30),
                     applicant=Applicant(ApplicantKind.INDIVIDUAL, "Hà Văn K", f.VALID_PID))
    transition(d, Action.START_PROCESSING, actor=processing, at=at(2026, 11, 18, 8))
    assert d.current_appointment_at == UNTIL
    return d


@pytest.mark.django_db
def test_overdue_on_the_desk_is_late_in_the_index(demo_province):
    ours = due_at_friday_close()
    open_ids = set(Dossier.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    assert len(open_ids) > 50
    overdue = []
    for now in MOMENTS:
        scan_deadlines(now, send_mail=False)
        desk = set(Dossier.objects.filter(status__in=OPEN_STATUSES, deadline_state=DeadlineState.OVERDUE)
                   .values_list("pk", flat=True))
        late = index_late(now)
        assert late <= open_ids
        assert desk == late, (now, sorted(desk - late)[:5], sorted(late - desk)[:5])
        overdue.append(desk)
    # Dossiers due at Friday's close whose clock runs are overdue from that evening, before any
    # office time has run; those waiting for a supplement are judged when it was requested.
    running_due_at_close = set(Dossier.objects.filter(status__in=OPEN_STATUSES, current_appointment_at=UNTIL,
                                                      supplement_count__lte=1)
                               .exclude(status=Status.SUPPLEMENT_REQUESTED).values_list("pk", flat=True))
    assert ours.pk in running_due_at_close
    assert overdue[1] - overdue[0] == running_due_at_close and overdue[0] <= overdue[1] == overdue[2]
