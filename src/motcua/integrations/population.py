"""Checking an applicant against the National Population Database (CSDL quốc gia về dân cư).

The adapter has the same shape as the national-portal transport: one call per question, no
retries, and the caller records the answer. `LocalPopulationRegistry` is the offline stand-in:
it answers from the `PopulationRecord` table (fill it in the admin, with `register_resident`, or
from a loader). The rule, deterministic and documented in README.md:

* the identifier must be a valid 12-digit personal identification number (else `invalid_id`);
* a record with that number must exist (else `not_found`);
* its full name must equal the applicant's after Unicode NFC, case folding and collapsing
  spaces — diacritics count, "Tran Thi B" is not "Trần Thị B" (else `name_mismatch`).
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.dossiers.identifiers import validate_personal_id
from motcua.dossiers.models import ApplicantKind, Dossier, PopulationCheck
from motcua.integrations.models import PopulationRecord


class PopulationLookupError(Exception):
    """The database could not answer (unreachable, refused): nothing is recorded, ask again later."""


@dataclass(frozen=True)
class PopulationAnswer:
    matched: bool
    detail: dict = field(default_factory=dict)  # {"reason": …} and what was compared


class PopulationAdapter(Protocol):
    source: str  # recorded on each PopulationCheck

    def lookup(self, personal_id: str, full_name: str) -> PopulationAnswer: ...


def normalise_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class LocalPopulationRegistry:
    """Offline, deterministic stand-in for the population database (see the module doc)."""

    source = "local-registry"

    def lookup(self, personal_id: str, full_name: str) -> PopulationAnswer:
        problem = validate_personal_id(personal_id)
        if problem:
            return PopulationAnswer(False, {"reason": "invalid_id", "message": problem})
        record = PopulationRecord.objects.filter(personal_id=personal_id).first()
        if record is None:
            return PopulationAnswer(False, {"reason": "not_found"})
        if normalise_name(record.full_name) != normalise_name(full_name):
            return PopulationAnswer(False, {"reason": "name_mismatch"})
        return PopulationAnswer(True, {"reason": "matched"})


def register_resident(personal_id: str, full_name: str, birth_date: date | None = None) -> PopulationRecord:
    """Add (or correct) a person in the local stand-in registry."""
    record, _ = PopulationRecord.objects.update_or_create(
        personal_id=personal_id, defaults={"full_name": full_name, "birth_date": birth_date})
    return record


def configured_adapter() -> PopulationAdapter:
    """MOTCUA_POPULATION_ADAPTER, else the local stand-in when MOTCUA_POPULATION_STAND_IN is on."""
    path = settings.MOTCUA_POPULATION_ADAPTER
    if path:
        return import_string(path)()
    if settings.MOTCUA_POPULATION_STAND_IN:
        return LocalPopulationRegistry()
    raise ImproperlyConfigured("Chưa cấu hình CSDL dân cư: đặt MOTCUA_POPULATION_ADAPTER "
                               "(hoặc MOTCUA_POPULATION_STAND_IN=1 khi phát triển).")


def check_applicant(dossier: Dossier, adapter: PopulationAdapter | None = None,
                    now: datetime | None = None) -> PopulationCheck:
    """Look the dossier's applicant up, record the answer as a PopulationCheck and, when matched,
    set `Dossier.population_verified` (a queryset update: not a state change of the dossier).

    Only individuals are in the population database: an organisation raises ValueError. An
    adapter that cannot answer raises PopulationLookupError and nothing is recorded.
    """
    if dossier.applicant_kind != ApplicantKind.INDIVIDUAL:
        raise ValueError("Chỉ tra cứu CSDL dân cư cho chủ hồ sơ là cá nhân.")
    adapter = adapter or configured_adapter()
    answer = adapter.lookup(dossier.applicant_id, dossier.applicant_name)
    with transaction.atomic():
        check = PopulationCheck.objects.create(dossier=dossier, checked_at=now or timezone.now(),
                                               matched=answer.matched, source=adapter.source, detail=answer.detail)
        if answer.matched:
            Dossier.objects.filter(pk=dossier.pk).update(population_verified=True)
            dossier.population_verified = True
    return check


def unchecked_individuals(since: date | None = None):
    """Individuals' dossiers never looked up and not verified another way (e.g. VNeID at
    submission); with `since`, only those submitted or received on or after that day."""
    query = Dossier.objects.filter(applicant_kind=ApplicantKind.INDIVIDUAL, population_verified=False,
                                   population_checks__isnull=True)
    if since is not None:
        start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
        query = query.filter(Q(received_at__gte=start) | Q(submitted_at__gte=start))
    return query.order_by("id")


@dataclass
class CheckRun:
    source: str
    matched: int = 0
    unmatched: int = 0
    errors: int = 0  # not answered: still unchecked, looked up again by the next run

    def as_dict(self) -> dict:
        return {"source": self.source, "matched": self.matched, "unmatched": self.unmatched, "errors": self.errors}


def check_unchecked(since: date | None = None, limit: int | None = None, adapter: PopulationAdapter | None = None,
                    on_error=None) -> CheckRun:
    """Look up every unchecked individual (`unchecked_individuals`): `motcua sync population` and its
    scheduled task. A look-up the registry cannot answer records nothing, so the next run retries it;
    `on_error(dossier code, exception)` hears of each."""
    adapter = adapter or configured_adapter()
    run = CheckRun(adapter.source)
    dossiers = unchecked_individuals(since)
    if limit is not None:
        dossiers = dossiers[:limit]
    for dossier in dossiers.iterator():
        try:
            check = check_applicant(dossier, adapter)
        except PopulationLookupError as exc:
            run.errors += 1
            if on_error is not None:
                on_error(dossier.code, exc)
            continue
        if check.matched:
            run.matched += 1
        else:
            run.unmatched += 1
    return run
