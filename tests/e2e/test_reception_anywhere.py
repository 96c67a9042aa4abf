"""Reception regardless of administrative boundary (Decree 118/2025/NĐ-CP), by clicking: a commune's
desk receives a dossier for a department's procedure; the department finds it in its queue,
processes it and completes it with a paper result and its scan; the commune returns the result;
the citizen downloads the electronic copy of the paper result from the tracking page."""
import pytest
from weasyprint import HTML

from motcua.catalogue.models import Component
from motcua.dossiers.models import Dossier, PersonalDocument
from motcua.dossiers.transitions import Action, Status
from motcua.units.models import Role, UnitKind
from tests import factories as f
from tests.e2e.checks import assert_sound, watch_console
from tests.e2e.test_dossier_journey import login

pytestmark = pytest.mark.django_db(transaction=True)
RESULT_SCAN = HTML(string="<h1>Văn bản trả lời</h1><p>Bản giấy đã ký, đóng dấu.</p>").write_pdf()


@pytest.fixture
def province(tmp_path):
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=province)
    dept = f.unit("STP", "Sở Tư pháp", parent=province)
    proc = f.procedure(code="2.000488", name="Cấp phiếu lý lịch tư pháp", agency=dept, time_limit="10",
                       result_is_document=False, result_name="Phiếu lý lịch tư pháp")
    Component.objects.create(procedure=proc, order=1, name="Tờ khai yêu cầu cấp phiếu", original_count=1)
    f.officer(commune, Role.RECEPTION, username="x07627.reception")
    f.officer(dept, Role.PROCESSING, username="stp.processing")
    form = tmp_path / "to-khai.pdf"
    form.write_bytes(b"%PDF-1.4 to khai")
    result = tmp_path / "ket-qua-giay.pdf"
    result.write_bytes(RESULT_SCAN)
    return {"commune": commune, "dept": dept, "form": str(form), "result": str(result)}


def act(page, label):
    page.click(f"main form button:has-text('{label}')")  # a confirmation dialog is accepted
    page.wait_for_load_state()


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_received_at_the_commune_resolved_by_the_department_returned_at_the_commune(live_server, new_page, province,
                                                                                      tmp_path, width, height):
    base = live_server.url
    # The commune's desk receives the department's procedure and keeps the result to return here.
    commune = new_page(width, height)
    errors = watch_console(commune)
    login(commune, base, "x07627.reception")
    commune.click("main a:has-text('Tiếp nhận hồ sơ tại quầy')")
    commune.select_option("select[name=thu_tuc]", label="2.000488 — Cấp phiếu lý lịch tư pháp")
    commune.click("main button:has-text('Tiếp tục')")
    assert_sound(commune, errors)
    commune.fill("input[name=applicant_name]", "Nguyễn Thị Lan")
    commune.fill("input[name=applicant_id]", f.VALID_PID)
    commune.set_input_files("fieldset input[type=file]", province["form"])
    commune.click("main button:has-text('Tiếp nhận và in giấy hẹn')")
    commune.wait_for_load_state()
    dossier = Dossier.objects.get()
    assert (dossier.received_unit, dossier.unit, dossier.return_unit) == (province["commune"], province["dept"],
                                                                          province["commune"])
    assert commune.inner_text("#resolving-unit") == "Sở Tư pháp"
    assert commune.inner_text("#receiving-point") == commune.inner_text("#return-point") == "Xã Đại Sơn"
    assert "Không có thao tác nào dành cho bạn" in commune.inner_text("main")  # read-only while it is processed
    assert_sound(commune, errors)
    commune.click("header a:has-text('Bàn làm việc')")
    commune.click("nav a:has-text('Tiếp nhận tại đây cho đơn vị khác (1)')")
    assert dossier.code in commune.inner_text("main table")
    assert_sound(commune, errors)

    # The department finds it among the dossiers received for it, processes it and completes it
    # with the paper result and its scan.
    dept = new_page(width, height)
    errors = watch_console(dept)
    login(dept, base, "stp.processing")
    dept.click("nav a:has-text('Đã tiếp nhận, chờ xử lý (1)')")
    dept.click(f"main table a:has-text('{dossier.code}')")
    assert [e.action for e in dossier.events.order_by("seq")] == [Action.RECEIVE, Action.SEND_TO_RESOLVER]
    assert "Chuyển hồ sơ đến cơ quan giải quyết" in dept.inner_text("main")
    dept.select_option("form:has(button:has-text('Bắt đầu xử lý')) select[name=assignee]", label="stp.processing")
    act(dept, "Bắt đầu xử lý")
    assert_sound(dept, errors)
    assert dept.is_checked("input[name=result_paper]")
    dept.set_input_files("input[name=result_upload]", province["result"])
    act(dept, "Hoàn thành xử lý")
    assert "Đã xử lý xong" in dept.inner_text("main dl")
    assert "Trả kết quả" not in dept.inner_text("main section:has(h2:has-text('Thao tác'))")  # returned elsewhere
    assert_sound(dept, errors)
    assert PersonalDocument.objects.get(owner_id=f.VALID_PID, is_result=True).source_dossier == dossier

    # Back at the commune, the result waits to be returned here.
    commune.click("header a:has-text('Bàn làm việc')")
    commune.click("nav a:has-text('Chờ trả kết quả (1)')")
    commune.click(f"main table a:has-text('{dossier.code}')")
    act(commune, "Trả kết quả")
    assert "Đã trả kết quả" in commune.inner_text("main dl")
    assert_sound(commune, errors)
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.events.order_by("seq").last().unit == province["commune"]

    # The citizen follows the dossier and downloads the electronic copy of the paper result.
    citizen = new_page(width, height)
    errors = watch_console(citizen)
    citizen.goto(f"{base}/")
    citizen.click("header a:has-text('Tra cứu hồ sơ')")
    citizen.fill("input[name=ma]", dossier.code)
    citizen.fill("input[name=so]", f.VALID_PID)
    citizen.click("main button:has-text('Tra cứu')")
    citizen.wait_for_load_state()
    assert "Đã trả kết quả" in citizen.inner_text("main")
    assert_sound(citizen, errors)
    with citizen.expect_download() as download:
        citizen.click("main a:has-text('Tải bản điện tử của kết quả giấy')")
    saved = tmp_path / "ban-dien-tu.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == RESULT_SCAN
