import pytest

from motcua.dossiers.identifiers import tax_check_digit, validate_personal_id, validate_tax_code


@pytest.mark.parametrize("value", ["024090001234", "001203000001", "079199012345"])
def test_valid_personal_ids(value):
    assert validate_personal_id(value) is None


@pytest.mark.parametrize("value, fragment", [
    ("02409000123", "12 chữ số"), ("0240900012345", "12 chữ số"), ("02409000123a", "12 chữ số"),
    ("", "12 chữ số"), ("003090001234", "Mã tỉnh '003'"), ("099090001234", "Mã tỉnh '099'"),
])
def test_invalid_personal_ids(value, fragment):
    assert fragment in validate_personal_id(value)


def test_tax_code_check_digit():
    body = "010010007"
    good = body + str(tax_check_digit(body))
    assert validate_tax_code(good) is None
    assert validate_tax_code(good + "-001") is None
    wrong = body + str((tax_check_digit(body) + 1) % 10)
    assert validate_tax_code(wrong) == "Mã số thuế sai chữ số kiểm tra."
    assert "10 chữ số" in validate_tax_code("12345")
