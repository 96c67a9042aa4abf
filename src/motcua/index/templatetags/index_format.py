"""Scores as pages show them: two decimals with the active language's decimal separator.

`floatformat` does the same through Decimal and is the main cost of a 100-row ranking page; scores
are plain floats below 1000, so a format string is enough.
"""
from django import template
from django.utils.translation import gettext

from motcua.index import rankings
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


@register.filter
def band_label(band: str) -> str:
    """A stored band in the active language; "Không có dữ liệu" for a unit without activity."""
    return rankings.band_text(band)


@register.simple_tag
def no_data_rule(snapshot) -> str:
    """How the snapshot's methodology scores an empty denominator, in one sentence beside the figures."""
    methodology = rankings.methodology_of(snapshot)
    full = [i.code for i in methodology.indicators if i.zero_denominator == "full"]
    return gettext("“Không có dữ liệu”: mẫu số bằng 0. Theo phương pháp %(version)s, chỉ số khi đó được điểm tối đa "
                   "nếu là %(full)s, các chỉ số khác 0 điểm; đơn vị không có hồ sơ nào trong kỳ không được xếp loại, "
                   "xếp hạng.") % {"version": methodology.version, "full": ", ".join(full)}
