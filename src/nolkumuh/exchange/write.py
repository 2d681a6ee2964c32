"""Writing an output table as CSV or XLSX. Files are written to a temporary name and moved into
place only when complete, so a failure never leaves a half-written output."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter

from nolkumuh.exchange.formula import guard_cell
from nolkumuh.exchange.output import OutColumn, OutputTable
from nolkumuh.exchange.xlsx_rows import column_cells, distinct_numbers, insert_rows, number_cells, writable

# Class colours, the same everywhere in nolkumuh (UX.md): berat red, sedang orange, ringan yellow,
# tidak kumuh green.
CLASS_COLOURS = {"KB": "#d7301f", "KS": "#fc8d59", "KR": "#fee08b", "TK": "#91cf60"}


# What users type is data, never a formula or a link: a name like =HYPERLINK(...) must not become a
# live formula in a workbook someone else opens.
SAFE_TEXT = {"strings_to_formulas": False, "strings_to_urls": False}


def workbook(path: Path | str, **options: object) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook that writes every string as text."""
    return xlsxwriter.Workbook(str(path), {**SAFE_TEXT, **options})


def template_sheet(
    book: xlsxwriter.Workbook,
    name: str,
    columns: Sequence[str],
    *,
    width: int,
    text_columns: Collection[str] | None = None,
) -> tuple[Any, Any]:
    """The first sheet of an import template: the column keys in bold in row 1, each column
    `width` wide and formatted as text where typed codes must keep their leading zeros
    (`text_columns`; None: every column). Returns the sheet and the bold header format."""
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5"})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet(name)
    for j, column in enumerate(columns):
        sheet.write(0, j, column, bold)
        as_text = text_columns is None or column in text_columns
        sheet.set_column(j, j, width, text if as_text else None)
    return sheet, bold


def format_number(value: float) -> str:
    return format(float(value), ".15g") if np.isfinite(value) else ""


def format_hundredths(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(int(value))
    return f"{sign}{value // 100}.{value % 100:02d}"


# Every percentage 0.00 .. 100.00 as text, looked up instead of formatted cell by cell.
_PERCENT_TEXT = np.array([format_hundredths(v) for v in range(10001)], dtype=object)
_PERCENT_COMMA = np.array([t.replace(".", ",") for t in _PERCENT_TEXT.tolist()], dtype=object)


def _hundredths_texts(values: np.ndarray, decimal_comma: bool = False) -> list[str]:
    values = np.asarray(values)
    if values.size and values.min() >= 0 and values.max() <= 10000:
        return (_PERCENT_COMMA if decimal_comma else _PERCENT_TEXT)[values].tolist()
    texts = [format_hundredths(v) for v in values.tolist()]
    return [t.replace(".", ",") for t in texts] if decimal_comma else texts


def _raw_text(cell: Any, decimal_comma: bool = False) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        text = format_number(cell)
        return text.replace(".", ",") if decimal_comma else text
    return str(cell)


def _number_texts(
    values: np.ndarray, *, whole_as_int: bool = False, decimal_comma: bool = False
) -> list[str]:
    """:func:`format_number` of every value (``whole_as_int``: whole numbers as int text, as a cell
    read as a number is written back), formatted once per distinct value: a column of counts,
    areas or scores repeats its values many times over."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return []
    distinct, inverse = distinct_numbers(values)
    texts = np.array(
        [
            str(int(v)) if whole_as_int and v.is_integer() else format(v, ".15g") if v - v == 0 else ""
            for v in distinct.tolist()
        ],
        dtype=object,
    )
    if decimal_comma:
        texts = np.array([t.replace(".", ",") for t in texts.tolist()], dtype=object)
    return texts[inverse.reshape(-1)].tolist()


def text_values(column: OutColumn, decimal_comma: bool) -> list[str]:
    """A column's cells as CSV text (decimal comma when asked); input cells as they were written."""
    raw = column.raw if column.raw is not None else column.values if column.kind == "raw" else None
    if isinstance(raw, np.ndarray):  # numbers read by columns (exchange.columnar)
        return _number_texts(raw, whole_as_int=True, decimal_comma=decimal_comma)
    if raw is not None:
        return [c if type(c) is str else _raw_text(c, decimal_comma) for c in raw]
    if column.kind == "hundredths":
        return _hundredths_texts(column.values, decimal_comma)
    if column.kind == "int":  # int() of each value, as the cells were written before
        values = np.trunc(np.asarray(column.values, dtype=np.float64))
        return _number_texts(values, whole_as_int=True, decimal_comma=decimal_comma)
    if column.kind == "number":
        return _number_texts(column.values, decimal_comma=decimal_comma)
    return [str(v) for v in column.values]


def _csv_field(text: str, delimiter: str) -> str:
    """A cell as the csv module writes it (minimal quoting), after :func:`guard_cell`."""
    text = guard_cell(text)
    if delimiter in text or any(c in text for c in _QUOTED):
        return '"' + text.replace('"', '""') + '"'
    return text


_QUOTED = ('"', "\r", "\n")
_ROWS_PER_WRITE = 20_000


def _numbers_only(column: OutColumn) -> bool:
    """Whether the column's text is numbers written by this module, which need neither a formula
    guard (a negative number stays a number) nor quotes (the decimal comma goes with ';')."""
    if column.raw is not None:
        return isinstance(column.raw, np.ndarray)
    return column.kind in ("int", "number", "hundredths")


def _fields(texts: list[str], delimiter: str) -> list[str]:
    """:func:`_csv_field` of every text, once per distinct text."""
    fields = {t: _csv_field(t, delimiter) for t in set(texts)}
    if all(fields[t] is t for t in fields):
        return texts
    return [fields[t] for t in texts]


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    handle, temporary = tempfile.mkstemp(prefix=".nolkumuh-", suffix=path.suffix, dir=path.parent or ".")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_csv(path: Path, table: OutputTable, *, decimal_comma: bool = False) -> None:
    """UTF-8 CSV with a comma; with ``decimal_comma``, decimal commas and a semicolon delimiter
    (what Excel opens directly under an Indonesian locale). Text that a spreadsheet would run as a
    formula is written with a quote in front (see :mod:`nolkumuh.exchange.formula`)."""
    delimiter = ";" if decimal_comma else ","
    columns = [text_values(c, decimal_comma) for c in table.columns]
    with _atomic(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([guard_cell(c.name) for c in table.columns])
        if len(columns) < 2:  # a lone empty cell is quoted by the csv module: leave it to it
            writer.writerows([guard_cell(t)] for t in (columns[0] if columns else []))
            return
        # the rows joined by columns of ready fields: the csv module's bytes, several times faster
        fields = [
            texts if _numbers_only(c) else _fields(texts, delimiter)
            for c, texts in zip(table.columns, columns, strict=True)
        ]
        for start in range(0, len(table), _ROWS_PER_WRITE):
            part = zip(*(f[start : start + _ROWS_PER_WRITE] for f in fields), strict=True)
            handle.write("".join([delimiter.join(row) + "\r\n" for row in part]))


def _cell_values(column: OutColumn) -> list[Any]:
    if column.kind == "hundredths":
        return (np.asarray(column.values) / 100).tolist()
    if column.kind == "int":
        return [int(v) if v == v else None for v in np.asarray(column.values).tolist()]
    if column.kind == "number":
        return [round(v, 9) if np.isfinite(v) else None for v in np.asarray(column.values).tolist()]
    return list(column.values)


def write_xlsx(
    path: Path, table: OutputTable, *, labels: Sequence[str] | None = None, by_cell: bool = False
) -> None:
    """One sheet (``rt`` or the level's name) with a bold frozen header, filters, 2-decimal
    percentages and class cells coloured by class. ``labels`` (one per column) add a row of words
    for people above the header row, which the import skips (FORMAT.md: title rows). The rows go
    in by columns (exchange.xlsx_rows); ``by_cell`` writes them through xlsxwriter cell by cell,
    the same XML (kept for comparison)."""
    top = 1 if labels else 0  # the header row
    with _atomic(path) as temporary:
        book = workbook(temporary, constant_memory=True, strings_to_numbers=False)
        sheet = book.add_worksheet(table.sheet_name)
        bold = book.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1, "text_wrap": True})
        two = book.add_format({"num_format": "0.00"})
        formats = {"hundredths": two}
        columns = [_cell_values(c) if by_cell or c.kind not in _NUMBER_KINDS else [] for c in table.columns]
        if labels:
            words = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#fff2cc"})
            for j, label in enumerate(labels):
                sheet.write_string(0, j, label, words)
        for j, column in enumerate(table.columns):
            sheet.write_string(top, j, column.name, bold)
            sheet.set_column(j, j, max(9, min(28, len(column.name) + 2)), formats.get(column.kind))
        fast = not by_cell and all(writable(values) for values in columns)
        if not fast:
            columns = [_cell_values(c) for c in table.columns]
        if not fast:  # a cell of another kind (a date read from a workbook): cell by cell
            _write_cells(sheet, columns, top + 1)
        sheet.freeze_panes(top + 1, 0)
        sheet.autofilter(top, 0, top + len(table), len(table.columns) - 1)
        names = [c.name for c in table.columns]
        if "tingkat" in names and len(table):
            j = names.index("tingkat")
            for code, colour in CLASS_COLOURS.items():
                fmt = book.add_format({"bg_color": colour})
                rule = {"type": "cell", "criteria": "==", "value": f'"{code}"', "format": fmt}
                sheet.conditional_format(top + 1, j, top + len(table), j, rule)
        book.close()
        if fast:  # the rows go in by columns (exchange.xlsx_rows): xlsxwriter per cell is slow
            cells = [
                _xml_cells(c, values, f' s="{two.xf_index}"')
                for c, values in zip(table.columns, columns, strict=True)
            ]
            insert_rows(temporary, cells, first_row=top + 1, last_column=len(table.columns) - 1)


def _xml_cells(column: OutColumn, values: list[Any] | np.ndarray, two: str) -> list[str]:
    """The sheet XML of a column's cells: the values of :func:`_cell_values`, as xlsxwriter writes them."""
    if column.kind == "hundredths":
        return number_cells(np.asarray(column.values) / 100, two)
    if column.kind == "int":
        return number_cells(column.values, convert=int)
    if column.kind == "number":
        return number_cells(column.values, convert=lambda v: round(v, 9))
    return column_cells(values)


_NUMBER_KINDS = ("hundredths", "int", "number")


def _write_cells(sheet: Any, columns: list[list[Any]], first_row: int) -> None:
    write_string, write_number = sheet.write_string, sheet.write_number
    for i, row in enumerate(zip(*columns, strict=True), start=first_row):
        for j, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(i, j, value)
            elif kind is int or kind is float:
                write_number(i, j, value)
            elif value is not None:
                sheet.write(i, j, value)


def write_table(
    path: Path, table: OutputTable, *, decimal_comma: bool = False, labels: Sequence[str] | None = None
) -> None:
    """Write by the extension of ``path`` (.csv or .xlsx); ``labels`` only in a workbook (a CSV keeps
    the one header row that programs read)."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, table, labels=labels)
    else:
        write_csv(path, table, decimal_comma=decimal_comma)


def write_rows_xlsx(
    path: Path, rows: list[dict[str, Any]], *, sheet: str = "rt", first_sheet: str | None = None
) -> Path:
    """Rows of plain values (the keys of the first row are the header) as one sheet, text kept as
    text; ``first_sheet`` puts an instruction sheet before it."""
    book = workbook(path, constant_memory=True)
    if first_sheet:
        book.add_worksheet(first_sheet).write(0, 0, "Petunjuk pengisian")
    worksheet = book.add_worksheet(sheet)
    names = list(rows[0]) if rows else []
    for j, name in enumerate(names):
        worksheet.write_string(0, j, name)
    for i, row in enumerate(rows, start=1):
        for j, name in enumerate(names):
            value = row[name]
            if isinstance(value, str):
                worksheet.write_string(i, j, value)
            elif value is not None:
                worksheet.write(i, j, value)
    book.close()
    return path
