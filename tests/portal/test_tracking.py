"""The citizen's tracking page says what happens next: the appointment in force after an apology
slip, the documents asked for with Mẫu 02, the fee and its e-receipt, "result ready" only once the
result can be taken — and no identification number in any address it uses."""
import re
from datetime import timedelta

import pytest
from weasyprint import HTML
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.delays import file_delay_report
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.payments.services import pay_cash
from motcua.limits import tracking
from motcua.results import identities, services as results
from motcua.units.models import Officer, Role
from tests import factories as f
from tests.payments.conftest import FEE, make_waiting_dossier

pytestmark = pytest.mark.django_db
RECEIVED = f.at(2026, 3, 2, 9, 0)


@pytest.fixture
def desk():
    d = f.desk()
    identities.issue_test_identity(d["unit"])
    return d


@pytest.fixture
def dossier(desk):
    applicant = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, phone="0912345678")
    return open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=applicant, channel=Channel.DIRECT,
                        action=Action.RECEIVE, actor=desk["reception"], at=RECEIVED)


def tracking_page(client, dossier) -> tuple[str, str]:
    """The page the citizen reaches by posting the code and the number: (its address, its text)."""
    response = client.post(reverse("portal:lookup"), {"ma": dossier.code, "so": f.VALID_PID}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0], response.content.decode()


def links(page: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', page)]


def test_the_number_is_in_no_address_only_a_signed_token(client, dossier):
    url, page = tracking_page(client, dossier)
    assert url.startswith("/tra-cuu/?t=") and f.VALID_PID not in url
    assert f.VALID_PID not in " ".join(links(page)) and 'name="so" value' not in page
    assert 'name="t" value="' in page  # the forms of the page carry the token too
    # An old link with the number is answered by the token's address.
    old = client.get(reverse("portal:lookup"), {"ma": dossier.code, "so": f.VALID_PID})
    assert old.status_code == 302 and f.VALID_PID not in old.url and "?t=" in old.url
    forged = client.get(reverse("portal:lookup"), {"t": tracking.token_for(dossier)[:-2] + "xx"}).content.decode()
    assert "Phiên tra cứu đã hết hạn" in forged and dossier.applicant_name not in forged
    # A token signed for something else (another salt) names no dossier.
    assert tracking.code_in(signing.dumps(dossier.code, salt="elsewhere")) is None


def test_an_expired_token_asks_for_the_number_again(client, dossier, monkeypatch):
    token = tracking.token_for(dossier)
    monkeypatch.setattr(tracking, "MAX_AGE", timedelta(seconds=-1))
    page = client.get(reverse("portal:lookup"), {"t": token}).content.decode()
    assert "Phiên tra cứu đã hết hạn" in page and dossier.applicant_name not in page


def test_after_an_apology_slip_the_new_date_and_the_slip_are_shown(client, desk, dossier):
    report = file_delay_report(dossier, desk["processing"], reason="Chờ xác minh của xã", cause="Phối hợp chậm",
                               remedy="Đôn đốc", new_appointment_at=f.at(2026, 3, 10, 9, 0),
                               now=f.at(2026, 3, 4, 10, 0))
    _, page = tracking_page(client, dossier)
    appointment = re.search(r'<dd id="appointment">(.*?)</dd>', page, re.S).group(1)
    assert appointment.startswith("09:00 10/03/2026") and "hẹn ban đầu" in appointment
    assert "xin lỗi vì chậm trả kết quả" in page and "Chờ xác minh của xã" in page
    slip = [u for u in links(page) if u.startswith(f"/tra-cuu/phieu-04/{report.pk}.pdf?t=")]
    assert slip
    pdf = client.get(slip[0])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # Without the token the slip is nobody's to read.
    assert client.get(f"/tra-cuu/phieu-04/{report.pk}.pdf").status_code == 404


def test_after_a_supplement_request_the_documents_asked_for_and_form_02(client, desk, dossier):
    transition(dossier, Action.REQUEST_SUPPLEMENT, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0),
               reason="Bản sao chưa chứng thực", event_data={"items": ["Bản sao giấy khai sinh có chứng thực"]})
    _, page = tracking_page(client, dossier)
    items = re.search(r'<ul id="supplement-items">(.*?)</ul>', page, re.S).group(1)
    assert "<li>Bản sao giấy khai sinh có chứng thực</li>" in items and "Bản sao chưa chứng thực" in page
    assert "Nộp hồ sơ bổ sung" in page
    form_02 = [u for u in links(page) if u.startswith("/tra-cuu/phieu-02/")]
    assert form_02 and all(u == form_02[0] for u in form_02)  # the next step and the timeline: the same slip
    pdf = client.get(form_02[0])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "Mau02" in pdf["Content-Disposition"]
    seq = dossier.events.get(action=Action.REQUEST_SUPPLEMENT).seq
    assert client.get(tracking.url_for(dossier, "portal:supplement_slip", seq=seq - 1)).status_code == 404


def test_the_fee_due_then_paid_links_its_e_receipt(client):
    dossier = make_waiting_dossier()
    _, page = tracking_page(client, dossier)
    assert "Hãy nộp phí, lệ phí 50.000 đ" in page and "chưa thanh toán" in page
    payment = pay_cash(dossier, Officer.objects.get(unit=dossier.unit, role=Role.RECEPTION), amount_vnd=FEE)
    _, page = tracking_page(client, dossier)
    assert "50.000 đ — đã thanh toán" in page and "Bạn đã thanh toán phí, lệ phí" in page
    receipt = [u for u in links(page) if u.startswith(f"/thanh-toan/bien-lai/{payment.txn_ref}/?t=")]
    assert len(receipt) == 2  # with the fee and in the timeline
    assert client.get(receipt[0])["Content-Type"] == "application/pdf"


def test_result_ready_only_once_signed_then_downloadable(client, desk, dossier):
    transition(dossier, Action.START_PROCESSING, actor=desk["processing"])
    results.complete(dossier, actor=desk["processing"])
    _, page = tracking_page(client, dossier)
    assert "chờ lãnh đạo cơ quan ký duyệt" in page and 'id="result-ready"' not in page
    assert "Tải kết quả điện tử" not in page
    results.sign_result(dossier, actor=desk["head"])
    _, page = tracking_page(client, dossier)
    assert "Kết quả đã sẵn sàng." in page and "Lãnh đạo cơ quan đã ký số kết quả" in page
    download = [u for u in links(page) if u.startswith(reverse("results:applicant_download") + "?t=")]
    assert download
    pdf = client.get(download[0])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_paper_result_says_where_to_take_it(client, desk, dossier):
    desk["procedure"].result_is_document = False
    desk["procedure"].save()
    transition(dossier, Action.START_PROCESSING, actor=desk["processing"])
    scan = SimpleUploadedFile("ket-qua.pdf", HTML(string="<p>Kết quả giấy</p>").write_pdf())  # its electronic copy
    results.complete(dossier, actor=desk["processing"], result_paper=True, upload=scan)
    _, page = tracking_page(client, dossier)
    assert "Kết quả đã sẵn sàng." in page and f"Kết quả bản giấy: nhận tại Bộ phận Một cửa — {desk['unit'].name}" in page
    assert "Tải bản điện tử của kết quả giấy" in page
    assert "applicant" not in page.split('id="timeline"')[1]  # plain words, no role names
