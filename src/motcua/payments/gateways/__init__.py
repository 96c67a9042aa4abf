"""Gateway adapters. Each turns a Payment into a signed redirect and a gateway message into a
`Notice`, checking its signature; none writes a model (see `base` for their common surface)."""
from motcua.payments.gateways.base import MalformedNotice, Notice, NoticeOutcome, RefundResult
from motcua.payments.gateways.national import NationalGateway
from motcua.payments.gateways.vnpay import VnpayGateway

ADAPTERS = {VnpayGateway.name: VnpayGateway, NationalGateway.name: NationalGateway}
CHOICES = [(VnpayGateway.name, "Cổng thanh toán VNPAY của tỉnh"),
           (NationalGateway.name, "Nền tảng thanh toán trên Cổng DVC quốc gia")]


def gateway(name: str = "vnpay"):
    """The configured adapter called `name`."""
    if name not in ADAPTERS:
        raise LookupError(f"Không có cổng thanh toán '{name}'.")
    return ADAPTERS[name].from_settings()


__all__ = ["ADAPTERS", "CHOICES", "MalformedNotice", "NationalGateway", "Notice", "NoticeOutcome", "RefundResult",
           "VnpayGateway", "gateway"]
