"""Reads about fees and payments."""
from motcua.dossiers.transitions import TERMINAL, Status
from motcua.payments.models import FeeObligation


def can_pay_online(dossier) -> bool:
    """The tracking page offers online payment: the dossier waits for payment (status 6) or has an
    unpaid obligation, and is not closed."""
    if dossier is None or Status(dossier.status) in TERMINAL:
        return False
    if dossier.status == Status.PAYMENT_REQUESTED and dossier.fee_total_vnd > 0:
        return True
    return FeeObligation.objects.filter(dossier=dossier, paid_at__isnull=True, cancelled_at__isnull=True).exists()
