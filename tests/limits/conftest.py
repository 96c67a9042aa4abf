"""A commune, its online procedure, a reception officer and one dossier submitted online; the API
mounted at /api/v1/ too (the project's urls)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import Component
from motcua.dossiers.models import ApplicantKind, Channel
from motcua.dossiers.services import Applicant
from motcua.dossiers.transitions import Action, Actor
from motcua.payments.services import open_dossier_owing_fees
from motcua.units.models import Role, Unit, UnitKind
from tests import factories as f

TAX_CODE = "0101234565"  # a company's tax code (valid check digit): public


@pytest.fixture
def world(db):
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=Unit.objects.get(pk=province.pk))
    procedure = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", field="Hộ tịch",
                            time_limit="1", time_unit="in_day", online_level="full")
    component = Component.objects.create(procedure=procedure, order=1, name="Tờ khai", original_count=1)
    return {"commune": commune, "procedure": procedure, "component": component,
            "reception": f.officer(commune, Role.RECEPTION)}


def submitted(world, identifier=f.VALID_PID, phone="0912345678", email="", kind=ApplicantKind.INDIVIDUAL):
    return open_dossier_owing_fees(
        procedure=world["procedure"], unit=world["commune"], channel=Channel.ONLINE, action=Action.SUBMIT_ONLINE,
        role=Actor.APPLICANT, applicant=Applicant(kind, "Công ty TNHH Minh An", identifier, phone, email))


def page_submission(world, **extra):
    return {"unit": world["commune"].pk, "applicant_kind": "individual", "applicant_name": "Đinh Văn H",
            "applicant_id": f.VALID_PID, "applicant_phone": "0912345678",
            f"file_{world['component'].pk}": SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 x", "application/pdf"),
            **extra}


def submit_page(client, world, address="127.0.0.1", **extra):
    return client.post(reverse("portal:procedure", args=[world["procedure"].code]), page_submission(world, **extra),
                       REMOTE_ADDR=address)


def assert_throttled_page(response):
    assert response.status_code == 429, response.status_code
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert "Tạm thời chưa nhận yêu cầu" in text, text
    return text


def assert_throttled_api(response):
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["error"]["code"] == "throttled" and body["error"]["message"]
    return body["error"]["message"]
