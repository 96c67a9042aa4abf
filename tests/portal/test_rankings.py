"""The public index pages, open data, the office dashboard, the heads' page and the support hotline:
numbers from the stored snapshots, access per role, bad input refused."""
import csv
import io
import json

import pytest

from motcua.index import national, reports, services
from motcua.index.engine import periods
from motcua.index.models import NationalTable, SupportRequest, SupportStatus
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.index.test_reports import NOW, build_province

pytestmark = pytest.mark.django_db


def number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


@pytest.fixture
def published():
    data = build_province()
    reports.monthly("2026-09", now=NOW)
    data["snapshot"] = reports.monthly("2026-10", now=NOW).report.snapshot
    return data


@pytest.fixture
def office():
    return Officer.objects.create_user(username="vanphong", password="x-pass-123", role=Role.PROVINCIAL_OFFICE)


def login(client, user):
    client.force_login(user)
    return client


# -- public pages ------------------------------------------------------------------------------------

def test_the_public_pages_show_the_stored_numbers_without_login(client, published):
    snap = published["snapshot"]
    province = snap.unit_scores.get(unit__code="24")
    page = client.get("/chi-so/").content.decode()
    assert number(province.total) in page and province.band in page

    page = client.get("/chi-so/2026-10/so-ban-nganh/").content.decode()
    for code in ("STP", "SXD"):
        score = snap.unit_scores.get(unit__code=code)
        assert f'data-unit="{code}"' in page and number(score.total) in page
    assert page.index('data-unit="STP"') < page.index('data-unit="SXD"')  # STP ranks first
    assert "<svg" not in page  # a ranking is a table

    sxd = snap.unit_scores.get(unit__code="SXD")
    page = client.get("/chi-so/2026-10/don-vi/SXD/").content.decode()
    on_time = sxd.indicators.get(code="ON_TIME")
    assert f'id="unit-total">{number(sxd.total)}</span>' in page
    assert '<svg' in page and 'id="groups"' in page and 'id="trend"' in page  # charts with their tables
    assert f'<td class="n">{on_time.numerator}</td><td class="n">{on_time.denominator}</td>' in page


def test_unpublished_or_unknown_periods_are_not_shown(client, published):
    services.compute("2026-11", now=NOW)  # a running month: a draft
    assert client.get("/chi-so/2026-11/so-ban-nganh/").status_code == 404
    assert client.get("/chi-so/2026-10/khac/").status_code == 404
    assert client.get("/chi-so/2026-10/don-vi/KHONGCO/").status_code == 404
    page = client.get("/chi-so/").content.decode()
    assert "tạm tính" in page  # the live index says it is provisional


def test_open_data_matches_the_snapshot(client, published):
    snap = published["snapshot"]
    assert "Lược đồ dữ liệu" in client.get("/chi-so/du-lieu-mo/").content.decode()
    response = client.get(f"/chi-so/du-lieu-mo/2026-10/lan-{snap.revision}.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_code = {r["unit_code"]: r for r in rows}
    assert set(by_code) == {"24", "STP", "SXD", "07627"}
    for score in snap.unit_scores.select_related("unit"):
        row = by_code[score.unit.code]
        assert float(row["total"]) == pytest.approx(score.total) and row["band"] == score.band
        assert (row["rank"] or None) == (str(score.rank) if score.rank else None)
        assert float(row["G2"]) == pytest.approx(score.groups["G2"])
    data = json.loads(client.get(f"/chi-so/du-lieu-mo/2026-10/lan-{snap.revision}.json").content)
    assert (data["schema"], data["fingerprint"], len(data["units"])) == ("motcua-index-ranking/1", snap.fingerprint, 4)
    sxd = next(u for u in data["units"] if u["unit_code"] == "SXD")
    on_time = next(i for i in sxd["indicators"] if i["indicator"] == "ON_TIME")
    assert (on_time["numerator"], on_time["denominator"], on_time["max_points"]) == (1, 2, 20)
    assert client.get(f"/chi-so/du-lieu-mo/2026-10/lan-{snap.revision}.xml").status_code == 404


def test_a_revision_is_shown_as_such_and_both_versions_stay_downloadable(client, published):
    published["dossier"]("STP", f.at(2026, 10, 19, 9), f.at(2026, 10, 28, 9))
    reports.monthly("2026-10", now=NOW, reason="Bổ sung hồ sơ đồng bộ muộn")
    page = client.get("/chi-so/2026-10/so-ban-nganh/").content.decode()
    assert "Bản sửa đổi lần 1" in page and "Bổ sung hồ sơ đồng bộ muộn" in page
    page = client.get("/chi-so/2026-10/don-vi/STP/").content.decode()
    assert "Bản sửa đổi lần 1" in page and "Bổ sung hồ sơ đồng bộ muộn" in page
    assert client.get("/chi-so/du-lieu-mo/2026-10/lan-0.csv").status_code == 200
    assert client.get("/chi-so/du-lieu-mo/2026-10/lan-1.csv").status_code == 200


def test_the_pages_speak_english_when_chosen(client, published):
    client.cookies["django_language"] = "en"
    page = client.get("/chi-so/2026-10/so-ban-nganh/").content.decode()
    assert "Open data" in page and "Total score" in page


# -- office dashboard and access --------------------------------------------------------------------

def test_the_dashboard_is_for_the_provincial_office_only(client, published, office):
    assert client.get("/quan-ly/chi-so/").status_code == 302  # to the login page
    head = published["officers"]["STP"][Role.HEAD]
    assert login(client, head).get("/quan-ly/chi-so/").status_code == 403
    assert client.get("/quan-ly/chi-so/quoc-gia/").status_code == 403
    assert client.get("/quan-ly/chi-so/bao-cao/2026-10/lan-0.pdf").status_code == 403
    page = login(client, office).get("/quan-ly/chi-so/").content.decode()
    assert "Chỉ số trực tiếp" in page and "Đơn vị cần tập huấn" in page
    assert client.get("/quan-ly/chi-so/bao-cao/2026-10/lan-0.pdf")["Content-Type"] == "application/pdf"


def test_training_candidates_follow_the_threshold_and_bad_input_is_explained(client, published, office):
    login(client, office)
    snap = published["snapshot"]
    threshold = snap.unit_scores.get(unit__code="SXD").total + 0.01  # SXD below, STP above
    stp_total = snap.unit_scores.get(unit__code="STP").total
    assert stp_total > threshold
    page = client.get(f"/quan-ly/chi-so/?nguong={threshold:.2f}").content.decode()
    training = page[page.index('id="training"'):page.index('id="weak-units"')]
    assert 'data-unit="SXD"' in training and 'data-unit="STP"' not in training
    page = client.get("/quan-ly/chi-so/?nguong=abc").content.decode()
    assert "Ngưỡng &#x27;abc&#x27; không hợp lệ" in page or "Ngưỡng 'abc' không hợp lệ" in page


def test_a_head_sees_their_own_unit_and_officer_figures(client, published, office):
    head = published["officers"]["SXD"][Role.HEAD]
    page = login(client, head).get("/quan-ly/chi-so/don-vi/?don-vi=STP").content.decode()
    assert "Sở Xây dựng" in page and "<h1>Sở Tư pháp" not in page  # the parameter is the office's, not a head's
    reception = published["officers"]["SXD"][Role.RECEPTION]
    reception_row = page[page.index(f'data-officer="{reception.username}"'):].split("</tr>")[0]
    assert reception_row.split('<td class="n">')[1] == "2</td>"  # received both October dossiers
    # the head finished both: one on time, one late; no electronic result, no apology slip
    head_row = page[page.index(f'data-officer="{head.username}"'):].split("</tr>")[0]
    assert head_row.split('<td class="n">')[1:] == ["2</td>", "2</td>", "1</td>", "1</td>", "0</td>", "0</td>"]
    assert login(client, published["officers"]["SXD"][Role.RECEPTION]).get("/quan-ly/chi-so/don-vi/").status_code == 403
    assert "Sở Tư pháp" in login(client, office).get("/quan-ly/chi-so/don-vi/?don-vi=STP").content.decode()


# -- support hotline ---------------------------------------------------------------------------------

def test_units_file_support_requests_and_the_office_answers(client, published, office):
    stp = published["officers"]["STP"][Role.PROCESSING]
    login(client, stp).post("/quan-ly/ho-tro/", {"subject": "Không ký số được", "body": "Lỗi chứng thư"})
    request = SupportRequest.objects.get()
    assert (request.unit, request.status) == (published["stp"], SupportStatus.OPEN)
    page = login(client, published["officers"]["SXD"][Role.HEAD]).get("/quan-ly/ho-tro/").content.decode()
    assert "Không ký số được" not in page  # another unit's request
    client.post(f"/quan-ly/ho-tro/{request.pk}/tra-loi/", {"answer": "Tự trả lời"})
    assert SupportRequest.objects.get().status == SupportStatus.OPEN  # only the office answers

    login(client, office).post(f"/quan-ly/ho-tro/{request.pk}/tra-loi/", {"answer": "Cài lại chứng thư số"})
    request.refresh_from_db()
    assert (request.status, request.answer, request.answered_by) == (SupportStatus.ANSWERED, "Cài lại chứng thư số", office)
    assert "Cài lại chứng thư số" in login(client, stp).get("/quan-ly/ho-tro/").content.decode()


def test_a_blank_support_request_is_refused(client, published):
    response = login(client, published["officers"]["STP"][Role.HEAD]).post(
        "/quan-ly/ho-tro/", {"subject": " ", "body": ""}, follow=True)
    assert "Hãy nhập tiêu đề và nội dung" in response.content.decode() and not SupportRequest.objects.exists()


def test_the_toolkit_downloads_for_any_officer(client, published):
    response = login(client, published["officers"]["07627"][Role.RECEPTION]).get(
        "/quan-ly/chi-so/bo-tai-lieu-truyen-thong.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


# -- national position --------------------------------------------------------------------------------

def national_csv(own_total_parts=(7.96, 15.68, 8.83, 6.25, 8.22, 12.97)):
    lines = ["stt,ma_tinh,ten_tinh,G1,G2,G3a,G3b,G4,G5,tong_diem"]
    for n in range(1, 34):
        parts = [18 - n * 0.3, 20 - n * 0.2, 12 - n * 0.1, 10 - n * 0.1, 22 - n * 0.3, 18 - n * 0.2]
        lines.append(f"{n},{100 + n},Tỉnh {n}," + ",".join(f"{p:.2f}" for p in parts) + f",{sum(round(p, 2) for p in parts):.2f}")
    lines.append("34,24,Bắc Ninh," + ",".join(f"{p:.2f}" for p in own_total_parts) + f",{sum(own_total_parts):.2f}")
    return "\n".join(lines).encode()


def test_the_national_table_gives_rank_and_gaps(client, published, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, office).post("/quan-ly/chi-so/quoc-gia/", {
        "period": "2026-10", "file": SimpleUploadedFile("bxh.csv", national_csv(), "text/csv")})
    position = national.position(NationalTable.objects.get())
    ordered = sorted([s.total for s in position.table.scores.all()], reverse=True)
    assert position.provinces == 34 and position.own.total == pytest.approx(59.91)
    assert position.own.rank == 1 + sum(t > 59.91 for t in ordered)
    top5, top10 = position.targets
    assert top5.gap == pytest.approx(ordered[4] - 59.91) and top10.gap == pytest.approx(max(0, ordered[9] - 59.91))
    page = client.get("/quan-ly/chi-so/quoc-gia/").content.decode()
    assert f'<strong id="national-rank">{position.own.rank}</strong>/34' in page


@pytest.mark.parametrize("content, message", [
    (b"a,b\n1,2", "Dòng tiêu đề"),
    (national_csv().replace(b",24,", b",25,"), "không có tỉnh của hệ thống"),
    (national_csv().replace(b",12.97,", b",x,"), "không phải là số"),
    (national_csv().replace(b",12.97,", b",19.00,"), "nằm ngoài khoảng"),
    (national_csv().replace(b",59.91", b",70.00"), "khác tổng các nhóm"),
])
def test_a_bad_national_table_is_refused_and_changes_nothing(published, content, message):
    national.import_csv(national_csv(), "2026-09")
    with pytest.raises(national.NationalImportError, match=message):
        national.import_csv(content, "2026-09")
    assert NationalTable.objects.get().scores.count() == 34


def test_the_plan_takes_the_dossiers_worth_most_first():
    from motcua.index.selectors import Gain

    def gain(code, unit, indicator, points):
        return Gain(dossier_code=code, dossier_url="", unit_name=unit, action="e_result", action_label="Cấp kết quả điện tử",
                    indicator=indicator, indicator_label=indicator, unit_points=points * 10, province_points=points)

    gains = [gain("A", "Sở Tư pháp", "E_RESULT", 0.5), gain("A", "Sở Tư pháp", "ON_TIME", 0.4),
             gain("B", "Sở Xây dựng", "E_RESULT", 0.3), gain("C", "Sở Tư pháp", "E_RESULT", 0.2),
             gain("D", "Sở Tư pháp", "E_RESULT", 0.1)]
    plan = national.plan(0.9, gains)
    assert plan.enough and plan.dossiers == 3 and plan.reached == pytest.approx(1.0)  # A (once), B, C
    assert [(line.unit_name, line.indicator, line.dossiers) for line in plan.lines] == [
        ("Sở Tư pháp", "E_RESULT", 2), ("Sở Xây dựng", "E_RESULT", 1)]
    short = national.plan(5, gains)
    assert not short.enough and short.dossiers == 4 and short.reached == pytest.approx(1.1)


def test_the_heads_page_lists_the_open_dossiers_that_would_lift_the_unit(client, published):
    from django.utils import timezone

    from motcua.dossiers.models import ApplicantKind, Channel
    from motcua.dossiers.services import Applicant, open_dossier
    from motcua.dossiers.transitions import Action

    reception = published["officers"]["SXD"][Role.RECEPTION]
    dossier = open_dossier(procedure=published["sxd"].dossiers.first().procedure, unit=published["sxd"],
                           channel=Channel.DIRECT, action=Action.RECEIVE, actor=reception,
                           at=timezone.now() - timezone.timedelta(hours=1),
                           applicant=Applicant(ApplicantKind.INDIVIDUAL, "Vũ Văn G", f.VALID_PID))
    page = login(client, published["officers"]["SXD"][Role.HEAD]).get("/quan-ly/chi-so/don-vi/").content.decode()
    actions = page[page.index('id="actions"'):page.index('id="officers"')]
    assert dossier.code in actions and "Cấp kết quả điện tử" in actions
    assert f'href="/chi-so/2026-10/{published["sxd"].pk}/ON_TIME/"' in page  # the drill-down behind an indicator


def test_the_office_computes_and_reports_with_buttons_not_commands(client, office, monkeypatch):
    from django.utils import timezone

    from motcua.index import rankings
    from motcua.index.models import MonthlyReport

    build_province()
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    login(client, office)
    page = client.get("/quan-ly/chi-so/").content.decode()
    assert "motcua index" not in page and "motcua report" not in page  # no command line to copy
    assert 'value="2026-10"' in page and "Công bố xếp hạng và lập báo cáo" in page
    client.post("/quan-ly/chi-so/lap-bao-cao/", {"period": "2026-10"})
    assert list(MonthlyReport.objects.values_list("snapshot__period", flat=True)) == ["2026-10"]
    assert rankings.published_months() == ["2026-10"] and "2026-10" not in rankings.finished_months(NOW)
    again = client.post("/quan-ly/chi-so/lap-bao-cao/", {"period": "2026-10"}, follow=True).content.decode()
    assert "đã có; không thay đổi gì" in again and MonthlyReport.objects.count() == 1
    refused = client.post("/quan-ly/chi-so/lap-bao-cao/", {"period": "2026-11"}, follow=True).content.decode()
    assert "chưa kết thúc" in refused and MonthlyReport.objects.count() == 1
    client.post("/quan-ly/chi-so/tinh-ngay/")
    assert rankings.latest("2026-11") is not None
    head = Officer.objects.create_user(username="head", password="x-pass-123", role=Role.HEAD)
    login(client, head)
    assert client.post("/quan-ly/chi-so/lap-bao-cao/", {"period": "2026-09"}).status_code == 403
    assert MonthlyReport.objects.count() == 1


def test_a_running_month_is_compared_with_the_same_days_of_the_previous_month(client, office):
    from motcua.index import rankings

    build_province()
    reports.monthly("2026-09", now=NOW)
    reports.monthly("2026-10", now=NOW)
    live = services.compute_running_month(now=NOW)  # 20 November 10:00
    assert live.period == "2026-11"
    before = rankings.comparison_snapshot(live)
    assert before.period == "2026-10-01..2026-10-20"  # not the whole of October
    whole_october = rankings.published("2026-10")
    assert rankings.comparison_snapshot(whole_october).period == "2026-09"  # finished: the previous month, whole
    row = rankings.province_row(live)
    same_days = rankings._scores(before, "province").first().total
    assert row.previous_total == same_days
    assert services.same_days_before(periods.month(2026, 3), f.at(2026, 3, 31, 12, 0)).key == "2026-02-01..2026-02-28"
