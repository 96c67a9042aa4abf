"""`{% load vn %}`: `{{ amount|vnd }}` → 200.000 đ; `{{ value|so:2 }}` → 64,93 (English: 64.93)."""
from django import template

from motcua.common import formatting

register = template.Library()


@register.filter
def vnd(amount) -> str:
    return formatting.vnd(amount)


@register.filter
def so(value, places=0) -> str:
    return formatting.number(value, int(places))
