"""G5 (petitions, ratings), rule by rule, with dated petitions: on DuckDB, and on the live database
with petitions handled through the feedback app's services (deadlines from the real calendar)."""
from dataclasses import replace

import ibis
import pyarrow as pa
import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.feedback import services
from motcua.index.engine import periods as P
from motcua.index.engine.facts import periods_table, unit_facts
from motcua.index.engine.feedback_facts import PETITION_SCHEMA, RATING_SCHEMA, feedback_items
from motcua.index.live import live_inputs
from motcua.units.models import Role, UnitKind
from tests import factories
from tests.factories import at
from tests.index.builders import COMMUNE, DEPT, PROVINCE, inputs

OCT, NOV = P.month(2026, 10), P.month(2026, 11)
G5 = ("PETITION_ON_TIME", "PETITION_SATISFACTION", "DOSSIER_SATISFACTION")
# Received Mon 5 Oct 2026 09:00: the answer is due 15 working days later, Mon 26 Oct 09:00.
RECEIVED = at(2026, 10, 5, 9)
ANSWER_DUE = at(2026, 10, 26, 9)


def petition(petition_id=1, unit_id=COMMUNE, received_at=RECEIVED, closed_at=None, overdue_at=None,
             dossier_id=None, earlier_id=None, likes=0, dislikes=0) -> dict:
    return dict(petition_id=petition_id, unit_id=unit_id, dossier_id=dossier_id, earlier_id=earlier_id,
                received_at=received_at, closed_at=closed_at, overdue_at=overdue_at, likes=likes, dislikes=dislikes)


def with_feedback(petitions=(), ratings=(), dossiers=()):
    con = ibis.duckdb.connect()
    base = inputs(list(dossiers), backend=con)
    con.con.register("petitions", pa.Table.from_pylist(list(petitions), schema=PETITION_SCHEMA.to_pyarrow()))
    con.con.register("ratings", pa.Table.from_pylist(list(ratings), schema=RATING_SCHEMA.to_pyarrow()))
    return replace(base, petitions=con.table("petitions"), ratings=con.table("ratings"))


def g5(source, period=OCT, unit=COMMUNE, as_of=None) -> dict:
    rows = unit_facts(source, [period], as_of=as_of).to_pyarrow().to_pylist()
    row = next((r for r in rows if r["unit_id"] == unit), {})
    return {code: (row.get(f"{code}_num", 0), row.get(f"{code}_den", 0)) for code in G5}


def test_answered_and_published_within_the_deadlines_is_on_time():
    done = petition(closed_at=at(2026, 10, 20, 9))
    assert g5(with_feedback([done]))["PETITION_ON_TIME"] == (1, 1)
    assert g5(with_feedback([done]))["PETITION_SATISFACTION"] == (1, 1)


def test_a_missed_deadline_makes_it_late_and_unsatisfying():
    late = petition(closed_at=at(2026, 10, 28, 9), overdue_at=ANSWER_DUE)
    figures = g5(with_feedback([late]))
    assert figures["PETITION_ON_TIME"] == (0, 1)
    assert figures["PETITION_SATISFACTION"] == (0, 1)


def test_an_open_petition_is_judged_at_the_period_end():
    pending = petition(received_at=at(2026, 10, 20, 9), overdue_at=at(2026, 11, 10, 9))
    assert g5(with_feedback([pending]))["PETITION_ON_TIME"] == (1, 1)  # within its deadline on 1 Nov
    assert g5(with_feedback([pending]), period=NOV)["PETITION_ON_TIME"] == (0, 1)  # overdue by 1 Dec
    # The current month is judged at the moment of evaluation.
    assert g5(with_feedback([pending]), period=NOV, as_of=at(2026, 11, 9, 12))["PETITION_ON_TIME"] == (1, 1)
    # Received in October, so not in November's satisfaction denominator.
    assert g5(with_feedback([pending]), period=NOV)["PETITION_SATISFACTION"] == (0, 0)


def test_a_petition_closed_before_the_period_is_not_in_it():
    done = petition(closed_at=at(2026, 10, 20, 9))
    assert g5(with_feedback([done]), period=NOV)["PETITION_ON_TIME"] == (0, 0)


def test_dislikes_outnumbering_likes_make_it_unsatisfying():
    answered = dict(closed_at=at(2026, 10, 20, 9))
    disliked = petition(1, likes=2, dislikes=3, **answered)
    even = petition(2, likes=3, dislikes=3, **answered)
    figures = g5(with_feedback([disliked, even]))
    assert figures["PETITION_SATISFACTION"] == (1, 2)
    assert figures["PETITION_ON_TIME"] == (2, 2)  # likes do not change the deadlines


def test_a_re_raised_petition_is_unsatisfying():
    first = petition(1, closed_at=at(2026, 10, 9, 9))
    again = petition(2, received_at=at(2026, 10, 12, 9), earlier_id=1)
    assert g5(with_feedback([first, again]))["PETITION_SATISFACTION"] == (1, 2)  # the re-raise itself is open, in time
    items = feedback_items(with_feedback([first, again]).petitions, periods_table([OCT]), "PETITION_SATISFACTION")
    got = sorted((r["petition_id"], r["in_numerator"]) for r in items.to_pyarrow().to_pylist())
    assert got == [(1, False), (2, True)]


def test_petitions_count_for_the_handling_unit_and_its_province():
    facts = g5(with_feedback([petition(1, unit_id=DEPT), petition(2, overdue_at=at(2026, 10, 6, 9))]), unit=PROVINCE)
    assert facts["PETITION_ON_TIME"] == (1, 2)


def test_feedback_items_list_the_petitions_of_the_numerator_and_denominator():
    rows = [petition(1, closed_at=at(2026, 10, 20, 9)), petition(2, closed_at=at(2026, 10, 28), overdue_at=ANSWER_DUE),
            petition(3, closed_at=at(2026, 9, 30, 9), received_at=at(2026, 9, 20, 9))]
    items = feedback_items(with_feedback(rows).petitions, periods_table([OCT]), "PETITION_ON_TIME")
    got = sorted((r["petition_id"], r["in_numerator"], r["in_denominator"]) for r in items.to_pyarrow().to_pylist())
    assert got == [(1, True, True), (2, False, True)]
    with pytest.raises(ValueError, match="not a petition indicator"):
        feedback_items(with_feedback(rows).petitions, periods_table([OCT]), "ON_TIME")


def test_dossier_satisfaction_subtracts_unsatisfied_ratings_and_petitioned_dossiers():
    finished = dict(received_at=at(2026, 10, 5, 9), appointment_at=at(2026, 10, 8, 9), status=10,
                    finished_at=at(2026, 10, 7, 9), returned_at=at(2026, 10, 7, 10))
    dossiers = [finished] * 4  # ids 1..4, all on time
    source = with_feedback(petitions=[petition(dossier_id=3)],
                           ratings=[{"dossier_id": 1, "satisfied": True}, {"dossier_id": 2, "satisfied": False}],
                           dossiers=dossiers)
    assert g5(source)["DOSSIER_SATISFACTION"] == (2, 4)
    assert g5(with_feedback(dossiers=dossiers))["DOSSIER_SATISFACTION"] == (4, 4)


def test_inputs_without_feedback_tables_score_no_petitions():
    facts = g5(inputs([]))
    assert facts["PETITION_ON_TIME"] == (0, 0) and facts["PETITION_SATISFACTION"] == (0, 0)


# -- the live database: petitions handled through the services ------------------------------------

@pytest.fixture
def commune_desk(db):
    commune = factories.unit("X01", "Xã Một", kind=UnitKind.COMMUNE)
    other = factories.unit("X02", "Xã Hai", kind=UnitKind.COMMUNE)
    return {"unit": commune, "other": other, "officer": factories.officer(commune, Role.PROCESSING),
            "head": factories.officer(commune, Role.HEAD), "other_officer": factories.officer(other, Role.PROCESSING),
            "other_head": factories.officer(other, Role.HEAD)}


def submit(unit, when, **extra):
    return services.submit_petition(unit=unit, petitioner_name="Nguyễn Văn A", petitioner_phone="0912345678",
                                    title="Chậm trả kết quả", content="Đề nghị kiểm tra.", category="procedure",
                                    at=when, **extra)


@pytest.mark.django_db
def test_live_petitions_on_time_late_transferred_and_re_raised(commune_desk):
    d = commune_desk
    on_time = submit(d["unit"], RECEIVED)
    services.act(on_time, "answer", actor=d["officer"], note="Đã xử lý.", at=at(2026, 10, 23, 9))
    services.act(on_time, "publish", actor=d["head"], at=at(2026, 10, 26, 10))
    late_reject = submit(d["unit"], RECEIVED)  # a rejection is due in 2 working days: Wed 7 Oct 09:00
    services.act(late_reject, "reject", actor=d["officer"], note="Không thuộc thẩm quyền.", at=at(2026, 10, 8, 9))
    # Transferred on day 10: the clock restarts at the other commune (answer due Mon 9 Nov 09:00).
    moved = submit(d["unit"], RECEIVED)
    services.act(moved, "transfer", actor=d["officer"], note="Thuộc xã Hai.", to_unit=d["other"],
                 at=at(2026, 10, 19, 9))
    services.act(moved, "answer", actor=d["other_officer"], note="Đã trả lời.", at=at(2026, 11, 6, 9))
    again = submit(d["unit"], at(2026, 10, 27, 9), earlier=on_time)
    live = live_inputs()
    assert g5(live, unit=d["unit"].pk)["PETITION_ON_TIME"] == (2, 3)  # on_time, again; late_reject is late
    assert g5(live, unit=d["unit"].pk)["PETITION_SATISFACTION"] == (1, 3)  # on_time was re-raised
    assert g5(live, unit=d["other"].pk)["PETITION_ON_TIME"] == (1, 1)  # open, within the restarted clock
    # In November the transferred one was answered 6 Nov and awaits publication (due 10 Nov 09:00).
    assert g5(live, period=NOV, unit=d["other"].pk)["PETITION_ON_TIME"] == (0, 1)
    assert g5(live, period=NOV, unit=d["other"].pk, as_of=at(2026, 11, 10, 9))["PETITION_ON_TIME"] == (1, 1)
    assert again.earlier_id == on_time.pk


@pytest.mark.django_db
def test_live_overdue_open_petition(commune_desk):
    submit(commune_desk["unit"], RECEIVED)
    live = live_inputs()
    assert g5(live, unit=commune_desk["unit"].pk, as_of=at(2026, 10, 26, 9))["PETITION_ON_TIME"] == (1, 1)
    assert g5(live, unit=commune_desk["unit"].pk, as_of=at(2026, 10, 26, 9, 1))["PETITION_ON_TIME"] == (0, 1)


@pytest.mark.django_db
def test_live_dislikes_outnumbering_likes(commune_desk):
    d = commune_desk
    answered = [submit(d["unit"], RECEIVED) for _ in range(2)]
    for p in answered:
        services.act(p, "answer", actor=d["officer"], note="Đã xử lý.", at=at(2026, 10, 6, 9))
        services.act(p, "publish", actor=d["head"], at=at(2026, 10, 7, 9))
    for voter, like in (("a", True), ("b", False), ("c", False)):
        services.react(answered[0], voter=voter, like=like)
    services.react(answered[1], voter="a", like=False)
    services.react(answered[1], voter="b", like=True)
    figures = g5(live_inputs(), unit=d["unit"].pk)
    assert figures["PETITION_SATISFACTION"] == (1, 2) and figures["PETITION_ON_TIME"] == (2, 2)


@pytest.mark.django_db
def test_live_dossier_satisfaction_counts_ratings(commune_desk):
    proc = factories.procedure(level="commune")
    common = dict(procedure=proc, unit=commune_desk["unit"], received_unit=commune_desk["unit"],
                  applicant_kind="individual", applicant_name="B",
                  applicant_id=factories.VALID_PID, channel="direct", status=Status.RETURNED,
                  received_at=at(2026, 10, 5, 9), appointment_at=at(2026, 10, 9, 9),
                  finished_at=at(2026, 10, 7, 9), returned_at=at(2026, 10, 7, 10))
    liked, disliked = (Dossier.objects.create(code=f"D{i}", **common) for i in (1, 2))
    services.rate_dossier(liked, satisfied=True, at=at(2026, 10, 8))
    services.rate_dossier(disliked, satisfied=False, comment="Phải đi lại nhiều lần.", at=at(2026, 10, 8))
    assert g5(live_inputs(), unit=commune_desk["unit"].pk)["DOSSIER_SATISFACTION"] == (1, 2)
