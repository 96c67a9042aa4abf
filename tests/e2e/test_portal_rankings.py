"""A citizen opens the published rankings, a unit's scorecard, the procedure search and the open-data
download; every number shown is checked against the stored snapshot (Playwright, Debian's Chromium)."""
import csv
import io

import pytest

from motcua.index import reports
from motcua.index.engine.methodology import get_methodology
from tests import factories as f
from tests.index.test_reports import NOW, build_province

pytestmark = pytest.mark.django_db(transaction=True)


def shown(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_rankings_scorecard_search_and_open_data(live_server, new_page):
    build_province()
    f.procedure(code="2.000815", name="Chứng thực bản sao từ bản chính", level="commune")
    reports.monthly("2026-09", now=NOW)
    snapshot = reports.monthly("2026-10", now=NOW).report.snapshot
    stored = {s.unit.code: s for s in snapshot.unit_scores.select_related("unit")}
    page = new_page()

    page.goto(f"{live_server.url}/chi-so/")
    assert page.inner_text("#province-total") == shown(stored["24"].total)
    page.click("text=Xếp hạng các sở, ban, ngành")
    page.wait_for_url("**/chi-so/2026-10/so-ban-nganh/")
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 2
    for n in range(rows.count()):
        row = rows.nth(n)
        score = stored[row.get_attribute("data-unit")]
        cells = row.locator("td")
        assert cells.nth(0).inner_text() == str(score.rank)
        assert cells.nth(1).inner_text() == score.unit.name
        assert cells.nth(2).inner_text() == shown(score.total)
        assert cells.nth(3).inner_text() == score.band
        groups = [g.code for g in get_methodology(snapshot.methodology_version).groups]
        assert [cells.nth(4 + k).inner_text() for k in range(len(groups))] == [shown(score.groups[g]) for g in groups]

    page.click("#ranking >> text=Sở Xây dựng")
    page.wait_for_url("**/chi-so/2026-10/don-vi/SXD/")
    sxd = stored["SXD"]
    assert page.inner_text("#unit-total") == shown(sxd.total) and page.inner_text("#unit-rank") == str(sxd.rank)
    assert page.locator("svg.chart").count() == 2  # groups and the trend, each beside its table
    for g, value in sxd.groups.items():
        assert page.locator(f'#groups tr[data-group="{g}"] td').nth(1).inner_text() == shown(value)
    on_time = sxd.indicators.get(code="ON_TIME")
    cells = page.locator('#indicators tr[data-indicator="ON_TIME"] td')
    assert (cells.nth(2).inner_text(), cells.nth(3).inner_text(), cells.nth(5).inner_text()) == (
        str(on_time.numerator), str(on_time.denominator), shown(on_time.score))
    assert page.locator("#trend tbody tr").count() == 2

    page.click("text=Tìm thủ tục")
    page.wait_for_url("**/dich-vu-cong/")
    page.fill("input[name=q]", "chung thuc ban sao")
    page.click("main button:has-text('Tìm')")
    assert "Chứng thực bản sao từ bản chính" in page.inner_text("main table")

    page.goto(f"{live_server.url}/chi-so/du-lieu-mo/")
    with page.expect_download() as download:
        page.click(f"#files a[href$='/2026-10/lan-{snapshot.revision}.csv']")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert {r["unit_code"]: (float(r["total"]), r["band"]) for r in rows} == {
        code: (pytest.approx(s.total), s.band) for code, s in stored.items()}
