r"""Applicant identifiers: the 12-digit personal identification number, the tax code, the phone.

Digits are ASCII only: `str.isdigit()`, `int()` and a `\d` pattern also take Arabic-Indic or
full-width digits ("٠٠١…", "００１…"), which would store a second spelling of the same number.
"""
import re

# Province-of-registration codes used in the first three digits of a personal identification
# number (Thông tư 59/2021/TT-BCA, pre-2025 province list: 001–096 with gaps).
PID_PROVINCE_CODES = frozenset({
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36,
    37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74,
    75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
})
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def validate_personal_id(value: str) -> str | None:
    """None when `value` is a valid 12-digit personal identification number, else the reason."""
    if not re.fullmatch(r"[0-9]{12}", value or ""):
        return "Số định danh cá nhân phải gồm đúng 12 chữ số."
    if int(value[:3]) not in PID_PROVINCE_CODES:
        return f"Mã tỉnh '{value[:3]}' trong số định danh cá nhân không tồn tại."
    return None


def tax_check_digit(first_nine: str) -> int:
    return 10 - sum(int(d) * w for d, w in zip(first_nine, TAX_WEIGHTS)) % 11


def validate_tax_code(value: str) -> str | None:
    """None when `value` is a valid tax code (10 digits, or 10 digits '-' 3-digit branch)."""
    match = re.fullmatch(r"([0-9]{10})(-[0-9]{3})?", value or "")
    if not match:
        return "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số chi nhánh."
    digits = match.group(1)
    if tax_check_digit(digits[:9]) != int(digits[9]):
        return "Mã số thuế sai chữ số kiểm tra."
    return None


def normalise_phone(value: str) -> str:
    """A phone number as people write it (`0912 345 678`, `0912.345.678`, `(+84) 912-345-678`)
    reduced to its digits and a leading '+'."""
    return re.sub(r"[\s.()-]", "", value or "")


def validate_phone(value: str) -> str | None:
    """None when `value` is a phone number: 8 to 15 ASCII digits, a leading '+' allowed (the same
    rule as the petition form), else the reason."""
    if not re.fullmatch(r"\+?[0-9]{8,15}", value or ""):
        return "Số điện thoại chỉ gồm 8 đến 15 chữ số (0–9), có thể bắt đầu bằng dấu '+'."
    return None
