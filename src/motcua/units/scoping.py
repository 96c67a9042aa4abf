"""The one scoping function every query for officer-visible data goes through.

An officer acts only inside their own unit; the provincial office and administrators read
everything; anyone else (anonymous, inactive, an officer without a unit) sees nothing.
"""
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from motcua.units.models import Officer


def scoped(queryset: QuerySet, user, unit_field: str | tuple[str, ...] = "unit") -> QuerySet:
    """Restrict `queryset` to the rows `user` may see; `unit_field` is the path to the row's Unit, or
    several paths when a row belongs to each of several units (a dossier received at one one-stop
    point for another unit is seen by both)."""
    if not isinstance(user, Officer) or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    fields = (unit_field,) if isinstance(unit_field, str) else unit_field
    return queryset.filter(reduce(or_, (Q(**{field: user.unit_id}) for field in fields)))
