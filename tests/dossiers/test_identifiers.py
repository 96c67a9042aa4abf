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


# Other scripts' digits: `str.isdigit()` and `\d` take them, `int()` reads them as ASCII.
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULL_WIDTH, DEVANAGARI])
def test_identifiers_take_ascii_digits_only(digits):
    from motcua.dossiers.identifiers import validate_phone

    body = "010010007"
    tax_code = body + str(tax_check_digit(body))
    assert "024090001234".translate(digits).isdigit()  # what a check with isdigit() would let through
    assert validate_personal_id("024090001234".translate(digits)) == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert "10 chữ số" in validate_tax_code(tax_code.translate(digits))
    assert "10 chữ số" in validate_tax_code(tax_code + "-" + "001".translate(digits))
    assert validate_phone("0912345678") is None and validate_phone("+84912345678") is None
    assert validate_phone("0912345678".translate(digits)) == (
        "Số điện thoại chỉ gồm 8 đến 15 chữ số (0–9), có thể bắt đầu bằng dấu '+'.")


def test_the_desk_refuses_other_digits_and_changes_nothing(client, db):
    from django.urls import reverse

    from motcua.dossiers.models import Dossier
    from motcua.units.models import Role
    from tests import factories as f

    dept = f.unit()
    procedure = f.procedure(agency=dept, time_limit="3")
    client.force_login(f.officer(dept, Role.RECEPTION))
    page = client.post(reverse("dossiers:receive"), {
        "procedure": procedure.pk, "channel": "direct", "applicant_kind": "individual", "applicant_name": "Ngô Thị G",
        "applicant_id": f.VALID_PID.translate(ARABIC_INDIC), "applicant_phone": "0912345678".translate(FULL_WIDTH)})
    text = page.content.decode()
    assert page.status_code == 200 and "Số định danh cá nhân phải gồm đúng 12 chữ số." in text
    assert "Số điện thoại chỉ gồm 8 đến 15 chữ số" in text and Dossier.objects.count() == 0


def test_the_service_refuses_a_phone_in_other_digits(db):
    from motcua.dossiers.errors import DossierError
    from motcua.dossiers.services import Applicant
    from tests import factories as f

    with pytest.raises(DossierError) as refused:
        Applicant("individual", "Ngô Thị G", f.VALID_PID, phone="0912345678".translate(ARABIC_INDIC)).validate()
    assert refused.value.code == "applicant_phone"
