"""Notices to applicants by their channel: what is queued for which event, how it is sent, retried
from the outbox and never sent twice."""
from io import StringIO

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from motcua.dossiers import slips
from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.door import HistoryImport
from motcua.dossiers.models import ApplicantKind, Channel, OutboxMessage
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.notify import adapters
from motcua.notify.models import ApplicantMessage, ContactPreference, NoticeChannel, NoticeKind, StandInDelivery
from motcua.notify.services import deliver_pending
from motcua.payments.services import pay_cash
from motcua.results import identities
from motcua.results import services as results
from tests import factories as f

pytestmark = pytest.mark.django_db
RECEIVED = f.at(2026, 3, 2, 9, 0)


@pytest.fixture
def desk():
    return f.desk()


def received(desk, email="", phone="", fee=0):
    applicant = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, email=email, phone=phone)
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=applicant, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=desk["reception"], at=RECEIVED, fee_total_vnd=fee)
    transition(d, Action.START_PROCESSING, actor=desk["processing"], at=RECEIVED,
               assignee_id=desk["processing"].pk)
    return d


def request_supplement(desk, d):
    return transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0),
                      reason="Bản sao chưa chứng thực", event_data={"items": ["Bản sao giấy khai sinh"]})


def test_supplement_request_is_queued_with_the_event_and_e_mailed(desk):
    d = received(desk, email="b@example.vn", phone="0912345678")
    assert not ApplicantMessage.objects.exists()  # reception and start of processing: nothing to tell
    request_supplement(desk, d)
    [message] = ApplicantMessage.objects.all()
    event = d.events.get(action=Action.REQUEST_SUPPLEMENT)
    assert (message.kind, message.key, message.channel, message.address) == (
        NoticeKind.SUPPLEMENT, f"event:{event.pk}", NoticeChannel.EMAIL, "b@example.vn")
    assert "cần bổ sung: Bản sao giấy khai sinh." in message.body and "Lý do: Bản sao chưa chứng thực" in message.body
    assert message.sent_at is None and not mail.outbox  # queued, sent by the delivery
    assert deliver_pending().sent == 1
    [email] = mail.outbox
    assert email.to == ["b@example.vn"] and email.subject == f"Yêu cầu bổ sung hồ sơ {d.code}"
    assert f"/tra-cuu/?ma={d.code}" in email.body
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert deliver_pending().sent == 0 and len(mail.outbox) == 1  # never twice


def test_payment_request_and_result_ready_by_sms_without_e_mail(desk):
    desk["procedure"].result_is_document = False  # a paper result: ready when processing is complete
    desk["procedure"].save()
    d = received(desk, phone="0912345678", fee=50_000)
    transition(d, Action.REQUEST_PAYMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    pay_cash(d, desk["reception"], amount_vnd=50_000, at=f.at(2026, 3, 3, 10, 0))
    d.refresh_from_db()
    transition(d, Action.COMPLETE, actor=desk["processing"], at=f.at(2026, 3, 4, 9, 0), result_paper=True)
    messages = list(ApplicantMessage.objects.order_by("id"))
    assert [(m.kind, m.channel, m.address) for m in messages] == [
        (NoticeKind.PAYMENT, NoticeChannel.SMS, "0912345678"), (NoticeKind.RESULT_READY, NoticeChannel.SMS, "0912345678")]
    assert deliver_pending().sent == 2
    deliveries = list(StandInDelivery.objects.order_by("id"))
    assert [(s.channel, s.address) for s in deliveries] == [("sms", "0912345678")] * 2
    assert deliveries[0].text.startswith(f"Hồ sơ {d.code}: xin nộp phí, lệ phí")
    assert deliveries[1].text.startswith(f"Hồ sơ {d.code} đã có kết quả.")
    assert [m.reference for m in ApplicantMessage.objects.order_by("id")] == [f"local-{s.pk}" for s in deliveries]
    assert not mail.outbox


def test_a_document_result_is_told_ready_once_signed_not_when_processing_ends(desk):
    assert desk["procedure"].result_is_document
    identities.issue_test_identity(desk["unit"])
    d = received(desk, phone="0912345678")
    results.complete(d, actor=desk["processing"], at=f.at(2026, 3, 4, 9, 0))  # the draft
    assert not ApplicantMessage.objects.filter(kind=NoticeKind.RESULT_READY).exists()  # the head has not signed
    results.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 4, 10, 0))
    ready = ApplicantMessage.objects.get(kind=NoticeKind.RESULT_READY)
    assert ready.body.startswith(f"Hồ sơ {d.code} đã có kết quả.") and ready.key == f"result-ready:{d.pk}"


def test_the_applicants_choice_of_zalo_wins_and_no_contact_means_no_message(desk):
    ContactPreference.objects.create(applicant_id=f.VALID_PID, channel=NoticeChannel.ZALO)
    request_supplement(desk, received(desk, email="b@example.vn", phone="0912345678"))
    assert list(ApplicantMessage.objects.values_list("channel", "address")) == [("zalo", "0912345678")]
    ApplicantMessage.objects.all().delete()
    request_supplement(desk, received(desk, email="b@example.vn"))  # Zalo chosen but no phone: e-mail
    assert list(ApplicantMessage.objects.values_list("channel", flat=True)) == ["email"]
    ApplicantMessage.objects.all().delete()
    request_supplement(desk, received(desk))
    assert not ApplicantMessage.objects.exists()


class FlakyGateway:
    calls = 0

    def send(self, message):
        FlakyGateway.calls += 1
        if FlakyGateway.calls == 1:
            raise ConnectionError("gateway down")
        return "sms-42"


def test_a_failed_send_is_retried_after_the_back_off_and_sent_once(desk, settings):
    settings.MOTCUA_SMS_ADAPTER = "tests.notify.test_applicant_notices.FlakyGateway"
    FlakyGateway.calls = 0
    request_supplement(desk, received(desk, phone="0912345678"))
    first = f.at(2026, 3, 3, 10, 0)
    summary = deliver_pending(now=first)
    assert (summary.sent, summary.failed) == (0, 1) and "gateway down" in summary.errors[0][2]
    message = ApplicantMessage.objects.get()
    assert message.sent_at is None and message.claimed_at is None and message.attempts == 1
    assert message.last_error == "ConnectionError: gateway down"
    assert message.next_attempt_at > first
    assert deliver_pending(now=first).sent == 0 and FlakyGateway.calls == 1  # not due yet
    assert deliver_pending(now=message.next_attempt_at).sent == 1
    message.refresh_from_db()
    assert (message.attempts, message.reference, message.last_error) == (2, "sms-42", "")
    assert deliver_pending(now=message.next_attempt_at).sent == 0 and FlakyGateway.calls == 2


def test_a_message_claimed_by_another_run_is_not_sent_again(desk):
    request_supplement(desk, received(desk, email="b@example.vn"))
    message = ApplicantMessage.objects.get()
    ApplicantMessage.objects.filter(pk=message.pk).update(claimed_at=f.at(2026, 3, 3, 10, 0))
    assert deliver_pending().sent == 0 and not mail.outbox


def test_queueing_again_adds_nothing(desk):
    from motcua.notify.services import queue_for_event

    d = received(desk, email="b@example.vn")
    request_supplement(desk, d)
    event = d.events.get(action=Action.REQUEST_SUPPLEMENT)
    assert queue_for_event(event).pk == ApplicantMessage.objects.get().pk
    assert ApplicantMessage.objects.count() == 1


def test_apology_slip_by_zalo(desk, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(slips, "apology_pdf", lambda report: b"%PDF-1.4 Mau 04")
    ContactPreference.objects.create(applicant_id=f.VALID_PID, channel=NoticeChannel.ZALO)
    d = received(desk, email="b@example.vn", phone="0912345678")
    with django_capture_on_commit_callbacks(execute=True) as sent_on_commit:
        report = file_delay_report(d, desk["processing"], reason="Chờ xác minh", cause="Phối hợp chậm",
                                   remedy="Đôn đốc", new_appointment_at=f.at(2026, 3, 10, 9, 0),
                                   now=f.at(2026, 3, 4, 10, 0))
        assert not StandInDelivery.objects.exists()  # queued with the report, sent once it is committed
    assert len(sent_on_commit) == 1
    message = ApplicantMessage.objects.get()
    assert (message.kind, message.key, message.channel, message.attachment) == (
        NoticeKind.APOLOGY, f"delay:{report.pk}", NoticeChannel.ZALO, "")
    assert message.sent_at is not None and not mail.outbox  # sent at once, by Zalo only
    [delivery] = StandInDelivery.objects.all()
    assert delivery.channel == "zalo" and f"xin lỗi vì chậm trả kết quả hồ sơ {d.code}" in delivery.text
    assert "hẹn trả mới 09:00 ngày 10/03/2026" in delivery.text


def test_e_mail_attachment_is_read_from_the_file_store(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = received(desk, email="b@example.vn")
    path = default_storage.save("slips/ab/test-slip", ContentFile(b"%PDF-1.4 slip"))
    ApplicantMessage.objects.create(dossier=d, kind=NoticeKind.APOLOGY, key="delay:999", channel="email",
                                    address="b@example.vn", subject="S", body="B", attachment=path,
                                    attachment_name="phieu.pdf")
    assert isinstance(adapters.sender_for("email"), adapters.EmailSender) and deliver_pending().sent == 1
    assert mail.outbox[0].attachments == [("phieu.pdf", b"%PDF-1.4 slip", "application/pdf")]


def test_the_command_sends_what_waits(desk):
    request_supplement(desk, received(desk, phone="0912345678"))
    out = StringIO()
    call_command("notify-applicants", stdout=out)
    assert out.getvalue().strip() == "Đã gửi 1 thông báo cho công dân, 0 lỗi (sẽ gửi lại)."
    assert StandInDelivery.objects.count() == 1


def test_imported_history_is_not_news_and_says_where_it_comes_from(desk):
    d = received(desk, email="b@example.vn")
    imported = HistoryImport("sổ theo dõi hồ sơ 2026")
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0), history=imported,
               event_data={"items": ["Bản sao giấy khai sinh"]})
    transition(d, Action.RECEIVE_SUPPLEMENT, actor=desk["reception"], at=f.at(2026, 3, 3, 10, 0), history=imported)
    file_delay_report(d, desk["processing"], reason="Chờ xác minh", cause="Phối hợp chậm", remedy="Đôn đốc",
                      new_appointment_at=f.at(2026, 3, 10, 9, 0), now=f.at(2026, 3, 4, 10, 0), history=imported)
    assert not ApplicantMessage.objects.exists()
    assert d.events.get(action=Action.REQUEST_SUPPLEMENT).data["imported_from"] == "sổ theo dõi hồ sơ 2026"
    assert OutboxMessage.objects.filter(dossier=d).count() == 4  # the national portal still hears of every step
    transition(d, Action.REQUEST_PAYMENT, actor=desk["processing"], at=f.at(2026, 3, 5, 9, 0))  # news, whatever its time
    assert list(ApplicantMessage.objects.values_list("kind", flat=True)) == [NoticeKind.PAYMENT]


def test_the_dossier_page_shows_the_applicants_notices(desk, client):
    d = received(desk, phone="0912345678")
    request_supplement(desk, d)
    client.force_login(desk["processing"])
    page = client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "Thông báo cho công dân" in page and "Yêu cầu bổ sung hồ sơ" in page and "0912345678" in page
    assert "chờ gửi" in page
    deliver_pending()
    assert "chờ gửi" not in client.get(f"/mot-cua/ho-so/{d.code}/").content.decode()
