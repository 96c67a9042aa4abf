"""The public verification page, the applicant's download, and the desk pages, per role."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Status
from motcua.results import services, verification
from motcua.units.models import Role
from tests import factories as f
from tests.results.conftest import tamper
from tests.results.test_services import in_process, stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(desk):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    job = services.sign_result(d, actor=desk["head"], at=f.at(2026, 3, 3, 10, 0))
    job.refresh_from_db()
    return d, job.document


def test_the_verification_page_shows_issuer_signer_time_hash_and_validity(client, signed):
    d, document = signed
    page = client.get(f"/verify/{document.code}/").content.decode()
    assert "Hợp lệ" in page and "Không hợp lệ" not in page
    timestamp = timezone.localtime(verification.verify_issued(document.code).signature.signed_at)
    for shown in (document.sha256, "Sở Tư pháp", "motcua Test Root CA", d.code, document.signed_by.username,
                  f"{timestamp:%H:%M:%S %d/%m/%Y}"):
        assert shown in page
    assert client.get(f"/xac-thuc/{document.code}/").status_code == 200
    assert client.get("/verify/KHONGCOMA/").status_code == 404


def test_a_stored_file_that_no_longer_matches_is_reported(client, signed, settings):
    _d, document = signed
    path = settings.MEDIA_ROOT / document.path
    path.write_bytes(tamper(path.read_bytes()))
    page = client.get(f"/verify/{document.code}/").content.decode()
    assert "Không hợp lệ" in page and "Tệp lưu trữ không khớp" in page


def test_anyone_uploads_a_pdf_to_check_it(client, signed):
    _d, document = signed
    original = stored(document.path)
    good = client.post("/verify/", {"file": SimpleUploadedFile("kq.pdf", original, "application/pdf")})
    assert "Hợp lệ: nội dung nguyên vẹn" in good.content.decode() and document.code in good.content.decode()
    bad = client.post("/verify/", {"file": SimpleUploadedFile("kq.pdf", tamper(original), "application/pdf")})
    text = bad.content.decode()
    assert "Không hợp lệ" in text and "nội dung đã bị thay đổi sau khi ký" in text
    junk = client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"hello", "application/pdf")})
    assert "Tệp không phải là PDF đọc được" in junk.content.decode()


def test_the_applicant_downloads_with_code_and_number_only(client, signed):
    d, document = signed
    ok = client.get(reverse("results:applicant_download"), {"ma": d.code, "so": d.applicant_id})
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    assert b"".join(ok) == stored(document.path)
    assert client.get(reverse("results:applicant_download"), {"ma": d.code, "so": "024090009999"}).status_code == 404
    lookup = client.get("/tra-cuu/", {"ma": d.code, "so": d.applicant_id}, follow=True).content.decode()  # to its token
    assert "Tải kết quả điện tử (đã ký số)" in lookup


def test_officers_download_only_their_units_results(client, signed):
    d, _document = signed
    url = reverse("results:officer_download", args=[d.code])
    outsider = f.officer(f.unit("SXD", "Sở Xây dựng"), Role.HEAD)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(Dossier.objects.get().unit.officers.get(role=Role.RECEPTION))
    assert client.get(url).status_code == 200


def test_the_desk_completes_with_an_upload_and_the_head_signs_with_one_button(client, desk, scan_pdf):
    d = in_process(desk)
    client.force_login(desk["processing"])
    client.post(reverse("dossiers:act", args=[d.code, "complete"]), {
        "version": d.version, "result_paper": "on",
        "result_upload": SimpleUploadedFile("kq.pdf", scan_pdf, "application/pdf")})
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and stored(d.result_file) == scan_pdf
    client.force_login(desk["head"])
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Ký số kết quả" in page and "Chờ lãnh đạo ký số" in page
    client.post(reverse("dossiers:act", args=[d.code, "sign_result"]), {"version": d.version})
    d.refresh_from_db()
    assert d.result_signed
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert "Đã ký số" in page and "Ký số kết quả</button>" not in page


def test_the_desk_refuses_returning_an_unsigned_result_with_a_clear_message(client, desk):
    d = in_process(desk)
    services.complete(d, actor=desk["processing"], at=f.at(2026, 3, 3, 9, 0))
    client.force_login(desk["reception"])
    response = client.post(reverse("dossiers:act", args=[d.code, "return_result"]), {"version": d.version}, follow=True)
    assert "phải được ký số" in response.content.decode()
    assert Dossier.objects.get().status == Status.PROCESSED


def test_the_commune_head_certifies_from_the_desk_and_the_register_is_scoped(client, commune, scan_pdf, desk):
    d = in_process(commune, commune["procedure"])
    client.force_login(commune["processing"])
    assert "Chứng thực và ký số" not in client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    client.force_login(commune["head"])
    assert "Chứng thực và ký số" in client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    client.post(reverse("results:certify", args=[d.code]), {
        "original_name": "Giấy khai sinh", "paper_copies": 1,
        "scan": SimpleUploadedFile("ban-chinh.pdf", scan_pdf, "application/pdf")})
    assert Dossier.objects.get(pk=d.pk).result_signed
    register = client.get(reverse("results:register")).content.decode()
    assert "Giấy khai sinh" in register and "-SCT/BS" in register
    client.force_login(desk["head"])  # a department head sees no commune's register
    assert "Giấy khai sinh" not in client.get(reverse("results:register")).content.decode()
