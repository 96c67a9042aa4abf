"""`consistency.compare` on crafted triples: every kind of finding, its severity, and what is tolerated."""
from dataclasses import replace
from decimal import Decimal

import pytest

from motcua.catalogue.consistency import IN_FORCE, SEVERITY, Record, compare, compared_pairs
from motcua.catalogue.models import FindingField, FindingKind, Severity, SourcePair

NP, NW, PW = SourcePair.NATIONAL_PROVINCIAL, SourcePair.NATIONAL_PORTAL, SourcePair.PROVINCIAL_PORTAL

BASE = Record(
    code="1.001234", name="Cấp phiếu lý lịch tư pháp", level="province", agency_code="STP",
    agency_text="Sở Tư pháp", time_limit=Decimal("10"), time_unit="working_days", fee_total_vnd=200_000,
    components=(("Tờ khai", 1), ("Bản sao CCCD", 1)), legal_bases=("28/2009/QH12", "111/2010/NĐ-CP"),
    online_level="full", status="published",
)


def portal_view(record: Record) -> Record:
    """What the portal's service list states: no components, legal basis, level or agency."""
    return replace(record, level=None, agency_code=None, agency_text=None, components=None, legal_bases=None)


def triple(national=BASE, provincial=BASE, portal=None):
    portal = portal_view(BASE) if portal is None else portal
    return [national] if national else [], [provincial] if provincial else [], [portal] if portal else []


def keys(findings):
    return {(f.kind, f.field, f.pair) for f in findings}


def test_identical_sources_have_no_finding():
    assert compare(*triple()) == []


def test_missing_from_the_province_and_from_the_portal():
    findings = compare([BASE], [], [])
    assert keys(findings) == {(FindingKind.MISSING, "", NP), (FindingKind.MISSING, "", NW)}
    missing = findings[0]
    assert missing.severity == Severity.HIGH
    assert missing.name == BASE.name and missing.reference_value == BASE.name and missing.other_value == ""
    assert missing.level == "province" and missing.agency_code == "STP"
    assert "có trên CSDLQG nhưng thiếu trên hệ thống của tỉnh" in missing.message


def test_an_abolished_procedure_may_be_absent():
    abolished = replace(BASE, status="abolished")
    assert compare([abolished], [], []) == []
    assert compare([], [abolished], [portal_view(abolished)]) == []


def test_extra_in_the_province_and_on_the_portal():
    findings = compare([], [BASE], [portal_view(BASE)])
    assert keys(findings) == {(FindingKind.EXTRA, "", NP), (FindingKind.EXTRA, "", NW)}
    assert all(f.severity == Severity.HIGH for f in findings)
    assert findings[0].other_value == BASE.name


@pytest.mark.parametrize("change, field, severity, ref_value, other_value", [
    ({"name": "Cấp Phiếu lý lịch tư pháp số 1"}, FindingField.NAME, Severity.LOW,
     BASE.name, "Cấp Phiếu lý lịch tư pháp số 1"),
    ({"time_limit": Decimal("15")}, FindingField.TIME_LIMIT, Severity.HIGH,
     "10 ngày làm việc", "15 ngày làm việc"),
    ({"time_unit": "days"}, FindingField.TIME_LIMIT, Severity.HIGH, "10 ngày làm việc", "10 ngày"),
    ({"time_limit": None, "time_unit": "in_day"}, FindingField.TIME_LIMIT, Severity.HIGH,
     "10 ngày làm việc", "Trong ngày"),
    ({"fee_total_vnd": 100_000}, FindingField.FEE, Severity.HIGH, "200.000 đồng", "100.000 đồng"),
    ({"components": (("Tờ khai", 1),)}, FindingField.COMPONENTS, Severity.MEDIUM,
     "Tờ khai (1); Bản sao CCCD (1)", "Tờ khai (1)"),
    ({"components": (("Tờ khai", 2), ("Bản sao CCCD", 1))}, FindingField.COMPONENTS, Severity.MEDIUM,
     "Tờ khai (1); Bản sao CCCD (1)", "Tờ khai (2); Bản sao CCCD (1)"),
    ({"legal_bases": ("28/2009/QH12", "01/2020/TT-BTP")}, FindingField.LEGAL_BASIS, Severity.MEDIUM,
     "111/2010/NĐ-CP", "01/2020/TT-BTP"),
    ({"legal_bases": ("28/2009/QH12",)}, FindingField.LEGAL_BASIS, Severity.MEDIUM,
     "111/2010/NĐ-CP", "(không có văn bản khác)"),
    ({"online_level": "partial"}, FindingField.ONLINE_LEVEL, Severity.MEDIUM,
     "Trực tuyến toàn trình", "Trực tuyến một phần"),
    ({"level": "commune"}, FindingField.LEVEL, Severity.MEDIUM, "Cấp tỉnh", "Cấp xã"),
    ({"agency_code": "SXD"}, FindingField.AGENCY, Severity.MEDIUM, "STP", "SXD"),
    ({"status": "published_amended"}, FindingField.STATUS, Severity.HIGH,
     "Đã công bố", "Đã công bố sửa đổi, bổ sung"),
    ({"status": "abolished"}, FindingField.STATUS, Severity.HIGH, "Đã công bố", "Đã bãi bỏ"),
])
def test_each_differing_field_is_one_finding(change, field, severity, ref_value, other_value):
    findings = compare([BASE], [replace(BASE, **change)], [portal_view(BASE)])
    assert len(findings) == 1
    (f,) = findings
    assert (f.kind, f.field, f.pair, f.severity) == (FindingKind.MISMATCH, field, NP, severity)
    assert (f.reference_value, f.other_value) == (ref_value, other_value)
    assert f.code == BASE.code and f.name == BASE.name
    assert f"«{ref_value}»" in f.message and f"«{other_value}»" in f.message


def test_agency_text_is_compared_when_a_code_is_missing():
    national = replace(BASE, agency_code=None, agency_text="Sở Tư pháp tỉnh Bắc Ninh")
    (f,) = compare([national], [BASE], [])[:1]
    assert (f.field, f.reference_value, f.other_value) == (
        FindingField.AGENCY, "Sở Tư pháp tỉnh Bắc Ninh", "Sở Tư pháp")


def test_several_fields_give_several_findings_and_the_portal_is_compared_with_the_national_record():
    portal = portal_view(replace(BASE, time_limit=Decimal("7"), fee_total_vnd=0, online_level="none",
                                 status=IN_FORCE, name="CẤP PHIẾU  LÝ LỊCH TƯ PHÁP."))
    findings = compare([BASE], [BASE], [portal])
    assert keys(findings) == {(FindingKind.MISMATCH, f, NW) for f in
                              (FindingField.TIME_LIMIT, FindingField.FEE, FindingField.ONLINE_LEVEL)}


def test_form_is_tolerated_not_content():
    same = replace(
        BASE, name="  cấp phiếu   LÝ LỊCH tư pháp. ", agency_code="stp",
        time_limit=Decimal("10.00"), components=(("bản sao  cccd", 1), ("TỜ KHAI", 1)),
        legal_bases=("111/2010/nđ-cp", "28/2009/ QH12"),
    )
    assert compare([BASE], [same], None) == []


def test_a_coarse_in_force_status_only_differs_from_abolished():
    assert compare([BASE], None, [portal_view(replace(BASE, status=IN_FORCE))]) == []
    amended = replace(BASE, status="published_amended")
    assert compare([amended], [amended], [portal_view(replace(BASE, status=IN_FORCE))]) == []
    (f,) = compare([BASE], [BASE], [portal_view(replace(BASE, status="abolished"))])
    assert (f.field, f.pair, f.severity) == (FindingField.STATUS, NW, Severity.HIGH)


def test_fields_a_source_does_not_state_are_not_compared():
    silent = Record(code=BASE.code, name=BASE.name)
    assert compare([BASE], [silent], [silent]) == []
    assert compare([silent], [BASE], [portal_view(BASE)]) == []


def test_without_a_national_snapshot_the_portal_is_compared_with_the_province():
    assert compared_pairs(None, [], []) == [PW]
    findings = compare(None, [BASE, replace(BASE, code="1.000001")], [portal_view(replace(BASE, fee_total_vnd=1))])
    assert keys(findings) == {(FindingKind.MISMATCH, FindingField.FEE, PW), (FindingKind.MISSING, "", PW)}


def test_pairs_follow_the_sources_present():
    assert compared_pairs([], [], []) == [NP, NW]
    assert compared_pairs([], None, []) == [NW]
    assert compared_pairs([], [], None) == [NP]
    assert compared_pairs(None, [], None) == []
    assert compare(None, [BASE], None) == []


def test_owner_hint_prefers_the_province_record():
    national = replace(BASE, agency_code="BTP", fee_total_vnd=1)
    provincial = replace(BASE, level="commune", agency_code=None)
    findings = compare([national], [provincial], [])
    assert {(f.level, f.agency_code) for f in findings} == {("commune", "BTP")}
    (missing,) = compare({BASE.code: BASE}, {}, None)
    assert (missing.level, missing.agency_code) == ("province", "STP")


def test_every_field_and_kind_has_a_documented_severity():
    assert set(SEVERITY) == set(FindingField.values) | {FindingKind.MISSING, FindingKind.EXTRA}
    assert SEVERITY[FindingField.NAME] == Severity.LOW
    assert all(SEVERITY[k] == Severity.HIGH for k in (FindingKind.MISSING, FindingKind.EXTRA, FindingField.STATUS,
                                                      FindingField.TIME_LIMIT, FindingField.FEE))


def test_findings_are_ordered_and_keyed():
    other = replace(BASE, code="1.000001")
    findings = compare([BASE, other], [], [portal_view(BASE), portal_view(other)])
    assert [(f.pair, f.code) for f in findings] == [(NP, "1.000001"), (NP, "1.001234")]
    assert findings[0].key == ("1.000001", FindingKind.MISSING, "", NP)
    assert (findings[0].reference_source, findings[0].other_source) == ("national", "provincial")


def test_stored_values_are_vietnamese_whatever_the_active_language():
    from django.utils import translation

    with translation.override("en"):
        (f,) = compare([BASE], [replace(BASE, time_unit="days")], None)
    assert f.other_value == "10 ngày" and f.message.startswith("Thời hạn giải quyết khác nhau")
