"""Reads of the results app (officer reads are scoped like every other)."""
from datetime import date

from motcua.dossiers.transitions import Status
from motcua.results.models import CertifiedCopy, SignedDocument
from motcua.units.models import UnitKind
from motcua.units.scoping import scoped


def communes_providing_e_certified_copies(first: date | None = None, last: date | None = None) -> set[int]:
    """The ids of the communes that issued at least one signed electronic certified copy (between
    `first` and `last`, local dates, both included, when given): the numerator of E_CERTIFIED_COPY."""
    copies = CertifiedCopy.objects.filter(unit__kind=UnitKind.COMMUNE)
    if first is not None:
        copies = copies.filter(certified_on__gte=first)
    if last is not None:
        copies = copies.filter(certified_on__lte=last)
    return set(copies.values_list("unit_id", flat=True).distinct())


def signed_result(dossier) -> SignedDocument | None:
    """The latest signed document of a dossier (the result, or the electronic certified copy)."""
    return dossier.signed_documents.order_by("-signed_at", "-id").first()


def paper_result_copy(dossier) -> str | None:
    """The stored scan of a dossier's paper result (its electronic copy) once the dossier is processed:
    the result of a procedure whose result is not a signed document."""
    finished = dossier.status in (Status.PROCESSED, Status.RETURNED)
    if finished and dossier.result_paper and dossier.result_file and not dossier.procedure.result_is_document:
        return dossier.result_file
    return None


def certified_copy_register(user, year: int):
    """The register of certified copies of the officer's commune for `year` (all communes for the
    provincial office)."""
    return (scoped(CertifiedCopy.objects.all(), user).filter(year=year)
            .select_related("unit", "certifier", "document", "dossier").order_by("unit__name", "number"))
