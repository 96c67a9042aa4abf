"""A unit without a dossier in the month reads "Không có dữ liệu": no band, no rank, the same words
on the ranking, the scorecard, the dashboard, the head's page, the report and the open data; an
empty denominator reads the same everywhere and its points follow the methodology's rule."""
import csv
import io

import pytest
from django.conf import settings

from motcua.index import reports
from motcua.index.engine.compute import NO_DATA
from motcua.index.engine.methodology import get_methodology
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.index.test_reports import NOW, build_province, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def month():
    province = build_province()
    province["idle"] = f.unit("SNV", "Sở Nội vụ")  # no dossier at all
    f.procedure(code="1.SNV", agency=province["idle"], time_limit="3")
    reports.monthly("2026-09", now=NOW)
    province["report"] = reports.monthly("2026-10", now=NOW).report
    return province


def score(snapshot, code):
    return snapshot.unit_scores.get(unit__code=code)


def test_a_unit_without_dossiers_is_neither_banded_nor_ranked(month):
    snapshot = month["report"].snapshot
    idle = score(snapshot, "SNV")
    assert (idle.band, idle.rank) == (NO_DATA, None)
    # the others are ranked among themselves, as if the idle unit were not there
    assert sorted(score(snapshot, c).rank for c in ("STP", "SXD")) == [1, 2]
    # its points still follow each indicator's rule: 0/0 on ON_TIME scores 0, on PETITION_ON_TIME the maximum
    on_time, petitions = (idle.indicators.get(code=c) for c in ("ON_TIME", "PETITION_ON_TIME"))
    assert (on_time.denominator, on_time.score) == (0, 0.0)
    assert (petitions.denominator, petitions.score) == (0, get_methodology().indicator("PETITION_ON_TIME").max_points)


def test_every_reader_sees_no_data_the_same_way(client, month):
    snapshot = month["report"].snapshot
    ranking = client.get("/chi-so/2026-10/so-ban-nganh/").content.decode()
    row = ranking[ranking.index('data-unit="SNV"'):]
    row = row[:row.index("</tr>")]
    assert "Không có dữ liệu" in row and "Yếu" not in row and 'class="n">–</td>' in row
    assert "Không có dữ liệu: 1" in ranking

    card = client.get("/chi-so/2026-10/don-vi/SNV/").content.decode()
    assert '<span id="unit-band">Không có dữ liệu</span>' in card
    on_time = card[card.index('data-indicator="ON_TIME"'):]
    assert '<td class="n rate">Không có dữ liệu</td>' in on_time[:on_time.index("</tr>")]
    assert "được điểm tối đa nếu là E_CERTIFIED_COPY, PETITION_ON_TIME, PETITION_SATISFACTION" in card
    stp_card = client.get("/chi-so/2026-10/don-vi/STP/").content.decode()
    stp_on_time = stp_card[stp_card.index('data-indicator="ON_TIME"'):]
    assert '<td class="n rate">100,00 %</td>' in stp_on_time[:stp_on_time.index("</tr>")]

    rows = {r["unit_code"]: r for r in csv.DictReader(io.StringIO(client.get(
        f"/chi-so/du-lieu-mo/2026-10/lan-{snapshot.revision}.csv").content.decode()))}
    assert (rows["SNV"]["band"], rows["SNV"]["rank"]) == ("Không có dữ liệu", "")

    text = pdf_text(bytes(month["report"].pdf))
    assert "Không có dữ liệu" in text
    assert "2 sở, ban, ngành và 1 xã, phường được xếp hạng" in " ".join(text.split())  # of the 3 departments
    weakest = text[text.index("3. Đơn vị và chỉ số yếu nhất"):text.index("4. Kiến nghị")]
    assert "Sở Nội vụ" not in weakest  # a unit with no work is not among the weakest

    office = Officer.objects.create_user(username="vanphong", password="x-pass-123", role=Role.PROVINCIAL_OFFICE)
    client.force_login(office)
    dashboard = client.get("/quan-ly/chi-so/", {"thang": "2026-10"}).content.decode()
    line = dashboard[dashboard.index("?don-vi=SNV"):]
    assert "Không có dữ liệu" in line[:line.index("</tr>")]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/chi-so/2026-10/don-vi/SNV/").content.decode()
    assert '<span id="unit-band">No data</span>' in english and "Không có dữ liệu" not in english


def test_the_dashboard_shows_the_month_chosen(client, month):
    office = Officer.objects.create_user(username="vanphong", password="x-pass-123", role=Role.PROVINCIAL_OFFICE)
    client.force_login(office)
    september = month["report"].snapshot.__class__.objects.get(period="2026-09")
    page = client.get("/quan-ly/chi-so/", {"thang": "2026-09"}).content.decode()
    assert '<option value="2026-09" selected>' in page and "tháng 2026-09" in page
    assert f'id="live-province">{score(september, "24").total:.2f}'.replace(".", ",") in page
    latest = client.get("/quan-ly/chi-so/", {"thang": "2099-01"}).content.decode()  # unknown: the newest month
    assert '<option value="2026-10" selected>' in latest
