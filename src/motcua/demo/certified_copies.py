"""The demo province's electronic certified copies (chứng thực bản sao điện tử từ bản chính).

On the real portal every commune scores E_CERTIFIED_COPY's full 2 points (the portal reports no
data and awards the maximum). motcua measures it — a commune provides the service from its first
signed electronic certified copy (`motcua.index.engine.certified_copy_facts`) — so for the demo to
look like the portal, about 95 % of the communes issue one early in the demo's history, and the
rest show what a commune that does not provide it looks like (a rate of ~95 % for the province).

`plan_certifications` is pure (shared with `motcua demo parquet`); `load_certified_copies` issues
each copy through the real path: a dossier of procedure 2.000815 received at the commune's desk,
its fee taken in cash, processed, and certified by the commune's head with
`motcua.results.services.certify_copy` (a signed PDF, an entry in the commune's register).
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pyarrow as pa

PROCEDURE_CODE = "2.000815"
SHARE = 0.95
ORIGINALS = ["Giấy khai sinh", "Bằng tốt nghiệp trung học phổ thông", "Sổ hộ khẩu", "Giấy chứng nhận kết hôn",
             "Bằng tốt nghiệp đại học", "Học bạ trung học cơ sở"]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def plan_certifications(seed: int, communes: list[int], first_month: date, is_working_day) -> dict[int, datetime]:
    """For round(95 %) of `communes` (ids), the instant its first electronic certified copy is
    signed: a working day among the first ten of `first_month`, in the morning's office hours."""
    rng = random.Random(seed * 1_000_003 + 0xCC)
    chosen = sorted(rng.sample(sorted(communes), round(len(communes) * SHARE)))
    days = [d for d in (first_month + timedelta(n) for n in range(10)) if is_working_day(d)]
    return {unit: datetime.combine(rng.choice(days), time(8, 0), TZ) + timedelta(minutes=rng.randint(0, 150))
            for unit in chosen}


def certified_copies_table(units: pa.Table, seed: int, first_month: date, is_working_day) -> pa.Table:
    """`certified_copies.parquet` for `motcua demo parquet`: unit_id, certified_at."""
    communes = [r["unit_id"] for r in units.select(["unit_id", "kind"]).to_pylist() if r["kind"] == "commune"]
    plan = plan_certifications(seed, communes, first_month, is_working_day)
    return pa.table({"unit_id": pa.array(list(plan), pa.int64()),
                     "certified_at": pa.array(list(plan.values()), pa.timestamp("us", tz="Asia/Ho_Chi_Minh"))})


def _scan() -> bytes:
    """The scanned original: one small PDF page, rendered once for every copy."""
    from weasyprint import HTML

    return HTML(string="<h1>Bản chính</h1><p>Giấy tờ xuất trình để chứng thực bản sao (dữ liệu mẫu).</p>").write_pdf()


def load_certified_copies(seed: int, first_month: date, until: datetime, *, after: str = "",
                          done=lambda unit_code: None) -> int:
    """Issue the planned electronic certified copies (those due by `until`), a commune at a time in
    the plan's order, each in its own transaction joined by `done(commune code)`; a load cut short
    resumes `after` the last commune done. The number issued; nothing without procedure 2.000815 in
    the catalogue."""
    from django.db import transaction

    from motcua.catalogue.models import Procedure
    from motcua.dossiers.models import Channel
    from motcua.dossiers.services import Applicant, open_dossier, transition
    from motcua.dossiers.transitions import Action
    from motcua.payments.services import pay_cash, request_submission_obligation
    from motcua.results.services import certify_copy
    from motcua.units.models import Officer, Role, Unit, UnitKind
    from motcua.workdays.services import province_calendar

    procedure = Procedure.objects.filter(code=PROCEDURE_CODE).prefetch_related("fees").first()
    if procedure is None:
        return 0
    calendar = province_calendar()
    communes = {u.pk: u for u in Unit.objects.filter(kind=UnitKind.COMMUNE)}
    officers: dict[int, dict] = {}
    for o in Officer.objects.filter(unit_id__in=communes, role__in=[Role.RECEPTION, Role.PROCESSING, Role.HEAD]):
        officers.setdefault(o.unit_id, {})[o.role] = o
    plan = plan_certifications(seed, [pk for pk in communes if len(officers.get(pk, {})) == 3], first_month,
                               calendar.is_working_day)
    rng = random.Random(seed * 1_000_003 + 0xCD)
    scan = _scan()
    issued = 0
    order = [communes[unit_id].code for unit_id in plan]
    for unit_id, certified_at in list(plan.items())[order.index(after) + 1 if after else 0:]:
        if certified_at > until:
            continue
        o = officers[unit_id]
        received_at = certified_at - timedelta(minutes=30)
        pid = f"024{rng.choice('0123')}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}"
        with transaction.atomic():
            d = open_dossier(procedure=procedure, unit=communes[unit_id], channel=Channel.DIRECT,
                             applicant=Applicant("individual", "Nguyễn Văn An", pid, phone="0912345678"),
                             action=Action.RECEIVE, actor=o[Role.RECEPTION], at=received_at)
            obligation = request_submission_obligation(d, pages=1, copies=1)
            if obligation is not None:
                pay_cash(d, o[Role.RECEPTION], amount_vnd=obligation.amount_vnd, at=received_at + timedelta(minutes=5))
            d = transition(d, Action.START_PROCESSING, actor=o[Role.PROCESSING], at=received_at + timedelta(minutes=10),
                           assignee_id=o[Role.PROCESSING].pk)
            certify_copy(d, actor=o[Role.HEAD], scan=scan, original_name=rng.choice(ORIGINALS), paper_copies=1,
                         at=certified_at)
            transition(d, Action.RETURN_RESULT, actor=o[Role.RECEPTION], at=certified_at + timedelta(minutes=15))
            done(communes[unit_id].code)
        issued += 1
    return issued
