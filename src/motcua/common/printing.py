"""Printing documents as PDF: WeasyPrint with the bundled serif font (DejaVu Serif, full Vietnamese
coverage, loaded through a file:// URL; the renderer fetches only file: and data: URLs, so nothing is
downloaded at run time), the two-column heading of an administrative document, QR codes. Used by
the one-stop forms (`dossiers.slips`), the receipts, the results and the index's reports."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.common.formatting import VN, date_line

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "motcua" / "fonts"
FONT_FAMILY = "MotcuaSerif"  # our own name: a missing file can't fall back to a system font silently
FONT_FILES = {  # (weight, style) → file in FONT_DIR
    ("normal", "normal"): "DejaVuSerif.ttf",
    ("bold", "normal"): "DejaVuSerif-Bold.ttf",
    ("normal", "italic"): "DejaVuSerif-Italic.ttf",
    ("bold", "italic"): "DejaVuSerif-BoldItalic.ttf",
}

DESK = "Bộ phận Một cửa"  # Bộ phận tiếp nhận và trả kết quả (Decree 107/2021 and 118/2025 name)


def person(user) -> str:
    """An officer's name as printed on a form: the full name, else the user name."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def qr_data_uri(payload: str) -> str:
    """A QR code for `payload` as a PNG data URI, one pixel per module (error correction M,
    4-module quiet zone). The templates scale it with `image-rendering: pixelated`, which the PDF
    keeps as an uninterpolated image: sharp at any print size, and far cheaper to lay out than SVG
    (it matters for the register's one code per row)."""
    import segno

    return segno.make(payload, error="m", micro=False).png_data_uri(scale=1, border=4)


def province_name(unit) -> str:
    from motcua.units.models import UnitKind

    node, seen = unit, 0
    while node is not None and seen < 10:
        if node.kind == UnitKind.PROVINCE:
            return node.name
        node, seen = node.parent, seen + 1
    try:
        import vietnam_provinces as vp

        return vp.Province.from_code(vp.ProvinceCode(settings.MOTCUA_PROVINCE_CODE)).name
    except Exception:  # an unknown code must not stop a slip
        return "Bắc Ninh"


def _upper(text: str) -> str:
    return text.upper()


def header(unit, day: date) -> dict:
    """The two-column heading of every form: the unit under its governing body, the national
    motto, and the place and date line."""
    from motcua.units.models import UnitKind

    place = province_name(unit)
    if unit.kind == UnitKind.PROVINCE:
        governing, body = "", f"UBND TỈNH {_upper(unit.name)}"
    elif unit.kind == UnitKind.COMMUNE:
        governing, body = f"UBND {_upper(unit.name)}", _upper(DESK)
    else:
        governing, body = f"UBND TỈNH {_upper(place)}", _upper(unit.name)
    return {"governing": governing, "body": body, "unit_name": unit.name, "place": place,
            "date_line": date_line(place, day), "desk": f"{DESK} – {unit.name}"}


def font_faces_css() -> str:
    rules = []
    for (weight, style), name in FONT_FILES.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"Thiếu phông chữ cho phiếu: {path}")
        rules.append(f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{path.as_uri()}'); "
                     f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules)


def html_to_pdf(template: str, context: dict) -> bytes:
    """Render a template to PDF bytes with the bundled serif font, in Vietnamese, times in
    Asia/Ho_Chi_Minh, fetching only file:/data: URLs (no network at run time)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    with translation.override("vi"), timezone.override(VN):
        html = render_to_string(template, {"font_faces": font_faces_css(), "font_family": FONT_FAMILY, **context})
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        font_config=FontConfiguration())
