"""Workbooks for people: the pre-filled entry template, and an input workbook with its faulty cells
marked and commented."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nolkumuh.exchange.columns import TEXT_COLUMNS
from nolkumuh.exchange.read import RawSheet
from nolkumuh.exchange.write import workbook
from nolkumuh.scoring.criteria import HEADER_FIELDS, catalogue
from nolkumuh.scoring.issues import Issue
from nolkumuh.scoring.rulesets import Ruleset


def template_columns(ruleset: Ruleset) -> list[str]:
    """The exchange-format columns of a template for ``ruleset`` (volumes by key)."""
    return ["tahun", *TEXT_COLUMNS, *HEADER_FIELDS, *(f"v_{k}" for k in ruleset.keys), "ruleset"]


def template_workbook(
    path: Path, rows: Sequence[Mapping[str, Any]], ruleset: Ruleset, *, lang: str = "id"
) -> None:
    """Sheet ``rt`` with one row per RT (identity pre-filled, values where known), number checks
    on every value cell, and a ``petunjuk`` sheet explaining each column with its unit."""
    names = template_columns(ruleset)
    book = workbook(path)
    sheet = book.add_worksheet("rt")
    head = book.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1})
    text = book.add_format({"num_format": "@"})
    for j, name in enumerate(names):
        sheet.write_string(0, j, name, head)
        sheet.set_column(j, j, max(10, min(30, len(name) + 2)), text if name in TEXT_COLUMNS else None)
    for i, row in enumerate(rows, start=1):
        for j, name in enumerate(names):
            value = row.get(name, "")
            if name == "ruleset":
                value = ruleset.id
            if value in ("", None):
                continue
            if name in TEXT_COLUMNS:
                sheet.write_string(i, j, str(value), text)
            else:
                sheet.write(i, j, value)
    last = max(len(rows), 500)
    first_value = names.index(HEADER_FIELDS[0])
    message = "Isi angka 0 atau lebih" if lang != "en" else "Enter a number of 0 or more"
    sheet.data_validation(
        1,
        first_value,
        last,
        len(names) - 2,
        {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": message},
    )
    sheet.freeze_panes(1, names.index("rt") + 1)
    _instructions(book, ruleset, lang)
    book.close()


def _instructions(book: Any, ruleset: Ruleset, lang: str) -> None:
    cat = catalogue()
    sheet = book.add_worksheet("petunjuk")
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 90, wrap)
    heading = ("Kolom", "Satuan", "Keterangan") if lang != "en" else ("Column", "Unit", "Meaning")
    for j, title in enumerate(heading):
        sheet.write(0, j, title, bold)
    lines: list[tuple[str, str, str]] = [
        ("tahun", "", "Tahun data, mis. 2024" if lang != "en" else "Data year, e.g. 2024"),
        ("kode_kelurahan", "", "Kode Kemendagri PP.KK.CC.DDDD"),
        (
            "rw, rt",
            "",
            "Nomor RW/RT, nol di depan tetap (002)" if lang != "en" else "RW/RT number, keep zeros",
        ),
    ]
    lines += [(f, cat.header[f].unit, cat.header[f].label(lang)) for f in HEADER_FIELDS]
    for item in ruleset.criteria:
        c = item.criterion
        lines.append((f"v_{c.key} ({item.code})", c.unit, f"{c.name(lang)}. {c.help(lang)}"))
    for i, line in enumerate(lines, start=1):
        for j, value in enumerate(line):
            sheet.write_string(i, j, value, wrap if j == 2 else None)


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
