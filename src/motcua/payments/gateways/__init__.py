"""Gateway adapters. Each turns a Payment into a signed redirect and a gateway message into a
`Notice`, checking its signature; none writes a model."""
from motcua.payments.gateways.base import Notice, NoticeOutcome
from motcua.payments.gateways.vnpay import VnpayGateway


def gateway(name: str = "vnpay"):
    """The configured adapter called `name`."""
    if name == VnpayGateway.name:
        return VnpayGateway.from_settings()
    raise LookupError(f"Không có cổng thanh toán '{name}'.")


__all__ = ["Notice", "NoticeOutcome", "VnpayGateway", "gateway"]
