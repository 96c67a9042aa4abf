"""The methodology as data: the spec's table, validation, the registry and JSON round-trips."""
import json
from dataclasses import replace

import pytest

from motcua.index.engine.methodology import (
    QD766_PORTAL_2026 as M, Band, Group, Indicator, LeadTime, Methodology, get_methodology, register,
)

# The spec's table (shared/spec/service-index.md): code, group, max, rule, threshold, zero denominator.
SPEC = [
    ("PUBLISH_ON_TIME", "G1", 6, "lin", None, "zero"),
    ("PUBLIC_UPDATE_ON_TIME", "G1", 4, "lin", None, "zero"),
    ("PUBLIC_CONTENT_FULL", "G1", 2, "lin", None, "zero"),
    ("DOSSIER_SYNC", "G1", 6, "lin", None, "zero"),
    ("ON_TIME", "G2", 20, "lin", None, "zero"),
    ("ONLINE_PROCEDURES", "G3a", 4, "thr", 0.8, "zero"),
    ("ONLINE_CHANNEL", "G3a", 4, "thr", 0.5, "zero"),
    ("ONLINE_SERVICES_USED", "G3a", 4, "lin", None, "zero"),
    ("PAID_ONLINE", "G3b", 6, "lin", None, "zero"),
    ("FEE_PROCEDURES_PAID_ONLINE", "G3b", 2, "thr", 0.8, "zero"),
    ("FEE_PROCEDURES_INTEGRATED", "G3b", 2, "thr", 0.8, "zero"),
    ("E_RESULT", "G4", 6, "lin", None, "zero"),
    ("DIGITIZED", "G4", 4, "lin", None, "zero"),
    ("E_CERTIFIED_COPY", "G4", 2, "lin", None, "full"),
    ("REUSED_DATA", "G4", 2, "thr", 0.8, "zero"),
    ("PERSONAL_STORE", "G4", 4, "lin", None, "zero"),
    ("POPULATION_DATA_DOSSIER", "G4", 2, "lin", None, "zero"),
    ("POPULATION_DATA_PROCEDURE", "G4", 2, "lin", None, "zero"),
    ("PETITION_ON_TIME", "G5", 6, "lin", None, "full"),
    ("PETITION_SATISFACTION", "G5", 6, "lin", None, "full"),
    ("DOSSIER_SATISFACTION", "G5", 6, "thr", 0.9, "zero"),
]


def test_every_indicator_of_the_spec_table():
    assert [i.code for i in M.indicators] == [row[0] for row in SPEC]
    for code, group, max_points, rule, threshold, zero in SPEC:
        i = M.indicator(code)
        assert (i.group, i.max_points, i.rule, i.threshold, i.zero_denominator) == (
            group, max_points, rule, threshold, zero), code
        assert i.scope == frozenset({"P", "C"}) and i.commune_not_applicable == "full"
        assert i.description_vi and i.portal_codes


def test_groups_bands_and_parameters():
    assert M.version == "qd766-portal-2026"
    assert [(g.code, g.max_points) for g in M.groups] == [
        ("G1", 18), ("G2", 20), ("G3a", 12), ("G3b", 10), ("G4", 22), ("G5", 18)]
    assert [(b.label_vi, b.min_total) for b in M.bands] == [
        ("Xuất sắc", 90), ("Tốt", 80), ("Khá", 70), ("Trung bình", 50), ("Yếu", 0)]
    assert M.publish_lead_days.for_agency("province") == 5 and M.publish_lead_days.for_agency("ministry") == 20
    assert M.public_update_days.for_agency("province") == 5 and M.public_update_days.for_agency("ministry") == 10
    assert (M.petition_deadlines.reject, M.petition_deadlines.request_information, M.petition_deadlines.answer,
            M.petition_deadlines.publish_answer) == (2, 5, 15, 2)
    assert M.max_supplement_requests == 1
    assert M.score_decimals is None  # unrounded, as the spec says
    with pytest.raises(ValueError):
        M.publish_lead_days.for_agency("commune")


@pytest.mark.parametrize("portal_code, ours", [
    ("ORIGINAL_RESULT_AVAILABLE", "E_RESULT"), ("SO_HOA_GIAY_TO_GIAI_QUYET", "DIGITIZED"),
    ("REUSED_DIGITIZED_DATA", "REUSED_DATA"), ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "PERSONAL_STORE"),
    ("CITIZEN_DATA_CONNECTED_DOSSIER", "POPULATION_DATA_DOSSIER"),
    ("CITIZEN_DATA_CONNECTED_FORMALITY", "POPULATION_DATA_PROCEDURE"),
    ("ELECTRONIC_CERTIFIED_COPY", "E_CERTIFIED_COPY"), ("PETITION_PROCESSING_ON_TIME", "PETITION_ON_TIME"),
    ("PETITION_HANDLING_SATISFACTION", "PETITION_SATISFACTION"),
    ("DOSSIER_RECEIVING_SATISFACTION", "DOSSIER_SATISFACTION"),
    ("PUBLISH_ON_TIME", "PUBLISH_ON_TIME"), ("DOSSIER_SYNC", "DOSSIER_SYNC"),
    ("totalOnTime/totalReceived", "ON_TIME"),
    ("partialCount+fullCount/authorityCount", "ONLINE_PROCEDURES"),
    ("totalDossierOnlinePaymentSuccess/totalDossierFinancialObligation", "PAID_ONLINE"),
])
def test_portal_codes_map_to_ours(portal_code, ours):
    assert M.indicator_for_portal_code(portal_code).code == ours


def test_informational_portal_metrics_map_to_nothing():
    assert M.indicator_for_portal_code("PETITION_CLASSIFICATION_TTHC") is None


def test_json_round_trip():
    text = M.to_json()
    data = json.loads(text)  # plain JSON, readable by a DB column
    assert data["version"] == "qd766-portal-2026" and len(data["indicators"]) == 21
    assert data["indicators"][0]["scope"] == ["C", "P"]
    again = Methodology.from_json(text)
    assert again == M and hash(again) == hash(M)
    assert again.indicator("REUSED_DATA").scope == frozenset({"P", "C"})
    assert Methodology.from_json(again.to_json(indent=None)) == M


def test_json_round_trip_of_a_modified_version():
    changed = M.with_changes(version="qd766-test", score_decimals=2, publish_lead_days=LeadTime(7, 30),
                             bands=(Band("Đạt", 50), Band("Chưa đạt", 0)))
    again = Methodology.from_json(changed.to_json())
    assert again == changed and again != M
    assert again.score_decimals == 2 and again.publish_lead_days.ministry == 30


def test_registry():
    assert get_methodology("qd766-portal-2026") is M
    assert get_methodology() is M
    with pytest.raises(KeyError):
        get_methodology("qd766-unknown")
    register(M)  # idempotent
    with pytest.raises(ValueError):
        register(M.with_changes(score_decimals=2))  # same version, other rules


def test_validation_refuses_inconsistent_configuration():
    with pytest.raises(ValueError, match="add up"):
        M.with_changes(indicators=tuple(replace(i, max_points=7) if i.code == "ON_TIME" else i
                                        for i in M.indicators))
    with pytest.raises(ValueError, match="threshold"):
        replace(M.indicator("REUSED_DATA"), threshold=None)
    with pytest.raises(ValueError, match="rule"):
        replace(M.indicator("ON_TIME"), rule="log")
    with pytest.raises(ValueError, match="scope"):
        replace(M.indicator("ON_TIME"), scope=frozenset({"X"}))
    with pytest.raises(ValueError, match="zero_denominator"):
        replace(M.indicator("ON_TIME"), zero_denominator="half")
    with pytest.raises(ValueError, match="duplicate"):
        M.with_changes(groups=M.groups + (Group("G1", "again", 0),))
    with pytest.raises(ValueError, match="lowest band"):
        M.with_changes(bands=(Band("Xuất sắc", 90),))
    with pytest.raises(TypeError):
        Indicator(code="X")  # every field is required but the portal codes and the commune rule
