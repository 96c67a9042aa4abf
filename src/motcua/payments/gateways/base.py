"""What every gateway adapter hands back to `payments.services`, and the answers services give.

An adapter (VnpayGateway, NationalGateway) has the same surface:
  name, channel                          its key in settings and its PaymentChannel
  payment_params(...), redirect_url(p)   the signed address the payer's browser is sent to
  verify(p), notice(p), txn_ref_of(p)    a return or IPN: signature, meaning (or MalformedNotice), transaction
  answer(rsp)                            the IPN answer in the gateway's own shape
  query_request(...), verify_query_response(b), query_notice(b)   the transaction query
  refund_request(...), verify_refund_response(b), refund_result(b) the refund
None writes a model.
"""
import re
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


class MalformedNotice(ValueError):
    """A signed message that is not a statement of a transaction's result: one of the gateway's
    result fields is missing or not in its format. Our own signed payment request is one (it has
    the transaction and the amount but no result), so a signature alone never makes a notice."""

    def __init__(self, fields: list[str]):
        super().__init__(f"missing or malformed result fields: {', '.join(fields)}")
        self.fields = fields


def missing_fields(message: dict, formats: dict[str, str]) -> list[str]:
    """The fields of `message` absent or not matching their pattern in `formats` (ASCII only)."""
    return [name for name, pattern in formats.items()
            if not re.fullmatch(pattern, str(message.get(name, "")), flags=re.ASCII)]


@dataclass(frozen=True)
class RefundResult:
    """A gateway's (verified) answer to a refund request."""

    accepted: bool
    code: str
    message: str = ""
    refund_txn_no: str = ""


# What services answer a notification; each adapter's `answer` puts them in its own shape.
RSP_CONFIRMED = ("00", "Confirm Success")
RSP_NOT_FOUND = ("01", "Order not found")
RSP_ALREADY_CONFIRMED = ("02", "Order already confirmed")
RSP_INVALID_AMOUNT = ("04", "Invalid amount")
RSP_INVALID_SIGNATURE = ("97", "Invalid signature")
RSP_MALFORMED = ("99", "Input data required")  # VNPAY's answer to a message without the result fields
RSP_ERROR = ("99", "Unknown error")
