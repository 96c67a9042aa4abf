"""The demo province's publication decisions (QĐCB), shaped like the real portal's G1 figures
(`tests/data/portal-2026-08/transparency`): every procedure published by a founding decision
after Decree 118/2025/NĐ-CP, about 98 % of them with all 7 mandatory parts (87 / 89 on the portal),
and a few ministries' decisions during the demo months announced by the province through the
real path (national feed → draft → issued → public on the National Database → applied), most on
time, some late. The last month has none (0 / 0, as on the portal), and one ministry's decision
whose legal basis takes effect soon is still a draft, so that the deadlines page and the alerts
have something to show.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pyarrow as pa

from motcua.catalogue import deadlines
from motcua.index.engine.publication_facts import PUBLICATION_SCHEMA
from motcua.workdays.calendar import WorkCalendar

# The database part imports Django's models where it runs, so that `motcua demo parquet` and the
# benchmarks use the pure part (`plan_announcements`, `publications_table`) without settings.

FOUNDING_DECIDED = date(2025, 6, 20)  # Decree 118/2025/NĐ-CP takes effect on 01/07/2025
FOUNDING_EFFECTIVE = date(2025, 7, 1)
INCOMPLETE_SHARE = 0.0225  # 2 of 89 on the portal lack a mandatory part
MINISTRIES = [("BTP", "Bộ Tư pháp", "STP"), ("BYT", "Bộ Y tế", "SYT"), ("BCT", "Bộ Công Thương", "SCT"),
              ("BXD", "Bộ Xây dựng", "SXD"), ("BTC", "Bộ Tài chính", "STC")]


@dataclass(frozen=True)
class Announcement:
    """A ministry's decision amending `members` (procedures), and the province's announcing it."""

    serial: int
    ministry: tuple[str, str, str]
    members: list
    national_on: date  # the ministry's decision
    effective_on: date  # its legal basis takes effect
    decided_on: date  # the province's: 5–15 working days before effective_on (on time), or 1–4 (late)
    published_on: date  # public on the National Database: within 5 working days, or 7–9


def _shift(calendar: WorkCalendar, day: date, working_days: int) -> date:
    return calendar.working_day_with_ordinal(calendar.working_day_ordinal(day) + working_days)


def plan_announcements(rng: random.Random, calendar: WorkCalendar, months: list[tuple[int, int]],
                       by_agency: dict, everyone: list) -> list[Announcement]:
    """One announcement a month except the last (none that month, as on the portal); every third
    decided late, every fourth published late. `by_agency`: department code → its procedures."""
    plans = []
    for serial, (year, month) in enumerate(months[:-1], start=1):
        ministry = MINISTRIES[(serial - 1) % len(MINISTRIES)]
        candidates = by_agency.get(ministry[2]) or everyone
        members = rng.sample(candidates, min(len(candidates), rng.randint(2, 6)))
        decided = calendar.working_day_on_or_after(date(year, month, rng.randint(5, 20)))
        before = rng.randint(1, 4) if serial % 3 == 0 else rng.randint(deadlines.DECIDE_BEFORE, 15)
        effective = _shift(calendar, decided, before)
        published = _shift(calendar, decided, rng.randint(7, 9) if serial % 4 == 2 else rng.randint(1, 5))
        plans.append(Announcement(serial, ministry, members, decided - timedelta(days=rng.randint(5, 12)), effective,
                                  decided, published))
    return plans


def _founding_published_on(rng: random.Random, calendar: WorkCalendar, decided: date) -> date:
    return _shift(calendar, decided, rng.randint(1, 5))


def _founding(rng: random.Random, procedures: list, province, calendar: WorkCalendar) -> int:
    """One founding decision per department (and one for commune-level procedures), public on the
    National Database a few working days later; a few procedures published without their subjects."""
    from motcua.catalogue.models import ChangeType, Procedure, ProcedureLevel, PublicationDecision, PublicationItem

    groups: dict[object, list] = {}
    for p in procedures:
        groups.setdefault(p.agency if p.level == ProcedureLevel.PROVINCE else None, []).append(p)
    items = []
    for serial, (agency, procs) in enumerate(sorted(groups.items(), key=lambda kv: kv[0].code if kv[0] else ""),
                                             start=1):
        decided = FOUNDING_DECIDED - timedelta(days=rng.randint(0, 3))
        decision = PublicationDecision.objects.create(
            number=f"{1200 + serial}/QĐ-UBND", issuer_unit=province, decided_on=decided, signer="Chủ tịch UBND tỉnh",
            title=f"Công bố danh mục TTHC {'cấp xã' if agency is None else 'thuộc ' + agency.name}",
            published_national_on=_founding_published_on(rng, calendar, decided))
        items += [PublicationItem(decision=decision, procedure=p, code=p.code, name=p.name,
                                  change_type=ChangeType.NEW, legal_basis="118/2025/NĐ-CP",
                                  effective_on=FOUNDING_EFFECTIVE) for p in procs]
    PublicationItem.objects.bulk_create(items, batch_size=500)
    incomplete = [p.pk for p in procedures if rng.random() < INCOMPLETE_SHARE]
    Procedure.objects.filter(pk__in=incomplete).update(subjects=[])
    return len(items)


def _national(number: str, ministry: tuple[str, str, str], decided_on: date, members: list,
              legal_basis: str, effective_on: date):
    from motcua.catalogue.models import ChangeType, NationalChange, NationalDecision

    national = NationalDecision.objects.create(
        number=number, ministry=ministry[1], decided_on=decided_on,
        title=f"Công bố TTHC được sửa đổi, bổ sung thuộc phạm vi chức năng quản lý của {ministry[1]}")
    NationalChange.objects.bulk_create([
        NationalChange(decision=national, code=p.code, name=p.name, level=p.level, change_type=ChangeType.AMENDED,
                       agency_code=p.agency.code if p.agency_id else "", legal_basis=legal_basis,
                       effective_on=effective_on) for p in members])
    return national


def _announce(plan: Announcement, calendar: WorkCalendar) -> None:
    """The plan through the real path: national feed → draft → issued → public → applied."""
    from django.utils import timezone

    from motcua.catalogue import publications

    code = plan.ministry[0]
    national = _national(f"{300 + plan.serial}/QĐ-{code}", plan.ministry, plan.national_on, plan.members,
                         f"{10 + plan.serial}/2026/TT-{code}", plan.effective_on)
    draft = publications.draft_province_decision(national, today=plan.national_on, calendar=calendar)
    publications.issue(draft, number=f"{2400 + plan.serial}/QĐ-UBND", decided_on=plan.decided_on,
                       signer="Phó Chủ tịch UBND tỉnh")
    publications.record_national_publication(draft, plan.published_on)
    publications.apply(draft, now=timezone.make_aware(datetime.combine(plan.decided_on, time(16))))


def _by_agency(procedures, agency_code) -> dict:
    by: dict[str, list] = {}
    for p in procedures:
        code = agency_code(p)
        if code:
            by.setdefault(code, []).append(p)
    return by


def load_publications(seed: int, until: datetime, months: list[tuple[int, int]]) -> int:
    """The demo's publication decisions over `months` ((year, month), the last one current);
    returns the number of procedures announced."""
    from django.db import transaction

    from motcua.catalogue import publications
    from motcua.catalogue.models import Procedure, PublicationItem
    from motcua.workdays.services import province_calendar

    rng = random.Random(seed * 7 + 3)
    calendar = province_calendar()
    with transaction.atomic():
        procedures = list(Procedure.objects.select_related("agency").order_by("code"))
        province = publications.province_unit()
        if not procedures or province is None or PublicationItem.objects.exists():
            return 0
        count = _founding(rng, procedures, province, calendar)
        by_agency = _by_agency(procedures, lambda p: p.agency.code if p.agency_id else None)
        plans = plan_announcements(rng, calendar, months, by_agency, procedures)
        for plan in plans:
            _announce(plan, calendar)
        # A ministry's decision just arrived: drafted, its decide-by 2 working days away (an alert).
        ministry = MINISTRIES[len(plans) % len(MINISTRIES)]
        members = rng.sample(by_agency.get(ministry[2]) or procedures, 2)
        national = _national(f"{300 + len(plans) + 1}/QĐ-{ministry[0]}", ministry, until.date() - timedelta(days=3),
                             members, f"05/2027/TT-{ministry[0]}", _shift(calendar, until.date(), 7))
        publications.draft_province_decision(national, today=until.date(), calendar=calendar)
    return count + sum(len(p.members) for p in plans) + len(members)


def publications_table(units: pa.Table, procedures: pa.Table, calendar: WorkCalendar,
                       months: list[tuple[int, int]], seed: int) -> pa.Table:
    """The same kind of decisions for `motcua demo parquet`, as the engine's `publications` input
    table (no database): founding rows for every procedure, then the monthly announcements."""
    rng = random.Random(seed * 7 + 3)
    code_of = dict(zip(units["unit_id"].to_pylist(), units["code"].to_pylist()))
    province_id = units["unit_id"].to_pylist()[units["kind"].to_pylist().index("province")]
    ids = procedures["procedure_id"].to_pylist()
    agency = dict(zip(ids, procedures["agency_id"].to_pylist()))
    unit_of = {p: agency[p] or province_id for p in ids}
    founding = {}
    for unit in sorted(set(unit_of.values())):
        decided = FOUNDING_DECIDED - timedelta(days=rng.randint(0, 3))
        founding[unit] = (decided, _founding_published_on(rng, calendar, decided))
    full = {p: rng.random() >= INCOMPLETE_SHARE for p in ids}
    rows = [(unit_of[p], p, *founding[unit_of[p]][:1], FOUNDING_EFFECTIVE, founding[unit_of[p]][1]) for p in ids]
    by_agency = _by_agency(ids, lambda p: code_of.get(agency[p]))
    for plan in plan_announcements(rng, calendar, months, by_agency, ids):
        rows += [(unit_of[p], p, plan.decided_on, plan.effective_on, plan.published_on) for p in plan.members]
    day = lambda d: (d - date(1970, 1, 1)).days  # noqa: E731
    return pa.Table.from_pylist([
        {"unit_id": u, "procedure_id": p, "decided_day": day(dec), "effective_day": day(eff), "ministry": False,
         "published_day": day(pub), "content_full": full[p], "abolished": False}
        for u, p, dec, eff, pub in rows], schema=PUBLICATION_SCHEMA.to_pyarrow())
