"""Round-trip as a property, and child rows that dossiers point to."""
import datetime as dt
import io as _io

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalogue.io import export_json, export_xlsx, import_json, import_xlsx
from motcua.catalogue.models import (
    ChangeType,
    FeeKind,
    Method,
    OnlineLevel,
    ProcedureStatus,
    Subject,
    TimeUnit,
)
from motcua.units.models import Role

from .test_catalogue_json import snapshot, wipe_catalogue

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t"), max_size=30)
line = text.map(str.strip)
name = line.filter(bool)
limit = st.decimals(min_value="0.01", max_value="9999.99", places=2)
dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).map(dt.date.isoformat))
money = st.integers(0, 10**12)
small = st.integers(0, 50)


def number(d):
    return int(d) if d == d.to_integral_value() else float(d)


@st.composite
def time_pair(draw):
    if draw(st.booleans()):
        return {"time_limit": number(draw(limit)), "time_unit": draw(st.sampled_from(TimeUnit.values))}
    return {"time_limit": None, "time_unit": ""}


@st.composite
def shares(draw):
    n = draw(st.integers(0, 5))
    if n == 0:
        return []
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=n - 1, max_size=n - 1, unique=True)))
    points = [0, *cuts, 10000]
    return [(b - a) / 100 for a, b in zip(points, points[1:])]


@st.composite
def record(draw, code):
    level = draw(st.sampled_from(["province", "commune"]))
    steps = [
        {"order": i + 1, "name": draw(name), "share_percent": share, "role": draw(st.sampled_from(["", *Role.values]))}
        for i, share in enumerate(draw(shares()))
    ]
    return {
        "code": code,
        "name": draw(name),
        "field": draw(line),
        "level": level,
        "agency": draw(st.sampled_from([None, "STP", "SKHDT"])) if level == "province" else None,
        "implementing_agency_text": draw(text),
        **draw(time_pair()),
        "subjects": draw(st.lists(st.sampled_from(Subject.values), unique=True, max_size=3)),
        "requirements": draw(text),
        "result_name": draw(line),
        "result_is_document": draw(st.booleans()),
        "online_level": draw(st.sampled_from(OnlineLevel.values)),
        "status": draw(st.sampled_from(ProcedureStatus.values)),
        "fee_note": draw(text),
        "methods": [
            {"method": draw(st.sampled_from(Method.values)), **draw(time_pair()), "fee_vnd": draw(money),
             "description": draw(text)}
            for _ in range(draw(st.integers(0, 3)))
        ],
        "fees": [
            {"name": draw(name), "amount_vnd": draw(money), "kind": draw(st.sampled_from(FeeKind.values)),
             "per_page": draw(st.booleans()), "note": draw(text)}
            for _ in range(draw(st.integers(0, 2)))
        ],
        "components": [
            {"order": i + 1, "name": draw(name), "original_count": draw(small), "copy_count": draw(small),
             "required": draw(st.booleans()), "template_name": draw(line), "note": draw(text)}
            for i in range(draw(st.integers(0, 3)))
        ],
        "legal_bases": [
            {"document_number": draw(name), "title": draw(text), "issued_on": draw(dates), "effective_on": draw(dates)}
            for _ in range(draw(st.integers(0, 2)))
        ],
        "steps": steps,
        "publications": [
            {"number": "1/QĐ-UBND", "title": "Công bố", "issuer_unit": "24", "decided_on": "2026-01-05",
             "published_national_on": None, "change_type": draw(st.sampled_from(ChangeType.values))}
        ] if draw(st.booleans()) else [],
    }


records_strategy = st.lists(st.integers(1, 999999), min_size=1, max_size=4, unique=True).flatmap(
    lambda numbers: st.tuples(*[record(f"1.{n:06d}") for n in numbers])
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records_strategy)
def test_any_valid_catalogue_round_trips(units, records):
    records = sorted(records, key=lambda r: r["code"])
    with transaction.atomic():
        result = import_json(records)
        assert result.ok, [str(e) for e in result.errors]
        exported = export_json()
        assert exported == records
        assert import_json(exported).ok and export_json() == exported
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=records_strategy)
def test_any_valid_catalogue_round_trips_through_excel(units, records):
    records = sorted(records, key=lambda r: r["code"])
    with transaction.atomic():
        assert import_json(records).ok
        buffer = _io.BytesIO()
        export_xlsx(None, buffer)
        wipe_catalogue()
        result = import_xlsx(_io.BytesIO(buffer.getvalue()))
        assert result.ok, [str(e) for e in result.errors]
        assert export_json() == records
        transaction.set_rollback(True)


def test_rows_used_by_a_dossier_keep_their_identity(make_procedure, units):
    from motcua.dossiers.models import Dossier

    proc = make_procedure()
    steps = list(proc.steps.all())
    Dossier.objects.create(code="STP-260302-0001", procedure=proc, unit=units["justice"],
                           received_unit=units["justice"], applicant_kind="individual", applicant_name="Nguyễn Văn A",
                           applicant_id="024090001234", channel="direct", status=4, current_step=steps[3])
    record = export_json()[0]

    # renaming steps in place keeps the dossier's step (same position, same row)
    record["steps"][3]["name"] = "Trả kết quả tại quầy"
    assert import_json([record]).ok
    assert Dossier.objects.get().current_step.name == "Trả kết quả tại quầy"

    # dropping the step a dossier is at is refused, and nothing is written
    before = snapshot()
    record["name"] = "Không được ghi"
    record["steps"] = record["steps"][:2]
    record["steps"][1]["share_percent"] = 90
    result = import_json([record])
    assert [str(e) for e in result.errors] == [
        "Bản ghi [0], trường 'code': không thể bớt quy trình nội bộ của thủ tục 1.001234: đang được hồ sơ sử dụng"]
    assert snapshot() == before
