"""The drill-down and gains selectors and pages on the live database, per role."""
import html
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from motcua.index import selectors
from motcua.index.engine.gains import FINISH_ON_TIME
from motcua.units.models import Role, Unit
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    officers, _, dossier = f.index_province(stp, sxd)

    on_time_stp = dossier("STP", f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))
    on_time = dossier("SXD", f.at(2026, 10, 5, 9), f.at(2026, 10, 7, 9))
    late = dossier("SXD", f.at(2026, 10, 12, 9), f.at(2026, 10, 20, 9))
    office = f.officer(Unit.objects.get(code="24"), Role.PROVINCIAL_OFFICE, username="office")
    return {"stp": stp, "sxd": sxd, "officers": officers, "office": office, "dossier": dossier,
            "on_time": on_time, "late": late, "on_time_stp": on_time_stp}


def test_the_items_behind_on_time(province):
    drill = selectors.drill_down("2026-10", province["sxd"].pk, "ON_TIME", user=province["office"])
    assert [r.code for r in drill.numerator] == [province["on_time"].code]
    assert [r.code for r in drill.outside] == [province["late"].code]
    assert {r.code for r in drill.denominator} == {province["on_time"].code, province["late"].code}
    late = drill.outside[0]
    assert late.reason == "giải quyết quá hạn" and late.url == reverse("dossiers:detail", args=[late.code])
    assert late.unit_name == "Sở Xây dựng" and late.title == "Thủ tục 1.SXD"
    assert drill.rate == 0.5 and drill.score == pytest.approx(20 * 0.5)
    whole = selectors.drill_down("2026-10", Unit.objects.get(code="24").pk, "ON_TIME")
    assert (len(whole.numerator), len(whole.denominator)) == (2, 3)


def test_procedure_items_and_their_reason(province):
    drill = selectors.drill_down("2026-10", province["stp"].pk, "ONLINE_SERVICES_USED", user=province["office"])
    assert drill.kind == "procedure"
    # The procedure is offered online (factories: online_level default) or not: either way it is listed once.
    for row in drill.outside:
        assert row.code == "1.STP" and row.reason == "không phát sinh hồ sơ trực tuyến trong kỳ"


def test_the_communes_behind_e_certified_copy(province):
    """No copy issued yet: both communes listed, neither providing the service; a department's own
    figure is 0 / 0 (no commune below it), scored by the methodology's rule (full 2)."""
    communes = [f.unit(code, name, kind="commune") for code, name in (("07627", "Xã Đại Sơn"),
                                                                        ("07630", "Xã Tuấn Đạo"))]
    drill = selectors.drill_down("2026-10", Unit.objects.get(code="24").pk, "E_CERTIFIED_COPY", user=province["office"])
    assert drill.kind == "unit" and not drill.numerator
    assert sorted((r.code, r.title, r.reason) for r in drill.outside) == [
        (c.code, c.name, "chưa cấp bản sao điện tử được chứng thực nào") for c in communes]
    assert drill.score == 0.0
    department = selectors.drill_down("2026-10", province["stp"].pk, "E_CERTIFIED_COPY", user=province["office"])
    assert not department.denominator and department.score == 2.0


def test_officers_see_only_their_unit(province):
    head = province["officers"]["STP"][Role.HEAD]
    assert len(selectors.drill_down("2026-10", province["stp"].pk, "ON_TIME", user=head).denominator) == 1
    for unit in (province["sxd"], Unit.objects.get(code="24")):
        with pytest.raises(selectors.IndexQueryError) as refused:
            selectors.drill_down("2026-10", unit.pk, "ON_TIME", user=head)
        assert refused.value.not_found and "không có quyền" in refused.value.message
        with pytest.raises(selectors.IndexQueryError):
            selectors.marginal_gains("2026-10", unit.pk, user=head)


@pytest.mark.parametrize("period, code, message", [
    ("2026-13", "ON_TIME", "không hiểu kỳ .2026-13."),
    ("tháng-mười", "ON_TIME", "không hiểu kỳ"),
    ("2026-10", "NO_SUCH", "Không có chỉ số NO_SUCH"),
])
def test_bad_requests_get_a_clear_message(province, client, period, code, message):
    with pytest.raises(selectors.IndexQueryError, match=message):
        selectors.drill_down(period, province["sxd"].pk, code, user=province["office"])
    client.force_login(province["office"])
    response = client.get(reverse("index:drill_down", args=[period, province["sxd"].pk, code]))
    assert response.status_code == 400 and re.search(message, html.unescape(response.content.decode()))


def test_the_drill_down_page_per_role(province, client):
    url = reverse("index:drill_down", args=["2026-10", province["sxd"].pk, "ON_TIME"])
    assert client.get(url).status_code == 302  # login first
    client.force_login(province["officers"]["STP"][Role.HEAD])
    assert client.get(url).status_code == 404
    client.force_login(province["officers"]["SXD"][Role.PROCESSING])
    page = client.get(url).content.decode()
    assert province["late"].code in page and province["on_time"].code not in page  # what costs points first
    assert reverse("dossiers:detail", args=[province["late"].code]) in page and "giải quyết quá hạn" in page
    numerator = client.get(url, {"danh_sach": "tu-so"}).content.decode()
    assert province["on_time"].code in numerator and province["late"].code not in numerator


def test_the_excel_download(province, client):
    client.force_login(province["office"])
    response = client.get(reverse("index:drill_down", args=["2026-10", province["sxd"].pk, "ON_TIME"]), {"xlsx": 1})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tóm tắt", "Tử số", "Mẫu số"]
    summary = {row[0]: row[1] for row in book["Tóm tắt"].iter_rows(values_only=True)}
    assert (summary["Tử số"], summary["Mẫu số"], summary["Tỷ lệ (%)"], summary["Điểm"]) == (1, 2, 50, 10)
    assert [r[0] for r in book["Tử số"].iter_rows(min_row=2, values_only=True)] == [province["on_time"].code]
    rows = {r[0]: r for r in book["Mẫu số"].iter_rows(min_row=2, values_only=True)}
    assert rows.keys() == {province["on_time"].code, province["late"].code}
    assert rows[province["late"].code][3:] == ("Không", "giải quyết quá hạn")


def test_marginal_gains_of_an_open_dossier(province):
    waiting = province["dossier"]("SXD", f.at(2026, 11, 24, 9))  # appointment 27 Nov: still in time on the 25th
    gains = selectors.marginal_gains("2026-11", province["sxd"].pk, user=province["office"],
                                     now=f.at(2026, 11, 25, 12))
    on_time = next(g for g in gains if g.indicator == "ON_TIME")
    assert (on_time.dossier_code, on_time.action) == (waiting.code, FINISH_ON_TIME)
    assert on_time.unit_points == pytest.approx(20.0)  # 0/1 at the month's end if left open, 1/1 if finished
    assert on_time.province_points == pytest.approx(20.0)
    assert on_time.dossier_url == reverse("dossiers:detail", args=[waiting.code])
    assert [g.unit_points for g in gains] == sorted((g.unit_points for g in gains), reverse=True)
    assert selectors.marginal_gains("2026-11", province["sxd"].pk, now=f.at(2026, 12, 2, 9)) == []


def test_the_gains_page(province, client):
    client.force_login(province["officers"]["SXD"][Role.HEAD])
    page = client.get(reverse("index:gains", args=["2026-10", province["sxd"].pk]))
    assert page.status_code == 200 and "Không có hồ sơ đang giải quyết nào" in page.content.decode()
    assert client.get(reverse("index:gains", args=["2026-10", province["stp"].pk])).status_code == 404
    assert client.get(reverse("index:gains", args=["2026-99", province["sxd"].pk])).status_code == 400
