"""What every gateway adapter hands back to `payments.services`."""
from dataclasses import dataclass
from enum import StrEnum


class NoticeOutcome(StrEnum):
    PAID = "paid"
    CANCELLED = "cancelled"  # the payer gave up at the gateway
    FAILED = "failed"


@dataclass(frozen=True)
class Notice:
    """A gateway's statement about one transaction, after its signature was checked."""

    txn_ref: str
    amount_vnd: int | None  # None: the amount field was malformed
    outcome: NoticeOutcome
    response_code: str = ""
    gateway_txn_no: str = ""
    bank_code: str = ""
