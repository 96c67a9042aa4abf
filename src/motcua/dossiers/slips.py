"""The one-stop forms of Circular 03/2025/TT-VPCP, Annex I, as PDFs (phiếu, giấy, sổ của Bộ phận Một cửa).

Mẫu 01 receipt and appointment, 02 request for more documents, 03 refusal (at reception only), 04
apology and request to extend, 05 notice that processing is stopped (new in 2025), 06
processing-control sheet, 07 dossier register (05 and 06 under Circular 01/2018, whose set had no
stop notice; list of the 2025 forms: https://thuviennhadat.vn/phap-luat/tai-file-word-bieu-mau-thong-tu-03-2025-tt-vpcp-ve-giai-quyet-thu-tuc-hanh-chinh-tai-bo-phan-mot-cua-708489.html).
The annex's own text was not found through the search tool: the fields are those of the Circular
01/2018/TT-VPCP forms (receipt: applicant, components, time limit, reception and appointment times;
supplement and refusal: the items or reasons; apology: the appointment held, the reason, the new
one; control sheet: each hand-over with its deadline and result; register: one row per dossier),
which the 2025 forms continue.

Form versions: a slip is printed in the version of the form set it was issued with (recorded on
its event as `form_version`, or on the delay report; for events recorded before that, the set in
force on the event's day). Titles, numbers and citations come from `legal_basis.FORMS`; the same
template serves both sets where only those differ.

Each is a Django template under
`dossiers/slips/` rendered by WeasyPrint, in Vietnamese whatever the active language, with the
dossier code and a QR code to the public lookup page (the public address + `/tra-cuu/?ma=<code>`).

Printing (font, heading, QR, PDF) is `common.printing`, dates and numbers `common.formatting`:
times are shown in Asia/Ho_Chi_Minh, dates as dd/mm/yyyy.

Reads only: nothing here writes a model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from django.utils import timezone

from motcua.common.formatting import VN, fmt_date, fmt_datetime, fmt_short, local
from motcua.common.printing import DESK, header, html_to_pdf, person, qr_data_uri
from motcua.common.public_url import public_base_url
from motcua.dossiers.links import lookup_url
from motcua.dossiers import legal_basis
from motcua.dossiers.models import ApplicantKind, Channel, DelayReport, Dossier, DossierEvent
from motcua.dossiers.transitions import Action, Status

MAX_REGISTER_DAYS = 366

EARLY, ON_TIME, LATE = "Trước hạn", "Đúng hạn", "Quá hạn"


def _number(value) -> str:
    """3 for Decimal('3.00'), 1,5 for Decimal('1.50')."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


# -- rendering -----------------------------------------------------------------------------------

def render_pdf(template: str, context: dict) -> bytes:
    """Render the slip `dossiers/slips/<template>` to PDF bytes."""
    return html_to_pdf(f"dossiers/slips/{template}", context)


def form_context(form: str, version: str) -> dict:
    """The form's number, title and citation in `version` of the set (see `legal_basis`)."""
    spec = legal_basis.form(form, version)
    return {"form": spec.number, "title": spec.title, "form_footer": legal_basis.footer(spec),
            "form_version": version}


def event_form_version(event: DossierEvent) -> str:
    """The form set the event's slip was issued with: recorded on the event, or (events from
    before it was recorded) the set in force on the event's day."""
    data = event.data if isinstance(event.data, dict) else {}
    return data.get("form_version") or legal_basis.version_on(local(event.at).date())


def dossier_form_version(dossier: Dossier) -> str:
    """The form set of the dossier's own papers (the control sheet): the one its first form was
    issued with (the receipt, or the refusal at reception), else the one of its first event."""
    events = _events(dossier)
    first = events.filter(action__in=[Action.RECEIVE, Action.REFUSE]).first() or events.first()
    return event_form_version(first) if first else legal_basis.version_on(_now().date())


def _dossier_context(dossier: Dossier, form: str, unit, day: date, version: str) -> dict:
    url = lookup_url(dossier.code)
    return {
        **form_context(form, version), "head": header(unit, day), "dossier": dossier,
        "lookup_url": url, "qr": qr_data_uri(url), "procedure": dossier.procedure,
        "applicant_title": "Ông/Bà" if dossier.applicant_kind == ApplicantKind.INDIVIDUAL else "Quý cơ quan, tổ chức",
    }


def _events(dossier: Dossier, action: Action | None = None):
    qs = dossier.events.select_related("actor", "unit").order_by("seq")
    return qs.filter(action=action) if action else qs


def _lines(text: str) -> list[str]:
    """Reasons typed one per line, with or without bullets or numbers."""
    return [re.sub(r"^\s*(?:[-–•*]|\d+[.)])\s*", "", line).strip()
            for line in (text or "").splitlines() if line.strip()]


def _now() -> datetime:
    return local(timezone.now())


# -- Mẫu 01 --------------------------------------------------------------------------------------

def receipt_pdf(dossier: Dossier) -> bytes:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả — components received (digitized or
    reused), the appointment fixed at reception, the receiving officer and unit."""
    if dossier.received_at is None:
        raise ValueError(f"Hồ sơ {dossier.code} chưa được tiếp nhận: chưa có giấy tiếp nhận.")
    received = _events(dossier, Action.RECEIVE).last()
    unit = dossier.received_unit
    components = []
    for item in dossier.components.select_related("catalogue_component").order_by("id"):
        cat = item.catalogue_component
        kind = ""
        if cat is not None:
            parts = [f"{cat.original_count:02d} bản chính"] if cat.original_count else []
            parts += [f"{cat.copy_count:02d} bản sao"] if cat.copy_count else []
            kind = ", ".join(parts)
        components.append({"name": item.name, "kind": kind, "digitized": item.digitized,
                           "reused": item.reused, "from_personal_store": item.from_personal_store})
    procedure = dossier.procedure
    version = event_form_version(received) if received else legal_basis.version_on(local(dossier.received_at).date())
    context = _dossier_context(dossier, "01", unit, local(dossier.received_at).date(), version)
    context.update({
        "components": components,
        "time_limit": f"{_number(procedure.time_limit)} {procedure.get_time_unit_display().lower()}"
                      if procedure.time_limit is not None else "",
        "received_at": fmt_datetime(dossier.received_at),
        "appointment_at": fmt_datetime(dossier.appointment_at),
        "appointment_date": fmt_date(dossier.appointment_at),
        "officer": person(received.actor) if received else "",
        "channel": dossier.get_channel_display(),
    })
    return render_pdf("01_receipt.html", context)


# -- Mẫu 02 --------------------------------------------------------------------------------------

def supplement_request_pdf(dossier: Dossier, items: list[str], reason: str, officer, *,
                           at: datetime | None = None, version: str = legal_basis.CURRENT_FORM_VERSION) -> bytes:
    """Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — what to add (`items`), why, and whom
    to ask (`officer`). `at` dates the slip (default: now)."""
    at = local(at) if at else _now()
    unit = officer.unit if getattr(officer, "unit", None) is not None else dossier.unit
    context = _dossier_context(dossier, "02", unit, at.date(), version)
    context.update({"items": [i for i in (s.strip() for s in items) if i], "reason": reason.strip(),
                    "officer": person(officer), "officer_unit": unit.name, "at": fmt_datetime(at)})
    return render_pdf("02_supplement.html", context)


def supplement_request_pdf_for(event: DossierEvent) -> bytes:
    """Mẫu 02 again for a recorded request_supplement event: the items from `event.data["items"]`
    (the desk records them there), else one per line of the event's reason."""
    items = event.data.get("items") if isinstance(event.data, dict) else None
    if items:
        reason = event.reason
    else:
        items, reason = _lines(event.reason), ""
    return supplement_request_pdf(event.dossier, [str(i) for i in items], reason, event.actor, at=event.at,
                                  version=event_form_version(event))


# -- Mẫu 03 --------------------------------------------------------------------------------------

def refusal_pdf(dossier: Dossier, reasons: list[str], officer, *, at: datetime | None = None,
                version: str = legal_basis.CURRENT_FORM_VERSION) -> bytes:
    """Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ, with the reasons."""
    at = local(at) if at else _now()
    unit = officer.unit if getattr(officer, "unit", None) is not None else dossier.received_unit
    context = _dossier_context(dossier, "03", unit, at.date(), version)
    context.update({"reasons": [r for r in (s.strip() for s in reasons) if r], "officer": person(officer),
                    "at": fmt_datetime(at)})
    return render_pdf("03_refusal.html", context)


def refusal_pdf_for(event: DossierEvent) -> bytes:
    """Mẫu 03 again for a recorded refuse event: `event.data["reasons"]` or the reason's lines."""
    reasons = event.data.get("reasons") if isinstance(event.data, dict) else None
    reasons = [str(r) for r in reasons] if reasons else _lines(event.reason)
    return refusal_pdf(event.dossier, reasons, event.actor, at=event.at, version=event_form_version(event))


# -- Mẫu 04 --------------------------------------------------------------------------------------

def appointment_in_force(dossier: Dossier, at: datetime, *, before_report: DelayReport | None = None):
    """The appointment the applicant held at `at`: fixed at reception, moved by a received
    supplement, then by the latest delay report filed after that (other than `before_report`)."""
    appointment = set_at = None
    for event in _events(dossier).filter(at__lte=at):
        data = event.data if isinstance(event.data, dict) else {}
        key = {Action.RECEIVE: "appointment_at", Action.RECEIVE_SUPPLEMENT: "new_appointment_at"}.get(event.action)
        if key and data.get(key):
            appointment, set_at = datetime.fromisoformat(data[key]), event.at
    reports = dossier.delay_reports.filter(filed_at__lte=at)
    if before_report is not None and before_report.pk:
        reports = reports.exclude(pk=before_report.pk)
    latest = reports.order_by("filed_at", "pk").last()
    if latest is not None and (set_at is None or latest.filed_at >= set_at):
        appointment = latest.new_appointment_at
    return appointment or dossier.appointment_at


def apology_pdf(delay_report: DelayReport) -> bytes:
    """Mẫu 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (2018: Phiếu xin lỗi và hẹn
    lại ngày trả kết quả) — the appointment the applicant held, the reason for the delay, and the
    new appointment, in the version recorded on the report."""
    dossier = delay_report.dossier
    original = appointment_in_force(dossier, delay_report.filed_at, before_report=delay_report)
    filed = local(delay_report.filed_at)
    context = _dossier_context(dossier, "04", dossier.unit, filed.date(), delay_report.form_version)
    context.update({
        "report": delay_report, "original_at": fmt_datetime(original),
        "new_at": fmt_datetime(delay_report.new_appointment_at),
        "new_date": fmt_date(delay_report.new_appointment_at), "filed_by": person(delay_report.filed_by),
        "received_date": fmt_date(dossier.received_at),
    })
    return render_pdf("04_apology.html", context)


# -- Mẫu 05 --------------------------------------------------------------------------------------

def stop_notice_pdf_for(event: DossierEvent) -> bytes:
    """Mẫu 05 (Circular 03/2025/TT-VPCP, Annex I): Thông báo dừng giải quyết hồ sơ — for a recorded
    stop event: the dossier received, its appointment, when processing stopped and why (one reason
    a line), signed by the head of the unit who stopped it."""
    dossier = event.dossier
    at = local(event.at)
    unit = event.unit or dossier.unit
    reasons = event.data.get("reasons") if isinstance(event.data, dict) else None
    context = _dossier_context(dossier, "05", unit, at.date(), event_form_version(event))
    context.update({
        "reasons": [str(r) for r in reasons] if reasons else _lines(event.reason),
        "officer": person(event.actor), "at": fmt_datetime(at), "unit_name": unit.name,
        "received_date": fmt_date(dossier.received_at), "appointment_at": fmt_datetime(dossier.appointment_at),
    })
    return render_pdf("05_stop.html", context)


# -- Mẫu 06 --------------------------------------------------------------------------------------

@dataclass
class Handover:
    """One row of the processing-control sheet: one recorded action on the dossier."""

    seq: int
    at: datetime
    action: str
    giver: str  # bên giao
    receiver: str  # bên nhận
    actor: str
    deadline: datetime | None  # the deadline the hand-over is judged against, if any
    result: str  # Trước hạn / Đúng hạn / Quá hạn, or "" when no deadline applies
    note: str = ""


def judge(at: datetime, deadline: datetime | None) -> str:
    """Trước hạn (an earlier day than the deadline), Đúng hạn (on its day, not after it),
    Quá hạn (after it)."""
    if deadline is None:
        return ""
    if at > deadline:
        return LATE
    return EARLY if local(at).date() < local(deadline).date() else ON_TIME


# Which deadline judges a hand-over: the current step's (falling back to the appointment), the
# appointment itself, or none (the applicant's own moves, and reception itself).
_STEP_JUDGED = {Action.START_PROCESSING, Action.FORWARD, Action.TRANSFER, Action.REQUEST_SUPPLEMENT,
                Action.REQUEST_PAYMENT, Action.COMPLETE}
_APPOINTMENT_JUDGED = {Action.RETURN_RESULT, Action.STOP}


def handovers(dossier: Dossier) -> list[Handover]:
    """Every recorded action on the dossier as a hand-over (bên giao → bên nhận), replayed from the
    event log, each judged against the deadline in force then: the step deadline set when the step
    started (moved by the working time a supplement request paused the clock), else the
    appointment (moved by a received supplement)."""
    from motcua.catalogue.models import ProcessStep
    from motcua.units.models import Officer, Unit
    from motcua.workdays.services import province_calendar

    events = list(_events(dossier))

    def ids(key: str) -> set:
        return {e.data[key] for e in events if isinstance(e.data, dict) and e.data.get(key)}

    officers = Officer.objects.in_bulk(ids("assignee_id"))
    steps = ProcessStep.objects.in_bulk(ids("current_step_id"))
    units = Unit.objects.in_bulk(ids("to_unit"))

    applicant = f"Chủ hồ sơ: {dossier.applicant_name}"
    holder = applicant
    assignee = step = None
    step_deadline = appointment = None
    waiting_holder = None  # who had the dossier while the applicant is asked for something
    rows = []
    for e in events:
        data = e.data if isinstance(e.data, dict) else {}
        try:
            action = Action(e.action)
        except ValueError:  # an action this sheet does not know yet: shown, the dossier stays put
            action = None
        desk = f"{DESK} – {e.unit.name}"
        actor = person(e.actor) or ("Chủ hồ sơ" if e.actor_role == "applicant" else "Hệ thống")
        giver, deadline, note = holder, None, ""
        if action in _STEP_JUDGED:
            deadline = step_deadline or appointment
        elif action in _APPOINTMENT_JUDGED:
            deadline = appointment

        if action == Action.SUBMIT_ONLINE:
            receiver = f"{desk} (nộp trực tuyến)"
        elif action == Action.RECEIVE:
            if e.from_status is None and dossier.channel == Channel.POSTAL:
                giver = f"{applicant} (qua bưu chính)"
            receiver = f"{actor} – {desk}"
            if data.get("appointment_at"):
                appointment = datetime.fromisoformat(data["appointment_at"])
                note = f"Hẹn trả {fmt_short(appointment)}"
        elif action in (Action.START_PROCESSING, Action.FORWARD):
            if "assignee_id" in data:
                assignee = officers.get(data["assignee_id"])
            if "current_step_id" in data:
                step = steps.get(data["current_step_id"])
            if "step_deadline_at" in data:
                step_deadline = datetime.fromisoformat(data["step_deadline_at"]) if data["step_deadline_at"] else None
            who = person(assignee) if assignee else e.unit.name
            receiver = f"{who} – {step.name}" if step else who
            if step_deadline:
                note = f"Hạn bước {fmt_short(step_deadline)}"
        elif action == Action.TRANSFER:
            to_unit = units.get(data.get("to_unit"))
            receiver = to_unit.name if to_unit else "Đơn vị khác"
            assignee = step = None
            note = "Liên thông"
        elif action in (Action.REQUEST_SUPPLEMENT, Action.REQUEST_PAYMENT):
            waiting_holder = holder
            receiver = applicant
        elif action in (Action.RECEIVE_SUPPLEMENT, Action.CONFIRM_PAYMENT):
            giver, receiver = applicant, waiting_holder or desk
            if action == Action.RECEIVE_SUPPLEMENT:
                paused = data.get("paused_working_days")
                if step_deadline and paused:
                    step_deadline = province_calendar().postpone(step_deadline, Fraction(paused))
                if data.get("new_appointment_at"):
                    appointment = datetime.fromisoformat(data["new_appointment_at"])
                    note = f"Hẹn trả mới {fmt_short(appointment)}"
        elif action == Action.COMPLETE:
            receiver = desk
            step_deadline = None
        elif action in (Action.RETURN_RESULT, Action.REFUSE, Action.WITHDRAW):
            receiver = applicant
        else:  # STOP, or an unknown action
            receiver = holder

        if action in (Action.REQUEST_SUPPLEMENT, Action.REQUEST_PAYMENT):
            holder = applicant
        elif action not in (Action.STOP,):
            holder = receiver
        rows.append(Handover(seq=e.seq, at=e.at, action=e.get_action_display(), giver=giver,
                             receiver=receiver, actor=actor, deadline=deadline,
                             result=judge(e.at, deadline), note="; ".join(x for x in (note, e.reason) if x)))
    return rows


def control_sheet_pdf(dossier: Dossier) -> bytes:
    """Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ — every hand-over from the event log
    (time, from, to, who acted, result against the step deadline)."""
    rows = handovers(dossier)
    context = _dossier_context(dossier, "06", dossier.unit, _now().date(), dossier_form_version(dossier))
    context.update({
        "rows": [{"n": i, "seq": r.seq, "at": fmt_short(r.at), "action": r.action, "giver": r.giver,
                  "receiver": r.receiver, "actor": r.actor, "deadline": fmt_short(r.deadline),
                  "result": r.result, "note": r.note} for i, r in enumerate(rows, start=1)],
        "received_unit": dossier.received_unit, "appointment_at": fmt_datetime(dossier.current_appointment_at),
        "original_appointment_at": fmt_datetime(dossier.appointment_at),
        "received_at": fmt_datetime(dossier.received_at),
        "printed_at": fmt_short(_now()),
    })
    return render_pdf("06_control.html", context)


# -- Mẫu 07 --------------------------------------------------------------------------------------

def register_dossiers(unit, first: date, last: date):
    """The dossiers the unit's desk received from `first` to `last` (local dates, both included),
    in order of reception. Dossiers refused at the desk or submitted online and not yet received
    have no reception and are not in the register."""
    start = datetime.combine(first, time.min, tzinfo=VN)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=VN)
    return (Dossier.objects.filter(received_unit=unit, received_at__gte=start, received_at__lt=end)
            .select_related("procedure", "unit").prefetch_related("events")
            .order_by("received_at", "code"))


def register_pdf(unit, first: date, last: date) -> bytes:
    """Mẫu 07: Sổ theo dõi hồ sơ — one row per dossier the unit received from `first` to `last`."""
    if last < first:
        raise ValueError("Ngày cuối phải không sớm hơn ngày đầu.")
    if (last - first).days >= MAX_REGISTER_DAYS:
        raise ValueError(f"Sổ theo dõi in tối đa {MAX_REGISTER_DAYS} ngày một lần.")
    rows = []
    for n, d in enumerate(register_dossiers(unit, first, last), start=1):
        events = sorted(d.events.all(), key=lambda e: e.seq)
        sent = next((e.at for e in events if e.action in (Action.START_PROCESSING, Action.TRANSFER)), None)
        notes = []
        if d.unit_id != d.received_unit_id:
            notes.append(f"Liên thông: {d.unit.name}")
        if d.supplement_count:
            notes.append(f"Bổ sung {d.supplement_count} lần")
        if d.status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
            notes.append(d.get_status_display())
        rows.append({
            "n": n, "code": d.code, "procedure": d.procedure.name, "sets": 1, "applicant": d.applicant_name,
            "contact": ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            "unit": d.unit.name, "received": fmt_date(d.received_at),
            "appointment": fmt_date(d.current_appointment_at or d.appointment_at),
            "sent": fmt_date(sent), "result_back": fmt_date(d.finished_at), "returned": fmt_date(d.returned_at),
            "note": "; ".join(notes), "url": lookup_url(d.code), "qr": qr_data_uri(lookup_url(d.code)),
        })
    today = _now().date()
    context = {**form_context("07", legal_basis.version_on(today)), "head": header(unit, today), "unit": unit,
               "first": fmt_date(first), "last": fmt_date(last), "rows": rows,
               "printed_at": fmt_short(_now()), "lookup_base": f"{public_base_url()}/tra-cuu/"}
    return render_pdf("07_register.html", context)
