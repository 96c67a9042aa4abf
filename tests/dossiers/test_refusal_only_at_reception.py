"""Refusal only at reception; after it, a stop (one-stop.md, Forms; service-index.md, ON_TIME):
a received dossier cannot be refused, by the service or on the desk page, and nothing changes; a
stopped dossier stays in the index's denominator; refusals recorded after reception before this
rule are converted into stops by the data migration, with the event chain intact."""
import pytest
from django.urls import reverse

from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierEvent, OutboxMessage
from motcua.dossiers.reclassify import stop_refusals_after_reception
from motcua.dossiers.services import Applicant, DossierError, _new_event, _record, open_dossier, transition
from motcua.dossiers.transitions import Action, Actor, Status
from motcua.index.engine import periods as P
from motcua.index.engine.facts import dossier_items, unit_facts
from motcua.index.live import live_inputs
from tests import factories as f
from tests.factories import at
from tests.index.builders import COMMUNE, inputs

pytestmark = pytest.mark.django_db
OCT = P.month(2026, 10)
CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Đinh Văn H", f.VALID_PID)


@pytest.fixture
def desk():
    return f.desk()


def receive(desk, when=None) -> Dossier:
    return open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT, applicant=CITIZEN,
                        action=Action.RECEIVE, actor=desk["reception"], at=when or at(2026, 10, 5, 9))


def written(d: Dossier) -> tuple:
    return (Dossier.objects.filter(pk=d.pk).values().get(), DossierEvent.objects.filter(dossier=d).count(),
            OutboxMessage.objects.count())


@pytest.mark.parametrize("status_after", ["received", "in_process"])
def test_a_received_dossier_cannot_be_refused_by_anyone(desk, status_after):
    d = receive(desk)
    if status_after == "in_process":
        transition(d, Action.START_PROCESSING, actor=desk["processing"], at=at(2026, 10, 5, 10))
    before = written(d)
    for officer in (desk["reception"], desk["head"]):
        with pytest.raises(DossierError, match="Không thể «Từ chối tiếp nhận» khi hồ sơ ở trạng thái [24]"):
            transition(d, Action.REFUSE, actor=officer, at=at(2026, 10, 6, 9), reason="Không đủ điều kiện")
    assert written(d) == before


def test_the_desk_page_offers_a_stop_not_a_refusal_and_refuses_a_forged_refusal(client, desk):
    d = receive(desk)
    client.force_login(desk["head"])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Dừng xử lý" in page and "Từ chối tiếp nhận" not in page
    before = written(d)
    forged = client.post(reverse("dossiers:act", args=[d.code, "refuse"]),
                         {"version": d.version, "reason": "Không đủ điều kiện"}, follow=True)
    assert "Không thể «Từ chối tiếp nhận» khi hồ sơ ở trạng thái 2" in forged.content.decode()
    assert written(d) == before
    stopped = client.post(reverse("dossiers:act", args=[d.code, "stop"]),
                          {"version": d.version, "reason": "Đất đang có tranh chấp"}, follow=True)
    text = stopped.content.decode()
    assert "in thông báo dừng giải quyết (Mẫu 05)" in text
    assert reverse("slips:dossier", args=[d.code, "05"]) in text
    assert Dossier.objects.get(pk=d.pk).status == Status.STOPPED


def test_an_online_submission_can_still_be_refused_at_reception(desk):
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.ONLINE, applicant=CITIZEN,
                     action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, at=at(2026, 10, 5, 20))
    transition(d, Action.REFUSE, actor=desk["reception"], at=at(2026, 10, 6, 9), reason="Sai thẩm quyền")
    assert (d.status, d.received_at) == (Status.REFUSED, None)


def _on_time(rows) -> tuple[int, int]:
    facts = unit_facts(rows, [OCT]).to_pyarrow().to_pylist()
    return next((r["ON_TIME_num"], r["ON_TIME_den"]) for r in facts if r["unit_id"] == COMMUNE)


def test_a_stopped_dossier_stays_in_the_denominator():
    received = {"received_at": at(2026, 10, 5, 9), "appointment_at": at(2026, 10, 8, 9)}
    # Stopped before its appointment: on time; after it: late; either way counted.
    assert _on_time(inputs([{**received, "status": 8, "closed_at": at(2026, 10, 7, 9)}])) == (1, 1)
    assert _on_time(inputs([{**received, "status": 8, "closed_at": at(2026, 10, 9, 9)}])) == (0, 1)
    # Refused at reception: never received, counted nowhere.
    assert _on_time(inputs([{"status": 3, "closed_at": at(2026, 10, 5, 9)},
                            {**received, "status": 8, "closed_at": at(2026, 10, 7, 9)}])) == (1, 1)


def test_a_stop_on_the_live_database_is_counted(desk):
    d = receive(desk)
    transition(d, Action.STOP, actor=desk["head"], at=at(2026, 10, 7, 9), reason="Đất đang có tranh chấp")
    rows = dossier_items(live_inputs(), OCT).select("dossier_id", "ON_TIME_num", "ON_TIME_den").to_pyarrow()
    assert rows.to_pylist() == [{"dossier_id": d.pk, "ON_TIME_num": True, "ON_TIME_den": True}]


def legacy_refusal(desk, when) -> Dossier:
    """A received dossier refused the way the old table allowed (status 2 → 3, chained event)."""
    d = receive(desk)
    event = _new_event(d, Action.REFUSE, d.status, Status.REFUSED, desk["head"], Actor.HEAD, when,
                       "Không đủ điều kiện", {})
    Dossier.objects.filter(pk=d.pk).update(status=Status.REFUSED, version=event.seq, event_head_hash=event.hash,
                                           last_event_at=when, closed_at=when)
    d.refresh_from_db()
    _record(d, event)
    return d


def test_the_migration_converts_refusals_after_reception_into_stops(desk):
    legacy = legacy_refusal(desk, at(2026, 10, 7, 9))
    at_the_desk = open_dossier(procedure=desk["procedure"], unit=desk["unit"], channel=Channel.DIRECT,
                               applicant=CITIZEN, action=Action.REFUSE, actor=desk["reception"],
                               at=at(2026, 10, 5, 9), reason="Sai thẩm quyền")
    assert dossier_items(live_inputs(), OCT).count().to_pyarrow().as_py() == 0  # vanished from the index
    untouched = written(at_the_desk)
    reported = []
    assert stop_refusals_after_reception(Dossier, DossierEvent, OutboxMessage, reported.append) == [legacy.code]
    assert legacy.code in reported[0] and "Mẫu 05" in reported[0]

    d = Dossier.objects.get(pk=legacy.pk)
    assert (d.status, d.closed_at, d.version) == (Status.STOPPED, at(2026, 10, 7, 9), 3)
    actions = list(d.events.order_by("seq").values_list("action", "from_status", "to_status", "actor_role"))
    assert actions == [("receive", None, 2, "reception"), ("refuse", 2, 3, "head"), ("stop", 3, 8, "system")]
    assert d.events.last().data["reclassified_from"] == "refuse"
    assert list(verify_event_chains()) == []
    assert OutboxMessage.objects.filter(dossier=d).order_by("id").last().payload["TrangThai"] == 8
    assert written(at_the_desk)[:2] == untouched[:2]  # refused before reception: stays refused
    rows = dossier_items(live_inputs(), OCT).select("dossier_id", "ON_TIME_num").to_pyarrow().to_pylist()
    assert rows == [{"dossier_id": d.pk, "ON_TIME_num": True}]  # stopped before its appointment
    # Run again: nothing left to convert.
    assert stop_refusals_after_reception(Dossier, DossierEvent, OutboxMessage, reported.append) == []
