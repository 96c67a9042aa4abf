"""Delay reports and apology slips (báo cáo chậm, phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04).

one-stop.md: "A dossier that will be late requires a delay report (reason, cause, remedy) and an
apology slip to the applicant with a new appointment date, sent by the channel the applicant used";
"a dossier at risk does not go late silently".

When may it be filed? The spec asks for the report *before* the dossier goes late (while it is on
track or at risk, as soon as the officer knows it will be late); it never says a dossier that is
already overdue may stay silent. So a report is accepted at any time while the dossier is open
(statuses 2, 4, 5, 6): before the appointment, and also at once when it has already passed —
refusing it then would only keep the applicant uninformed. A late filing is visible as
`filed_at` after the appointment; the dossier counts late in the index either way. Until a report
exists the scan escalates an at-risk or overdue dossier to the heads of unit.

The original appointment (`Dossier.appointment_at`, used by the index) and the current one are not
touched: the new appointment lives on the report. A second report must move the date further
than the previous one.

How far? Decree 61/2018/NĐ-CP Art. 20(2)(c) and Mẫu 04 of Circular 03/2025/TT-VPCP ask the apology
to state the extended time, but neither the decree nor the spec sets a maximum. So a report moves
the appointment in force (the previous report's, else the current appointment; now, when that
has passed) by at most the procedure's own time limit again (`extension_limit`): a new date in
year 9999 is refused.
"""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.dossiers import legal_basis, slips
from motcua.dossiers.deadlines import OPEN_STATUSES
from motcua.dossiers.door import Appended, HistoryImport, appended
from motcua.dossiers.errors import DossierError
from motcua.dossiers.files import store_bytes
from motcua.dossiers.models import DelayReport, Dossier
from motcua.units import policy
from motcua.workdays.calendar import TimeUnit
from motcua.workdays.services import province_calendar

SLIP_FOLDER = "slips"


def _when(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%H:%M ngày %d/%m/%Y")


def _check_officer(officer, dossier: Dossier) -> None:
    if officer is None:
        raise DossierError("Thiếu cán bộ lập báo cáo chậm.", "actor_missing")
    if officer.unit_id != dossier.unit_id:  # the same rule as dossiers.services
        raise DossierError("Cán bộ chỉ được thao tác trên hồ sơ của đơn vị mình.", "other_unit")
    if not policy.can_file_delay_report(officer):
        raise DossierError("Chỉ cán bộ xử lý hoặc lãnh đạo đơn vị được lập báo cáo chậm.", "role_not_allowed")


def _check_texts(reason: str, cause: str, remedy: str) -> tuple[str, str, str]:
    texts = [(reason, "Chưa nhập lý do chậm.", "reason_missing"),
             (cause, "Chưa nhập nguyên nhân chậm.", "cause_missing"),
             (remedy, "Chưa nhập biện pháp khắc phục.", "remedy_missing")]
    for text, message, code in texts:
        if not (text or "").strip():
            raise DossierError(message, code)
    return reason.strip(), cause.strip(), remedy.strip()


def extension_limit(procedure, appointment: datetime) -> datetime:
    """The latest new appointment a delay report may give: `appointment` plus the procedure's
    time limit again, counted on the province's calendar like the appointment itself (no legal
    maximum is stated, see the module's docstring). A procedure without a usable time limit — it
    could not have been received — is bounded by one month."""
    amount, unit = procedure.time_limit, procedure.time_unit
    if amount is None or not unit or (amount <= 0 and unit != TimeUnit.IN_DAY):
        amount, unit = 1, TimeUnit.MONTHS
    return province_calendar().add(appointment, amount, unit)


def _check_new_appointment(dossier: Dossier, new_appointment_at, now: datetime) -> None:
    if not isinstance(new_appointment_at, datetime):
        raise DossierError("Chưa nhập ngày hẹn trả mới.", "new_appointment_missing")
    if timezone.is_naive(new_appointment_at):
        raise DossierError("Ngày hẹn trả mới phải có múi giờ.", "new_appointment_naive")
    current = dossier.current_appointment_at
    if current is not None and new_appointment_at <= current:
        raise DossierError(f"Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại ({_when(current)}).",
                           "new_appointment_not_later")
    if new_appointment_at <= now:
        raise DossierError("Ngày hẹn trả mới phải sau thời điểm hiện tại.", "new_appointment_past")
    previous = (DelayReport.objects.filter(dossier=dossier).order_by("-new_appointment_at")
                .values_list("new_appointment_at", flat=True).first())
    if previous is not None and new_appointment_at <= previous:
        raise DossierError(f"Ngày hẹn trả mới phải sau ngày đã hẹn lại ở phiếu xin lỗi trước ({_when(previous)}).",
                           "new_appointment_not_after_previous")
    since = max(previous or current or now, now)  # an overdue dossier is extended from now
    limit = extension_limit(dossier.procedure, since)
    if new_appointment_at > limit:
        raise DossierError(f"Ngày hẹn trả mới không được sau {_when(limit)}: mỗi lần hẹn lại chỉ được gia hạn tối đa "
                           f"bằng thời hạn giải quyết của thủ tục, tính từ {_when(since)}.",
                           "new_appointment_too_far")
    if not province_calendar().is_working_day(timezone.localtime(new_appointment_at).date()):
        raise DossierError("Ngày hẹn trả mới rơi vào ngày nghỉ (thứ Bảy, Chủ nhật hoặc ngày lễ, Tết); "
                           "hãy chọn một ngày làm việc.", "new_appointment_day_off")


def file_delay_report(dossier: Dossier, officer, reason: str, cause: str, remedy: str,
                      new_appointment_at: datetime, now: datetime | None = None,
                      history: HistoryImport | None = None) -> DelayReport:
    """File a delay report for `dossier` by `officer` (a processing officer or head of its unit),
    generate the apology slip (Mẫu 04) and send it to the applicant by their channel.

    Raises DossierError with a Vietnamese message, and writes nothing, when: the officer is missing,
    of another unit or not processing/head; the dossier is not open; reason, cause or remedy is
    empty; the new appointment is missing, not after the current appointment, not after now, not
    after a previous report's, beyond `extension_limit`, or not on a working day.

    The slip: `slips.apology_pdf(report)`, stored content-addressed under `slips/`. Sending: `sent_via` = the dossier's channel and
    `sent_at` are recorded once the slip is issued (printed at the desk, posted, or shown with the
    online lookup); it is also sent to the applicant by their notice channel (`motcua.notify`: by
    e-mail with the PDF attached, or by SMS / Zalo), queued with the report by the after-append
    listeners (`door`) and sent once it is committed (a failed send is retried by the scheduled
    delivery). A report of the past (`history`) sends nothing.
    """
    now = now or timezone.now()
    _check_officer(officer, dossier)
    with transaction.atomic():
        # Judge the dossier as it is now, not as the caller read it.
        fresh = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
        _check_officer(officer, fresh)
        if fresh.status not in OPEN_STATUSES:
            raise DossierError("Chỉ lập báo cáo chậm cho hồ sơ đang giải quyết (đã tiếp nhận, đang xử lý, "
                               "chờ bổ sung hoặc chờ nộp phí).", "dossier_not_open")
        reason, cause, remedy = _check_texts(reason, cause, remedy)
        _check_new_appointment(fresh, new_appointment_at, now)
        held = _appointment_held(fresh)
        report = DelayReport.objects.create(dossier=fresh, reason=reason, cause=cause, remedy=remedy,
                                            new_appointment_at=new_appointment_at, filed_by=officer,
                                            filed_at=now,
                                            form_version=legal_basis.version_on(timezone.localdate(now)))
        pdf = slips.apology_pdf(report)
        report.apology_slip = store_bytes(pdf, "application/pdf", folder=SLIP_FOLDER).path
        report.sent_via, report.sent_at = fresh.channel, now
        report.save(update_fields=["apology_slip", "sent_via", "sent_at"])
        appended(Appended(fresh, delay_report=report, apology=apology_text(fresh, report, held), history=history))
    return report


def _appointment_held(dossier: Dossier) -> datetime | None:
    """The appointment the applicant holds: the latest delay report's, else the current one."""
    previous = (DelayReport.objects.filter(dossier=dossier).order_by("-new_appointment_at")
                .values_list("new_appointment_at", flat=True).first())
    return previous or dossier.current_appointment_at


def apology_text(dossier: Dossier, report: DelayReport, held: datetime | None) -> str:
    slip = legal_basis.form("04", report.form_version)
    lines = [
        f"Kính gửi {dossier.applicant_name},",
        "",
        f"{dossier.unit.name} thành thật xin lỗi vì không trả được kết quả hồ sơ {dossier.code} "
        f"({dossier.procedure.name}) đúng hẹn" + (f" {_when(held)}." if held else "."),
        f"Lý do: {report.reason}",
        f"Ngày hẹn trả kết quả mới: {_when(report.new_appointment_at)}.",
        "",
        f"{slip.title} (Mẫu số {slip.number}) được gửi kèm thư này.",
        "",
        "Trân trọng.",
    ]
    return "\n".join(lines)
