"""Publication decisions: the deadline rules around holidays, the national feed, drafts, applying
a decision with history, and the alerts."""
import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.catalogue import alerts, deadlines, publications
from motcua.catalogue.models import (
    AlertStage,
    DecisionStatus,
    NationalDecision,
    Procedure,
    ProcedureHistory,
    ProcedureStatus,
    PublicationAlert,
    PublicationDeadline,
)
from motcua.notify.models import Notification
from motcua.units.models import Role
from motcua.workdays.services import build_calendar
from tests.factories import at, officer

D = dt.date


@pytest.fixture
def calendar():
    return build_calendar(overrides=[])


# -- the rules, around 30/4–1/5 2027 and Tết 2027 (4–10/02/2027 off) ------------------------------


def test_decide_by_counts_back_over_the_may_holidays(calendar):
    # 03/05/2027 (Mon) is the day off for 01/05 (Sat); 30/04 (Fri) is off: 5 working days before
    # 04/05 are 29/4, 28/4, 27/4, 26/4, 23/4.
    assert deadlines.decide_by(calendar, D(2027, 5, 4)) == D(2027, 4, 23)
    assert deadlines.decided_on_time(calendar, D(2027, 4, 23), D(2027, 5, 4))
    assert deadlines.decided_on_time(calendar, D(2027, 4, 25), D(2027, 5, 4))  # a Sunday counts as the Friday
    assert not deadlines.decided_on_time(calendar, D(2027, 4, 26), D(2027, 5, 4))


def test_decide_by_for_a_ministry_is_twenty_working_days(calendar):
    # 20 working days before 15/02/2027 skip Tết (04–10/02): 11/01/2027.
    assert deadlines.decide_by(calendar, D(2027, 2, 15), ministry=True) == D(2027, 1, 11)
    assert deadlines.decide_by(calendar, D(2027, 2, 15)) == D(2027, 2, 1)


def test_publish_by_skips_tet(calendar):
    # Decision on 03/02/2027 (Wed, last working day before Tết): +5 working days = 11/02 … 17/02.
    assert deadlines.publish_by(calendar, D(2027, 2, 3)) == D(2027, 2, 17)
    assert deadlines.published_on_time(calendar, D(2027, 2, 3), D(2027, 2, 17))
    assert not deadlines.published_on_time(calendar, D(2027, 2, 3), D(2027, 2, 18))
    assert deadlines.publish_by(calendar, D(2027, 2, 3), ministry=True) == D(2027, 2, 24)


def test_publish_by_over_the_may_holidays(calendar):
    # Decision on 28/04/2027: 29/4, 4/5, 5/5, 6/5, 7/5.
    assert deadlines.publish_by(calendar, D(2027, 4, 28)) == D(2027, 5, 7)


def test_a_decision_without_a_legal_basis_date_is_on_time(calendar):
    assert deadlines.decided_on_time(calendar, D(2027, 5, 4), None)


# -- the national feed ---------------------------------------------------------------------------


def feed(*decisions) -> bytes:
    return json.dumps({"code": "OK", "data": {"items": list(decisions)}}, ensure_ascii=False).encode()


def justice_decision(number="100/QĐ-BTP", **extra):
    return {"decisionNumber": number, "decisionDate": "2027-01-20", "agency": "Bộ Tư pháp",
            "title": "Công bố TTHC lĩnh vực hộ tịch",
            "procedures": [
                {"code": "1.001234", "name": "Đăng ký khai sinh (sửa đổi)", "level": "Cấp tỉnh",
                 "changeType": "AMENDED", "agencyCode": "STP", "legalBasis": "12/2027/NĐ-CP",
                 "effectiveDate": "2027-02-15"},
                {"code": "1.009001", "name": "Thủ tục mới", "level": "province", "changeType": "Ban hành mới",
                 "agencyCode": "STP", "legalBasis": "12/2027/NĐ-CP", "effectiveDate": "2027-03-01"},
                {"code": "1.009002", "name": "Thủ tục thay thế", "level": "province", "changeType": "REPLACED",
                 "replacesCode": "1.000777", "agencyCode": "STP", "legalBasis": "12/2027/NĐ-CP",
                 "effectiveDate": "2027-03-01"},
                {"code": "1.000888", "name": "Thủ tục bãi bỏ", "level": "province", "changeType": "ABOLISHED",
                 "legalBasis": "12/2027/NĐ-CP", "effectiveDate": "2027-03-01"},
            ], **extra}


def test_feed_with_errors_reports_each_and_writes_nothing(units):
    bad = justice_decision()
    bad["decisionDate"] = "32/01/2027"
    bad["procedures"][0]["changeType"] = "đổi tên"
    bad["procedures"][2].pop("replacesCode")
    bad["procedures"][3]["code"] = "1.001234"
    result = publications.import_feed(feed(bad))
    assert not result.ok
    fields = {e.field for e in result.errors}
    assert {"[0].decisionDate", "[0].procedures[0].changeType", "[0].procedures[2].replacesCode",
            "[0].procedures[3].code"} <= fields
    assert "phải là ngày" in next(e.message for e in result.errors if e.field == "[0].decisionDate")
    assert NationalDecision.objects.count() == 0
    assert not publications.import_feed(b"{not json").ok


def test_feed_is_imported_once_and_drafts_the_province_decision(units, make_procedure, calendar):
    result = publications.import_feed(feed(justice_decision()))
    assert result.ok and len(result.created) == 1
    again = publications.import_feed(feed(justice_decision()))
    assert again.ok and again.skipped == 1 and NationalDecision.objects.count() == 1
    make_procedure("1.001234")
    draft = publications.draft_province_decision(result.created[0], today=D(2027, 1, 21), calendar=calendar)
    assert draft.status == DecisionStatus.DRAFT and draft.number == ""
    # The earliest legal basis (15/02/2027) sets the planned date: 5 working days before, over Tết.
    assert draft.decided_on == D(2027, 2, 1)
    items = {i.code: i for i in draft.items.all()}
    assert items["1.001234"].procedure.code == "1.001234" and items["1.009001"].procedure is None
    assert items["1.009002"].replaces_code == "1.000777"
    assert publications.draft_province_decision(result.created[0], calendar=calendar) == draft
    # Planned never before today: a feed that comes late is drafted for today (and is then late).
    late = publications.import_feed(feed(justice_decision("101/QĐ-BTP"))).created[0]
    assert publications.draft_province_decision(late, today=D(2027, 2, 11), calendar=calendar).decided_on == D(2027, 2, 11)


def test_feed_command_imports_and_drafts(units, tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_bytes(feed(justice_decision()))
    call_command("catalogue", "feed", str(path))
    out = capsys.readouterr().out
    assert "Đã nhập 1 quyết định" in out and "Dự thảo QĐCB" in out and "4 thủ tục" in out


# -- issuing and applying --------------------------------------------------------------------------


@pytest.fixture
def draft(units, make_procedure, calendar):
    make_procedure("1.001234")
    make_procedure("1.000777", name="Thủ tục cũ")
    make_procedure("1.000888")
    national = publications.import_feed(feed(justice_decision())).created[0]
    return publications.draft_province_decision(national, today=D(2027, 1, 21), calendar=calendar)


def test_issue_checks_its_input(draft):
    with pytest.raises(publications.PublicationError, match="số quyết định"):
        publications.issue(draft, number=" ", decided_on=D(2027, 1, 29), signer="Nguyễn Văn A")
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT
    with pytest.raises(publications.PublicationError, match="dự thảo"):
        publications.apply(draft)
    publications.issue(draft, number="55/QĐ-UBND", decided_on=D(2027, 1, 29), signer="Nguyễn Văn A")
    with pytest.raises(publications.PublicationError, match="đã ban hành"):
        publications.issue(draft, number="56/QĐ-UBND", decided_on=D(2027, 1, 29), signer="B")
    with pytest.raises(publications.PublicationError, match="trước ngày quyết định"):
        publications.record_national_publication(draft, D(2027, 1, 28))


def test_apply_updates_the_catalogue_with_history(draft):
    publications.issue(draft, number="55/QĐ-UBND", decided_on=D(2027, 1, 29), signer="Nguyễn Văn A")
    history = publications.apply(draft)
    assert len(history) == 5  # 4 items + the replaced procedure abolished
    amended = Procedure.objects.get(code="1.001234")
    assert amended.status == ProcedureStatus.PUBLISHED_AMENDED and amended.name == "Đăng ký khai sinh (sửa đổi)"
    assert "12/2027/NĐ-CP" in amended.legal_bases.values_list("document_number", flat=True)
    new = Procedure.objects.get(code="1.009001")
    assert new.status == ProcedureStatus.PUBLISHED and new.agency.code == "STP"
    assert Procedure.objects.get(code="1.000777").status == ProcedureStatus.ABOLISHED
    assert Procedure.objects.get(code="1.000888").status == ProcedureStatus.ABOLISHED
    row = ProcedureHistory.objects.get(procedure=amended)
    assert row.before["name"] == "Thủ tục 1.001234" and row.after["status"] == ProcedureStatus.PUBLISHED_AMENDED
    assert ProcedureHistory.objects.get(procedure=new).before is None
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.APPLIED and draft.items.filter(procedure__isnull=True).count() == 0
    with pytest.raises(publications.PublicationError, match="đã được cập nhật"):
        publications.apply(draft)
    assert ProcedureHistory.objects.count() == 5


# -- alerts ------------------------------------------------------------------------------------------


def test_alerts_approach_then_overdue_once_each(draft, units):
    head = officer(units["justice"], Role.HEAD, "stp-head")
    head.email = "truong.phong@stp.example.vn"
    head.save()
    office_head = officer(units["province"], Role.HEAD, "tinh-head")
    # 27/01/2027: the draft's decide-by of the item effective 15/02 is 01/02 — 3 working days away.
    first = alerts.run_alerts(now=at(2027, 1, 27, 8))
    assert first.alerts == 1
    alert = PublicationAlert.objects.get()
    assert (alert.deadline, alert.stage, alert.due_on) == (PublicationDeadline.DECIDE, AlertStage.APPROACHING,
                                                           D(2027, 2, 1))
    assert alert.unit == units["justice"]
    notice = Notification.objects.get(recipient=head)
    assert notice.kind == "publication" and "01/02/2027" in notice.message and notice.dossier is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["truong.phong@stp.example.vn"]
    assert not Notification.objects.filter(recipient=office_head).exists()
    # Again the same day: nothing new.
    assert alerts.run_alerts(now=at(2027, 1, 27, 15)).alerts == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    # 02/02/2027, still a draft: overdue for 15/02; the items effective 01/03 are approaching
    # (decide by 22/02 — 5 working days before, with Tết in between: more than 3 left, so not yet).
    second = alerts.run_alerts(now=at(2027, 2, 2, 8))
    assert second.alerts == 1
    assert PublicationAlert.objects.filter(stage=AlertStage.OVERDUE).count() == 1
    assert "Đã quá hạn" in Notification.objects.filter(recipient=head).order_by("-id")[0].message


def test_a_failed_alert_email_is_retried_by_the_next_run(draft, units, monkeypatch):
    """Like every other officer notice: a failed send is released, and the next run sends it (once)."""
    from django.core.mail import EmailMessage

    head = officer(units["justice"], Role.HEAD, "stp-head")
    head.email = "truong.phong@stp.example.vn"
    head.save()
    real_send = EmailMessage.send

    def server_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailMessage, "send", server_down)
    first = alerts.run_alerts(now=at(2027, 1, 27, 8))
    assert (first.alerts, first.notices, first.emails) == (1, 1, 0) and len(mail.outbox) == 0
    notice = Notification.objects.get(recipient=head)
    assert notice.emailed_at is None  # released, not lost
    monkeypatch.setattr(EmailMessage, "send", real_send)
    again = alerts.run_alerts(now=at(2027, 1, 27, 15))  # nothing new to alert: the mail is retried
    assert (again.alerts, again.emails) == (0, 1)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["truong.phong@stp.example.vn"]
    assert mail.outbox[0].subject == "[Một cửa] Thời hạn công bố thủ tục hành chính"
    assert "01/02/2027" in mail.outbox[0].body
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert alerts.run_alerts(now=at(2027, 1, 27, 16)).emails == 0 and len(mail.outbox) == 1  # never twice


def test_alerts_for_publication_stop_when_published(draft, units):
    head = officer(units["justice"], Role.HEAD, "stp-head")
    publications.issue(draft, number="55/QĐ-UBND", decided_on=D(2027, 2, 3), signer="Nguyễn Văn A")
    # Publish by 17/02/2027 (Tết in between); 12/02 is 3 working days before.
    assert alerts.run_alerts(now=at(2027, 2, 11, 8), send_email=False).alerts == 0
    run = alerts.run_alerts(now=at(2027, 2, 12, 8), send_email=False)
    assert run.alerts == 4 and run.emails == 0
    assert {a.deadline for a in PublicationAlert.objects.all()} == {PublicationDeadline.PUBLISH}
    assert Notification.objects.filter(recipient=head).count() == 4
    publications.record_national_publication(draft, D(2027, 2, 17))
    assert alerts.run_alerts(now=at(2027, 2, 25, 8)).alerts == 0


def test_alerts_command_is_idempotent(units, capsys):
    officer(units["justice"], Role.HEAD, "stp-head")
    soon = dt.date.today() + dt.timedelta(days=2)  # decide-by already past: overdue
    decision = justice_decision()
    decision["procedures"] = decision["procedures"][1:2]
    decision["procedures"][0]["effectiveDate"] = soon.isoformat()
    publications.draft_province_decision(publications.import_feed(feed(decision)).created[0])
    call_command("catalogue", "alerts", "--no-email")
    assert "1 cảnh báo mới, 1 thông báo" in capsys.readouterr().out
    call_command("catalogue", "alerts", "--no-email")
    assert "0 cảnh báo mới" in capsys.readouterr().out
    assert PublicationAlert.objects.get().stage == AlertStage.OVERDUE


def test_admin_pages_of_the_feed_history_and_alerts(client, draft, units):
    from django.urls import reverse

    from motcua.units.models import Officer

    client.force_login(Officer.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai"))
    publications.issue(draft, number="55/QĐ-UBND", decided_on=D(2027, 1, 29), signer="Nguyễn Văn A")
    publications.apply(draft)
    alerts.run_alerts(now=at(2027, 2, 12, 8), send_email=False)
    national = NationalDecision.objects.get()
    assert "1.009002" in client.get(reverse("admin:catalogue_nationaldecision_change", args=[national.pk])).content.decode()
    for name in ("nationaldecision", "procedurehistory", "publicationalert", "publicationdecision"):
        assert client.get(reverse(f"admin:catalogue_{name}_changelist")).status_code == 200, name
    page = client.get(reverse("admin:catalogue_publicationdecision_change", args=[draft.pk])).content.decode()
    assert "12/2027/NĐ-CP" in page


def test_catalogue_round_trip_keeps_deadline_data_and_drafts(draft, units):
    from motcua.catalogue import io

    records = io.export_json(Procedure.objects.filter(code="1.001234"))
    assert records[0]["publications"] == []  # the draft is not a decision yet
    publications.issue(draft, number="55/QĐ-UBND", decided_on=D(2027, 1, 29), signer="Nguyễn Văn A")
    records = io.export_json(Procedure.objects.filter(code="1.001234"))
    assert [p["number"] for p in records[0]["publications"]] == ["55/QĐ-UBND"]
    other = publications.import_feed(feed(justice_decision("200/QĐ-BTP"))).created[0]
    second_draft = publications.draft_province_decision(other, today=D(2027, 1, 21))
    result = io.import_json(records)
    assert result.ok, result.errors
    item = draft.items.get(code="1.001234")
    assert (item.legal_basis, item.effective_on) == ("12/2027/NĐ-CP", D(2027, 2, 15))
    assert second_draft.items.filter(procedure__code="1.001234").exists()
