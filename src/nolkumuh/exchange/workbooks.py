"""Workbooks for people: an input workbook with its faulty cells marked and commented (the entry
template is in :mod:`nolkumuh.exchange.template`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nolkumuh.exchange.read import RawSheet
from nolkumuh.exchange.template import template_columns, template_workbook
from nolkumuh.exchange.write import workbook
from nolkumuh.scoring.issues import Issue

__all__ = ["marked_workbook", "template_columns", "template_workbook"]  # the template moved to template.py


def marked_workbook(path: Path, sheet: RawSheet, issues: Sequence[Issue], *, lang: str = "id") -> None:
    """The input sheet again, with every faulty cell red and commented with its problem."""
    book = workbook(path)
    out = book.add_worksheet("rt")
    bad = book.add_format(
        {"bg_color": "#f4c7c3", "font_color": "#9c0006", "border": 1, "border_color": "#c00000"}
    )
    head = book.add_format({"bold": True})
    header_row = sheet.header_row - 1
    position = {name.strip().lower(): j for j, name in enumerate(sheet.names)}
    for number, cells in sheet.titles:  # the template's words row stays above the header
        for j, value in enumerate(cells):
            if value not in ("", None):
                out.write(number - 1, j, value)
    for j, name in enumerate(sheet.names):
        out.write_string(header_row, j, name, head)
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        for j, value in enumerate(row):
            if value not in ("", None):
                out.write(number - 1, j, value)
    marked: dict[tuple[int, int], list[str]] = {}
    for issue in issues:
        r = issue.row - 1 if issue.row is not None else header_row
        c = position.get((issue.column or "").strip().lower(), 0)
        marked.setdefault((r, c), []).append(issue.message(lang))
    for (r, c), messages in marked.items():
        value = _cell(sheet, r, c, header_row)
        out.write(r, c, value, bad)
        out.write_comment(r, c, "\n".join(messages), {"x_scale": 2, "y_scale": 1.5})
    out.freeze_panes(header_row + 1, 0)
    book.close()


def _cell(sheet: RawSheet, r: int, c: int, header_row: int) -> Any:
    if r == header_row:
        return sheet.names[c] if c < len(sheet.names) else ""
    try:
        index = sheet.row_numbers.index(r + 1)
    except ValueError:
        return ""
    row = sheet.rows[index]
    return row[c] if c < len(row) else ""
