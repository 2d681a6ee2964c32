"""Reading a sheet of RT data by columns (fastexcel: calamine into Arrow), for large workbooks.

A column of numbers arrives as one float array instead of a Python object per cell, which makes
a 200,000-row sheet several times faster to read, to check and to pass between processes. The
result is exactly what the cell-by-cell reader (:func:`nolkumuh.exchange.read.read_xlsx`) gives;
whenever this reader could differ from it (a column mixing numbers and text, dates, true/false
cells, a header that is not in row 1, a header cell that is a number or repeated), it returns None
and the caller reads cell by cell, so every message about a faulty file stays the same. Title rows
above the header (FORMAT.md) are read cell by cell for the same reason.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import fastexcel
import numpy as np
import pyarrow as pa

from nolkumuh.exchange.read import Column, RawSheet, is_header_row

# fastexcel logs a warning for an empty column; the child's stderr is the user's terminal
logging.getLogger("fastexcel").setLevel(logging.ERROR)

# Header cells that the cell reader would give as numbers or true/false, not as text.
_NOT_TEXT = re.compile(r"^[+-]?[0-9.,eE+-]+$|^(true|false)$", re.IGNORECASE)
_RENAMED = re.compile(r"^(.*)_[0-9]+$")  # fastexcel's name for a repeated header: rt, rt_1


def _header(data: fastexcel.ExcelSheet) -> list[str] | None:
    """The header row's names as the cell reader gives them, or None where they could differ."""
    names = ["" if c.column_name_from == "generated" else c.name.strip() for c in data.available_columns()]
    if not is_header_row(names) or any(_NOT_TEXT.match(n) for n in names if n):
        return None
    given = set(names)
    if any((m := _RENAMED.match(n)) and m.group(1) in given for n in names):
        return None  # a repeated name: the cell reader reports it as written
    return names


def _column(array: pa.ChunkedArray | pa.Array) -> tuple[Column, np.ndarray] | None:
    """A column's cells (a float array when every cell holds a number) and where it is empty."""
    kind = array.type
    if pa.types.is_null(kind):
        return [""] * len(array), np.ones(len(array), dtype=bool)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _texts(array)
    empty = array.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_floating(kind) or pa.types.is_integer(kind):
        values = array.to_numpy(zero_copy_only=False).astype(np.float64)
        if not empty.any():
            return values, empty
        cells: list[Any] = [int(v) if v.is_integer() else v for v in values.tolist()]
        for i in np.flatnonzero(empty).tolist():
            cells[i] = ""
        return cells, empty
    return None  # dates, times, true/false: read cell by cell


def _texts(array: pa.ChunkedArray | pa.Array) -> tuple[list[str], np.ndarray]:
    """A column of text, each distinct text one object (an empty cell is ""), and where it is
    blank. Equal texts share one object, so they are checked once and pickled once: the guard's
    child passes them back as a reference to the first (ADR 0012)."""
    whole = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    coded = whole.dictionary_encode()
    distinct = [*coded.dictionary.to_pylist(), ""]
    index = coded.indices.fill_null(len(distinct) - 1).to_numpy(zero_copy_only=False)
    blank = np.array([not t.strip() for t in distinct], dtype=bool)
    return np.array(distinct, dtype=object)[index].tolist(), blank[index]


def read_xlsx_columns(path: Path, name: str) -> RawSheet | None:
    """Sheet ``name`` of the workbook as a columnar :class:`RawSheet` when its header is in row 1,
    or None (see the module)."""
    try:
        data = fastexcel.read_excel(str(path)).load_sheet(
            name, header_row=0, skip_rows=0, dtype_coercion="strict"
        )
        header = _header(data)
        if header is None:
            return None
        table = data.to_arrow()
    except fastexcel.FastExcelError:
        return None
    if table.num_columns != len(header):
        return None
    read = [_column(c) for c in table.columns]
    if any(r is None for r in read):
        return None
    blank = np.logical_and.reduce([r[1] for r in read if r is not None])
    keep = np.flatnonzero(~blank)
    columns: list[Column] = []
    for cells, _empty in (r for r in read if r is not None):
        if isinstance(cells, np.ndarray):
            columns.append(cells[keep])
        else:
            columns.append(cells if keep.size == len(cells) else [cells[i] for i in keep.tolist()])
    return RawSheet(
        names=header,
        row_numbers=(keep + 2).tolist(),  # the header is row 1
        kind="xlsx",
        header_row=1,
        sheet_name=name,
        columns=columns,
    )
