"""What the one door (`services.transition`) checks besides the transition table, and what it runs
after it appends.

* **Parameters**: each action takes the parameters of `PARAMS`, of the type written there; any
  other key, or a value of another type, is refused (`unknown_param`, `param_type`) — nothing is
  silently ignored. `event_data` (extra facts for the event, e.g. the supplement's items) is open
  to every action.
* **Only signing sets `result_signed`**: no action takes it as a parameter; SIGN_RESULT sets it,
  and results register the precondition that the signed document exists.
* **Preconditions** of other apps: payments and results register theirs (`require`) in their
  `AppConfig.ready`, so the door checks them without importing those apps (they sit above it).
* **After append**: listeners (`after_append`) run in the writer's transaction for every fact
  appended — an event, or a delay report with its apology letter — so that what they queue (the
  national portal's outbox row, the applicant's notice) is committed with the fact or not at all.
  Sending what they queued waits for the commit (`transaction.on_commit`).
* **History**: `HistoryImport` is the one door for facts that happened before the system
  recorded them (a paper register, the previous software, the demo province). The table, the
  parameters' types and the order of time are still checked; the preconditions are not (the
  imported record is the proof, named by `source` in the event), the COMPLETE of an imported
  dossier may say whether its result was signed, and nothing of it is news for the applicant.
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from motcua.dossiers.errors import DossierError
from motcua.dossiers.transitions import ACTION_LABELS, Action

_ASSIGN = {"assignee_id": (int, type(None)), "current_step_id": (int, type(None)), "step_deadline_at": datetime}
PARAMS: dict[Action, dict[str, type | tuple[type, ...]]] = {
    Action.SUBMIT_ONLINE: {},
    Action.RECEIVE: {},
    Action.SEND_TO_RESOLVER: {},
    Action.REFUSE: {},
    Action.START_PROCESSING: _ASSIGN,
    Action.FORWARD: _ASSIGN,
    Action.TRANSFER: {"to_unit_id": int},
    Action.REQUEST_SUPPLEMENT: {"acknowledge_overdue": bool},
    Action.RECEIVE_SUPPLEMENT: {},
    Action.REQUEST_PAYMENT: {},
    Action.CONFIRM_PAYMENT: {"payment_channel": str},
    Action.WITHDRAW: {},
    Action.STOP: {},
    Action.COMPLETE: {"result_file": str, "result_sha256": str, "result_paper": bool, "result_to_personal_store": bool},
    Action.SIGN_RESULT: {"result_file": str, "result_sha256": str, "result_to_personal_store": bool},
    Action.RETURN_RESULT: {},
}
EVERY_ACTION = {"event_data": dict}
# What only an imported record may state: whether a result of the past was signed.
HISTORY_ONLY = {Action.COMPLETE: {"result_signed": bool}}


@dataclass(frozen=True)
class HistoryImport:
    """Facts of the past written through the door: `source` names the record they come from."""

    source: str

    def __post_init__(self):
        if not self.source.strip():
            raise DossierError("Dữ liệu lịch sử cần ghi rõ nguồn.", "history_source")


def check_params(action: Action, params: dict, history: HistoryImport | None = None) -> None:
    """DossierError unless every key of `params` is one `action` takes, with a value of its type."""
    accepted = {**EVERY_ACTION, **PARAMS[action], **(HISTORY_ONLY.get(action, {}) if history else {})}
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        shown = ", ".join(sorted(PARAMS[action])) or "không có"
        raise DossierError(f"Thao tác «{ACTION_LABELS[action]}» không nhận tham số {', '.join(unknown)} "
                           f"(tham số nhận được: {shown}).", "unknown_param")
    for name, value in params.items():
        if not isinstance(value, accepted[name]) or (accepted[name] is int and isinstance(value, bool)):
            raise DossierError(f"Tham số {name} của thao tác «{ACTION_LABELS[action]}» sai kiểu.", "param_type")


Precondition = Callable[[object, dict], None]  # (dossier as read, params) → None, or DossierError
_preconditions: dict[Action, list[Precondition]] = defaultdict(list)


def require(action: Action, check: Precondition) -> None:
    """Register `check`, run by the door before `action` is written (an app's `AppConfig.ready`)."""
    if check not in _preconditions[action]:
        _preconditions[action].append(check)


def check_preconditions(dossier, action: Action, params: dict) -> None:
    for check in _preconditions[action]:
        check(dossier, params)


@dataclass(frozen=True)
class Appended:
    """One fact just appended about `dossier`, seen by the listeners in the writer's transaction."""

    dossier: object
    event: object = None  # the DossierEvent, for a status change or a signature
    delay_report: object = None  # or the DelayReport, with its apology slip (Mẫu 04)…
    apology: str = ""  # … and the letter to the applicant
    history: HistoryImport | None = None  # imported past facts: no news for anyone


Listener = Callable[[Appended], None]
_listeners: list[Listener] = []


def after_append(listener: Listener) -> Listener:
    """Register `listener` for every fact appended (an app's `AppConfig.ready`)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def appended(fact: Appended) -> None:
    for listener in _listeners:
        listener(fact)
