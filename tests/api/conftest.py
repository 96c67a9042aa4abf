"""A department with a procedure, its officers, a second department, a commune and the provincial
office; the API mounted at /api/v1/ (tests/api/urls.py)."""
import pytest
from django.test import Client

from motcua.catalogue.models import Component, Fee
from motcua.units.models import Role, UnitKind
from tests import factories as f

API = "/api/v1"
PDF = b"%PDF-1.4 scanned for the API"


@pytest.fixture(autouse=True)
def api_urls(settings):
    settings.ROOT_URLCONF = "tests.api.urls"


@pytest.fixture
def world(db):
    province = f.unit("24", "Bắc Ninh", kind=UnitKind.PROVINCE)
    dept = f.unit("STP", "Sở Tư pháp", parent=province)
    other = f.unit("SXD", "Sở Xây dựng", parent=province)
    commune = f.unit("07627", "Xã Đại Sơn", kind=UnitKind.COMMUNE, parent=province)
    procedure = f.procedure(code="1.000001", agency=dept, time_limit="3", name="Cấp phiếu lý lịch tư pháp",
                            field="Lý lịch tư pháp")
    form = Component.objects.create(procedure=procedure, order=1, name="Tờ khai", original_count=1)
    card = Component.objects.create(procedure=procedure, order=2, name="Bản sao CCCD", copy_count=1,
                                    document_type=f.document_type())
    Fee.objects.create(procedure=procedure, name="Lệ phí", amount_vnd=200_000)
    online = f.procedure(code="1.001193", name="Đăng ký khai sinh", level="commune", field="Hộ tịch",
                         time_limit="1", time_unit="in_day", online_level="full")
    birth_form = Component.objects.create(procedure=online, order=1, name="Tờ khai đăng ký khai sinh",
                                          original_count=1)
    people = {r: f.officer(dept, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}
    return {
        "province": province, "unit": dept, "other": other, "commune": commune,
        "procedure": procedure, "form": form, "card": card, "online": online, "birth_form": birth_form,
        **people,
        "other_reception": f.officer(other, Role.RECEPTION),
        "other_head": f.officer(other, Role.HEAD),
        "commune_reception": f.officer(commune, Role.RECEPTION),
        "provincial": f.officer(province, Role.PROVINCIAL_OFFICE, username="vp-ubnd"),
    }


def as_officer(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client
