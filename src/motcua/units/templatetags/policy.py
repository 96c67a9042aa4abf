"""`{% load policy %}` … `{% if user|may:"refund" %}`: the role rules of `units.policy` in templates."""
from django import template

from motcua.units.policy import TEMPLATE_RULES

register = template.Library()


@register.filter
def may(user, rule: str) -> bool:
    """Whether `user` may do `rule` (a name of `units.policy.TEMPLATE_RULES`; an unknown name is an
    error, so that a misspelt rule never silently hides or shows a link)."""
    return TEMPLATE_RULES[rule](user)
