"""Who may do what, by role: the one place each role rule is written, for views, templates
(`{% load policy %}` then `{% if user|may:"refund" %}`), template tags and services.

Which unit's records an officer may *see* is `units.scoping.scoped`; which dossier action a role may
take in which status is the table of `dossiers.transitions`. The rules here are the rest.
"""
from motcua.units.models import Role


def _is(user, *roles: Role) -> bool:
    return getattr(user, "role", None) in roles


def head_of_a_unit(user) -> bool:
    """A head of unit (lãnh đạo đơn vị) with a unit: signs, certifies copies, sees the unit's index."""
    return _is(user, Role.HEAD) and user.unit_id is not None


def can_receive(user) -> bool:
    """Receives dossiers at the desk (or by post): a reception officer of a unit."""
    return _is(user, Role.RECEPTION) and user.unit_id is not None


def can_take_cash(user) -> bool:
    """Takes a fee in cash at the desk and issues its receipt."""
    return _is(user, Role.RECEPTION)


def can_file_delay_report(user) -> bool:
    """Files a delay report (báo cáo chậm) and the apology slip (Mẫu 04)."""
    return _is(user, Role.PROCESSING, Role.HEAD)


def can_read_reconciliation(user) -> bool:
    """Reads the day's payment reconciliation: heads of unit, the provincial office, administrators."""
    return _is(user, Role.HEAD, Role.PROVINCIAL_OFFICE, Role.ADMIN)


def can_refund(user) -> bool:
    """Refunds a payment from the reconciliation page."""
    return _is(user, Role.HEAD)


def can_certify_copies(user, unit_id: int | None) -> bool:
    """Signs electronic certified copies (chứng thực bản sao điện tử) of the unit `unit_id`."""
    return head_of_a_unit(user) and user.unit_id == unit_id


# The names templates use: {% if user|may:"refund" %}.
TEMPLATE_RULES = {
    "receive": can_receive,
    "read_reconciliation": can_read_reconciliation,
    "refund": can_refund,
    "see_unit_index": head_of_a_unit,
}
