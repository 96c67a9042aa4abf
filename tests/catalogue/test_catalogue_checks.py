"""Findings kept as history: owner units, due dates on the work calendar, idempotent re-runs, the command,
the Excel export and the admin."""
import datetime as dt
import io
import json
from dataclasses import replace
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from motcua.catalogue import checks, sources
from motcua.catalogue.consistency import Record
from motcua.catalogue.models import Finding, FindingField, FindingKind, Severity, SourceRecord, SourceSnapshot
from motcua.catalogue.services import RowRef
from motcua.units.models import Officer, Role, Unit, UnitKind
from motcua.units.services import provincial_office_group

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T1 = dt.datetime(2026, 4, 28, 10, 0, tzinfo=VN)  # Tuesday before 30/4 and 1/5
DUE_T1 = dt.datetime(2026, 5, 7, 10, 0, tzinfo=VN)  # 5 working days: 29/4, 4/5, 5/5, 6/5, 7/5

A = Record(code="1.001234", name="Cấp phiếu lý lịch tư pháp", level="province", agency_code="STP",
           time_limit=Decimal("10"), time_unit="working_days", fee_total_vnd=200_000,
           components=(("Tờ khai", 1),), legal_bases=("28/2009/QH12",), online_level="full", status="published")
B = Record(code="2.000815", name="Chứng thực bản sao", level="commune", time_unit="in_day", fee_total_vnd=2_000,
           online_level="partial", status="published")
C = Record(code="1.000500", name="Cấp giấy phép", level="province", agency_code="SKHDT",
           time_limit=Decimal("20"), time_unit="working_days", status="published")
D = Record(code="9.999999", name="Dịch vụ không có trên CSDLQG", online_level="none", status="in_force")


def portal(record: Record) -> Record:
    return replace(record, level=None, agency_code=None, agency_text=None, components=None, legal_bases=None)


def snap(source, records, taken_on=dt.date(2026, 4, 27)):
    rows = [sources.ParsedRow(RowRef(None, i), r, {"code": r.code}) for i, r in enumerate(records)]
    result = sources.save_snapshot(source, rows, [], sha256=f"{source}-{taken_on}-{len(rows)}", taken_on=taken_on)
    assert result.ok
    return result.snapshot


@pytest.fixture
def office(units):
    return Unit.objects.create(code="VPUB", name="Văn phòng UBND tỉnh", kind=UnitKind.DEPARTMENT,
                               parent=units["province"])


@pytest.fixture
def three_sources(units, office):
    snap("national", [A, B, C])
    snap("provincial", [replace(A, time_limit=Decimal("15")), B])
    snap("portal", [portal(A), portal(replace(B, fee_total_vnd=0)), D])


def open_keys():
    return {(f.code, f.kind, f.field, f.pair) for f in Finding.objects.filter(resolved_at__isnull=True)}


FIRST_FINDINGS = {
    ("1.001234", "mismatch", "time_limit", "national:provincial"),
    ("1.000500", "missing", "", "national:provincial"),
    ("1.000500", "missing", "", "national:portal"),
    ("2.000815", "mismatch", "fee", "national:portal"),
    ("9.999999", "extra", "", "national:portal"),
}


def test_findings_get_an_owner_unit_and_a_due_date_on_the_work_calendar(three_sources, units, office):
    result = checks.run_check(now=T1)
    assert (result.created, result.kept, result.resolved) == (5, 0, 0)
    assert open_keys() == FIRST_FINDINGS
    owners = {(f.code, f.pair): f.owner_unit.code for f in Finding.objects.select_related("owner_unit")}
    assert owners == {
        ("1.001234", "national:provincial"): "STP",  # the procedure's agency
        ("1.000500", "national:provincial"): "SKHDT",  # the national record's agency when the province lacks it
        ("1.000500", "national:portal"): "SKHDT",
        ("2.000815", "national:portal"): "VPUB",  # commune level → the provincial office
        ("9.999999", "national:portal"): "VPUB",  # no known agency → the provincial office
    }
    for f in Finding.objects.all():
        assert (f.detected_at, f.last_seen_at, f.due_at, f.resolved_at) == (T1, T1, DUE_T1, None)
    time_limit = Finding.objects.get(field=FindingField.TIME_LIMIT)
    assert (time_limit.severity, time_limit.reference_value, time_limit.other_value) == (
        Severity.HIGH, "10 ngày làm việc", "15 ngày làm việc")
    assert time_limit.name == "Cấp phiếu lý lịch tư pháp"
    assert "Thời hạn giải quyết khác nhau" in time_limit.message
    summary = result.summary()
    assert "Sai lệch đang mở: 5 (mới 5, còn từ trước 0); đã tự đóng: 0." in summary
    assert "Theo mức độ: Cao 5" in summary and "Thiếu 2" in summary


def test_the_due_date_is_configurable(three_sources):
    with override_settings(MOTCUA_FINDING_DUE_WORKING_DAYS=2):
        checks.run_check(now=T1)
    assert {f.due_at for f in Finding.objects.all()} == {dt.datetime(2026, 5, 4, 10, 0, tzinfo=VN)}
    Finding.objects.all().delete()
    checks.run_check(now=T1, due_days=1)
    assert {f.due_at for f in Finding.objects.all()} == {dt.datetime(2026, 4, 29, 10, 0, tzinfo=VN)}


def test_commune_procedures_go_to_the_province_when_there_is_no_office(units):
    snap("national", [B])
    snap("provincial", [])
    checks.run_check(now=T1)
    assert Finding.objects.get().owner_unit == units["province"]


def test_rerunning_keeps_open_findings_and_never_duplicates_them(three_sources):
    checks.run_check(now=T1)
    later = T1 + dt.timedelta(days=3)
    result = checks.run_check(now=later)
    assert (result.created, result.kept, result.resolved) == (0, 5, 0)
    assert Finding.objects.count() == 5
    for f in Finding.objects.all():
        assert (f.detected_at, f.due_at, f.last_seen_at) == (T1, DUE_T1, later)


def test_a_fixed_disagreement_is_resolved_and_stays_in_the_history(three_sources):
    checks.run_check(now=T1)
    # the province corrects the time limit and adds the missing procedure; its value of the fee changes on the portal
    snap("provincial", [A, B, C], taken_on=dt.date(2026, 5, 4))
    snap("portal", [portal(A), portal(replace(B, fee_total_vnd=1_000)), D], taken_on=dt.date(2026, 5, 4))
    t2 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN)
    result = checks.run_check(now=t2)
    assert (result.created, result.kept, result.resolved) == (0, 3, 2)
    resolved = Finding.objects.filter(resolved_at__isnull=False)
    assert {(f.code, f.field) for f in resolved} == {("1.001234", "time_limit"), ("1.000500", "")}
    for f in resolved:
        assert f.resolved_at == t2 and f.detected_at == T1
        assert f.resolution_note == "Tự đóng: không còn sai lệch ở lần kiểm tra lúc 04/05/2026 09:00."
    fee = Finding.objects.get(field=FindingField.FEE)
    assert (fee.other_value, fee.detected_at, fee.resolved_at) == ("1.000 đồng", T1, None)  # refreshed, same finding

    # the time limit goes wrong again: a new finding, the old one kept resolved
    snap("provincial", [replace(A, time_limit=Decimal("12")), B, C], taken_on=dt.date(2026, 5, 6))
    t3 = dt.datetime(2026, 5, 6, 9, 0, tzinfo=VN)
    result = checks.run_check(now=t3)
    assert (result.created, result.resolved) == (1, 0)
    history = Finding.objects.filter(code="1.001234", field=FindingField.TIME_LIMIT).order_by("detected_at")
    assert [(f.detected_at, f.resolved_at, f.other_value) for f in history] == [
        (T1, t2, "15 ngày làm việc"), (t3, None, "12 ngày làm việc")]


def test_pairs_not_compared_are_left_alone(three_sources):
    checks.run_check(now=T1)
    latest = sources.latest_snapshots()
    result = checks.run_check(now=T1 + dt.timedelta(hours=1), snapshots={**latest, "portal": None})
    assert result.pairs == ["national:provincial"]
    assert result.resolved == 0 and open_keys() == FIRST_FINDINGS


def test_nothing_to_compare_with_one_source(units):
    snap("national", [A])
    result = checks.run_check(now=T1)
    assert result.pairs == [] and not Finding.objects.exists()
    assert "Không so được: cần bản chụp của ít nhất hai nguồn" in result.summary()


# -- the command ------------------------------------------------------------------------------


def test_snapshot_check_and_findings_commands(make_procedure, office, tmp_path, capsys):
    make_procedure("1.001234")  # STP, 15 working days, fees 52.000 đồng
    national = [{"code": "1.001234", "name": "Thủ tục 1.001234", "state": "PUBLISHED", "timeLimit": "10 ngày làm việc",
                 "fees": "Lệ phí: 52.000 đồng", "agencyCode": "STP", "level": "Cấp tỉnh"},
                {"code": "1.000777", "name": "Thủ tục chưa có ở tỉnh", "state": "PUBLISHED", "agencyCode": "STP"}]
    (tmp_path / "csdlqg.json").write_text(json.dumps(national, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "cong.csv").write_text("code,name,online_level,status,time_limit,fee\n"
                                       "1.001234,Thủ tục 1.001234,partial,active,10 ngày làm việc,52000\n"
                                       "1.000777,Thủ tục chưa có ở tỉnh,none,active,,\n", encoding="utf-8")
    call_command("catalogue", "snapshot", "national", str(tmp_path / "csdlqg.json"), "--taken-on", "2026-11-20")
    call_command("catalogue", "snapshot", "portal", str(tmp_path / "cong.csv"))
    call_command("catalogue", "snapshot", "provincial")
    out = capsys.readouterr().out
    assert "Đã lưu bản chụp CSDL quốc gia về TTHC ngày 20/11/2026: 2 thủ tục." in out
    assert "Cổng dịch vụ công (danh mục dịch vụ)" in out and "Hệ thống thông tin giải quyết TTHC của tỉnh" in out
    assert SourceSnapshot.objects.count() == 3

    call_command("catalogue", "check")
    out = capsys.readouterr().out
    assert "CSDL quốc gia về TTHC: bản ngày 20/11/2026, 2 thủ tục" in out
    assert "Đã so: CSDLQG ↔ Hệ thống của tỉnh; CSDLQG ↔ Cổng dịch vụ công" in out
    assert "Sai lệch đang mở: 2 (mới 2, còn từ trước 0); đã tự đóng: 0." in out
    assert open_keys() == {("1.001234", "mismatch", "time_limit", "national:provincial"),
                           ("1.000777", "missing", "", "national:provincial")}
    call_command("catalogue", "check", "--due-days", "3")
    assert "(mới 0, còn từ trước 2)" in capsys.readouterr().out

    target = tmp_path / "sai-lech.xlsx"
    call_command("catalogue", "findings", "-o", str(target))
    assert "Đã xuất 2 sai lệch đang mở" in capsys.readouterr().err
    ws = load_workbook(target, read_only=True)[checks.FINDINGS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(h for h, _w in checks.FINDING_HEADERS)
    assert [(r[0], r[2], r[3], r[7], r[8]) for r in rows[1:]] == [
        ("1.000777", "Thiếu", None, "Cao", "Sở Tư pháp"),
        ("1.001234", "Khác nhau", "Thời hạn giải quyết", "Cao", "Sở Tư pháp"),
    ]

    # the export commands still work beside the new ones
    call_command("catalogue", "export", "-o", str(tmp_path / "catalogue.json"))
    assert json.loads((tmp_path / "catalogue.json").read_text(encoding="utf-8"))[0]["code"] == "1.001234"


def test_snapshot_command_rejects_bad_files_and_writes_nothing(db, tmp_path, capsys):
    bad = tmp_path / "cong.csv"
    bad.write_text("code,name,fee\n1.1,Một,mười nghìn\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Có 1 lỗi; không ghi gì"):
        call_command("catalogue", "snapshot", "portal", str(bad))
    assert "[CSV] Dòng 2, cột 'fee': không đọc được mức phí 'mười nghìn'" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Cần tệp dữ liệu"):
        call_command("catalogue", "snapshot", "national")
    with pytest.raises(CommandError, match="không cần tệp"):
        call_command("catalogue", "snapshot", "provincial", str(bad))
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("catalogue", "snapshot", "national", str(tmp_path / "none.json"))
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("catalogue", "snapshot", "provincial", "--user", "ai-do")
    assert not SourceSnapshot.objects.exists() and not SourceRecord.objects.exists()


def test_snapshot_command_records_who_imported(db, tmp_path):
    user = Officer.objects.create_user("vanphong", password="x-pass-123", role=Role.PROVINCIAL_OFFICE)
    call_command("catalogue", "snapshot", "provincial", "--user", "vanphong", "--taken-on", "2026-11-01")
    assert (SourceSnapshot.objects.get().imported_by, SourceSnapshot.objects.get().taken_on) == (
        user, dt.date(2026, 11, 1))


def test_check_command_needs_two_sources(db):
    with pytest.raises(CommandError, match="Chưa đủ bản chụp"):
        call_command("catalogue", "check")


def test_findings_command_needs_xlsx_and_filters(three_sources, tmp_path):
    checks.run_check(now=T1)
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("catalogue", "findings", "-o", str(tmp_path / "x.csv"))
    target = tmp_path / "vpub.xlsx"
    call_command("catalogue", "findings", "-o", str(target), "--unit", "VPUB")
    rows = list(load_workbook(target, read_only=True)[checks.FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == ["2.000815", "9.999999"]


# -- the Excel export -------------------------------------------------------------------------


def test_excel_export_lists_open_findings_most_severe_first(three_sources):
    checks.run_check(now=T1)
    snap("provincial", [A, B, C], taken_on=dt.date(2026, 5, 4))  # fixes two findings
    snap("national", [replace(A, name="Cấp Phiếu lý lịch tư pháp (sửa)"), B, C], taken_on=dt.date(2026, 5, 4))
    checks.run_check(now=dt.datetime(2026, 5, 4, 9, 0, tzinfo=VN))
    buffer = io.BytesIO()
    count = checks.export_findings_xlsx(None, buffer, now=dt.datetime(2026, 5, 8, 9, 0, tzinfo=VN))
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    rows = list(workbook[checks.FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert count == len(rows) == 5
    assert [(r[0], r[2], r[7]) for r in rows] == [
        ("1.000500", "Thiếu", "Cao"),  # due 07/05: overdue on 08/05
        ("2.000815", "Khác nhau", "Cao"),
        ("9.999999", "Thừa", "Cao"),
        ("1.001234", "Khác nhau", "Thấp"),  # name, national ↔ provincial (detected 04/05)
        ("1.001234", "Khác nhau", "Thấp"),  # name, national ↔ portal
    ]
    first = rows[0]
    assert first[4] == "CSDLQG ↔ Cổng dịch vụ công" and first[8] == "Sở Tài chính"
    assert first[9] == dt.datetime(2026, 4, 28, 10, 0) and first[10] == dt.datetime(2026, 5, 7)
    assert first[11] == "Có" and rows[3][11] is None
    assert rows[3][3] == "Tên thủ tục" and rows[3][5] == "Cấp Phiếu lý lịch tư pháp (sửa)"
    summary = list(workbook[checks.SUMMARY_SHEET].iter_rows(values_only=True))
    assert summary[0] == ("Đơn vị chủ trì", "Tổng số", "Cao", "Trung bình", "Thấp", "Quá hạn")
    assert ("Văn phòng UBND tỉnh", 2, 2, 0, 0, 2) in summary and ("Sở Tư pháp", 2, 0, 0, 2, 0) in summary


# -- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(Officer.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai"))
    return client


def test_findings_admin_filters_and_export(admin_client, three_sources):
    checks.run_check(now=T1)
    url = reverse("admin:catalogue_finding_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200 and response.context["cl"].result_count == 5
    stp = Unit.objects.get(code="STP")
    for query, expected in [
        ("?pair__exact=national%3Aportal", 3), ("?severity__exact=high", 5), ("?severity__exact=low", 0),
        ("?field__exact=fee", 1), ("?kind__exact=missing", 2), (f"?owner_unit__id__exact={stp.pk}", 1),
        ("?open=yes", 5), ("?open=no", 0), ("?overdue=yes", 5), ("?q=2.000815", 1),
    ]:
        response = admin_client.get(url + query)
        assert response.status_code == 200, query
        assert response.context["cl"].result_count == expected, query
    finding = Finding.objects.get(field=FindingField.FEE)
    page = admin_client.get(reverse("admin:catalogue_finding_change", args=[finding.pk]))
    assert page.status_code == 200 and "2.000815" in page.content.decode()
    assert admin_client.get(reverse("admin:catalogue_finding_add")).status_code == 403

    response = admin_client.post(url, {"action": "export_findings_action",
                                       "_selected_action": [str(f.pk) for f in Finding.objects.all()]})
    assert response["Content-Disposition"].startswith('attachment; filename="sai-lech-')
    rows = list(load_workbook(io.BytesIO(response.content))[checks.FINDINGS_SHEET].iter_rows(min_row=2))
    assert len(rows) == 5


def test_snapshot_admin_is_read_only(admin_client, three_sources):
    snapshot = SourceSnapshot.objects.get(source="national")
    response = admin_client.get(reverse("admin:catalogue_sourcesnapshot_changelist") + "?source__exact=national")
    assert response.status_code == 200 and response.context["cl"].result_count == 1
    page = admin_client.get(reverse("admin:catalogue_sourcesnapshot_change", args=[snapshot.pk])).content.decode()
    assert "Xem 3 thủ tục của bản chụp" in page
    records = admin_client.get(reverse("admin:catalogue_sourcerecord_changelist")
                               + f"?snapshot__id__exact={snapshot.pk}")
    assert records.context["cl"].result_count == 3
    assert admin_client.get(reverse("admin:catalogue_sourcesnapshot_add")).status_code == 403
    admin_client.post(reverse("admin:catalogue_sourcesnapshot_delete", args=[snapshot.pk]), {"post": "yes"})
    assert SourceSnapshot.objects.filter(pk=snapshot.pk).exists()


def test_findings_admin_goes_through_scoping(client, three_sources):
    checks.run_check(now=T1)
    group = provincial_office_group()
    office_user = Officer.objects.create_user("vanphong", password="x-pass-123", role=Role.PROVINCIAL_OFFICE,
                                              unit=Unit.objects.get(code="VPUB"), is_staff=True)
    head = Officer.objects.create_user("stp.lanhdao", password="x-pass-123", role=Role.HEAD,
                                       unit=Unit.objects.get(code="STP"), is_staff=True)
    for user in (office_user, head):
        user.groups.add(group)
    url = reverse("admin:catalogue_finding_changelist")
    client.force_login(office_user)
    assert client.get(url).context["cl"].result_count == 5
    client.force_login(head)
    assert [f.code for f in client.get(url).context["cl"].queryset] == ["1.001234"]


def test_finding_kinds_in_the_model_match_the_comparison():
    assert FindingKind.values == ["missing", "extra", "mismatch"]
