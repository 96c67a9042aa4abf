"""The one scoping function every query for officer-visible data goes through.

An officer acts only inside their own unit; the provincial office and administrators read
everything; anyone else (anonymous, inactive, an officer without a unit) sees nothing.
"""
from django.db.models import QuerySet

from motcua.units.models import Officer


def scoped(queryset: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    """Restrict `queryset` to the rows `user` may see; `unit_field` is the path to the row's Unit."""
    if not isinstance(user, Officer) or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    return queryset.filter(**{unit_field: user.unit_id})
