"""Reception regardless of administrative boundary within the province (Decree 118/2025/NĐ-CP): a
commune's one-stop point receives a department's dossier, which goes to the department by an event;
both see it, each in its own queues; only the department processes it; the result is returned at
the point the applicant chose; the index credits the resolving unit."""
import pytest

from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierError
from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Actor, Status
from motcua.index import services as index_services
from motcua.index.engine import periods as P
from motcua.results.services import return_result
from motcua.units.models import Role, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db
APPLICANT = Applicant(ApplicantKind.INDIVIDUAL, "Nguyễn Văn A", f.VALID_PID)


@pytest.fixture
def province():
    dept, other_dept = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    other_commune = f.unit("07630", "Phường Kinh Bắc", kind=UnitKind.COMMUNE)
    people = {u.code: {r: f.officer(u, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
              for u in (dept, commune, other_commune, other_dept)}
    return {"dept": dept, "other_dept": other_dept, "commune": commune, "other_commune": other_commune,
            "people": people,
            "procedure": f.procedure(code="1.000001", agency=dept, time_limit="3", result_is_document=False),
            "commune_procedure": f.procedure(code="2.000001", level="commune", time_limit="3")}


def receive_at_commune(p, at=None, **extra):
    return open_dossier(procedure=p["procedure"], unit=p["dept"], receiving_unit=p["commune"],
                        applicant=APPLICANT, channel=Channel.DIRECT, action=Action.RECEIVE,
                        actor=p["people"]["07627"][Role.RECEPTION], at=at or f.at(2026, 10, 5, 9), **extra)


def test_a_commune_receives_a_departments_dossier_which_goes_to_the_department_by_an_event(province):
    d = receive_at_commune(province)
    assert (d.received_unit, d.unit, d.return_unit) == (province["commune"], province["dept"], province["commune"])
    assert d.code.startswith("07627-")  # drawn at the receiving point, which issues the receipt
    received, sent = d.events.order_by("seq")
    assert (received.action, received.unit, received.to_status) == (Action.RECEIVE, province["commune"], Status.RECEIVED)
    assert received.data["resolving_unit"] == "STP" and received.data["receiving_unit"] == "07627"
    assert (sent.action, sent.actor, sent.actor_role, sent.unit) == (Action.SEND_TO_RESOLVER, None, Actor.SYSTEM,
                                                                     province["dept"])
    assert (sent.from_status, sent.to_status) == (Status.RECEIVED, Status.RECEIVED)
    assert sent.data == {"from_unit": "07627", "to_unit": "STP"}
    assert list(verify_event_chains()) == []  # both links chain under the key


def test_each_side_sees_it_in_its_own_queues_and_only_the_resolver_processes_it(province):
    d = receive_at_commune(province)
    people = province["people"]
    commune_desk, dept_desk = people["07627"][Role.RECEPTION], people["STP"][Role.RECEPTION]
    assert list(selectors.queue(commune_desk, "received_for_others")) == [d]
    assert not selectors.queue(commune_desk, "received").exists() and not selectors.queue(commune_desk, "unit").exists()
    assert list(selectors.queue(dept_desk, "received")) == [d] and not selectors.queue(dept_desk, "received_for_others")
    assert selectors.dossier_for_officer(commune_desk, d.code) == d == selectors.dossier_for_officer(dept_desk, d.code)
    assert selectors.dossier_for_officer(people["07630"][Role.RECEPTION], d.code) is None
    assert selectors.dossier_for_officer(people["SXD"][Role.HEAD], d.code) is None

    with pytest.raises(DossierError) as refused:
        transition(d, Action.START_PROCESSING, actor=people["07627"][Role.PROCESSING], at=f.at(2026, 10, 5, 10))
    assert refused.value.code == "other_unit" and d.status == Status.RECEIVED

    transition(d, Action.START_PROCESSING, actor=people["STP"][Role.PROCESSING], at=f.at(2026, 10, 5, 10))
    transition(d, Action.COMPLETE, actor=people["STP"][Role.PROCESSING], at=f.at(2026, 10, 6, 10))
    assert list(selectors.queue(commune_desk, "to_return")) == [d]
    assert not selectors.queue(dept_desk, "to_return").exists()
    with pytest.raises(DossierError) as elsewhere:
        return_result(d, actor=dept_desk, at=f.at(2026, 10, 6, 11))
    assert elsewhere.value.code == "other_unit"
    return_result(d, actor=commune_desk, at=f.at(2026, 10, 6, 11))
    last = d.events.order_by("seq").last()
    assert (d.status, last.action, last.unit) == (Status.RETURNED, Action.RETURN_RESULT, province["commune"])


def test_the_result_can_be_returned_at_the_resolving_unit_when_the_applicant_chose_it(province):
    d = receive_at_commune(province, return_unit=province["dept"])
    people = province["people"]
    transition(d, Action.START_PROCESSING, actor=people["STP"][Role.PROCESSING], at=f.at(2026, 10, 5, 10))
    transition(d, Action.COMPLETE, actor=people["STP"][Role.PROCESSING], at=f.at(2026, 10, 6, 10))
    assert not selectors.queue(people["07627"][Role.RECEPTION], "to_return").exists()
    return_result(d, actor=people["STP"][Role.RECEPTION], at=f.at(2026, 10, 6, 11))
    assert d.status == Status.RETURNED


def test_a_commune_level_dossier_received_at_one_commune_is_resolved_by_another(province):
    d = open_dossier(procedure=province["commune_procedure"], unit=province["other_commune"],
                     receiving_unit=province["commune"], applicant=APPLICANT, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=province["people"]["07627"][Role.RECEPTION], at=f.at(2026, 10, 5, 9))
    assert (d.unit, d.received_unit) == (province["other_commune"], province["commune"])
    assert list(selectors.queue(province["people"]["07630"][Role.PROCESSING], "received")) == [d]


@pytest.mark.parametrize("case, code", [
    ("a department's desk receives another department's procedure", "not_receiving_point"),
    ("the resolving unit does not resolve the procedure", "not_resolving_unit"),
    ("the return point is a third unit", "return_point"),
])
def test_reception_outside_the_rule_is_refused_and_writes_nothing(province, case, code):
    p, people = province, province["people"]
    kwargs = {
        "not_receiving_point": dict(unit=p["dept"], receiving_unit=p["other_dept"], actor=people["SXD"][Role.RECEPTION]),
        "not_resolving_unit": dict(unit=p["other_dept"], receiving_unit=p["commune"],
                                   actor=people["07627"][Role.RECEPTION]),
        "return_point": dict(unit=p["dept"], receiving_unit=p["commune"], return_unit=p["other_commune"],
                             actor=people["07627"][Role.RECEPTION]),
    }[code]
    with pytest.raises(DossierError) as refused:
        open_dossier(procedure=p["procedure"], applicant=APPLICANT, channel=Channel.DIRECT, action=Action.RECEIVE,
                     at=f.at(2026, 10, 5, 9), **kwargs)
    assert refused.value.code == code
    from motcua.dossiers.models import Dossier

    assert not Dossier.objects.exists()


def test_the_index_credits_the_resolving_unit_not_the_receiving_point(province):
    """The reading chosen: every indicator counts a dossier for the unit that resolves it (the
    `unit` the national portal receives as MaDonVi), wherever it was received."""
    d = receive_at_commune(province)
    people = province["people"]
    transition(d, Action.START_PROCESSING, actor=people["STP"][Role.PROCESSING], at=f.at(2026, 10, 5, 10))
    transition(d, Action.COMPLETE, actor=people["STP"][Role.PROCESSING], at=f.at(2026, 10, 6, 10))
    results = {r.unit_id: r for r in index_services.calculate(P.month(2026, 10), f.at(2026, 11, 20, 10))}

    def on_time(unit):
        line = next(i for i in results[unit.pk].indicators if i.code == "ON_TIME")
        return line.numerator, line.denominator

    assert on_time(province["dept"]) == (1, 1)
    assert on_time(province["commune"]) == (0, 0)
