"""The head's and reception's day found by clicking from the desk only (no address typed after the
login), on a desktop and on a phone: the dossier waiting for the signature, its draft, the
signature, then the dossier waiting to be returned."""
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
