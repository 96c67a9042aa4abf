"""The monthly cycle: freeze, report (PDF, Excel), publish; idempotent; corrections are revisions."""
import io
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motcua.index import rankings, reports
from motcua.index.models import MonthlyReport, Snapshot, SnapshotStatus
from motcua.units.models import UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db
NOW = f.at(2026, 11, 20, 10, 0)


def build_province():
    """Two departments and a commune; September: everything on time; October: SXD late once."""
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    xa = f.unit("07627", "Xã Đông Phong", kind=UnitKind.COMMUNE)
    officers, _, dossier = f.index_province(stp, sxd, xa)

    for code in ("STP", "SXD", "07627"):
        dossier(code, f.at(2026, 9, 7, 9), f.at(2026, 9, 8, 9))
        dossier(code, f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))
    dossier("SXD", f.at(2026, 10, 12, 9), f.at(2026, 10, 20, 9))  # late
    return {"stp": stp, "sxd": sxd, "xa": xa, "officers": officers, "dossier": dossier}


@pytest.fixture
def province():
    return build_province()


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def score_of(snapshot, code):
    return snapshot.unit_scores.get(unit__code=code)


def test_monthly_freezes_the_month_and_reports_in_vietnamese(province):
    reports.monthly("2026-09", now=NOW)
    outcome = reports.monthly("2026-10", now=NOW)
    snapshot = outcome.report.snapshot
    assert outcome.created and (snapshot.period, snapshot.status) == ("2026-10", SnapshotStatus.PUBLISHED)
    assert rankings.published("2026-10") == snapshot  # what the portal shows

    text = pdf_text(bytes(outcome.report.pdf))
    province_total = score_of(snapshot, "24").total
    sxd, sept_sxd = score_of(snapshot, "SXD"), score_of(rankings.published("2026-09"), "SXD")
    lines = [line.strip() for line in text.splitlines()]
    # Decree 30/2020/NĐ-CP: issuing body and national name, number, place and date, type and summary, addressee
    assert lines[0].split() == "UBND TỈNH BẮC NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".split()
    assert lines[1].split() == "VĂN PHÒNG Độc lập - Tự do - Hạnh phúc".split()
    assert "Số: …/BC-VPUBND" in text and "Bắc Ninh, ngày 20 tháng 11 năm 2026" in text  # published on NOW
    assert "BÁO CÁO" in lines and "Chỉ số phục vụ người dân, doanh nghiệp tháng 10/2026" in lines
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh." in lines
    end = text[text.rindex("Nơi nhận:"):]  # recipients and the signature block close the report
    assert "- Như trên;" in end and "- Lưu: VT." in end and "CHÁNH VĂN PHÒNG" in end
    assert not re.search(r"\b\d+\.\d\d\b", text), "a number written the English way"
    assert f"Tổng điểm của tỉnh tháng 10/2026: {province_total:.2f}/100".replace(".", ",") in text
    assert "Xếp hạng các sở, ban, ngành" in text and "Sở Xây dựng" in text and "Xã Đông Phong" in text
    assert "Kiến nghị" in text and "Tiến độ, kết quả giải quyết" in text
    assert f"{sxd.total - sept_sxd.total:.2f}".replace(".", ",") in text  # SXD's fall since September
    assert "<svg" not in text and "&lt;" not in text  # the charts are drawn, not printed as markup
    fonts = subprocess.run(["pdffonts", "-"], input=bytes(outcome.report.pdf), capture_output=True,
                           check=True).stdout.decode().splitlines()[2:]
    assert fonts and all("MotcuaSerif" in line for line in fonts)  # the bundled font only, charts included


def test_the_excel_report_holds_the_snapshot_numbers(province):
    report = reports.monthly("2026-10", now=NOW).report
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)), read_only=True)
    assert workbook.sheetnames == ["Tổng hợp", "Sở ban ngành", "Xã phường", "Chỉ số chi tiết"]
    rows = list(workbook["Sở ban ngành"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Hạng", "Mã", "Đơn vị", "Tổng điểm", "Xếp loại")
    by_code = {r[1]: r for r in rows[1:]}
    for code in ("STP", "SXD"):
        stored = score_of(report.snapshot, code)
        assert (by_code[code][0], by_code[code][3], by_code[code][4]) == (stored.rank, pytest.approx(stored.total),
                                                                           stored.band)
    detail = list(workbook["Chỉ số chi tiết"].iter_rows(values_only=True))
    on_time = next(r for r in detail if r[0] == "SXD" and r[3] == "ON_TIME")
    assert on_time[5:7] == (1, 2)


def test_running_it_twice_changes_nothing(province):
    first = reports.monthly("2026-10", now=NOW)
    again = reports.monthly("2026-10", now=NOW)
    assert not again.created and again.report.pk == first.report.pk
    assert bytes(again.report.pdf) == bytes(first.report.pdf)
    assert Snapshot.objects.filter(period="2026-10").count() == 1 and MonthlyReport.objects.count() == 1


def test_a_correction_after_publication_is_a_revision_with_its_reason(province):
    first = reports.monthly("2026-10", now=NOW).report
    province["dossier"]("STP", f.at(2026, 10, 19, 9), f.at(2026, 10, 28, 9))  # a late dossier synchronised late
    with pytest.raises(reports.ReportError, match="lý do"):
        reports.monthly("2026-10", now=NOW)
    assert MonthlyReport.objects.count() == 1 and Snapshot.objects.get(period="2026-10").revision == 0

    revised = reports.monthly("2026-10", now=NOW, reason="Bổ sung hồ sơ đồng bộ muộn").report
    assert revised.pk != first.pk and (revised.snapshot.revision, revised.snapshot.status) == (1, SnapshotStatus.PUBLISHED)
    assert Snapshot.objects.get(pk=first.snapshot_id).status == SnapshotStatus.SUPERSEDED
    text = " ".join(pdf_text(bytes(revised.pdf)).split())
    assert "Bản sửa đổi lần 1" in text and "Bổ sung hồ sơ đồng bộ muộn" in text
    assert rankings.published("2026-10").revision == 1


@pytest.mark.parametrize("period, message", [("2026-Q4", "cần một tháng"), ("2026-11", "chưa kết thúc"),
                                             ("2026-13", "không hiểu kỳ")])
def test_bad_periods_are_refused_and_change_nothing(province, period, message):
    with pytest.raises(reports.ReportError, match=message):
        reports.monthly(period, now=NOW)
    assert not MonthlyReport.objects.exists() and not Snapshot.objects.exists()


def test_the_command_writes_both_files_once(province, tmp_path):
    out = io.StringIO()
    call_command("report", "monthly", "--period", "2026-09", "--out", str(tmp_path), stdout=out)
    assert "Đã lập báo cáo tháng 2026-09" in out.getvalue()
    pdf = tmp_path / "bao-cao-chi-so-2026-09-lan-0.pdf"
    assert pdf.read_bytes() == bytes(MonthlyReport.objects.get().pdf)
    assert (tmp_path / "bao-cao-chi-so-2026-09-lan-0.xlsx").stat().st_size > 0
    out = io.StringIO()
    call_command("report", "monthly", "--period", "2026-09", "--out", str(tmp_path), stdout=out)
    assert "Không có gì thay đổi" in out.getvalue()
    with pytest.raises(CommandError, match="cần một tháng"):
        call_command("report", "monthly", "--period", "2026", "--out", str(tmp_path))


def test_rankings_compare_with_the_previous_published_month(province):
    reports.monthly("2026-09", now=NOW)
    october = reports.monthly("2026-10", now=NOW).report.snapshot
    rows = {r.code: r for r in rankings.ranking(october, "department")}
    september = rankings.published("2026-09")
    assert rows["SXD"].previous_total == pytest.approx(score_of(september, "SXD").total)
    assert rows["SXD"].change == pytest.approx(score_of(october, "SXD").total - score_of(september, "SXD").total)
    assert rows["SXD"].change < 0 and rows["STP"].rank == 1 and rows["SXD"].rank == 2
    ups, downs = rankings.movers(list(rows.values()))
    assert [r.code for r in downs][0] == "SXD"
    trend = rankings.trend(province["sxd"].pk, "2026-10")
    assert [(p.period, p.total) for p in trend] == [("2026-09", pytest.approx(score_of(september, "SXD").total)),
                                                    ("2026-10", pytest.approx(score_of(october, "SXD").total))]


def test_a_draft_month_is_not_public(province):
    from motcua.index import services

    services.compute("2026-10", now=NOW)
    assert rankings.published("2026-10") is None and rankings.published_months() == []
    assert rankings.current().period == "2026-10"  # the live index still shows it, as a draft


def test_the_command_reports_the_month_that_just_ended(province, tmp_path, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: NOW.date().replace(month=10, day=1))
    out = io.StringIO()
    call_command("report", "monthly", "--previous", "--out", str(tmp_path), stdout=out)
    assert "báo cáo tháng 2026-09" in out.getvalue() and MonthlyReport.objects.get().snapshot.period == "2026-09"
