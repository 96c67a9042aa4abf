"""Charts drawn on the server as inline SVG: the same markup in the portal pages and in the PDF report.

No script and no download: the browser and WeasyPrint both draw SVG. Every chart is shown next to
a table of the same numbers (the pages put it there), so the figures never depend on the picture.
"""
from __future__ import annotations

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, VALUE_WIDTH = 16, 6, 220, 60
COLOURS = {"bar": "#2f6db5", "max": "#e3e9f2", "line": "#b5452f", "grid": "#c8c8c8", "text": "#222"}


def format_points(value: float) -> str:
    """Two decimals with the active language's decimal separator: '58,79' in Vietnamese, '58.79' in English."""
    return f"{float(value):.2f}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def _open(title: str, width: int, height: int, font_family: str | None) -> str:
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(title)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="11"{font}>'
            f"<title>{escape(title)}</title>")


def bar_chart(items: list[tuple[str, float, float]], *, title: str, width: int = 640,
              font_family: str | None = None) -> SafeString:
    """Horizontal bars: (label, value, maximum) each; the pale bar behind shows the maximum.
    `font_family`: the PDF's bundled font (pages inherit theirs)."""
    scale = (width - LABEL_WIDTH - VALUE_WIDTH) / (max((m for _, _, m in items), default=1.0) or 1.0)
    height = len(items) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    parts = [_open(title, width, height, font_family)]
    for n, (label, value, maximum) in enumerate(items):
        y = BAR_GAP + n * (BAR_HEIGHT + BAR_GAP)
        text_y = y + BAR_HEIGHT - 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" fill="{COLOURS["text"]}">'
            f"{escape(label[:38])}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{scale * maximum:.1f}" height="{BAR_HEIGHT}" fill="{COLOURS["max"]}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{scale * max(value, 0):.1f}" height="{BAR_HEIGHT}" '
            f'fill="{COLOURS["bar"]}"/>'
            f'<text x="{LABEL_WIDTH + scale * maximum + 4:.1f}" y="{text_y}" fill="{COLOURS["text"]}">{format_points(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def line_chart(points: list[tuple[str, float]], *, title: str, maximum: float = 100.0,
               width: int = 640, height: int = 200, font_family: str | None = None) -> SafeString:
    """A line over labelled points (e.g. months), from 0 to `maximum`, with the value at each point."""
    left, right, top, bottom = 40, 36, 16, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0), maximum) / maximum)

    parts = [_open(title, width, height, font_family)]
    for tick in range(0, int(maximum) + 1, max(int(maximum) // 4, 1)):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="{COLOURS["grid"]}" stroke-width="0.5"/>'
                     f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{COLOURS["text"]}">{tick}</text>')
    coords = [(left + n * step, y(value)) for n, (_, value) in enumerate(points)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS["line"]}" stroke-width="2"/>')
    for (label, value), (x, yy) in zip(points, coords):
        parts.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="{COLOURS["line"]}"/>'
                     f'<text x="{x:.1f}" y="{yy - 6:.1f}" text-anchor="middle" fill="{COLOURS["text"]}">{format_points(value)}</text>'
                     f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="{COLOURS["text"]}">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
