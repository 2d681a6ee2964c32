"""The data rows of a large output workbook, written as sheet XML by columns.

xlsxwriter writes everything around the data (formats, column widths, the header, frozen panes,
filters, class colours); calling it once per cell for 200,000 rows x 75 columns took 90 s. Here
each column's cells are formatted once per distinct value and the rows are joined as text, then put
into the sheet xlsxwriter wrote (docs/adr/0012-files-at-the-speed-of-the-disk.md). A cell is
written as xlsxwriter writes it (the same number text, inline strings with the same escapes), so
the workbook reads back to the same values.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from xlsxwriter.utility import xl_col_to_name

# xlsxwriter's limits and escapes for text cells (worksheet.write_string, XMLwriter)
STRING_MAX = 32767
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_ROWS_PER_PART = 10_000
_ZIP64_CELLS = 40_000_000  # past this many cells the sheet may pass 2 GiB: a zip64 entry
_SHEET_DATA_END = b"</sheetData>"
_DIMENSION = re.compile(rb'<dimension ref="[A-Z0-9:]+"/>')


def text_cell(text: str) -> str:
    """The end of a ``<c>`` element holding ``text`` as an inline string ('' for no cell)."""
    if not text:
        return ""
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text[:STRING_MAX])
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def number_cell(value: float | int, style: str = "") -> str:
    """The end of a ``<c>`` element holding a number, in xlsxwriter's number text."""
    return f"{style}><v>{value:.16G}</v></c>"


def _by_value(values: list[Any], cell: Any) -> list[str]:
    """``cell`` of every value, computed once per distinct value (text alone: by value; mixed
    cells by type and value, as 1, 1.0 and True are one key to a dict)."""
    if all(type(v) is str for v in values):
        done = {v: cell(v) for v in set(values)}
        return [done[v] for v in values]
    keyed = {(type(v), v): v for v in values}
    typed = {key: cell(v) for key, v in keyed.items()}
    return [typed[(type(v), v)] for v in values]


def _value_cell(value: Any, style: str) -> str:
    if isinstance(value, str):  # numpy's str_ too, which xlsxwriter.write takes as text
        return text_cell(str(value))
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | np.integer | np.floating):
        return number_cell(value, style)
    if value is None:
        return ""
    raise TypeError(type(value).__name__)


def distinct_numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a column of numbers and, per cell, the index of its value there, so
    that each distinct number is formatted once; -0.0 kept apart from 0.0 (np.unique joins them)."""
    if np.signbit(values[values == 0]).any():
        return values, np.arange(values.size)
    return np.unique(values, return_inverse=True)


def number_cells(values: np.ndarray, style: str = "", *, convert: Any = None) -> list[str]:
    """Every cell of a column of numbers (NaN leaves the cell out), each distinct number formatted
    once; ``convert`` turns a number into the value written (round, int, ...)."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return []
    distinct, inverse = distinct_numbers(values)
    cells = [number_cell(convert(v) if convert else v, style) if v == v else "" for v in distinct.tolist()]
    return np.array(cells, dtype=object)[inverse.reshape(-1)].tolist()


def column_cells(values: Sequence[Any], style: str = "") -> list[str]:
    """Every cell of a column of Python values (None and '' leave the cell out)."""
    if isinstance(values, np.ndarray):
        values = values.tolist()
    return _by_value(list(values), lambda v: _value_cell(v, style))


def writable(values: Sequence[Any]) -> bool:
    """Whether every value is one this module writes as xlsxwriter would (text, number, bool)."""
    if isinstance(values, np.ndarray):
        return values.dtype.kind in "fiub"
    return all(type(v) is str for v in values) or all(v is None or isinstance(v, _WRITABLE) for v in values)


_WRITABLE = (str, int, float, np.integer, np.floating)


# Stands for the row number in a cell's reference until the row is joined; never in cell text,
# where control characters are escaped (_x0000_).
_ROW = "\x00"


def _with_references(column: list[str], letter: str) -> list[str]:
    """The cells of a column with their reference (``<c r="B\x00"...``), once per distinct cell."""
    whole = {end: f'<c r="{letter}{_ROW}"{end}' if end else "" for end in set(column)}
    return [whole[end] for end in column]


def _rows(columns: list[list[str]], first_row: int) -> Iterator[bytes]:
    referenced = [_with_references(c, xl_col_to_name(j)) for j, c in enumerate(columns)]
    n = len(columns[0]) if columns else 0
    for start in range(0, n, _ROWS_PER_PART):
        stop = min(n, start + _ROWS_PER_PART)
        part = zip(*(column[start:stop] for column in referenced), strict=True)
        rows = []
        for number, row in enumerate(part, start=first_row + start + 1):
            r = str(number)
            rows.append(f'<row r="{r}">' + "".join(row).replace(_ROW, r) + "</row>")
        yield "".join(rows).encode("utf-8")


def insert_rows(path: Path, columns: list[list[str]], *, first_row: int, last_column: int) -> None:
    """Put the rows (cells ends by column, see :func:`column_cells`) below the header of the one
    sheet of the workbook at ``path``, starting at 0-based ``first_row``."""
    n = len(columns[0]) if columns else 0
    if n == 0:
        return
    moved = path.with_name(path.name + ".part")
    shutil.move(path, moved)
    with (
        zipfile.ZipFile(moved) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, data)
                continue
            end = f"{xl_col_to_name(last_column)}{first_row + n}"
            data = _DIMENSION.sub(f'<dimension ref="A1:{end}"/>'.encode(), data, count=1)
            at = data.index(_SHEET_DATA_END)
            # by name: the archive's fast deflate (level 1: the file is about 1.3 x larger)
            with target.open(info.filename, "w", force_zip64=n * len(columns) > _ZIP64_CELLS) as out:
                out.write(data[:at])
                for part in _rows(columns, first_row):
                    out.write(part)
                out.write(data[at:])
    moved.unlink()
