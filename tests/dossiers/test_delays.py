"""Delay reports and apology slips (Mẫu 04): validations, what is kept, how the slip reaches the applicant."""
import pytest
from django.core import mail
from django.core.files.storage import default_storage

from motcua.dossiers import slips
from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import ApplicantKind, Channel, DelayReport, Dossier, DossierEvent
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.units.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = f.at(2026, 3, 4, 10, 0)  # Wednesday; the dossier below is due Thursday 5 March 09:00 (at risk)
REPORT = dict(reason="Chờ kết quả xác minh của UBND xã", cause="Cơ quan phối hợp trả lời chậm",
              remedy="Đôn đốc bằng văn bản, bố trí thêm cán bộ thẩm định")


@pytest.fixture
def desk():
    return f.desk()


REAL_APOLOGY_PDF = slips.apology_pdf


@pytest.fixture(autouse=True)
def fake_slips(monkeypatch):
    """A quick stand-in for the WeasyPrint slip; test_slips.py checks the real one."""
    def apology_pdf(report):
        return f"%PDF-1.4 Mẫu 04 {report.dossier.code} {report.new_appointment_at:%d/%m/%Y}".encode()
    monkeypatch.setattr(slips, "apology_pdf", apology_pdf)
    return slips


def dossier(desk, channel=Channel.DIRECT, email="", at=f.at(2026, 3, 2, 9, 0)):
    applicant = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, email=email)
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=applicant, channel=channel,
                     action=Action.RECEIVE, actor=desk["reception"], at=at)
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=d.received_at,
               assignee_id=desk["processing"].pk)
    return d


def file(d, officer, new=f.at(2026, 3, 10, 9, 0), now=NOW, **overrides):
    return file_delay_report(d, officer, **{**REPORT, **overrides}, new_appointment_at=new, now=now)


def test_report_keeps_the_original_appointment_and_records_no_event(desk):
    d = dossier(desk)
    before = Dossier.objects.values().get(pk=d.pk)
    events = DossierEvent.objects.count()
    report = file(d, desk["processing"])
    assert (report.reason, report.cause, report.remedy) == (REPORT["reason"], REPORT["cause"], REPORT["remedy"])
    assert report.new_appointment_at == f.at(2026, 3, 10, 9, 0)
    assert report.filed_by == desk["processing"] and report.filed_at == NOW
    # The appointment printed at reception stays for the index; the dossier row is untouched.
    assert Dossier.objects.values().get(pk=d.pk) == before
    assert before["appointment_at"] == before["current_appointment_at"] == f.at(2026, 3, 5, 9, 0)
    assert DossierEvent.objects.count() == events
    # A desk applicant without e-mail gets the printed slip: nothing is mailed.
    assert report.apology_slip.startswith("slips/") and report.sent_via == Channel.DIRECT
    assert not mail.outbox


def test_slip_is_stored_and_emailed_to_an_online_applicant(desk, fake_slips, django_capture_on_commit_callbacks):
    d = dossier(desk, channel=Channel.ONLINE, email="tranthib@example.vn")
    with django_capture_on_commit_callbacks(execute=True):  # e-mailed once the report is committed
        report = file(d, desk["head"])
        assert not mail.outbox
    report.refresh_from_db()
    pdf = fake_slips.apology_pdf(report)
    assert report.apology_slip.startswith("slips/") and default_storage.open(report.apology_slip).read() == pdf
    assert report.sent_via == Channel.ONLINE and report.sent_at is not None
    [message] = mail.outbox
    assert message.to == ["tranthib@example.vn"]
    assert message.subject == f"Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết – hồ sơ {d.code}"
    assert message.body == (
        "Kính gửi Trần Thị B,\n\nSở Tư pháp thành thật xin lỗi vì không trả được kết quả hồ sơ "
        f"{d.code} (Thủ tục 1.000001) đúng hẹn 09:00 ngày 05/03/2026.\nLý do: {REPORT['reason']}\n"
        "Ngày hẹn trả kết quả mới: 09:00 ngày 10/03/2026.\n\n"
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Mẫu số 04) được gửi kèm thư này.\n\nTrân trọng.")
    assert report.sent_at == NOW
    assert message.attachments == [(f"phieu-xin-loi-{d.code}.pdf", pdf, "application/pdf")]


def test_slip_for_a_desk_applicant_without_email_is_issued_by_their_channel(desk, fake_slips):
    report = file(dossier(desk, channel=Channel.POSTAL), desk["processing"])
    assert report.apology_slip and report.sent_via == Channel.POSTAL and report.sent_at == NOW
    assert not mail.outbox


def test_an_overdue_dossier_may_still_file_at_once(desk):
    d = dossier(desk)
    # at most the 3 working days of the procedure again, from now: Wednesday 11 March 09:00
    report = file(d, desk["processing"], now=f.at(2026, 3, 6, 9, 0), new=f.at(2026, 3, 11, 9, 0))
    assert report.filed_at > d.appointment_at


def test_a_paused_dossier_may_file(desk):
    d = dossier(desk)
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 4, 9, 0))
    assert file(d, desk["processing"]).pk


def test_a_second_report_must_move_the_date_further(desk):
    d = dossier(desk)
    file(d, desk["processing"], new=f.at(2026, 3, 10, 9, 0))
    with pytest.raises(DossierError) as exc:
        file(d, desk["processing"], new=f.at(2026, 3, 9, 9, 0), now=f.at(2026, 3, 5, 10, 0))
    assert exc.value.message == ("Ngày hẹn trả mới phải sau ngày đã hẹn lại ở phiếu xin lỗi trước "
                                 "(09:00 ngày 10/03/2026).")
    assert exc.value.code == "new_appointment_not_after_previous"
    file(d, desk["processing"], new=f.at(2026, 3, 11, 9, 0), now=f.at(2026, 3, 5, 10, 0))
    assert DelayReport.objects.filter(dossier=d).count() == 2


def _other_unit_officer(desk):
    return f.officer(f.unit(code="SXD", name="Sở Xây dựng"), Role.PROCESSING)


@pytest.mark.parametrize("case, message, code", [
    ("no officer", "Thiếu cán bộ lập báo cáo chậm.", "actor_missing"),
    ("other unit", "Cán bộ chỉ được thao tác trên hồ sơ của đơn vị mình.", "other_unit"),
    ("reception", "Chỉ cán bộ xử lý hoặc lãnh đạo đơn vị được lập báo cáo chậm.", "role_not_allowed"),
    ("completed", "Chỉ lập báo cáo chậm cho hồ sơ đang giải quyết (đã tiếp nhận, đang xử lý, chờ bổ sung "
                  "hoặc chờ nộp phí).", "dossier_not_open"),
    ("no reason", "Chưa nhập lý do chậm.", "reason_missing"),
    ("blank cause", "Chưa nhập nguyên nhân chậm.", "cause_missing"),
    ("no remedy", "Chưa nhập biện pháp khắc phục.", "remedy_missing"),
    ("no date", "Chưa nhập ngày hẹn trả mới.", "new_appointment_missing"),
    ("naive date", "Ngày hẹn trả mới phải có múi giờ.", "new_appointment_naive"),
    ("same date", "Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại (09:00 ngày 05/03/2026).",
     "new_appointment_not_later"),
    ("earlier date", "Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại (09:00 ngày 05/03/2026).",
     "new_appointment_not_later"),
    ("past date", "Ngày hẹn trả mới phải sau thời điểm hiện tại.", "new_appointment_past"),
    ("Sunday", "Ngày hẹn trả mới rơi vào ngày nghỉ (thứ Bảy, Chủ nhật hoặc ngày lễ, Tết); hãy chọn một ngày "
               "làm việc.", "new_appointment_day_off"),
])
def test_each_refusal_has_a_clear_message_and_writes_nothing(desk, fake_slips, settings, tmp_path, case, message,
                                                            code):
    from datetime import datetime

    settings.MEDIA_ROOT = tmp_path
    d = dossier(desk, channel=Channel.ONLINE, email="a@example.vn")
    officer, kwargs = desk["processing"], {}
    match case:
        case "no officer":
            officer = None
        case "other unit":
            officer = _other_unit_officer(desk)
        case "reception":
            officer = desk["reception"]
        case "completed":
            transition(d, Action.COMPLETE, actor=desk["head"], at=f.at(2026, 3, 4, 9, 0))
        case "no reason":
            kwargs = {"reason": ""}
        case "blank cause":
            kwargs = {"cause": "   "}
        case "no remedy":
            kwargs = {"remedy": None}
        case "no date":
            kwargs = {"new": None}
        case "naive date":
            kwargs = {"new": datetime(2026, 3, 10, 9, 0)}
        case "same date":
            kwargs = {"new": f.at(2026, 3, 5, 9, 0)}
        case "earlier date":
            kwargs = {"new": f.at(2026, 3, 4, 16, 0)}
        case "past date":  # overdue since Thursday; the new date is after the appointment but already gone
            kwargs = {"now": f.at(2026, 3, 9, 10, 0), "new": f.at(2026, 3, 6, 9, 0)}
        case "Sunday":
            kwargs = {"new": f.at(2026, 3, 8, 9, 0)}
    before = Dossier.objects.values().get(pk=d.pk)
    with pytest.raises(DossierError) as exc:
        file(d, officer, **kwargs)
    assert (exc.value.message, exc.value.code) == (message, code)
    assert not DelayReport.objects.exists() and not mail.outbox
    assert not default_storage.exists("slips")
    assert Dossier.objects.values().get(pk=d.pk) == before


def test_a_new_appointment_inside_tet_is_refused(desk):
    d = dossier(desk, at=f.at(2026, 2, 9, 9, 0))  # due Thursday 12 Feb, just before Tết (14–22 Feb)
    assert d.appointment_at == f.at(2026, 2, 12, 9, 0)
    with pytest.raises(DossierError, match="ngày lễ, Tết") as exc:
        file(d, desk["processing"], now=f.at(2026, 2, 11, 10, 0), new=f.at(2026, 2, 17, 9, 0))  # Tuesday of Tết
    assert exc.value.code == "new_appointment_day_off" and not DelayReport.objects.exists()
    report = file(d, desk["processing"], now=f.at(2026, 2, 11, 10, 0), new=f.at(2026, 2, 24, 9, 0))
    assert Dossier.objects.get(pk=d.pk).appointment_at == f.at(2026, 2, 12, 9, 0) and report.pk


def test_the_real_apology_slip(desk, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(slips, "apology_pdf", REAL_APOLOGY_PDF)
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report = file(dossier(desk, channel=Channel.ONLINE, email="a@example.vn"), desk["processing"])
    assert (tmp_path / report.apology_slip).read_bytes().startswith(b"%PDF")
    [message] = mail.outbox
    assert message.attachments[0][2] == "application/pdf" and message.attachments[0][1].startswith(b"%PDF")


@pytest.mark.parametrize("new, limit, since", [
    (f.at(9999, 12, 30, 9, 0), "09:00 ngày 10/03/2026", "09:00 ngày 05/03/2026"),  # the attack: year 9999
    (f.at(2026, 3, 10, 9, 1), "09:00 ngày 10/03/2026", "09:00 ngày 05/03/2026"),  # one minute past the limit
])
def test_a_new_appointment_beyond_the_time_limit_again_is_refused(desk, settings, tmp_path, new, limit, since):
    """The procedure takes 3 working days; the appointment (Thu 5 March 09:00) may move by as much again."""
    settings.MEDIA_ROOT = tmp_path
    d = dossier(desk, channel=Channel.ONLINE, email="a@example.vn")
    before = Dossier.objects.values().get(pk=d.pk)
    with pytest.raises(DossierError) as exc:
        file(d, desk["processing"], new=new)
    assert exc.value.code == "new_appointment_too_far"
    assert exc.value.message == (f"Ngày hẹn trả mới không được sau {limit}: mỗi lần hẹn lại chỉ được gia hạn tối đa "
                                 f"bằng thời hạn giải quyết của thủ tục, tính từ {since}.")
    assert not DelayReport.objects.exists() and not mail.outbox and not default_storage.exists("slips")
    assert Dossier.objects.values().get(pk=d.pk) == before
    assert file(d, desk["processing"], new=f.at(2026, 3, 10, 9, 0)).pk  # exactly the limit is accepted


def test_an_overdue_dossier_is_extended_from_now(desk):
    d = dossier(desk)  # due Thu 5 March 09:00; a week later it is overdue
    now = f.at(2026, 3, 12, 10, 0)
    with pytest.raises(DossierError) as exc:
        file(d, desk["processing"], now=now, new=f.at(2026, 3, 17, 11, 0))
    assert exc.value.code == "new_appointment_too_far" and "tính từ 10:00 ngày 12/03/2026" in exc.value.message
    assert file(d, desk["processing"], now=now, new=f.at(2026, 3, 17, 10, 0)).pk
