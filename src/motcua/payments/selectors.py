"""Reads about fees and payments."""
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, Sum

from motcua.dossiers.transitions import TERMINAL, Status
from motcua.payments import conf
from motcua.payments.gateways import ADAPTERS
from motcua.payments.models import FeeObligation, GatewayRoute


def uncovered_fee_vnd(dossier) -> int:
    """The part of the fee fixed on the dossier (`fee_total_vnd`) that no obligation covers."""
    covered = dossier.fee_obligations.filter(cancelled_at__isnull=True).aggregate(total=Sum("amount_vnd"))["total"]
    return max(dossier.fee_total_vnd - (covered or 0), 0)


def has_fee_due(dossier) -> bool:
    """Something is still to pay: an open obligation, or — waiting for payment (status 6) — a part
    of the fee no obligation covers yet."""
    if FeeObligation.objects.filter(dossier=dossier, paid_at__isnull=True, cancelled_at__isnull=True).exists():
        return True
    return dossier.status == Status.PAYMENT_REQUESTED and uncovered_fee_vnd(dossier) > 0


def can_pay_online(dossier) -> bool:
    """The tracking page offers online payment: a fee is due and the dossier is not closed."""
    return dossier is not None and Status(dossier.status) not in TERMINAL and has_fee_due(dossier)


def gateway_for(dossier) -> str:
    """The online gateway of the dossier's fees: the most specific GatewayRoute (its procedure at
    its unit, then its procedure, then its unit), else the setting MOTCUA_PAYMENT_GATEWAY."""
    routes = GatewayRoute.objects.filter(
        Q(procedure_id=dossier.procedure_id) | Q(procedure__isnull=True),
        Q(unit_id=dossier.unit_id) | Q(unit__isnull=True))
    best = max(routes, key=lambda r: (r.procedure_id is not None, r.unit_id is not None), default=None)
    if best:
        return best.gateway
    name = conf.default_gateway()
    if name not in ADAPTERS:
        raise ImproperlyConfigured(f"MOTCUA_PAYMENT_GATEWAY phải là một trong {', '.join(ADAPTERS)} (đang là '{name}').")
    return name
