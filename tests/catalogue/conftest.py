import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalogue.models import (
    ChangeType,
    Component,
    Fee,
    FeeKind,
    LegalBasis,
    Method,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    ProcedureMethod,
    ProcedureStatus,
    ProcessStep,
    PublicationDecision,
    PublicationItem,
    TimeUnit,
)
from motcua.units.models import Role, Unit, UnitKind


@pytest.fixture
def units(db):
    province = Unit.objects.create(code="24", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE)
    justice = Unit.objects.create(code="STP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    planning = Unit.objects.create(code="SKHDT", name="Sở Tài chính", kind=UnitKind.DEPARTMENT, parent=province)
    commune = Unit.objects.create(code="25000", name="Phường Kinh Bắc", kind=UnitKind.COMMUNE, parent=province)
    return {"province": province, "justice": justice, "planning": planning, "commune": commune}


@pytest.fixture
def make_procedure(units):
    """A complete procedure (all 7 mandatory parts) with every kind of child row."""

    def make(code="1.001234", *, level=ProcedureLevel.PROVINCE, decision=None, **fields) -> Procedure:
        defaults = dict(
            name=f"Thủ tục {code}",
            field="Hộ tịch",
            level=level,
            agency=units["justice"] if level == ProcedureLevel.PROVINCE else None,
            implementing_agency_text="Sở Tư pháp" if level == ProcedureLevel.PROVINCE else "UBND cấp xã",
            time_limit=Decimal("15"),
            time_unit=TimeUnit.WORKING_DAYS,
            subjects=["individual", "organisation"],
            requirements="Không",
            result_name="Giấy chứng nhận",
            result_is_document=True,
            online_level=OnlineLevel.PARTIAL,
            status=ProcedureStatus.PUBLISHED,
            fee_note="Miễn lệ phí cho hộ nghèo",
        )
        defaults.update(fields)
        proc = Procedure.objects.create(code=code, **defaults)
        ProcedureMethod.objects.create(procedure=proc, method=Method.DIRECT, time_limit=Decimal("15"),
                                       time_unit=TimeUnit.WORKING_DAYS, fee_vnd=50_000, description="Nộp tại quầy")
        ProcedureMethod.objects.create(procedure=proc, method=Method.ONLINE, time_limit=Decimal("12.5"),
                                       time_unit=TimeUnit.WORKING_DAYS, fee_vnd=25_000)
        Fee.objects.create(procedure=proc, name="Lệ phí cấp giấy", amount_vnd=50_000, kind=FeeKind.FEE)
        Fee.objects.create(procedure=proc, name="Phí chứng thực", amount_vnd=2_000, kind=FeeKind.CHARGE,
                           per_page=True, note="Từ trang thứ 3: 1.000 đồng/trang")
        Component.objects.create(procedure=proc, order=1, name="Tờ khai", original_count=1,
                                 template_name="Mẫu TK-01")
        Component.objects.create(procedure=proc, order=2, name="Bản sao CCCD", copy_count=1, required=False)
        LegalBasis.objects.create(procedure=proc, document_number="23/2015/NĐ-CP",
                                  title="Nghị định về chứng thực", issued_on=dt.date(2015, 2, 16),
                                  effective_on=dt.date(2015, 4, 10))
        LegalBasis.objects.create(procedure=proc, document_number="01/2020/TT-BTP")
        for order, (name, share, role) in enumerate([
            ("Tiếp nhận", "10", Role.RECEPTION), ("Thẩm định", "60.5", Role.PROCESSING),
            ("Phê duyệt", "19.5", Role.HEAD), ("Trả kết quả", "10", Role.RECEPTION),
        ], start=1):
            ProcessStep.objects.create(procedure=proc, order=order, name=name, share_percent=Decimal(share), role=role)
        if decision is not None:
            PublicationItem.objects.create(decision=decision, procedure=proc, change_type=ChangeType.AMENDED)
        return proc

    return make


@pytest.fixture
def decision(units):
    return PublicationDecision.objects.create(
        number="1234/QĐ-UBND", title="Công bố danh mục TTHC lĩnh vực tư pháp", issuer_unit=units["province"],
        decided_on=dt.date(2026, 3, 2), published_national_on=dt.date(2026, 3, 6),
    )
