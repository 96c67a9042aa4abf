"""The findings page and the publication decisions page: login, scope per role, filters,
resolving, the Excel download, and the provincial office's actions on a decision."""
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from motcua.catalogue.checks import FINDINGS_SHEET
from motcua.catalogue.models import (
    DecisionStatus,
    Finding,
    FindingKind,
    Procedure,
    ProcedureHistory,
    PublicationDecision,
    PublicationItem,
    Severity,
    SourcePair,
)
from motcua.units.models import Role
from tests.factories import at, officer


def finding(code, unit, severity=Severity.HIGH, **extra) -> Finding:
    return Finding.objects.create(
        code=code, name=f"Thủ tục {code}", kind=FindingKind.MISSING, pair=SourcePair.NATIONAL_PORTAL,
        severity=severity, message=f"Cổng DVC thiếu thủ tục {code}", owner_unit=unit,
        detected_at=at(2026, 11, 2, 9), due_at=at(2026, 11, 9, 17), last_seen_at=at(2026, 11, 2, 9), **extra)


@pytest.fixture
def people(units):
    return {
        "office": officer(units["province"], Role.PROVINCIAL_OFFICE, "vpub"),
        "justice": officer(units["justice"], Role.HEAD, "stp-head"),
        "planning": officer(units["planning"], Role.PROCESSING, "stc"),
    }


@pytest.fixture
def rows(units):
    return {
        "justice_high": finding("1.000001", units["justice"]),
        "justice_low": finding("1.000002", units["justice"], Severity.LOW),
        "planning": finding("1.000003", units["planning"], Severity.MEDIUM),
    }


def test_login_required(client, rows):
    response = client.get(reverse("catalogue:findings"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert client.get(reverse("catalogue:findings_xlsx")).status_code == 302


def test_scope_per_role(client, people, rows):
    client.force_login(people["office"])
    page = client.get(reverse("catalogue:findings")).content.decode()
    assert all(code in page for code in ("1.000001", "1.000002", "1.000003"))
    client.force_login(people["justice"])
    page = client.get(reverse("catalogue:findings")).content.decode()
    assert "1.000001" in page and "1.000003" not in page
    client.force_login(people["planning"])
    page = client.get(reverse("catalogue:findings")).content.decode()
    assert "1.000003" in page and "1.000001" not in page


def test_filters(client, people, rows, units):
    client.force_login(people["office"])
    page = client.get(reverse("catalogue:findings"), {"muc_do": "low"}).content.decode()
    assert "1.000002" in page and "1.000001" not in page
    page = client.get(reverse("catalogue:findings"), {"don_vi": "SKHDT"}).content.decode()
    assert "1.000003" in page and "1.000002" not in page
    rows["planning"].resolved_at = at(2026, 11, 3, 9)
    rows["planning"].save()
    assert "1.000003" not in client.get(reverse("catalogue:findings")).content.decode()
    page = client.get(reverse("catalogue:findings"), {"tinh_trang": "resolved"}).content.decode()
    assert "1.000003" in page and "1.000001" not in page


def test_resolve_needs_a_note_and_the_scope(client, people, rows):
    url = reverse("catalogue:resolve", args=[rows["justice_high"].pk])
    client.force_login(people["justice"])
    response = client.post(url, {"ghi_chu": "  "}, follow=True)
    assert "Phải ghi nội dung đã xử lý" in response.content.decode()
    rows["justice_high"].refresh_from_db()
    assert rows["justice_high"].resolved_at is None
    client.force_login(people["planning"])
    response = client.post(url, {"ghi_chu": "Đã sửa"}, follow=True)
    assert "Không có sai lệch này trong phạm vi của bạn" in response.content.decode()
    rows["justice_high"].refresh_from_db()
    assert rows["justice_high"].resolved_at is None
    client.force_login(people["justice"])
    client.post(url, {"ghi_chu": "Đã bổ sung trên Cổng DVC"})
    rows["justice_high"].refresh_from_db()
    assert rows["justice_high"].resolved_by == people["justice"]
    assert rows["justice_high"].resolution_note == "Đã bổ sung trên Cổng DVC"
    response = client.post(url, {"ghi_chu": "Lần nữa"}, follow=True)
    assert "đã được xử lý trước đó" in response.content.decode()


def test_excel_download_is_scoped_and_filtered(client, people, rows):
    client.force_login(people["justice"])
    response = client.get(reverse("catalogue:findings_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[FINDINGS_SHEET]
    codes = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["1.000001", "1.000002"]
    client.force_login(people["office"])
    response = client.get(reverse("catalogue:findings_xlsx"), {"muc_do": "medium"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[FINDINGS_SHEET]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["1.000003"]


# -- publication decisions ----------------------------------------------------------------------


@pytest.fixture
def draft(units, make_procedure):
    proc = make_procedure("1.001234")
    decision = PublicationDecision.objects.create(issuer_unit=units["province"], decided_on=dt.date(2027, 4, 23),
                                                  status=DecisionStatus.DRAFT, title="Dự thảo công bố hộ tịch")
    PublicationItem.objects.create(decision=decision, procedure=proc, change_type="amended",
                                   legal_basis="12/2027/NĐ-CP", effective_on=dt.date(2027, 5, 4),
                                   name="Đăng ký khai sinh (sửa đổi)")
    return decision


def test_decisions_page_shows_deadlines_in_scope(client, people, draft):
    client.force_login(people["justice"])
    page = client.get(reverse("catalogue:decisions")).content.decode()
    # 5 working days before 04/05/2027 (30/4, 1/5 → 3/5 off): 23/04; publish by 23/04 + 5 = 04/05.
    assert "1.001234" in page and "23/04/2027" in page and "04/05/2027" in page
    assert "Ban hành" not in page  # only the provincial office acts
    client.force_login(people["planning"])
    assert "1.001234" not in client.get(reverse("catalogue:decisions")).content.decode()


def test_provincial_office_issues_publishes_and_applies(client, people, draft):
    url = lambda action: reverse("catalogue:decision_action", args=[draft.pk, action])  # noqa: E731
    client.force_login(people["justice"])
    assert client.post(url("ban-hanh"), {"so": "1/QĐ", "ngay": "2027-04-22", "nguoi_ky": "A"}).status_code == 404
    client.force_login(people["office"])
    response = client.post(url("ban-hanh"), {"so": "", "ngay": "2027-04-22", "nguoi_ky": "A"}, follow=True)
    assert "Phải nhập số quyết định" in response.content.decode()
    response = client.post(url("ban-hanh"), {"so": "1/QĐ", "ngay": "22/13/2027", "nguoi_ky": "A"}, follow=True)
    assert "phải là ngày" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT
    client.post(url("ban-hanh"), {"so": "77/QĐ-UBND", "ngay": "2027-04-22", "nguoi_ky": "Trần Văn B"})
    client.post(url("cong-khai"), {"ngay": "2027-04-28"})
    client.post(url("cap-nhat"))
    draft.refresh_from_db()
    assert (draft.number, draft.status, draft.published_national_on) == ("77/QĐ-UBND", DecisionStatus.APPLIED,
                                                                           dt.date(2027, 4, 28))
    assert Procedure.objects.get(code="1.001234").name == "Đăng ký khai sinh (sửa đổi)"
    assert ProcedureHistory.objects.filter(decision=draft).count() == 1
    page = client.get(reverse("catalogue:decisions")).content.decode()
    assert "77/QĐ-UBND" in page and "đúng hạn" in page
