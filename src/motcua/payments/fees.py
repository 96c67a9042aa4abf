"""Fee amounts from a procedure's fee schedule (pure arithmetic on integer VND)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Tiers:
    """A tiered per-page rule; the certified-copy default of one-stop.md: 2,000 VND a page for
    pages 1–2, 1,000 VND a page from page 3, at most 200,000 VND a copy."""

    first_pages: int = 2
    first_page_vnd: int = 2_000
    later_page_vnd: int = 1_000
    max_per_copy_vnd: int = 200_000  # 0: no ceiling


CERTIFIED_COPY = Tiers()


def tiered_copy_fee(pages: int, tiers: Tiers = CERTIFIED_COPY) -> int:
    """The fee for one copy of `pages` pages."""
    if pages < 0:
        raise ValueError("Số trang không được âm.")
    first = min(pages, tiers.first_pages)
    amount = first * tiers.first_page_vnd + (pages - first) * tiers.later_page_vnd
    return min(amount, tiers.max_per_copy_vnd) if tiers.max_per_copy_vnd else amount


@dataclass(frozen=True)
class Line:
    name: str
    amount_vnd: int
    pages: int | None = None
    copies: int = 1

    def as_dict(self) -> dict:
        return {"name": self.name, "amount_vnd": self.amount_vnd, "pages": self.pages, "copies": self.copies}


def fee_lines(fees, *, pages: int = 1, copies: int = 1) -> list[Line]:
    """One line per catalogue Fee: a flat fee once per dossier; a per-page fee per copy — tiered
    when the fee has a PageTariff, otherwise its `amount_vnd` a page."""
    if copies < 1:
        raise ValueError("Số bản phải từ 1 trở lên.")
    lines = []
    for fee in fees:
        if not fee.per_page:
            lines.append(Line(fee.name, fee.amount_vnd))
            continue
        tariff = getattr(fee, "page_tariff", None) if _has_tariff(fee) else None
        if tariff is not None:
            per_copy = tiered_copy_fee(pages, Tiers(tariff.first_pages, tariff.first_page_vnd,
                                                    tariff.later_page_vnd, tariff.max_per_copy_vnd))
        else:
            per_copy = fee.amount_vnd * pages
        lines.append(Line(fee.name, per_copy * copies, pages, copies))
    return lines


def _has_tariff(fee) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        fee.page_tariff
    except ObjectDoesNotExist:
        return False
    return True
