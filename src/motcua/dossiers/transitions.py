"""The dossier state machine of one-stop.md, as pure data and one pure function.

Statuses are the national codes (1–10). "Overdue" and "at risk" are not statuses: they are
derived from the clock. A dossier is created by its first action (`from_status` None).

Refusal (status 3, Mẫu 03 of Circular 03/2025/TT-VPCP) happens only at reception, before a dossier
is received: at the desk (the creating action) or of an online submission (status 1). After
reception processing ends early only by a stop (status 8, with the stop notice, Mẫu 05), which
keeps the dossier in the index (one-stop.md, Forms; service-index.md, ON_TIME in detail).
"""
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from motcua.common.errors import AppError


class Status(IntEnum):
    SUBMITTED_ONLINE = 1  # mới đăng ký
    RECEIVED = 2  # được tiếp nhận
    REFUSED = 3  # không được tiếp nhận
    IN_PROCESS = 4  # đang xử lý
    SUPPLEMENT_REQUESTED = 5  # yêu cầu bổ sung
    PAYMENT_REQUESTED = 6  # yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # công dân rút hồ sơ
    STOPPED = 8  # dừng xử lý
    PROCESSED = 9  # đã xử lý xong
    RETURNED = 10  # đã trả kết quả


TERMINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
# Statuses in which the processing clock runs (a supplement request pauses it).
CLOCK_RUNNING = frozenset({Status.RECEIVED, Status.IN_PROCESS, Status.PAYMENT_REQUESTED})


class Actor(StrEnum):
    """Who acts: the officer roles of units.Role, plus the applicant and the system itself."""

    APPLICANT = "applicant"
    SYSTEM = "system"
    RECEPTION = "reception"
    PROCESSING = "processing"
    HEAD = "head"


class Action(StrEnum):
    SUBMIT_ONLINE = "submit_online"
    RECEIVE = "receive"  # at the desk, by post, or accepting an online submission
    REFUSE = "refuse"
    START_PROCESSING = "start_processing"
    FORWARD = "forward"  # hand over to the next internal step (stays in process)
    TRANSFER = "transfer"  # liên thông: to another unit
    # Received at another one-stop point of the province: the dossier goes to the unit that resolves it.
    SEND_TO_RESOLVER = "send_to_resolver"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    WITHDRAW = "withdraw"
    STOP = "stop"
    COMPLETE = "complete"
    SIGN_RESULT = "sign_result"  # the head signs the result PDF (an event; the status stays 9)
    RETURN_RESULT = "return_result"


ACTION_LABELS = {
    Action.SUBMIT_ONLINE: "Nộp trực tuyến",
    Action.RECEIVE: "Tiếp nhận",
    Action.REFUSE: "Từ chối tiếp nhận",
    Action.START_PROCESSING: "Bắt đầu xử lý",
    Action.FORWARD: "Chuyển bước xử lý",
    Action.TRANSFER: "Chuyển đơn vị (liên thông)",
    Action.SEND_TO_RESOLVER: "Chuyển hồ sơ đến cơ quan giải quyết",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.REQUEST_PAYMENT: "Yêu cầu nộp phí, lệ phí",
    Action.CONFIRM_PAYMENT: "Xác nhận đã thanh toán",
    Action.WITHDRAW: "Rút hồ sơ",
    Action.STOP: "Dừng xử lý",
    Action.COMPLETE: "Hoàn thành xử lý",
    Action.SIGN_RESULT: "Ký số kết quả",
    Action.RETURN_RESULT: "Trả kết quả",
}
ACTOR_LABELS = {
    Actor.APPLICANT: "Công dân", Actor.SYSTEM: "Hệ thống", Actor.RECEPTION: "Cán bộ tiếp nhận",
    Actor.PROCESSING: "Cán bộ xử lý", Actor.HEAD: "Lãnh đạo đơn vị",
}


@dataclass(frozen=True)
class Rule:
    from_statuses: frozenset  # of Status, or None for the creating action
    to_status: Status | None  # None: the status does not change
    actors: frozenset


def _rule(sources, to, *actors):
    return Rule(frozenset(sources), to, frozenset(actors))


S, A = Status, Actor
OFFICERS = (A.RECEPTION, A.PROCESSING, A.HEAD)
TABLE: dict[Action, Rule] = {
    Action.SUBMIT_ONLINE: _rule([None], S.SUBMITTED_ONLINE, A.APPLICANT),
    Action.RECEIVE: _rule([None, S.SUBMITTED_ONLINE], S.RECEIVED, A.RECEPTION),
    Action.REFUSE: _rule([None, S.SUBMITTED_ONLINE], S.REFUSED, A.RECEPTION, A.HEAD),
    Action.START_PROCESSING: _rule([S.RECEIVED], S.IN_PROCESS, *OFFICERS),
    Action.FORWARD: _rule([S.IN_PROCESS], None, *OFFICERS),
    Action.TRANSFER: _rule([S.RECEIVED, S.IN_PROCESS], None, A.PROCESSING, A.HEAD),
    Action.SEND_TO_RESOLVER: _rule([S.RECEIVED], None, A.SYSTEM),
    Action.REQUEST_SUPPLEMENT: _rule([S.RECEIVED, S.IN_PROCESS], S.SUPPLEMENT_REQUESTED, *OFFICERS),
    Action.RECEIVE_SUPPLEMENT: _rule([S.SUPPLEMENT_REQUESTED], S.IN_PROCESS, A.RECEPTION, A.PROCESSING, A.APPLICANT),
    Action.REQUEST_PAYMENT: _rule([S.RECEIVED, S.IN_PROCESS], S.PAYMENT_REQUESTED, *OFFICERS),
    Action.CONFIRM_PAYMENT: _rule([S.PAYMENT_REQUESTED], S.IN_PROCESS, A.RECEPTION, A.SYSTEM),
    Action.WITHDRAW: _rule(
        [S.SUBMITTED_ONLINE, S.RECEIVED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED],
        S.WITHDRAWN, A.APPLICANT, A.RECEPTION,
    ),
    Action.STOP: _rule([S.RECEIVED, S.IN_PROCESS, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED], S.STOPPED, A.HEAD),
    Action.COMPLETE: _rule([S.IN_PROCESS], S.PROCESSED, A.PROCESSING, A.HEAD),
    Action.SIGN_RESULT: _rule([S.PROCESSED], None, A.HEAD),
    Action.RETURN_RESULT: _rule([S.PROCESSED], S.RETURNED, A.RECEPTION, A.SYSTEM),
}


class TransitionError(AppError):
    """An action that the table does not allow."""


def next_status(current: Status | None, action: Action, actor: Actor) -> Status | None:
    """The status after `action` by `actor` from `current`, or TransitionError."""
    action, actor = Action(action), Actor(actor)
    rule = TABLE[action]
    if current not in rule.from_statuses:
        shown = "chưa có hồ sơ" if current is None else f"trạng thái {int(current)}"
        raise TransitionError(f"Không thể «{ACTION_LABELS[action]}» khi hồ sơ ở {shown}.", "status_not_allowed")
    if actor not in rule.actors:
        raise TransitionError(f"{ACTOR_LABELS[actor]} không được «{ACTION_LABELS[action]}».", "role_not_allowed")
    if rule.to_status is None:
        return current
    return rule.to_status


def allowed_actions(current: Status | None, actor: Actor) -> list[Action]:
    return [a for a, r in TABLE.items() if current in r.from_statuses and actor in r.actors]
