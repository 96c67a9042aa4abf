"""Reads of the catalogue."""
from django.db.models import Prefetch, QuerySet

from motcua.catalogue.models import Procedure, ProcedureStatus, PublicationItem


def with_details(queryset: QuerySet | None = None) -> QuerySet:
    """Procedures with everything an export (or a detail page) needs, in a fixed number of queries."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.select_related("agency").prefetch_related(
        "methods", "fees", "components", "legal_bases", "steps",
        Prefetch(
            "publication_items",
            queryset=PublicationItem.objects.select_related("decision__issuer_unit").order_by(
                "decision__decided_on", "decision__number", "decision_id"
            ),
        ),
    ).order_by("code")


def published(queryset: QuerySet | None = None) -> QuerySet:
    """Procedures in force (published or published as amended)."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.exclude(status=ProcedureStatus.ABOLISHED)
