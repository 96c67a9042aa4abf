"""Scores as pages show them: two decimals with the active language's decimal separator.

`floatformat` does the same through Decimal and is the main cost of a 100-row ranking page; scores
are plain floats below 1000, so a format string is enough.
"""
from django import template

from motcua.index.charts import format_points

register = template.Library()


@register.filter
def points(value) -> str:
    """58.789 → '58,79' in Vietnamese, '58.79' in English; None → '–'."""
    if value is None or value == "":
        return "–"
    return format_points(value)


@register.filter
def signed_points(value) -> str:
    """+1,25 / -0,50 / – for a change."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + points(value)
