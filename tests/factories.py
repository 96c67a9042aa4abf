"""Small builders shared by the tests: a province, a department, a commune, officers, a procedure."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.catalogue.models import Procedure, ProcessStep
from motcua.units.models import Officer, Role, Unit, UnitKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
VALID_PID = "024090001234"  # province code 024 (Bắc Ninh)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def unit(code="STP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=None) -> Unit:
    if parent is None and kind != UnitKind.PROVINCE:
        parent, _ = Unit.objects.get_or_create(code="24", defaults={"name": "Bắc Ninh", "kind": UnitKind.PROVINCE})
    return Unit.objects.create(code=code, name=name, kind=kind, parent=parent)


def officer(unit_, role=Role.RECEPTION, username=None) -> Officer:
    return Officer.objects.create_user(username=username or f"{unit_.code}-{role}".lower(), password="x-pass-123",
                                       role=role, unit=unit_)


def procedure(code="1.000001", agency=None, time_limit="5", time_unit="working_days", **extra) -> Procedure:
    p = Procedure.objects.create(code=code, name=extra.pop("name", f"Thủ tục {code}"), level=extra.pop("level", "province"),
                                 agency=agency, time_limit=Decimal(time_limit), time_unit=time_unit, **extra)
    for order, (name, share, role) in enumerate([("Tiếp nhận", 10, Role.RECEPTION), ("Thẩm định", 60, Role.PROCESSING),
                                                 ("Phê duyệt", 30, Role.HEAD)], start=1):
        ProcessStep.objects.create(procedure=p, order=order, name=name, share_percent=share, role=role)
    return p


def desk() -> dict:
    """A department with a 3-working-day procedure and its three officers (reception, processing, head)."""
    dept = unit()
    return {"unit": dept, "procedure": procedure(agency=dept, time_limit="3"),
            **{role.value: officer(dept, role) for role in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}}
