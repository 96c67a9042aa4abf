"""Writes for the organisation: the province tree from the national administrative divisions."""
from django.contrib.auth.models import Group, Permission
from django.db import transaction

import vietnam_provinces as vp

from motcua.units.models import Unit, UnitKind


@transaction.atomic
def load_province_tree(province_code: int) -> Unit:
    """Create or update the province and all its communes and wards (post-July-2025 divisions).

    A commune's unit code is its national ward code, zero-padded to five digits (e.g. "07627").
    """
    source = vp.Province.from_code(vp.ProvinceCode(province_code))
    province, _ = Unit.objects.update_or_create(
        code=f"{province_code:02d}",
        defaults={"name": source.name, "kind": UnitKind.PROVINCE, "parent": None,
                  "division_type": source.division_type.value, "admin_code": province_code})
    for ward in vp.Ward.iter_by_province(vp.ProvinceCode(province_code)):
        Unit.objects.update_or_create(
            code=f"{int(ward.code):05d}",
            defaults={"name": ward.name, "kind": UnitKind.COMMUNE, "parent": province,
                      "division_type": ward.division_type.value, "admin_code": int(ward.code)})
    return province


@transaction.atomic
def add_departments(province: Unit, departments: list[tuple[str, str]]) -> list[Unit]:
    """Create or update the province's departments (sở, ban, ngành) from (code, name) pairs."""
    return [Unit.objects.update_or_create(
        code=code, defaults={"name": name, "kind": UnitKind.DEPARTMENT, "parent": province})[0]
        for code, name in departments]


@transaction.atomic
def assign_identifiers(province: Unit, level1: str) -> None:
    """Give the province and each unit under it without one an electronic identifier in the shape of
    Decision 20/2020/QĐ-TTg (see `units.identifiers`): the province `level1` (its level-1 code, e.g.
    "H24"), departments `level1.NN` in order of their code, communes `level1.1NN` after them. An
    identifier already entered (in the admin) is kept."""
    if not province.identifier:
        province.identifier = level1
        province.save(update_fields=["identifier"])
    taken = set(Unit.objects.exclude(identifier="").values_list("identifier", flat=True))
    for kind, first in ((UnitKind.DEPARTMENT, 1), (UnitKind.COMMUNE, 101)):
        number = first
        for unit in province.children.filter(kind=kind, identifier="").order_by("code"):
            while f"{province.identifier}.{number:02d}" in taken:
                number += 1
            unit.identifier = f"{province.identifier}.{number:02d}"
            taken.add(unit.identifier)
            unit.save(update_fields=["identifier"])


PROVINCIAL_OFFICE_GROUP = "Văn phòng UBND tỉnh (chỉ xem)"
MOTCUA_APPS = ("units", "workdays", "catalogue", "dossiers")


def provincial_office_group() -> Group:
    """The group that lets the provincial office read every motcua record in the admin."""
    group, _ = Group.objects.get_or_create(name=PROVINCIAL_OFFICE_GROUP)
    group.permissions.set(Permission.objects.filter(codename__startswith="view_",
                                                    content_type__app_label__in=MOTCUA_APPS))
    return group
