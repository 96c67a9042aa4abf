"""One table of the law behind the desk (dossiers.legal_basis) covers every form, action, status and
rule, and docs/legal-basis.md is that table."""
from pathlib import Path

from motcua.dossiers import legal_basis
from motcua.dossiers.transitions import TABLE, Status

DOC = Path(__file__).resolve().parents[2] / "docs" / "legal-basis.md"


def test_the_current_set_is_the_seven_forms_of_circular_03_2025():
    forms = legal_basis.FORMS[legal_basis.TT03_2025]
    assert sorted(forms) == ["01", "02", "03", "04", "05", "06", "07"]
    assert all(spec.number == key and "Thông tư 03/2025/TT-VPCP" in spec.basis for key, spec in forms.items())
    assert forms["05"].title == "Thông báo dừng giải quyết hồ sơ"
    # The 2018 set had six: no stop notice, its control sheet 05 and register 06.
    old = legal_basis.FORMS[legal_basis.TT01_2018]
    assert "05" not in old and (old["06"].number, old["07"].number) == ("05", "06")


def test_every_transition_status_and_form_issuing_action_has_its_basis():
    assert set(legal_basis.TRANSITIONS) == set(TABLE)
    assert set(legal_basis.STATUSES) == set(Status)
    assert all(legal_basis.TRANSITIONS.values()) and all(legal_basis.STATUSES.values())
    assert set(legal_basis.FORM_OF_ACTION.values()) <= set(legal_basis.FORMS[legal_basis.CURRENT_FORM_VERSION])
    for action, form in legal_basis.FORM_OF_ACTION.items():
        assert f"Mẫu số {form}" in legal_basis.TRANSITIONS[action]


def test_the_form_set_in_force_on_a_day():
    from datetime import date

    assert legal_basis.version_on(date(2025, 9, 14)) == legal_basis.TT01_2018
    assert legal_basis.version_on(date(2025, 9, 15)) == legal_basis.TT03_2025
    assert legal_basis.form("05", legal_basis.TT01_2018) == legal_basis.FORMS[legal_basis.TT03_2025]["05"]


def test_the_docs_table_is_the_data():
    assert DOC.read_text(encoding="utf-8") == legal_basis.markdown(), "run: motcua legal-basis > docs/legal-basis.md"
    for rule in legal_basis.RULES:
        assert f"| {rule} |" in DOC.read_text(encoding="utf-8")
