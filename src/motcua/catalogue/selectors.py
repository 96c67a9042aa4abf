"""Reads of the catalogue."""
from django.db.models import Prefetch, QuerySet

from motcua.catalogue.models import (
    DecisionStatus, Finding, Procedure, ProcedureLevel, ProcedureStatus, PublicationItem, Severity,
)
from motcua.units.models import Unit, UnitKind
from motcua.units.scoping import scoped


def with_details(queryset: QuerySet | None = None) -> QuerySet:
    """Procedures with everything an export (or a detail page) needs, in a fixed number of queries."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.select_related("agency").prefetch_related(
        "methods", "fees", "components", "legal_bases", "steps",
        Prefetch(
            "publication_items",
            # A draft is not a decision yet: exports and detail pages list issued decisions only.
            queryset=PublicationItem.objects.select_related("decision__issuer_unit")
            .exclude(decision__status=DecisionStatus.DRAFT).order_by(
                "decision__decided_on", "decision__number", "decision_id"
            ),
        ),
    ).order_by("code")


def published(queryset: QuerySet | None = None) -> QuerySet:
    """Procedures in force (published or published as amended)."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.exclude(status=ProcedureStatus.ABOLISHED)


def submission_units(procedure: Procedure) -> QuerySet:
    """Where a procedure is submitted: every commune (commune level), else its agency."""
    if procedure.level == ProcedureLevel.COMMUNE:
        return Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("name")
    return Unit.objects.filter(pk=procedure.agency_id)


# -- the provincial office's pages (scoped: a unit's officers see their unit's rows) ---------------


def visible_findings(user) -> QuerySet:
    """Findings `user` may see: all for the provincial office, their unit's for a unit's officers."""
    return scoped(Finding.objects.all(), user, "owner_unit")


def filter_findings(queryset: QuerySet, *, severity: str = "", unit: str = "", status: str = "open") -> QuerySet:
    """Filters of the findings page; unknown values are ignored. status: open | resolved | all."""
    if severity in Severity.values:
        queryset = queryset.filter(severity=severity)
    if unit:
        queryset = queryset.filter(owner_unit__code=unit)
    if status == "open":
        queryset = queryset.filter(resolved_at__isnull=True)
    elif status == "resolved":
        queryset = queryset.filter(resolved_at__isnull=False)
    return queryset


def visible_publication_items(user) -> QuerySet:
    """Procedures announced by publication decisions that `user` may see (a department's officers:
    their department's procedures)."""
    items = PublicationItem.objects.select_related("decision", "procedure__agency", "national_change")
    return scoped(items, user, "procedure__agency").order_by("-decision__decided_on", "decision_id", "id")
