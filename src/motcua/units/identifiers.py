"""The electronic identifier of an agency (mã định danh điện tử của cơ quan, tổ chức).

Decision 20/2020/QĐ-TTg, Art. 4(1) (read from secondary pages quoting it, ictvietnam.vn and
dientungaynay.vn): a string of at most 35 characters in groups separated by dots, made of the digits
0–9 and the capital letters A–Z; the first, leftmost group is the level-1 code `MX1X2` (M a letter
A–Y, X1 and X2 digits) and each following group identifies the unit at the next level. The
level-1 codes themselves are listed in the Decision's annex (not read here): a province's
identifiers are data, entered in the admin.
"""
import re

MAX_LENGTH = 35
IDENTIFIER = re.compile(r"[A-Y][0-9]{2}(?:\.[0-9A-Z]+)*")


def validate_agency_identifier(value: str) -> str | None:
    """None when `value` has the shape of an agency identifier, else the reason (Vietnamese)."""
    if len(value) > MAX_LENGTH:
        return f"Mã định danh điện tử dài tối đa {MAX_LENGTH} ký tự."
    if not IDENTIFIER.fullmatch(value):
        return ("Mã định danh điện tử gồm các nhóm chữ số 0–9 và chữ in hoa A–Z cách nhau bằng dấu chấm; "
                "nhóm đầu là mã cấp 1 dạng MX1X2 (một chữ cái A–Y và hai chữ số), ví dụ H24.05.")
    return None
