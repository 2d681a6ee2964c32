"""Building blocks of the Word documents and pictures the apps hand out: Indonesian number format,
a plain table, and a horizontal bar chart as PNG (Pillow; no fonts or files from outside)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from decimal import InvalidOperation
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from PIL import Image, ImageDraw, ImageFont

from nolkumuh.exchange.numbers import half_up


def number(value: float | None, places: int = 2) -> str:
    """1234.5 -> '1.234,50' (Indonesian); None -> '–'. Rounded as the pages round (``half_up``:
    12.25 -> '12,3'), not as the float's binary value would (12,2)."""
    if value is None:
        return "–"
    try:
        text = f"{half_up(value, places):,.{places}f}"
    except InvalidOperation:  # not a number (nan, inf): as it is
        return str(value)
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def percent(value: float | None, places: int = 1) -> str:
    return "–" if value is None else number(value * 100, places) + " %"


def new_document() -> Document:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)
    return document


def rupiah(value: float) -> str:
    return "Rp " + f"{value:,.0f}".replace(",", ".")


def add_table(
    document: Document,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric_from: int | None = 1,
    text: Callable[[Any], str] = str,
) -> None:
    """A table with a bold header row. Columns from ``numeric_from`` on are right-aligned; with
    ``numeric_from=None`` the cells holding numbers are. ``text`` writes a value as text."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        cells = table.add_row().cells
        for j, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = text(value)
            right = isinstance(value, int | float) if numeric_from is None else j >= numeric_from
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def bar_chart_png(
    title: str, rows: Sequence[tuple[str, float]], *, unit: str = "", limit: float | None = None
) -> bytes:
    """Horizontal bars, one per label, with the value written at the end of the bar."""
    font = ImageFont.load_default(size=13)
    width, left, bar, gap, top = 900, 260, 18, 8, 36
    height = top + len(rows) * (bar + gap) + 20
    image = Image.new("RGB", (width, max(height, 80)), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.text((10, 8), title, fill="#111111", font=font)
    peak = limit or max((v for _label, v in rows), default=0) or 1.0
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar + gap)
        draw.text((10, y + 2), label[:38], fill="#111111", font=font)
        length = max(0.0, value) / peak * (width - left - 90)
        draw.rectangle([left, y, left + length, y + bar], fill="#0b5394")
        draw.text((left + length + 6, y + 2), f"{number(value, 1)}{unit}", fill="#111111", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
