"""The officer's actions on a dossier, for the desk pages and the JSON API alike.

`ACTIONS` is the one table of what each action takes (the fields, the required ones, the form a
page shows, the question asked before an irreversible step). `perform` is the one service: the
results and payment rules first (a document result is completed with a draft and signed by the
head, a payment is confirmed only with its cash receipt), then `dossiers.services.transition`,
which checks every rule again and writes the event.
"""
from collections.abc import Callable
from dataclasses import dataclass

from motcua.dossiers import forms
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, PaymentChannel
from motcua.dossiers.services import acting_unit_id, check_transition, transition
from motcua.dossiers.transitions import Action, Actor, Status, allowed_actions
from motcua.payments import services as payments
from motcua.results import services as results
from motcua.results.forms import PaperResultForm, ResultForm
from motcua.units.models import Role

OFFICER_ACTORS = {Role.RECEPTION: Actor.RECEPTION, Role.PROCESSING: Actor.PROCESSING, Role.HEAD: Actor.HEAD}


def officer_actor(user) -> Actor | None:
    """The role an officer acts in; None for read-only roles (the provincial office)."""
    return OFFICER_ACTORS.get(user.role)


@dataclass(frozen=True)
class DeskAction:
    fields: tuple[str, ...] = ()  # what the action reads from a request (the API's body names)
    required: tuple[str, ...] = ()  # … and cannot do without (besides `version`)
    form: Callable[[Dossier], object] | None = None  # the form a page shows; None: a button is enough
    confirm: str = ""  # asked before an action that cannot be undone


def _reason_form(dossier):
    return forms.ReasonForm()


ACTIONS: dict[Action, DeskAction] = {
    Action.RECEIVE: DeskAction(),
    Action.REFUSE: DeskAction(("reason",), ("reason",), _reason_form,
                              "Từ chối tiếp nhận hồ sơ này? Thao tác không thể hoàn tác."),
    Action.START_PROCESSING: DeskAction(("assignee_id", "step_id"), ("assignee_id",),
                                        lambda d: forms.AssignForm(dossier=d)),
    Action.FORWARD: DeskAction(("assignee_id", "step_id"), ("assignee_id",), lambda d: forms.AssignForm(dossier=d)),
    Action.TRANSFER: DeskAction(("to_unit_id", "reason"), ("to_unit_id", "reason"),
                                lambda d: forms.TransferForm(dossier=d), "Chuyển hồ sơ sang đơn vị khác?"),
    Action.REQUEST_SUPPLEMENT: DeskAction(("items", "reason", "acknowledge_overdue"), ("items", "reason"),
                                          lambda d: forms.SupplementRequestForm()),
    Action.RECEIVE_SUPPLEMENT: DeskAction(),
    Action.REQUEST_PAYMENT: DeskAction(),
    # Confirmed with a payment record only: cash at the desk (the gateway confirms online payments).
    Action.CONFIRM_PAYMENT: DeskAction(("payment_channel",), ("payment_channel",)),
    Action.WITHDRAW: DeskAction(("reason",), ("reason",), _reason_form),
    Action.STOP: DeskAction(("reason",), ("reason",), _reason_form,
                            "Dừng xử lý hồ sơ này? Thao tác không thể hoàn tác."),
    Action.COMPLETE: DeskAction(("result_paper",), (),
                                lambda d: ResultForm() if d.procedure.result_is_document else PaperResultForm(),
                                "Hoàn thành xử lý và lập kết quả?"),
    Action.SIGN_RESULT: DeskAction(confirm="Ký số kết quả bằng chứng thư số của đơn vị? Kết quả đã ký không thể sửa."),
    Action.RETURN_RESULT: DeskAction(confirm="Xác nhận đã trả kết quả cho công dân?"),
}


def available(dossier: Dossier, user) -> list[Action]:
    """What `user` may do to `dossier` now: the transition table for their role, in the unit that
    takes each action (`acting_unit_id`: the resolving unit, the return point for the return),
    narrowed by the results rules (a document result is signed once, returned only signed)."""
    actor = officer_actor(user)
    if actor is None:
        return []
    return [a for a in allowed_actions(Status(dossier.status), actor)
            if acting_unit_id(dossier, a) == user.unit_id and results.result_rules_allow(dossier, a)]


def _take_cash(dossier: Dossier, user, payment_channel: str) -> None:
    if payment_channel != PaymentChannel.CASH:
        raise DossierError("Thanh toán trực tuyến chỉ được xác nhận bằng thông báo của cổng thanh toán.",
                           "online_payment_via_gateway")
    payments.pay_cash(dossier, user, amount_vnd=payments.obligation_to_pay(dossier).amount_vnd)
    dossier.refresh_from_db()


def perform(dossier: Dossier, action: Action, *, actor, expected_version: int, reason: str = "", upload=None,
            **params) -> Dossier:
    """An officer's action on `dossier` as they read it (`expected_version`). The door's checks
    run first (stale version, status, role: nothing costly is done for a refused action); then
    completing, signing and returning go through `results`, confirming a payment through
    `payments` (cash with its receipt), the rest straight to `transition`. `upload` is the result
    PDF an officer uploads when completing (else it is drawn from the procedure's template).
    Raises DossierError (or payments' PaymentError) and changes nothing when refused."""
    action = Action(action)
    check_transition(dossier, action, actor=actor, expected_version=expected_version)
    if action == Action.COMPLETE:
        return results.complete(dossier, actor=actor, reason=reason, upload=upload, **params)
    if action == Action.SIGN_RESULT:
        results.sign_result(dossier, actor=actor)
        return dossier
    if action == Action.RETURN_RESULT:
        return results.return_result(dossier, actor=actor, reason=reason)
    if action == Action.CONFIRM_PAYMENT:
        _take_cash(dossier, actor, params["payment_channel"])
        return dossier
    return transition(dossier, action, actor=actor, reason=reason, expected_version=expected_version, **params)
