"""The forms issued to an applicant (Mẫu 01–05 of Circular 03/2025/TT-VPCP) are listed on the
tracking page and downloaded from it by whoever may see the dossier; a stop or a refusal is also
sent to the applicant by their channel."""
import pytest
from django.urls import NoReverseMatch, reverse

from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant, open_dossier, transition
from motcua.dossiers.transitions import Action
from motcua.notify.models import ApplicantMessage, NoticeKind
from tests import factories as f
from tests.dossiers.test_slips import pdf_text
from tests.portal.test_tracking import links, tracking_page

pytestmark = pytest.mark.django_db
APPLICANT = Applicant(ApplicantKind.INDIVIDUAL, "Trần Thị B", f.VALID_PID, email="tranthib@example.vn")


@pytest.fixture(autouse=True)
def events_of_march_2026_are_news(settings):
    settings.MOTCUA_NOTICE_MAX_AGE_HOURS = 24 * 365 * 10


@pytest.fixture
def stopped():
    desk = f.desk()
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=APPLICANT, channel=Channel.DIRECT,
                     action=Action.RECEIVE, actor=desk["reception"], at=f.at(2026, 3, 2, 9, 0))
    transition(d, Action.REQUEST_SUPPLEMENT, actor=desk["reception"], at=f.at(2026, 3, 2, 10, 0),
               reason="Bản sao sổ hộ khẩu")
    transition(d, Action.STOP, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0), reason="Đất đang có tranh chấp")
    return d


def _slip_url(d, form, number=f.VALID_PID):
    return f"{reverse('portal:slip', args=[form])}?ma={d.code}&so={number}"


def test_the_tracking_page_lists_each_form_issued_and_each_downloads(client, stopped, tmp_path):
    _, page = tracking_page(client, stopped)
    for title in ["Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                  "Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Mẫu số 05: Thông báo dừng giải quyết hồ sơ"]:
        assert title in page, title
    assert "Mẫu số 03" not in page and "Mẫu số 04" not in page
    for form, title in [("01", "GIẤY TIẾP NHẬN HỒ SƠ"), ("02", "PHIẾU YÊU CẦU BỔ SUNG"), ("05", "THÔNG BÁO DỪNG")]:
        [url] = [u for u in links(page) if u.startswith(f"{reverse('portal:slip', args=[form])}?t=")]
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content, tmp_path)
        assert f"Mẫu số {form}" in text and title in text and stopped.code in text


def test_only_whoever_may_see_the_dossier_gets_its_forms(client, stopped):
    assert client.get(_slip_url(stopped, "01", number="001099012346")).status_code == 404
    assert client.get(_slip_url(stopped, "03")).status_code == 404  # not refused
    assert client.get(_slip_url(stopped, "04")).status_code == 404  # no delay report
    with pytest.raises(NoReverseMatch):  # the control sheet and the register are the desk's own
        reverse("portal:slip", args=["06"])


def test_the_stop_notice_is_sent_by_the_applicants_channel(stopped):
    [notice] = ApplicantMessage.objects.filter(dossier=stopped, kind=NoticeKind.STOPPED)
    assert notice.address == "tranthib@example.vn"
    assert notice.subject == f"Thông báo dừng giải quyết hồ sơ – hồ sơ {stopped.code}"
    assert "Lý do: Đất đang có tranh chấp" in notice.body and "Mẫu số 05" in notice.body


def test_a_refusal_is_sent_by_the_applicants_channel():
    desk = f.desk()
    d = open_dossier(procedure=desk["procedure"], unit=desk["unit"], applicant=APPLICANT, channel=Channel.ONLINE,
                     action=Action.SUBMIT_ONLINE, actor=None, role="applicant", at=f.at(2026, 3, 2, 9, 0))
    transition(d, Action.REFUSE, actor=desk["reception"], at=f.at(2026, 3, 2, 10, 0), reason="Sai thẩm quyền")
    [notice] = ApplicantMessage.objects.filter(dossier=d, kind=NoticeKind.REFUSED)
    assert notice.subject == f"Phiếu từ chối tiếp nhận giải quyết hồ sơ – hồ sơ {d.code}"
    assert "Lý do: Sai thẩm quyền" in notice.body and "Mẫu số 03" in notice.body
