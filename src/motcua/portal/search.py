"""Procedure search that ignores Vietnamese diacritics: "ho tich" finds "Hộ tịch"."""
import unicodedata

from motcua.catalogue.models import Procedure
from motcua.catalogue.selectors import published
from motcua.common.collation import sort_key


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(plain.lower().split())


def search_procedures(query: str, queryset=None) -> list[Procedure]:
    """Published procedures whose code, name or field contain every word of the query."""
    words = fold(query or "").split()
    queryset = queryset if queryset is not None else published()
    procedures = sorted(queryset, key=lambda p: sort_key(p.name))
    if not words:
        return procedures
    return [p for p in procedures if all(w in fold(f"{p.code} {p.name} {p.field}") for w in words)]
