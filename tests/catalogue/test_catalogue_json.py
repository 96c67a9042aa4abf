import copy
import json
from decimal import Decimal

import pytest

from motcua.catalogue.io import export_json, import_json
from motcua.catalogue.models import (
    Component,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureLevel,
    ProcedureMethod,
    ProcessStep,
    PublicationDecision,
    PublicationItem,
)

CHILD_MODELS = (ProcedureMethod, Fee, Component, LegalBasis, ProcessStep, PublicationItem)


def wipe_catalogue():
    for model in (*CHILD_MODELS, Procedure, PublicationDecision):
        model.objects.all().delete()


def snapshot():
    """Everything in the catalogue, including row ids and update times."""
    rows = {}
    for model in (Procedure, *CHILD_MODELS, PublicationDecision):
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    return rows


@pytest.fixture
def catalogue(make_procedure, decision):
    make_procedure("1.001234", decision=decision)
    make_procedure("2.000815", level=ProcedureLevel.COMMUNE, time_limit=Decimal(1), time_unit="in_day",
                   online_level="full", status="published_amended", subjects=["individual", "foreigner"],
                   decision=decision)
    make_procedure("1.000999", status="abolished", online_level="none", result_is_document=False)


def test_record_shape(catalogue):
    record = next(r for r in export_json() if r["code"] == "2.000815")
    assert record["level"] == "commune" and record["agency"] is None
    assert record["time_limit"] == 1 and record["time_unit"] == "in_day"
    assert record["methods"][1] == {"method": "online", "time_limit": 12.5, "time_unit": "working_days",
                                    "fee_vnd": 25000, "description": ""}
    assert record["steps"][1] == {"order": 2, "name": "Thẩm định", "share_percent": 60.5, "role": "processing"}
    assert record["legal_bases"][0]["effective_on"] == "2015-04-10"
    assert record["publications"] == [{
        "number": "1234/QĐ-UBND", "title": "Công bố danh mục TTHC lĩnh vực tư pháp", "issuer_unit": "24",
        "decided_on": "2026-03-02", "published_national_on": "2026-03-06", "change_type": "amended",
    }]
    json.dumps(record)  # plain JSON types only


def test_round_trip_is_lossless(catalogue):
    before = export_json()
    assert [r["code"] for r in before] == ["1.000999", "1.001234", "2.000815"]
    text = json.dumps(before, ensure_ascii=False)
    wipe_catalogue()
    result = import_json(json.loads(text))
    assert result.ok, result.errors
    assert sorted(result.created) == ["1.000999", "1.001234", "2.000815"] and result.updated == []
    assert export_json() == before
    assert PublicationDecision.objects.count() == 1  # shared by two procedures, created once


def test_reimport_is_an_update_that_changes_nothing(catalogue):
    before = export_json()
    ids = {p.code: p.pk for p in Procedure.objects.all()}
    step_ids = sorted(ProcessStep.objects.values_list("pk", flat=True))
    result = import_json(copy.deepcopy(before))
    assert result.ok and sorted(result.updated) == sorted(ids) and result.created == []
    assert export_json() == before
    assert {p.code: p.pk for p in Procedure.objects.all()} == ids
    assert sorted(ProcessStep.objects.values_list("pk", flat=True)) == step_ids  # rows keep their identity


def test_upsert_replaces_child_rows(catalogue):
    records = export_json()
    record = next(r for r in records if r["code"] == "1.001234")
    record["name"] = "Tên mới"
    record["fees"] = [{"name": "Lệ phí duy nhất", "amount_vnd": 100_000}]
    record["components"] = []
    record["steps"] = [{"name": "Xử lý", "share_percent": 100}]
    new = {"code": "1.005555", "name": "Thủ tục mới", "level": "province", "agency": "SKHDT"}
    result = import_json([record, new])
    assert result.ok, result.errors
    assert result.created == ["1.005555"] and result.updated == ["1.001234"]
    proc = Procedure.objects.get(code="1.001234")
    assert proc.name == "Tên mới"
    assert [(f.name, f.amount_vnd, f.kind, f.per_page) for f in proc.fees.all()] == [
        ("Lệ phí duy nhất", 100_000, "fee", False)]
    assert not proc.components.exists()
    assert [(s.order, s.name, s.share_percent, s.role) for s in proc.steps.all()] == [
        (1, "Xử lý", Decimal("100.00"), "")]
    assert proc.methods.count() == 2 and proc.legal_bases.count() == 2
    created = Procedure.objects.get(code="1.005555")
    assert created.agency.code == "SKHDT" and created.status == "published" and created.online_level == "none"
    assert created.subjects == [] and created.time_limit is None


def test_absent_child_list_leaves_rows_unchanged(catalogue):
    result = import_json([{"code": "1.001234", "name": "Đổi tên", "level": "province", "agency": "STP"}])
    assert result.ok, result.errors
    proc = Procedure.objects.get(code="1.001234")
    assert proc.name == "Đổi tên" and proc.steps.count() == 4 and proc.publication_items.count() == 1


def test_errors_are_all_reported_with_locations_and_nothing_is_written(catalogue):
    before = snapshot()
    records = export_json()
    records[0]["time_limit"] = -3
    records[0]["agency"] = "KHONG-CO"
    records[1]["methods"][0]["fee_vnd"] = "nhiều"
    records[1]["steps"][0]["share_percent"] = 20  # sum 110
    records[2]["level"] = "district"
    records.append({"code": "1.007777", "level": "province"})  # no name
    records.append({"code": "1.001234", "name": "Trùng", "level": "province"})
    result = import_json(records)
    assert not result.ok and result.created == [] and result.updated == []
    found = {(e.row, e.field): e.message for e in result.errors}
    assert found[(0, "time_limit")] == "phải là số dương"
    assert found[(0, "agency")] == "không có đơn vị mã 'KHONG-CO'"
    assert found[(1, "methods[0].fee_vnd")] == "phải là số nguyên"
    assert "phải bằng 100%" in found[(1, "steps[0].share_percent")]
    assert "110" in found[(1, "steps[0].share_percent")]
    assert found[(2, "level")].startswith("giá trị 'district' không hợp lệ")
    assert found[(3, "name")] == "không được để trống"
    assert "bị trùng" in found[(4, "code")]
    assert str(next(e for e in result.errors if e.field == "time_limit")) == (
        "Bản ghi [0], trường 'time_limit': phải là số dương")
    assert snapshot() == before


def test_failed_update_of_an_existing_procedure_changes_nothing(catalogue):
    before = snapshot()
    record = next(r for r in export_json() if r["code"] == "1.001234")
    record["name"] = "Sẽ không được ghi"
    record["fees"] = []
    record["components"][1]["copy_count"] = -1
    result = import_json([record])
    assert [str(e) for e in result.errors] == [
        "Bản ghi [0], trường 'components[1].copy_count': phải là số nguyên không âm"]
    assert snapshot() == before


def test_commune_procedure_takes_no_agency(units):
    result = import_json([{"code": "2.000001", "name": "X", "level": "commune", "agency": "STP"}])
    assert [e.field for e in result.errors] == ["agency"]
    assert not Procedure.objects.exists()


def test_time_limit_needs_its_unit(units):
    result = import_json([{
        "code": "2.000001", "name": "X", "level": "commune", "time_limit": 3,
        "methods": [{"method": "direct", "time_unit": "days"}],
    }])
    assert {(e.field, e.message) for e in result.errors} == {
        ("time_unit", "phải chọn đơn vị thời hạn khi có thời hạn"),
        ("methods[0].time_limit", "phải nhập thời hạn khi có đơn vị thời hạn"),
    }


def test_unknown_keys_and_bad_shapes_are_errors(units):
    result = import_json([{"code": "2.000001", "name": "X", "level": "commune", "time_limt": 3,
                           "fees": {"name": "x"}}, "not a record"])
    assert {(e.row, e.field) for e in result.errors} == {(0, "time_limt"), (0, "fees"), (1, "")}
    assert import_json({"procedures": "x"}).errors[0].message == "tệp JSON phải là một danh sách thủ tục"


def test_decision_declared_twice_differently_is_an_error(catalogue):
    records = export_json()
    records[0]["publications"] = copy.deepcopy(records[1]["publications"])
    records[0]["publications"][0]["title"] = "Một trích yếu khác"
    result = import_json(records)
    # record 0 declares it first; records 1 and 2 (the exported ones) now disagree with it
    assert [(e.row, e.field) for e in result.errors] == [(1, "publications[0].title"), (2, "publications[0].title")]
    assert "bản ghi [0]" in result.errors[0].message


def test_existing_decision_is_reused_and_updated(catalogue, decision):
    records = export_json()
    for record in records:
        for pub in record["publications"]:
            pub["published_national_on"] = "2026-03-09"
    assert import_json(records).ok
    decision.refresh_from_db()
    assert PublicationDecision.objects.count() == 1
    assert decision.published_national_on.isoformat() == "2026-03-09"
    assert decision.items.count() == 2


def test_dry_run_writes_nothing(units):
    result = import_json([{"code": "2.000001", "name": "X", "level": "commune"}], dry_run=True)
    assert result.ok and result.created == ["2.000001"] and not result.written
    assert not Procedure.objects.exists()
