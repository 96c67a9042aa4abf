"""One dossier from online submission to returned result, as the citizen and three officers see it."""
import pytest

from motcua.catalogue.models import Component
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.units.models import Role, Unit, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4 to khai"


@pytest.fixture
def commune(tmp_path):
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    unit = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=province)
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", field="Hộ tịch",
                       time_limit="3", online_level="full")
    Component.objects.create(procedure=proc, order=1, name="Tờ khai đăng ký khai sinh", original_count=1)
    officers = {r: f.officer(unit, r, username=f"x07627.{r}") for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)
    return {"unit": unit, "procedure": proc, "officers": officers, "scan": str(scan)}


def login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/mot-cua/")


def act(page, label):
    page.click(f"main form button:has-text('{label}')")
    page.wait_for_load_state()


def test_one_dossier_through_the_one_stop_shop(live_server, new_page, commune):
    base = live_server.url
    citizen = new_page()
    # The citizen finds the procedure without diacritics and submits online.
    citizen.goto(f"{base}/dich-vu-cong/?q=khai+sinh")
    citizen.click("text=Đăng ký khai sinh")
    citizen.select_option("select[name=unit]", label="Xã Đại Sơn")
    citizen.fill("input[name=applicant_name]", "Nguyễn Thị Lan")
    citizen.fill("input[name=applicant_id]", f.VALID_PID)
    citizen.set_input_files("input[type=file]", commune["scan"])
    citizen.click("main button:has-text('Nộp hồ sơ')")
    citizen.wait_for_url("**/tra-cuu/**")
    assert "Mới đăng ký" in citizen.inner_text("main")
    dossier = Dossier.objects.get()
    assert dossier.code in citizen.inner_text("main")

    # Reception accepts it: the appointment is fixed and the receipt can be printed.
    reception = new_page()
    login(reception, base, "x07627.reception")
    reception.click("text=Chờ tiếp nhận (trực tuyến) (1)")
    reception.click(f"text={dossier.code}")
    act(reception, "Tiếp nhận")
    assert "Được tiếp nhận" in reception.inner_text("main")
    assert reception.locator("text=Giấy tiếp nhận, hẹn trả (Mẫu 01)").count() == 1

    # Processing starts, then asks for one more document.
    processing = new_page()
    login(processing, base, "x07627.processing")
    processing.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    processing.select_option("form:has(button:has-text('Bắt đầu xử lý')) select[name=assignee]", label="x07627.processing")
    act(processing, "Bắt đầu xử lý")
    processing.fill("textarea[name=items]", "Giấy chứng sinh bản chính")
    processing.fill("form:has(button:has-text('Yêu cầu bổ sung')) textarea[name=reason]", "Thiếu giấy chứng sinh")
    act(processing, "Yêu cầu bổ sung")
    assert "Yêu cầu bổ sung" in processing.inner_text("main dl")

    # The citizen sees the request on the tracking page and uploads the document.
    citizen.reload()
    assert "Thiếu giấy chứng sinh" in citizen.inner_text("main")
    citizen.set_input_files("form:has(button:has-text('Gửi bổ sung')) input[type=file]", commune["scan"])
    citizen.click("main button:has-text('Gửi bổ sung')")
    citizen.wait_for_load_state()
    assert "Đang xử lý" in citizen.inner_text("main")

    # The head completes it; reception returns the result.
    head = new_page()
    login(head, base, "x07627.head")
    head.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(head, "Hoàn thành xử lý")
    assert "Đã xử lý xong" in head.inner_text("main dl")
    reception.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(reception, "Trả kết quả")
    assert "Đã trả kết quả" in reception.inner_text("main dl")

    citizen.reload()
    assert "Đã trả kết quả" in citizen.inner_text("main")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.supplement_count == 1
    assert [e.actor_role for e in dossier.events.order_by("seq")] == [
        "applicant", "reception", "processing", "processing", "applicant", "head", "head", "reception"]  # the head completes and signs
    assert Unit.objects.get(code="07627").dossiers.count() == 1
