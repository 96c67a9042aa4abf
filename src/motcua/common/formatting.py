"""Numbers as Vietnamese writes them: `200.000 đ`, `64,93` (dot for thousands, comma for decimals).

One place for every page, PDF, e-mail, SMS and Excel label, so the desk, the receipt and the
chairman's report never disagree (English pages keep the English separators through `number`)."""
from decimal import Decimal

from django.utils import formats


def _group(digits: str, separator: str) -> str:
    head, rest = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3:]
    return separator.join([head] + [rest[i:i + 3] for i in range(0, len(rest), 3)])


def number(value, places: int = 0, *, vietnamese: bool | None = None) -> str:
    """`value` with `places` decimals and grouped thousands; Vietnamese separators unless the active
    language is English (or `vietnamese` says otherwise)."""
    if value is None or value == "":
        return "–"
    if vietnamese is None:
        vietnamese = formats.get_format("DECIMAL_SEPARATOR") != "."
    thousands, decimal = (".", ",") if vietnamese else (",", ".")
    text = f"{abs(Decimal(str(value))):.{places}f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if Decimal(str(value)) < 0 and Decimal(text) != 0 else ""
    return sign + _group(whole, thousands) + (decimal + fraction if fraction else "")


def vnd(amount, unit: str | None = None) -> str:
    """An amount of money: 200000 → '200.000 đ' on Vietnamese pages, '200,000 VND' on English ones;
    letters and official documents (always Vietnamese) write the unit out: `unit="đồng"`."""
    if amount is None:
        return "–"
    if unit is not None:
        return f"{number(int(amount), vietnamese=True)} {unit}"
    vietnamese = formats.get_format("DECIMAL_SEPARATOR") != "."
    return f"{number(int(amount), vietnamese=vietnamese)} {'đ' if vietnamese else 'VND'}"
