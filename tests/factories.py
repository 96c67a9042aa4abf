"""Small builders shared by the tests: a province, a department, a commune, officers, a procedure."""
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.catalogue.models import DocumentType, Procedure, ProcessStep
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


def document_type(code="can-cuoc", name="Căn cước") -> DocumentType:
    return DocumentType.objects.get_or_create(code=code, defaults={"name": name})[0]


def desk() -> dict:
    """A department with a 3-working-day procedure and its three officers (reception, processing, head)."""
    dept = unit()
    return {"unit": dept, "procedure": procedure(agency=dept, time_limit="3"),
            **{role.value: officer(dept, role) for role in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)}}


def index_province(*units_: Unit) -> tuple[dict, dict, Callable]:
    """The facts the index tests score: each unit with its three officers and a 3-working-day
    procedure `1.<unit code>`, and `dossier(code, received, finished=None)` that receives a dossier
    at that unit's desk and, when `finished` is given, completes it then."""
    from motcua.dossiers.models import ApplicantKind, Channel
    from motcua.dossiers.services import Applicant, open_dossier, transition
    from motcua.dossiers.transitions import Action

    officers = {u.code: {r: officer(u, r) for r in (Role.RECEPTION, Role.PROCESSING, Role.HEAD)} for u in units_}
    procedures = {u.code: procedure(code=f"1.{u.code}", agency=u, time_limit="3") for u in units_}

    def dossier(code, received, finished=None):
        o = officers[code]
        d = open_dossier(procedure=procedures[code], unit=o[Role.RECEPTION].unit, channel=Channel.DIRECT,
                         action=Action.RECEIVE, actor=o[Role.RECEPTION], at=received,
                         applicant=Applicant(ApplicantKind.INDIVIDUAL, "Vũ Văn F", VALID_PID))
        if finished:
            transition(d, Action.START_PROCESSING, actor=o[Role.PROCESSING], at=received)
            transition(d, Action.COMPLETE, actor=o[Role.HEAD], at=finished)
        return d

    return officers, procedures, dossier
