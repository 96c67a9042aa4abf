"""The transition table, pure and through the service (a hypothesis state machine)."""
import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from motcua.dossiers.door import HistoryImport
from motcua.dossiers.integrity import verify_event_chains
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, PaymentChannel
from motcua.dossiers.services import Applicant, DossierError, open_dossier, transition
from motcua.dossiers.transitions import TABLE, TERMINAL, Action, Actor, Status, allowed_actions, next_status
from motcua.units.models import Role
from tests import factories as f


def test_terminal_statuses_allow_nothing():
    for status in TERMINAL:
        for actor in Actor:
            assert allowed_actions(status, actor) == []


def test_every_status_is_reachable_from_creation():
    seen, frontier = set(), {None}
    while frontier:
        current = frontier.pop()
        for action, rule in TABLE.items():
            if current in rule.from_statuses:
                target = rule.to_status or current
                if target not in seen:
                    seen.add(target)
                    frontier.add(target)
    assert seen == set(Status)


def test_refusals_name_the_reason():
    with pytest.raises(Exception, match="«Hoàn thành xử lý» khi hồ sơ ở trạng thái 10"):
        next_status(Status.RETURNED, Action.COMPLETE, Actor.HEAD)
    with pytest.raises(Exception, match="Cán bộ tiếp nhận không được «Dừng xử lý»"):
        next_status(Status.IN_PROCESS, Action.STOP, Actor.RECEPTION)


PARAMS = {
    Action.CONFIRM_PAYMENT: {"payment_channel": PaymentChannel.NATIONAL_PLATFORM},
    Action.REQUEST_SUPPLEMENT: {"acknowledge_overdue": True},
}
# The table is under test here: the payment record and the signed document these actions need are
# the payments' and results' preconditions (tested there), so the machine writes them as history.
AS_HISTORY = {Action.CONFIRM_PAYMENT, Action.SIGN_RESULT}


UNIT_NUMBERS = itertools.count(1)


class DossierMachine(RuleBasedStateMachine):
    """Random actions by random actors: the service does exactly what the table says, or nothing."""

    @initialize()
    def open(self):
        self.dept = f.unit(code=f"U{next(UNIT_NUMBERS)}")
        self.officers = {role: f.officer(self.dept, role, username=f"{self.dept.code}-{role}")
                         for role in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
        proc = f.procedure(code=f"9.{self.dept.code}", agency=self.dept, result_is_document=False)
        self.now = f.at(2026, 3, 2, 8, 0)
        self.dossier = open_dossier(procedure=proc, unit=self.dept, channel=Channel.ONLINE,
                                    action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, at=self.now,
                                    applicant=Applicant(ApplicantKind.INDIVIDUAL, "Nguyễn Văn A", f.VALID_PID))
        self.expected_status = Status.SUBMITTED_ONLINE
        self.expected_events = 1

    @rule(action=st.sampled_from([a for a in Action if a not in (Action.TRANSFER,)]),
          actor=st.sampled_from([Actor.APPLICANT, Actor.SYSTEM, Actor.RECEPTION, Actor.PROCESSING, Actor.HEAD]),
          minutes=st.integers(0, 3000))
    def act(self, action, actor, minutes):
        self.now += timedelta(minutes=minutes)
        officer = self.officers.get(Role(actor)) if actor in (Actor.RECEPTION, Actor.PROCESSING, Actor.HEAD) else None
        rule_ = TABLE[action]
        allowed = self.expected_status in rule_.from_statuses and actor in rule_.actors
        try:
            transition(self.dossier, action, actor=officer, role=None if officer else actor, at=self.now,
                       history=HistoryImport("state machine") if action in AS_HISTORY else None,
                       **PARAMS.get(action, {}))
        except DossierError:
            assert not allowed, f"{action} by {actor} from {self.expected_status} should be allowed"
            return
        assert allowed, f"{action} by {actor} from {self.expected_status} should be refused"
        self.expected_status = rule_.to_status or self.expected_status
        self.expected_events += 1

    @invariant()
    def row_matches_the_log(self):
        if not hasattr(self, "dossier"):
            return
        row = Dossier.objects.get(pk=self.dossier.pk)
        assert row.status == self.expected_status
        assert row.version == self.expected_events == row.events.count()
        last = row.events.order_by("-seq").first()
        assert last.to_status == row.status and last.hash == row.event_head_hash


@pytest.mark.django_db
def test_state_machine_through_the_service():
    run_state_machine_as_test(DossierMachine, settings=settings(
        max_examples=25, stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow]))
    assert list(verify_event_chains()) == []
