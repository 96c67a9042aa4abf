"""The one-stop forms (Mẫu 01–07 of Circular 03/2025/TT-VPCP) as PDFs: Vietnamese text survives, QR codes decode to the public
lookup page, hand-overs are judged against their deadlines, the register lists exactly the range,
and only officers who may see the dossier get its slips."""
import shutil
import subprocess
import unicodedata
from datetime import UTC, date
from urllib.parse import unquote

import pytest
from django.test import override_settings
from django.urls import Resolver404, include, path, resolve

import motcua.urls
from motcua.catalogue.models import Component
from motcua.common import formatting, printing
from motcua.dossiers import links, slips
from motcua.dossiers.models import ApplicantKind, Channel, DelayReport, PersonalDocument, ReuseConsent
from motcua.dossiers.services import Applicant, ComponentInput, open_dossier, transition
from motcua.dossiers.transitions import Action, Actor
from motcua.units.models import Role
from tests import factories as f


def _urlpatterns():
    """The project's URLs, plus the slips' until the project's urls.py includes them."""
    try:
        resolve("/mot-cua/so-theo-doi.pdf", urlconf="motcua.urls")
        return motcua.urls.urlpatterns
    except Resolver404:
        return [path("mot-cua/", include("motcua.dossiers.slip_urls")), *motcua.urls.urlpatterns]


urlpatterns = _urlpatterns()
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CITIZEN = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị Bích Ngọc", f.VALID_PID, phone="0912345678",
                    address="Số 5 đường Lý Thái Tổ, phường Kinh Bắc")
BASE = "http://127.0.0.1:8000"


# -- helpers -------------------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} (Debian package poppler-utils) is needed to check the slips")
    return found


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text through poppler's pdftotext in drawing order (a wrapped line stays one phrase),
    NFC, whitespace collapsed."""
    source = tmp_path / "slip.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([_tool("pdftotext"), "-raw", "-enc", "UTF-8", str(source), "-"], check=True,
                         capture_output=True).stdout.decode()
    return " ".join(unicodedata.normalize("NFC", out).split())


def pdf_fonts(pdf: bytes, tmp_path) -> list[str]:
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([_tool("pdffonts"), str(source)], check=True, capture_output=True, text=True).stdout
    return out.splitlines()[2:]


def qr_payloads(pdf: bytes, tmp_path) -> list[str]:
    """Every QR code on the PDF's pages, rasterized by pdftoppm and read by zxing-cpp."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf)
    subprocess.run([_tool("pdftoppm"), "-r", "200", "-png", str(source), str(tmp_path / "page")], check=True)
    found = []
    for page in sorted(tmp_path.glob("page*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(page), formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture
def desk():
    dept = f.unit()
    proc = f.procedure(agency=dept, time_limit="3", name="Cấp phiếu lý lịch tư pháp cho công dân Việt Nam")
    components = [Component.objects.create(procedure=proc, order=1, name="Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                                           original_count=1),
                  Component.objects.create(procedure=proc, order=2, name="Bản chụp giấy tờ tùy thân", copy_count=1,
                                           document_type=f.document_type())]
    reception = f.officer(dept, Role.RECEPTION)
    reception.first_name, reception.last_name = "Lê Văn", "Đức"
    reception.save()
    processing = f.officer(dept, Role.PROCESSING)
    processing.first_name, processing.last_name = "Phạm Thị", "Hường"
    processing.save()
    PersonalDocument.objects.create(owner_id=f.VALID_PID, name="Bản chụp giấy tờ tùy thân", path="store/cccd.pdf",
                                    sha256="0" * 64, document_type=f.document_type())  # for the reused component
    return {"unit": dept, "procedure": proc, "components": components, "reception": reception,
            "processing": processing, "head": f.officer(dept, Role.HEAD)}


def receive(desk, at=None, **kw):
    c1, c2 = desk["components"]
    parts = [ComponentInput(c1.name, catalogue_component_id=c1.pk, content=b"%PDF-1.4 scan", original_name="to-khai.pdf"),
             ComponentInput(c2.name, catalogue_component_id=c2.pk, reused=True, from_personal_store=True)]
    return open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=kw.pop("applicant", CITIZEN),
                        channel=Channel.DIRECT, action=Action.RECEIVE, actor=desk["reception"],
                        at=at or f.at(2026, 3, 2, 9, 0), components=parts, reuse_consent=ReuseConsent.PRESENT, **kw)


def steps(desk):
    return list(desk["procedure"].steps.order_by("order"))


# -- formatting ----------------------------------------------------------------------------------

def test_dates_and_times_are_vietnamese_and_local():
    utc_evening = f.at(2026, 3, 2, 23, 30).astimezone(UTC)  # 16:30 UTC
    assert formatting.fmt_date(utc_evening) == "02/03/2026"
    assert formatting.fmt_datetime(f.at(2026, 3, 5, 9, 0)) == "09 giờ 00 phút, ngày 05/03/2026"
    assert formatting.date_line("Bắc Ninh", date(2026, 2, 5)) == "Bắc Ninh, ngày 05 tháng 02 năm 2026"
    assert formatting.date_line("Bắc Ninh", date(2026, 11, 20)) == "Bắc Ninh, ngày 20 tháng 11 năm 2026"


def test_lookup_url_is_absolute_configurable_and_the_public_lookup_page():
    assert links.lookup_url("STP-260302-0001") == f"{BASE}/tra-cuu/?ma=STP-260302-0001"  # outside a request
    assert resolve("/tra-cuu/", urlconf="motcua.urls").view_name == "portal:lookup"
    with override_settings(MOTCUA_PUBLIC_URL="https://dichvucong.example.vn/"):
        assert links.lookup_url("07627-260302-0001") == "https://dichvucong.example.vn/tra-cuu/?ma=07627-260302-0001"


# -- Mẫu 01 --------------------------------------------------------------------------------------

def test_receipt_carries_code_title_appointment_unit_components_and_qr(desk, tmp_path):
    dossier = receive(desk)
    assert dossier.code == "STP-260302-0001"
    pdf = slips.receipt_pdf(dossier)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    for expected in ["STP-260302-0001", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                     "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",  # the footer names the form in running text
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Bắc Ninh, ngày 02 tháng 3 năm 2026", "UBND TỈNH BẮC NINH", "SỞ TƯ PHÁP",
                     "Bộ phận Một cửa – Sở Tư pháp", "Trần Thị Bích Ngọc", "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
                     "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp giấy tờ tùy thân", "kho dữ liệu cá nhân",
                     "3 ngày làm việc", "09 giờ 00 phút, ngày 02/03/2026",
                     "09 giờ 00 phút, ngày 05/03/2026",  # Monday 09:00 + 3 working days
                     "Lê Văn Đức", f"{BASE}/tra-cuu/?ma=STP-260302-0001"]:
        assert expected in text, expected
    assert "05/03/2026" in text
    assert qr_payloads(pdf, tmp_path) == [f"{BASE}/tra-cuu/?ma=STP-260302-0001"]


def test_every_font_in_the_slip_is_the_bundled_serif_embedded(desk, tmp_path):
    lines = pdf_fonts(slips.receipt_pdf(receive(desk)), tmp_path)
    assert lines, "no fonts in the PDF"
    for line in lines:
        # Named after the @font-face family: loaded from the bundled file, not a system font; embedded.
        assert f"+{printing.FONT_FAMILY}" in line and " yes " in line, line


def test_qr_follows_the_public_url_setting(desk, tmp_path):
    dossier = receive(desk)
    with override_settings(MOTCUA_PUBLIC_URL="https://dichvucong.bacninh.example.vn"):
        pdf = slips.receipt_pdf(dossier)
    assert qr_payloads(pdf, tmp_path) == ["https://dichvucong.bacninh.example.vn/tra-cuu/?ma=STP-260302-0001"]


def test_without_a_configured_address_links_follow_the_request_host_and_port(desk, client, tmp_path):
    """`make run PORT=8080`: the slip printed from the desk points to port 8080, not a fixed 8000."""
    dossier = receive(desk)
    client.force_login(desk["reception"])
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/01.pdf", HTTP_HOST="localhost:8080")
    assert page.status_code == 200
    assert qr_payloads(b"".join(page.streaming_content) if page.streaming else page.content, tmp_path) == [
        "http://localhost:8080/tra-cuu/?ma=STP-260302-0001"]
    assert links.lookup_url(dossier.code).startswith(BASE)  # the request is over: the local default again


def test_receipt_needs_a_received_dossier(desk):
    online = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN, channel=Channel.ONLINE,
                          action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT, at=f.at(2026, 3, 2, 8, 0))
    with pytest.raises(ValueError, match="chưa được tiếp nhận"):
        slips.receipt_pdf(online)


# -- Mẫu 02 and 03 ---------------------------------------------------------------------------------

def test_supplement_request_at_the_desk_and_again_from_the_event(desk, tmp_path):
    dossier = receive(desk)
    items = ["Bản sao Giấy khai sinh có chứng thực", "Ảnh chân dung 4x6 chụp không quá 6 tháng"]
    transition(dossier, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 10, 15),
               reason="Tờ khai thiếu thông tin về nơi cư trú", event_data={"items": items})
    now = slips.supplement_request_pdf(dossier, items, "Tờ khai thiếu thông tin về nơi cư trú", desk["processing"],
                                       at=f.at(2026, 3, 3, 10, 15))
    again = slips.supplement_request_pdf_for(dossier.events.get(action=Action.REQUEST_SUPPLEMENT))
    for pdf in (now, again):
        text = pdf_text(pdf, tmp_path)
        for expected in ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "STP-260302-0001", *items,
                         "Lý do: Tờ khai thiếu thông tin về nơi cư trú", "Phạm Thị Hường", "NGƯỜI HƯỚNG DẪN",
                         "Bắc Ninh, ngày 03 tháng 3 năm 2026", "10 giờ 15 phút, ngày 03/03/2026"]:
            assert expected in text, expected
        assert qr_payloads(pdf, tmp_path) == [f"{BASE}/tra-cuu/?ma=STP-260302-0001"]


def test_refusal_at_the_desk_lists_each_reason(desk, tmp_path):
    reasons = ["Thủ tục không thuộc thẩm quyền giải quyết của Sở Tư pháp",
               "Người nộp không xuất trình được giấy tờ tùy thân bản chính"]
    dossier = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN, channel=Channel.DIRECT,
                           action=Action.REFUSE, actor=desk["reception"], at=f.at(2026, 3, 2, 14, 0),
                           reason="\n".join(f"- {r}" for r in reasons))
    for pdf in (slips.refusal_pdf(dossier, reasons, desk["reception"], at=f.at(2026, 3, 2, 14, 0)),
                slips.refusal_pdf_for(dossier.events.get())):
        text = pdf_text(pdf, tmp_path)
        for expected in ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", dossier.code, *reasons, "Lê Văn Đức",
                         "thông báo không tiếp nhận, giải quyết hồ sơ này"]:
            assert expected in text, expected
        assert "- Thủ tục" not in text  # the bullets typed in the reason are not repeated


# -- Mẫu 04 --------------------------------------------------------------------------------------

def test_apology_gives_the_appointment_held_the_reason_and_the_new_one(desk, tmp_path):
    dossier = receive(desk)  # appointment Thu 05/03/2026 09:00
    report = DelayReport.objects.create(
        dossier=dossier, reason="Cần xác minh thông tin với Công an tỉnh", cause="Chờ kết quả xác minh",
        remedy="Đôn đốc cơ quan phối hợp", new_appointment_at=f.at(2026, 3, 10, 16, 0),
        filed_by=desk["head"], filed_at=f.at(2026, 3, 4, 15, 0), form_version="TT03/2025")
    text = pdf_text(slips.apology_pdf(report), tmp_path)
    for expected in ["VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "Kính gửi: Trần Thị Bích Ngọc", dossier.code,
                     "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 05/03/2026",
                     "Lý do: Cần xác minh thông tin với Công an tỉnh", "16 giờ 00 phút, ngày 10/03/2026",
                     "Sở Tư pháp xin lỗi Ông/Bà", "THỦ TRƯỞNG CƠ QUAN", "Bắc Ninh, ngày 04 tháng 3 năm 2026"]:
        assert expected in text, expected
    # A second delay: the appointment held is the one the first apology promised.
    second = DelayReport.objects.create(
        dossier=dossier, reason="Chưa có chữ ký lãnh đạo", cause="x", remedy="y",
        new_appointment_at=f.at(2026, 3, 12, 16, 0), filed_by=desk["head"], filed_at=f.at(2026, 3, 10, 10, 0))
    text = pdf_text(slips.apology_pdf(second), tmp_path)
    assert "hồ sơ: 16 giờ 00 phút, ngày 10/03/2026" in text and "ngày 12/03/2026" in text


# -- Mẫu 05 --------------------------------------------------------------------------------------

def test_a_stop_after_reception_gives_the_stop_notice(desk, tmp_path):
    """A received dossier can no longer be refused; the head stops it and the applicant gets
    Mẫu 05, "Thông báo dừng giải quyết hồ sơ" (Circular 03/2025/TT-VPCP, Annex I)."""
    reasons = ["Cơ quan phối hợp xác định thửa đất đang có tranh chấp",
               "Thủ tục phải tạm dừng theo quyết định của cơ quan có thẩm quyền"]
    d = receive(desk)  # Mon 02/03 09:00, appointment Thu 05/03 09:00
    transition(d, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0), reason="\n".join(reasons))
    text = pdf_text(slips.stop_notice_pdf_for(d.events.get(action=Action.STOP)), tmp_path)
    for expected in ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Mẫu số 05 (Phụ lục I, Thông tư 03/2025/TT-VPCP)", d.code,
                     "Kính gửi: Ông/Bà Trần Thị Bích Ngọc", "Ngày 02/03/2026", desk["procedure"].name,
                     "09 giờ 00 phút, ngày 05/03/2026", "dừng giải quyết hồ sơ nêu trên kể từ 10 giờ 00 phút, ngày 03/03/2026",
                     *reasons, "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", printing.person(desk["head"]),
                     "Bắc Ninh, ngày 03 tháng 3 năm 2026"]:
        assert expected in text, expected
    assert qr_payloads(slips.stop_notice_pdf_for(d.events.get(action=Action.STOP)), tmp_path) == [
        f"{BASE}/tra-cuu/?ma={d.code}"]


# -- Mẫu 06 --------------------------------------------------------------------------------------

def test_control_sheet_judges_every_handover_against_its_deadline(desk, tmp_path):
    reception, processing, head = desk["reception"], desk["processing"], desk["head"]
    _, check, approve = steps(desk)
    desk["procedure"].result_is_document = False  # a paper result: returned without a signature
    desk["procedure"].save(update_fields=["result_is_document"])
    d = receive(desk)  # Mon 02/03 09:00, appointment Thu 05/03 09:00
    transition(d, Action.START_PROCESSING, actor=reception, at=f.at(2026, 3, 2, 10, 0), current_step_id=check.pk,
               assignee_id=processing.pk, step_deadline_at=f.at(2026, 3, 4, 9, 0))
    # Supplement requested Tue 09:00, received Wed 09:00: one working day paused → step due Thu 09:00.
    transition(d, Action.REQUEST_SUPPLEMENT, actor=processing, at=f.at(2026, 3, 3, 9, 0), reason="Thiếu ảnh")
    transition(d, Action.RECEIVE_SUPPLEMENT, actor=reception, at=f.at(2026, 3, 4, 9, 0))
    transition(d, Action.FORWARD, actor=processing, at=f.at(2026, 3, 5, 8, 30), current_step_id=approve.pk,
               assignee_id=head.pk, step_deadline_at=f.at(2026, 3, 5, 10, 0))
    transition(d, Action.COMPLETE, actor=head, at=f.at(2026, 3, 5, 11, 0))  # an hour after its step deadline
    transition(d, Action.RETURN_RESULT, actor=reception, at=f.at(2026, 3, 5, 14, 0))  # appointment moved to Fri 09:00

    rows = slips.handovers(d)
    assert [r.seq for r in rows] == list(range(1, 8))
    by_action = {r.action: r for r in rows}
    start = by_action["Bắt đầu xử lý"]
    assert start.giver == "Lê Văn Đức – Bộ phận Một cửa – Sở Tư pháp"
    assert start.receiver == "Phạm Thị Hường – Thẩm định" and start.result == slips.EARLY
    assert by_action["Yêu cầu bổ sung"].receiver == "Chủ hồ sơ: Trần Thị Bích Ngọc"
    back = by_action["Nhận hồ sơ bổ sung"]
    assert back.giver == "Chủ hồ sơ: Trần Thị Bích Ngọc" and back.receiver == "Phạm Thị Hường – Thẩm định"
    assert back.result == ""  # the applicant's own time is not judged
    forward = by_action["Chuyển bước xử lý"]
    assert forward.deadline == f.at(2026, 3, 5, 9, 0) and forward.result == slips.ON_TIME  # shifted by the pause
    assert by_action["Hoàn thành xử lý"].result == slips.LATE
    assert by_action["Trả kết quả"].deadline == f.at(2026, 3, 6, 9, 0) and by_action["Trả kết quả"].result == slips.EARLY

    text = pdf_text(slips.control_sheet_pdf(d), tmp_path)
    for expected in ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mẫu số 06 (Phụ lục I, Thông tư 03/2025/TT-VPCP)", "Mã hồ sơ: STP-260302-0001", "Trần Thị Bích Ngọc",
                     "Phạm Thị Hường", "Thẩm định", "Phê duyệt", "Quá hạn", "Đúng hạn", "Trước hạn", "Thiếu ảnh",
                     "10:00 02/03/2026", "(hẹn lại: 09 giờ 00 phút, ngày 06/03/2026)"]:
        assert expected in text, expected


def test_control_sheet_names_the_unit_a_dossier_is_transferred_to(desk, tmp_path):
    other = f.unit(code="SYT", name="Sở Y tế")
    d = receive(desk)
    transition(d, Action.TRANSFER, actor=desk["processing"], at=f.at(2026, 3, 2, 15, 0), to_unit_id=other.pk)
    rows = slips.handovers(d)
    assert rows[-1].receiver == "Sở Y tế" and rows[-1].result == slips.EARLY
    assert "Liên thông" in pdf_text(slips.control_sheet_pdf(d), tmp_path)


# -- Mẫu 07 --------------------------------------------------------------------------------------

def test_register_lists_exactly_the_dossiers_received_in_range(desk, tmp_path):
    before = receive(desk, at=f.at(2026, 3, 2, 7, 40))
    # A same-day procedure received after closing counts from the next working instant (Tue 07:30).
    late_evening = receive(desk, at=f.at(2026, 3, 2, 18, 0))
    inside = [receive(desk, at=f.at(2026, 3, 3, 9, 0)), receive(desk, at=f.at(2026, 3, 4, 16, 59))]
    after = receive(desk, at=f.at(2026, 3, 5, 7, 30))
    other_unit = f.unit(code="SXD", name="Sở Xây dựng")
    elsewhere = open_dossier(procedure=desk["procedure"], unit=other_unit, applicant=CITIZEN, channel=Channel.DIRECT,
                             action=Action.RECEIVE, actor=f.officer(other_unit), at=f.at(2026, 3, 3, 9, 0))
    pending_online = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN,
                                  channel=Channel.ONLINE, action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT,
                                  at=f.at(2026, 3, 3, 10, 0))
    expected = [late_evening, *inside]
    assert late_evening.received_at == f.at(2026, 3, 3, 7, 30)
    assert list(slips.register_dossiers(desk["unit"], date(2026, 3, 3), date(2026, 3, 4))) == expected

    pdf = slips.register_pdf(desk["unit"], date(2026, 3, 3), date(2026, 3, 4))
    text = pdf_text(pdf, tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 07 (Phụ lục I, Thông tư 03/2025/TT-VPCP)" in text and "Từ ngày 03/03/2026 đến ngày 04/03/2026" in text
    for d in expected:
        assert d.code in text
    for d in (before, after, elsewhere, pending_online):
        assert d.code not in text
    assert "Tổng số hồ sơ tiếp nhận: 3" in text
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(f"{BASE}/tra-cuu/?ma={d.code}" for d in expected)


def test_empty_register_says_so_and_bad_ranges_are_refused(desk, tmp_path):
    text = pdf_text(slips.register_pdf(desk["unit"], date(2026, 1, 1), date(2026, 1, 31)), tmp_path)
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này" in text
    with pytest.raises(ValueError):
        slips.register_pdf(desk["unit"], date(2026, 2, 1), date(2026, 1, 1))


# -- views and access ----------------------------------------------------------------------------

def _all_urls(dossier, report, refused, stopped):
    return [f"/mot-cua/ho-so/{dossier.code}/phieu/01.pdf", f"/mot-cua/ho-so/{dossier.code}/phieu/02.pdf",
            f"/mot-cua/ho-so/{refused.code}/phieu/03.pdf", f"/mot-cua/ho-so/{stopped.code}/phieu/05.pdf",
            f"/mot-cua/ho-so/{dossier.code}/phieu/06.pdf",
            f"/mot-cua/bao-cao-cham/{report.pk}/phieu-04.pdf",
            "/mot-cua/so-theo-doi.pdf?tu=2026-03-01&den=2026-03-31&don-vi=STP"]


@pytest.fixture
def filed(desk):
    dossier = receive(desk)
    transition(dossier, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0),
               reason="Thiếu bản sao Giấy khai sinh")
    report = DelayReport.objects.create(dossier=dossier, reason="Chờ xác minh", cause="c", remedy="r",
                                        new_appointment_at=f.at(2026, 3, 10, 16, 0), filed_by=desk["head"],
                                        filed_at=f.at(2026, 3, 4, 15, 0))
    refused = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=CITIZEN, channel=Channel.DIRECT,
                           action=Action.REFUSE, actor=desk["reception"], at=f.at(2026, 3, 2, 14, 0),
                           reason="Không thuộc thẩm quyền")
    stopped = receive(desk, at=f.at(2026, 3, 2, 10, 0))
    transition(stopped, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0), reason="Đất đang tranh chấp")
    return dossier, report, refused, stopped


def test_officer_of_the_unit_downloads_every_form(client, desk, filed, tmp_path):
    client.force_login(desk["reception"])
    names = ["Mẫu 01 - Giấy tiếp nhận", "Mẫu 02", "Mẫu 03", "Mẫu 05 - Thông báo dừng", "Mẫu 06 - Phiếu kiểm soát",
             "Mẫu 04", "Mẫu 07 - Sổ theo dõi"]
    for url, name in zip(_all_urls(*filed), names):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        disposition = response["Content-Disposition"]
        assert disposition.startswith('inline; filename="Mau0') and "filename*=UTF-8''" in disposition
        assert disposition.encode("ascii")  # the header itself stays ASCII; the Vietnamese name is %-encoded
        assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith(name)
    text = pdf_text(client.get(f"/mot-cua/ho-so/{filed[0].code}/phieu/02.pdf").content, tmp_path)
    assert "Thiếu bản sao Giấy khai sinh" in text
    # The officer's own unit is the default register.
    assert client.get("/mot-cua/so-theo-doi.pdf?tu=2026-03-02&den=2026-03-02").status_code == 200


def test_other_units_officer_gets_404_everywhere(client, desk, filed):
    client.force_login(f.officer(f.unit(code="SXD", name="Sở Xây dựng"), Role.HEAD))
    for url in _all_urls(*filed):
        assert client.get(url).status_code == 404, url


def test_provincial_office_reads_every_unit(client, desk, filed):
    client.force_login(f.officer(f.unit(code="VPUB", name="Văn phòng UBND tỉnh"), Role.PROVINCIAL_OFFICE))
    for url in _all_urls(*filed):
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(client, filed):
    for url in _all_urls(*filed):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next="), url


def test_missing_forms_and_bad_dates(client, desk):
    dossier = receive(desk)
    client.force_login(desk["reception"])
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/02.pdf").status_code == 404  # never asked for more
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/03.pdf").status_code == 404  # not refused
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu/04.pdf").status_code == 404  # 04 hangs on a report
    assert client.get("/mot-cua/ho-so/STP-000000-0000/phieu/01.pdf").status_code == 404
    assert client.get("/mot-cua/bao-cao-cham/999/phieu-04.pdf").status_code == 404
    for query in ["tu=2026-13-01&den=2026-03-01", "tu=hôm-nay", "tu=2026-03-05&den=2026-03-01",
                  "tu=2024-01-01&den=2026-01-01"]:
        response = client.get(f"/mot-cua/so-theo-doi.pdf?{query}")
        assert response.status_code == 400, query
        assert "YYYY-MM-DD" in response.content.decode() or "ngày" in response.content.decode()
    assert client.post(f"/mot-cua/ho-so/{dossier.code}/phieu/01.pdf").status_code == 405


def test_commune_heading_names_the_commune_and_its_desk(tmp_path):
    commune = f.unit(code="07627", name="Phường Kinh Bắc", kind="commune")
    proc = f.procedure(code="2.000815", agency=commune, time_limit="1", time_unit="in_day", level="commune")
    officer = f.officer(commune)
    d = open_dossier(procedure=proc, unit=commune, applicant=CITIZEN, channel=Channel.DIRECT, action=Action.RECEIVE,
                     actor=officer, at=f.at(2026, 3, 2, 15, 30))
    text = pdf_text(slips.receipt_pdf(d), tmp_path)
    assert "UBND PHƯỜNG KINH BẮC" in text and "BỘ PHẬN MỘT CỬA" in text and "07627-260302-0001" in text
    assert "17 giờ 00 phút, ngày 03/03/2026" in text  # "in the day", received after 15:00: next working day
