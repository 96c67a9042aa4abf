"""An officer completes a dossier, the head signs, the citizen downloads the signed result from the
tracking page and verifies it on the public page; poppler's pdfsig validates the file too."""
import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action, Status
from motcua.results.models import SignedDocument
from motcua.units.models import Role, UnitKind
from tests import factories as f
from tests.e2e.test_dossier_journey import act, login
from tests.results.conftest import pdfsig

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dossier():
    unit = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE)
    proc = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", time_limit="3",
                       result_name="Giấy khai sinh")
    officers = {r: f.officer(unit, r, username=f"x07627.{r}") for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    d = open_dossier(procedure=proc, unit=unit, applicant=Applicant("individual", "Nguyễn Thị Lan", f.VALID_PID),
                     channel="direct", action=Action.RECEIVE, actor=officers[Role.RECEPTION])
    return transition(d, Action.START_PROCESSING, actor=officers[Role.PROCESSING],
                      assignee_id=officers[Role.PROCESSING].pk)


def test_signed_result_from_completion_to_public_verification(live_server, new_page, dossier, tmp_path):
    base = live_server.url
    processing = new_page()
    login(processing, base, "x07627.processing")
    processing.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(processing, "Hoàn thành xử lý")  # no upload: the result is drawn from the procedure's template
    assert "Đã xử lý xong" in processing.inner_text("main dl")
    assert "Chờ lãnh đạo ký số" in processing.inner_text("#ket-qua-dien-tu")

    head = new_page()
    login(head, base, "x07627.head")
    head.goto(f"{base}/mot-cua/ho-so/{dossier.code}/")
    act(head, "Ký số kết quả")
    assert "Đã ký số" in head.inner_text("#ket-qua-dien-tu")
    document = SignedDocument.objects.get()

    citizen = new_page()
    citizen.goto(f"{base}/tra-cuu/?ma={dossier.code}&so={f.VALID_PID}")
    with citizen.expect_download() as download:
        citizen.click("text=Tải kết quả điện tử (đã ký số)")
    saved = tmp_path / "ket-qua.pdf"
    download.value.save_as(saved)
    assert "Signature Validation: Signature is Valid." in pdfsig(saved)
    assert "Signer Certificate Common Name: Xã Đại Sơn" in pdfsig(saved)

    # The QR leads to the public page; the citizen also uploads the downloaded file there.
    citizen.goto(f"{base}/verify/{document.code}/")
    verdict = citizen.inner_text("#verdict")
    assert "Hợp lệ" in verdict and "Không hợp lệ" not in verdict
    assert document.sha256 in citizen.inner_text("main")
    citizen.set_input_files("input[name=file]", str(saved))
    citizen.click("main button:has-text('Kiểm tra')")
    citizen.wait_for_load_state()
    assert "Hợp lệ" in citizen.inner_text("#verdict") and document.code in citizen.inner_text("main")

    d = Dossier.objects.get()
    assert d.status == Status.PROCESSED and d.result_signed and d.result_sha256 == document.sha256
    assert [e.action for e in d.events.order_by("seq")][-2:] == [Action.COMPLETE, Action.SIGN_RESULT]
