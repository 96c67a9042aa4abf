"""`{% result_panel d user %}`: the electronic result of a dossier on the desk page."""
from django import template

from motcua.dossiers.transitions import Status
from motcua.results import selectors
from motcua.results.forms import CertifyForm
from motcua.results.services import is_certified_copy
from motcua.units import policy

register = template.Library()


@register.inclusion_tag("results/_result_panel.html")
def result_panel(dossier, user):
    certifies = (is_certified_copy(dossier) and dossier.status == Status.IN_PROCESS
                 and policy.can_certify_copies(user, dossier.unit_id))
    return {"d": dossier, "document": selectors.signed_result(dossier),
            "certify_form": CertifyForm() if certifies else None}


@register.simple_tag
def paper_result_copy(dossier):
    """`{% paper_result_copy d as copy %}`: the stored scan of the dossier's paper result, if any."""
    return selectors.paper_result_copy(dossier)
