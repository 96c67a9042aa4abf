"""The officers' day found by clicking from the desk only (no address typed after the login), on a
desktop and on a phone: reception receives an online submission from "Chờ tiếp nhận (trực
tuyến)"; the processing officer finds the dossier in process, opens every file the
applicant gave and completes it; the head finds it waiting for the signature, previews the draft
and signs; reception finds it waiting to be returned and returns it."""
import pytest

from motcua.results import services
from tests.e2e.checks import assert_sound, watch_console
from tests.e2e.test_dossier_journey import login
from tests.e2e.test_signed_result_journey import dossier  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_head_signs_and_reception_returns_by_clicking(live_server, new_page, dossier, width, height):  # noqa: F811
    from motcua.units.models import Officer

    services.complete(dossier, actor=Officer.objects.get(username="x07627.processing"))
    base = live_server.url
    head = new_page(width, height)
    errors = watch_console(head)
    login(head, base, "x07627.head")
    assert_sound(head, errors)
    head.click("nav a:has-text('Chờ phê duyệt, ký số')")
    head.click(f"main table a:has-text('{dossier.code}')")
    with head.expect_popup() as draft:
        head.click("text=Xem dự thảo kết quả")
    assert draft.value.url.endswith("/du-thao.pdf")
    head.click("main form button:has-text('Ký số kết quả')")  # confirmed in the dialog
    head.wait_for_load_state()
    assert "Đã ký số" in head.inner_text("#ket-qua-dien-tu")
    assert_sound(head, errors)

    reception = new_page(width, height)
    errors = watch_console(reception)
    login(reception, base, "x07627.reception")
    reception.click("nav a:has-text('Chờ trả kết quả')")
    reception.click(f"main table a:has-text('{dossier.code}')")
    reception.click("main form button:has-text('Trả kết quả')")
    reception.wait_for_load_state()
    assert "Đã trả kết quả" in reception.inner_text("main dl")
    assert_sound(reception, errors)


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6300010000050001ae0dc1fa0000000049454e44ae426082")


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_processing_officer_opens_every_file_and_completes_by_clicking(live_server, new_page, width, height):
    """The dossier is found in "Đang xử lý"; each file the applicant gave opens (the officer's own
    link, the stored bytes, the type read from the content); the officer completes it."""
    from motcua.dossiers.models import Channel
    from motcua.dossiers.services import Applicant, ComponentInput, open_dossier, transition
    from motcua.dossiers.transitions import Action
    from motcua.units.models import Role, UnitKind
    from tests import factories as f

    unit = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", time_limit="3",
                       result_name="Giấy khai sinh")
    officers = {r: f.officer(unit, r, username=f"x07627.{r}") for r in (Role.RECEPTION, Role.PROCESSING)}
    files = {"to-khai.pdf": (PDF, "application/pdf"), "giay-chung-sinh.png": (PNG, "image/png")}
    d = open_dossier(procedure=proc, unit=unit, applicant=Applicant("individual", "Nguyễn Thị Lan", f.VALID_PID),
                     channel=Channel.DIRECT, action=Action.RECEIVE, actor=officers[Role.RECEPTION],
                     components=[ComponentInput(name=name, content=content, content_type=kind, original_name=name)
                                 for name, (content, kind) in files.items()])
    transition(d, Action.START_PROCESSING, actor=officers[Role.PROCESSING], assignee_id=officers[Role.PROCESSING].pk)

    page = new_page(width, height)
    errors = watch_console(page)
    login(page, live_server.url, "x07627.processing")
    page.click("nav a:has-text('Đang xử lý')")
    page.click(f"main table a:has-text('{d.code}')")
    assert_sound(page, errors)
    for name, (content, kind) in files.items():
        with page.expect_popup() as opened:
            page.click(f"main a:has-text('Xem {name}')")
        popup = opened.value
        popup.wait_for_url("**/tep/**")
        # Chromium's PDF viewer takes the opened document over; the file at the address the click opened:
        served = page.context.request.get(popup.url)
        assert served.status == 200 and served.headers["content-type"] == kind and served.body() == content
        popup.close()
    page.click("main form button:has-text('Hoàn thành xử lý')")  # confirmed in the dialog
    page.wait_for_load_state()
    assert "Đã xử lý xong" in page.inner_text("main dl")
    assert_sound(page, errors)


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_reception_receives_an_online_submission_from_its_queue_by_clicking(live_server, new_page, width, height):
    """A dossier submitted online waits in "Chờ tiếp nhận (trực tuyến)"; reception opens it from
    there and receives it (status 2), after which the queue no longer lists it."""
    from motcua.dossiers.models import Channel, Dossier
    from motcua.dossiers.services import Applicant, ComponentInput, open_dossier
    from motcua.dossiers.transitions import Action, Actor, Status
    from motcua.units.models import Role, UnitKind
    from tests import factories as f

    unit = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", time_limit="3")
    f.officer(unit, Role.RECEPTION, username="x07627.reception")
    d = open_dossier(procedure=proc, unit=unit, applicant=Applicant("individual", "Nguyễn Thị Lan", f.VALID_PID),
                     channel=Channel.ONLINE, action=Action.SUBMIT_ONLINE, role=Actor.APPLICANT,
                     components=[ComponentInput(name="Tờ khai", content=PDF, original_name="to-khai.pdf")])

    page = new_page(width, height)
    errors = watch_console(page)
    login(page, live_server.url, "x07627.reception")
    page.get_by_role("link", name="Chờ tiếp nhận (trực tuyến)").click()
    assert_sound(page, errors)
    page.click(f"main table a:has-text('{d.code}')")
    page.click("main form button:has-text('Tiếp nhận')")
    page.wait_for_load_state()
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED
    assert_sound(page, errors)
    page.click("header a:has-text('Bàn làm việc')")
    page.get_by_role("link", name="Chờ tiếp nhận (trực tuyến)").click()
    assert "(0)" in page.get_by_role("link", name="Chờ tiếp nhận (trực tuyến)").inner_text()
