"""Numbers as Vietnamese writes them, on every page and document; English keeps its own."""
import pytest
from django.template import Context, Template
from django.utils import translation

from motcua.common.formatting import number, vnd


@pytest.mark.parametrize("value, places, expected", [
    (200000, 0, "200.000"), (1234567, 0, "1.234.567"), (999, 0, "999"), (0, 0, "0"),
    (64.93, 2, "64,93"), (6, 2, "6,00"), (-0.5, 2, "-0,50"), (1234.5, 1, "1.234,5"), (-0.001, 2, "0,00"),
])
def test_vietnamese_separators(value, places, expected):
    assert number(value, places, vietnamese=True) == expected


def test_money_in_dong():
    with translation.override("vi"):
        assert vnd(200000) == "200.000 đ" and vnd(2000, "đồng") == "2.000 đồng" and vnd(None) == "–"
    with translation.override("en"):
        assert vnd(200000) == "200,000 VND" and vnd(2000, "đồng") == "2.000 đồng"


def test_templates_follow_the_language():
    template = Template("{% load vn %}{{ a|vnd }} · {{ s|so:2 }}")
    with translation.override("vi"):
        assert template.render(Context({"a": 50000, "s": 64.934})) == "50.000 đ · 64,93"
    with translation.override("en"):
        assert template.render(Context({"a": 50000, "s": 1064.934})) == "50,000 VND · 1,064.93"
