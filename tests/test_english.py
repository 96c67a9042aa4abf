"""English when the user chooses it (cookie), Vietnamese otherwise: the public pages, an officer
page, messages from Python, and a compiled catalogue that matches its source."""
import ast
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from motcua.catalogue.models import Component, Procedure, Finding, FindingKind, Severity, SourcePair
from motcua.payments import services as payments
from motcua.units.models import Role, Unit, UnitKind
from tests import factories as f
from tests.payments.conftest import make_waiting_dossier

pytestmark = pytest.mark.django_db
CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def procedure():
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    p = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", field="Hộ tịch", time_limit="1",
                    time_unit="in_day", online_level="full")
    Component.objects.create(procedure=p, order=1, name="Tờ khai đăng ký khai sinh", original_count=1)
    return p


def page(client, url, data=None):
    response = client.get(url, data or {}, follow=True)  # the lookup answers with its token address
    assert response.status_code == 200
    return response.content.decode()


def has(html, present=(), absent=()):
    missing = [s for s in present if s not in html]
    leftover = [s for s in absent if s in html]
    assert not missing and not leftover, f"missing {missing}, should not be there {leftover}"


def test_procedure_search_in_english(english, procedure):
    html = page(english, reverse("portal:procedures"), {"q": "khai sinh"})
    assert 'lang="en"' in html
    has(html, ["Find an administrative procedure", "Search", "Public services", "Track a dossier", "Officer login",
               "Tiếng Việt", "Đăng ký khai sinh", "Fully online"],
        ["Tìm thủ tục hành chính", "Dịch vụ công", "Cán bộ đăng nhập", "Trực tuyến toàn trình"])
    has(page(english, reverse("portal:procedures"), {"q": "xyz"}), ["No procedure found."], ["Không tìm thấy"])


def test_procedure_guide_and_online_form_in_english(english, procedure):
    html = page(english, reverse("portal:procedure", args=[procedure.code]))
    has(html, ["How to apply", "Procedure code", "Processing time", "Same day", "Required documents",
               "Apply online", "Submit to", "Full name / organisation name", "Submit</button>"],
        ["Hướng dẫn thực hiện", "Nộp hồ sơ trực tuyến", "Thời hạn giải quyết", "Trong ngày"])


def test_lookup_message_in_english(english):
    html = english.get(reverse("portal:lookup"), {"ma": "X-1", "so": f.VALID_PID}, follow=True).content.decode()
    has(html, ["No dossier with this code and identification number."], ["Không tìm thấy hồ sơ"])


def test_login_in_english(english):
    html = page(english, reverse("login"))
    has(html, ["Officer login", "Username", "Password", "Log in</button>"], ["Tên đăng nhập", "Mật khẩu"])


def test_petition_pages_in_english(english):
    f.unit("X01", "Xã Một", kind=UnitKind.COMMUNE)
    html = page(english, reverse("feedback:submit"))
    has(html, ["Send feedback or a petition", "Unit concerned", "Full name", "Phone", "Other matters",
               "Petitions are answered within 15 working days"],
        ["Gửi phản ánh, kiến nghị", "Họ và tên", "Nội dung khác"])
    html = page(english, reverse("feedback:track"), {"ma": "PAKN-X", "dt": "0987654321"})
    has(html, ["Track feedback or a petition", "No petition with this code and phone number."],
        ["Tra cứu phản ánh", "Không tìm thấy phản ánh"])
    has(page(english, reverse("feedback:published")), ["Published answers to feedback and petitions"],
        ["Trả lời phản ánh, kiến nghị"])


def test_payment_through_the_simulator_in_english(english, settings):
    settings.MOTCUA_PAYMENT_SIMULATOR = True
    settings.MOTCUA_VNPAY_PAY_URL = ""
    settings.MOTCUA_VNPAY_HASH_SECRET = "test-secret"
    settings.MOTCUA_VNPAY_TMN_CODE = "TESTTMN1"
    d = make_waiting_dossier()
    has(page(english, reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}),
        ["Fees are due on this dossier", "50,000 VND", "Pay online"], ["Thanh toán trực tuyến", "đồng"])
    start = english.post(reverse("payments:start"), {"ma": d.code, "so": f.VALID_PID})
    location = urlsplit(start["Location"])
    simulator = english.get(f"{location.path}?{location.query}")
    has(simulator.content.decode(), ["Simulated payment gateway", ">Pay</button>", ">Cancel</button>", "VND"],
        ["Cổng thanh toán giả lập", ">Hủy</button>", "đồng"])
    back = english.post(location.path, {**simulator.context["params"], "outcome": "pay"})
    result = urlsplit(back["Location"])
    has(page(english, f"{result.path}?{result.query}"), ["Payment result", "Paid", "Back to dossier tracking"],
        ["Kết quả thanh toán", "Đã thanh toán"])


def test_payment_errors_are_translated_when_shown():
    """Lazy: the pages show them in the reader's language, the API (rendered in Vietnamese) in Vietnamese."""
    with translation.override("en"), pytest.raises(payments.PaymentError) as refused:
        payments.refund(None, None, reason=" ")
    with translation.override("vi"):
        assert str(refused.value.message) == "Cần ghi lý do hoàn tiền."
    with translation.override("en"):
        assert str(refused.value.message) == "Give the reason for the refund."


def test_officer_findings_page_in_english(english):
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    english.force_login(f.officer(province, Role.PROVINCIAL_OFFICE, "vpub"))
    Finding.objects.create(code="1.000001", name="Thủ tục 1.000001", kind=FindingKind.MISSING,
                           pair=SourcePair.NATIONAL_PORTAL, severity=Severity.HIGH, message="Cổng DVC thiếu thủ tục",
                           owner_unit=province, detected_at=f.at(2026, 11, 2, 9), due_at=f.at(2026, 11, 9, 17),
                           last_seen_at=f.at(2026, 11, 2, 9))
    html = page(english, reverse("catalogue:findings"))
    has(html, ["Administrative procedure catalogue discrepancies between systems", "Severity", "Lead unit",
               "1 discrepancy", "High", "Log out", "Desk"],
        ["Sai lệch danh mục", "Mức độ", "Đăng xuất"])


def test_vietnamese_without_the_cookie(client, procedure):
    html = page(client, reverse("portal:procedure", args=[procedure.code]))
    assert 'lang="vi"' in html
    has(html, ["Hướng dẫn thực hiện", "Nộp hồ sơ trực tuyến", "Trong ngày", "English</button>"],
        ["How to apply", "Apply online"])
    has(page(client, reverse("login")), ["Cán bộ đăng nhập", "Mật khẩu"], ["Password"])


def _po_entries(path: Path):
    """(context, msgid, msgstr) of the translated, non-fuzzy, singular entries of a PO file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if any(line.startswith("#,") and "fuzzy" in line for line in lines) or any(
                line.startswith("msgid_plural") for line in lines):
            continue
        parts, key = {}, None
        for line in lines:
            if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                key, _, value = line.partition(" ")
                parts[key] = ast.literal_eval(value)
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
        if parts.get("msgid") and parts.get("msgstr"):
            yield parts.get("msgctxt"), parts["msgid"], parts["msgstr"]


def test_compiled_catalogue_matches_its_source():
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = list(_po_entries(CATALOGUE / "django.po"))
    assert len(entries) > 900
    stale = [msgid for context, msgid, msgstr in entries
             if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr]
    assert not stale, f"run `motcua compilemessages`: {stale[:5]}"


# -- no Vietnamese left on the English pages ------------------------------------------------------------

VIETNAMESE_LETTER = re.compile("[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I)


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and labels, not scripts, styles or hidden inputs."""

    SKIPPED = {"script", "style"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self._skipping += tag in self.SKIPPED
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        self._skipping -= tag in self.SKIPPED

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def untranslated(html: str, data=()) -> list[str]:
    """The pieces of visible text still in Vietnamese, once the data shown as entered (names of units,
    people, procedures…: `data`) and the language switch are taken out."""
    parser = _VisibleText()
    parser.feed(html)
    leftovers = []
    for part in parser.parts:
        for value in sorted({*data, "Tiếng Việt"}, key=len, reverse=True):
            part = part.replace(value, "")
        if VIETNAMESE_LETTER.search(part):
            leftovers.append(part)
    return leftovers


@pytest.fixture
def index_month():
    """A published month and a running one, computed through the services (no report, no PDF)."""
    from motcua.index import services
    from tests.index.test_reports import NOW, build_province

    province = build_province()
    f.procedure(code="1.SNV", agency=f.unit("SNV", "Sở Nội vụ"), time_limit="3")  # no dossier: "No data"
    for month in ("2026-09", "2026-10"):
        services.compute(month, now=NOW)
        services.publish(month, now=NOW)
    services.compute("2026-11", now=NOW)
    return province


def test_the_index_pages_have_no_vietnamese_left_in_english(english, index_month):
    from motcua.index.engine.methodology import get_methodology

    data = [*Unit.objects.values_list("name", flat=True), *Procedure.objects.values_list("name", flat=True)]
    pages = ["/chi-so/", "/chi-so/2026-10/so-ban-nganh/", "/chi-so/2026-10/xa-phuong/", "/chi-so/2026-10/don-vi/SXD/",
             "/chi-so/2026-10/don-vi/SNV/"]
    left = {url: untranslated(page(english, url), data) for url in pages}
    # the open-data schema names the values the files hold, which are Vietnamese
    file_values = [b.label_vi for b in get_methodology().bands] + ["Không có dữ liệu"]
    left["/chi-so/du-lieu-mo/"] = untranslated(page(english, "/chi-so/du-lieu-mo/"), data + file_values)
    office = f.officer(Unit.objects.get(code="24"), Role.PROVINCIAL_OFFICE, "vpub")
    english.force_login(office)
    sxd = Unit.objects.get(code="SXD")
    for url in ("/quan-ly/chi-so/", "/quan-ly/chi-so/?thang=2026-10", f"/quan-ly/chi-so/don-vi/?don-vi=SXD",
                "/quan-ly/chi-so/quoc-gia/", "/quan-ly/ho-tro/", f"/chi-so/2026-10/{sxd.pk}/ON_TIME/"):
        left[url] = untranslated(page(english, url), data)
    left = {url: parts for url, parts in left.items() if parts}
    assert not left, left


def test_the_403_page_says_why_in_the_readers_language(english):
    from django.test import Client

    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    officer = f.officer(commune, Role.RECEPTION)
    for reader, expected in ((english, ("Access denied", "Only the provincial People", "Back to the desk")),
                             (Client(), ("Không có quyền truy cập", "Chỉ Văn phòng UBND tỉnh", "Về bàn làm việc"))):
        reader.force_login(officer)
        response = reader.get("/quan-ly/chi-so/")
        assert response.status_code == 403
        html = response.content.decode()
        has(html, expected)
        assert "<main" in html and ("Đăng xuất" in html or "Log out" in html)  # the site's page, not a bare one
    assert not untranslated(english.get("/quan-ly/chi-so/").content.decode(), [commune.name, "Bắc Ninh"])


def test_every_name_of_the_default_methodology_has_its_english():
    from motcua.index.engine.methodology import get_methodology

    methodology = get_methodology()
    with translation.override("en"):
        missing = [text for text in [g.name_vi for g in methodology.groups] + [i.description_vi for i in methodology.indicators]
                   + [b.label_vi for b in methodology.bands] if translation.gettext(text) == text]
    assert not missing
