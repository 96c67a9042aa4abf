"""Citizens online: search without diacritics, submit, follow, supplement, withdraw — no account."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import Component
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import transition
from motcua.dossiers.transitions import Action, Status
from motcua.portal.search import fold, search_procedures
from motcua.units.models import Role, Unit, UnitKind
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_procedure():
    f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=Unit.objects.get(code="24"))
    p = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", field="Hộ tịch", time_limit="1",
                    time_unit="in_day", online_level="full")
    Component.objects.create(procedure=p, order=1, name="Tờ khai đăng ký khai sinh", original_count=1)
    officers = {r: f.officer(commune, r) for r in (Role.RECEPTION, Role.PROCESSING)}
    return {"procedure": p, "commune": commune, **officers}


def test_fold_ignores_diacritics():
    assert fold("Hộ tịch — Đăng ký  khai sinh") == "ho tich — dang ky khai sinh"


def test_search_finds_with_or_without_diacritics(commune_procedure, client):
    assert [p.code for p in search_procedures("ho tich")] == ["1.001193"]
    assert [p.code for p in search_procedures("ĐĂNG KÝ khai")] == ["1.001193"]
    assert search_procedures("xay dung") == []
    page = client.get(reverse("portal:procedures"), {"q": "khai sinh"})
    assert "Đăng ký khai sinh" in page.content.decode()


def submit(client, proc, unit, **extra):
    data = {"unit": unit.pk, "applicant_kind": "individual", "applicant_name": "Đinh Văn H",
            "applicant_id": f.VALID_PID, "applicant_email": "h@example.vn",
            f"file_{proc.components.get().pk}": SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 x", "application/pdf"),
            **extra}
    return client.post(reverse("portal:procedure", args=[proc.code]), data)


def test_online_submission_then_lookup_by_code_and_identifier(commune_procedure, client):
    proc, commune = commune_procedure["procedure"], commune_procedure["commune"]
    page = submit(client, proc, commune)
    d = Dossier.objects.get()
    assert page.status_code == 302 and page.url.startswith("/tra-cuu/?t=") and f.VALID_PID not in page.url
    assert d.code in client.get(page.url).content.decode()
    assert (d.status, d.channel, d.unit) == (Status.SUBMITTED_ONLINE, "online", commune)
    assert d.components.get().digitized
    found = client.post(reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}, follow=True)
    assert "Mới đăng ký" in found.content.decode()
    assert f.VALID_PID not in found.redirect_chain[-1][0]
    wrong = client.post(reverse("portal:lookup"), {"ma": d.code, "so": "024090009999"})
    text = wrong.content.decode()
    assert "Không tìm thấy hồ sơ" in text and "Mới đăng ký" not in text


def test_bad_submission_is_refused_and_nothing_is_created(commune_procedure, client):
    page = submit(client, commune_procedure["procedure"],
                  commune_procedure["commune"], applicant_id="abc")
    assert page.status_code == 200 and "12 chữ số" in page.content.decode()
    assert Dossier.objects.count() == 0


def test_supplement_by_upload_resumes_processing(commune_procedure, client):
    proc, commune = commune_procedure["procedure"], commune_procedure["commune"]
    submit(client, proc, commune)
    d = Dossier.objects.get()
    transition(d, Action.RECEIVE, actor=commune_procedure[Role.RECEPTION])
    transition(d, Action.START_PROCESSING, actor=commune_procedure[Role.PROCESSING])
    transition(d, Action.REQUEST_SUPPLEMENT, actor=commune_procedure[Role.PROCESSING], reason="Thiếu chữ ký")
    lookup = client.post(reverse("portal:lookup"), {"ma": d.code, "so": f.VALID_PID}, follow=True)
    assert "Nộp hồ sơ bổ sung" in lookup.content.decode()
    empty = client.post(reverse("portal:supplement"), {"ma": d.code, "so": f.VALID_PID}, follow=True)
    assert "ít nhất một giấy tờ" in empty.content.decode()
    assert Dossier.objects.get().status == Status.SUPPLEMENT_REQUESTED
    client.post(reverse("portal:supplement"), {
        "ma": d.code, "so": f.VALID_PID,
        f"file_{proc.components.get().pk}": SimpleUploadedFile("bo-sung.pdf", b"%PDF-1.4 signed", "application/pdf")})
    d.refresh_from_db()
    assert d.status == Status.IN_PROCESS and d.components.count() == 2
    assert d.events.last().actor_role == "applicant"


def test_withdraw_needs_the_identifier_and_the_code_sent_to_the_applicant(commune_procedure, client, mailoutbox):
    submit(client, commune_procedure["procedure"], commune_procedure["commune"])
    d = Dossier.objects.get()
    assert client.post(reverse("portal:withdrawal_code"), {"ma": d.code, "so": "024090009999"}).status_code == 404
    assert client.post(reverse("portal:withdraw"), {"ma": d.code, "so": "024090009999"}).status_code == 404
    client.post(reverse("portal:withdrawal_code"), {"ma": d.code, "so": f.VALID_PID})
    code = re.search(r"(?<![-\d])(\d{6})(?![-\d])", mailoutbox[-1].body).group(1)
    client.post(reverse("portal:withdraw"), {"ma": d.code, "so": f.VALID_PID, "otp": code, "reason": "Nộp nhầm"})
    d.refresh_from_db()
    assert d.status == Status.WITHDRAWN and d.events.last().reason == "Nộp nhầm"
