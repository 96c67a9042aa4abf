"""The administrative layout of the documents the system prints for an authority (reports, guides).

Decree 30/2020/NĐ-CP on clerical work, Article 8(2): an administrative document carries (a) the
national name and motto, (b) the issuing body, (c) its number and symbol, (d) place and date of issue,
(đ) its type and summary, (e) its content, (g) the signer's capacity, title and name, (h) the seal or
digital signature, (i) its recipients; Appendix I places them (national name top right over the
motto, issuing body top left under its superior body, number under the body, place and date under
the motto, "Nơi nhận" bottom left, the signature block bottom right). The number stays blank ("…"):
the clerk (văn thư) gives it when registering the signed document (Article 15). The seal or digital
signature is put on the signed copy, not printed here. `templates/official/_heading.html` and
`_signing.html` draw these parts from an `OfficialDocument`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
UNNUMBERED = "…"


@dataclass(frozen=True)
class OfficialDocument:
    superior_body: str  # "UBND TỈNH BẮC NINH"
    issuing_body: str  # "VĂN PHÒNG"
    symbol: str  # "BC-VPUBND": type abbreviation and issuing body's abbreviation
    place: str  # "Bắc Ninh"
    issued_on: date
    type_name: str  # "BÁO CÁO"
    summary: str  # what the document is about, under its type
    signer_title: str  # "CHÁNH VĂN PHÒNG"
    signing_capacity: str = ""  # "KT.", "TL.", "TM." before the authority, or "" when the head signs
    signer_authority: str = ""  # "CHỦ TỊCH" after the capacity
    signer_name: str = ""
    addressee: str = ""  # "Kính gửi: …" (reports and letters)
    recipients: tuple[str, ...] = field(default=("Lưu: VT.",))
    number: str = UNNUMBERED

    @property
    def national_name(self) -> str:
        return NATIONAL_NAME

    @property
    def motto(self) -> str:
        return MOTTO

    @property
    def number_line(self) -> str:
        return f"Số: {self.number}/{self.symbol}"

    @property
    def place_and_date(self) -> str:
        d = self.issued_on
        # Appendix I: days below 10 and months below 3 are written with a leading zero.
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"{self.place}, ngày {d.day:02d} tháng {month} năm {d.year}"

    @property
    def capacity_line(self) -> str:
        return f"{self.signing_capacity} {self.signer_authority}".strip()


def province_place(province_name: str) -> str:
    """"Bắc Ninh" from a province unit named "Bắc Ninh" or "Tỉnh Bắc Ninh"."""
    name = province_name.strip()
    return name[5:].strip() if name.lower().startswith("tỉnh ") else name
