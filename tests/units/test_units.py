import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.units.models import Role, Unit, UnitKind
from motcua.units.scoping import scoped
from motcua.units.services import add_departments, load_province_tree
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_bac_ninh_has_its_99_communes_and_wards():
    province = load_province_tree(24)
    assert (province.code, province.name, province.kind) == ("24", "Bắc Ninh", UnitKind.PROVINCE)
    communes = Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE)
    assert communes.count() == 99
    assert set(communes.values_list("division_type", flat=True)) == {"xã", "phường"}
    assert communes.filter(division_type="phường").count() == 33
    assert all(len(c) == 5 and c.isdigit() for c in communes.values_list("code", flat=True))
    load_province_tree(24)  # idempotent
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 99


def test_departments_hang_under_the_province():
    province = load_province_tree(24)
    add_departments(province, [("STP", "Sở Tư pháp"), ("SXD", "Sở Xây dựng")])
    assert list(province.children.filter(kind=UnitKind.DEPARTMENT).values_list("code", flat=True)) == ["STP", "SXD"]


def test_scoping_by_role():
    stp, sxd = f.unit("STP", "Sở Tư pháp"), f.unit("SXD", "Sở Xây dựng")
    units = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    officer = f.officer(stp, Role.PROCESSING)
    assert list(scoped(units, officer, unit_field="pk")) == [stp]
    office = f.officer(f.unit("VPUB", "Văn phòng UBND tỉnh"), Role.PROVINCIAL_OFFICE)
    assert set(scoped(units, office, unit_field="pk")) == {stp, sxd, office.unit}
    assert not scoped(units, AnonymousUser(), unit_field="pk").exists()
    officer.is_active = False
    assert not scoped(units, officer, unit_field="pk").exists()
    homeless = f.officer(stp, Role.HEAD, username="nounit")
    homeless.unit = None
    assert not scoped(units, homeless, unit_field="pk").exists()
