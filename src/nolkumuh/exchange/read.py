"""Reading a CSV or XLSX file into a header and rows of raw cells, keeping spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from python_calamine import CalamineError, CalamineWorkbook

from nolkumuh.exchange.formula import unguard_cell
from nolkumuh.guard import Limits, check_content, check_file, run_isolated
from nolkumuh.scoring.issues import InvalidInput, Issue

# Column names that show a sheet holds RT data (used to pick the sheet and to explain errors).
_MARKERS = {"tahun", "rw", "rt", "luas", "jumlah_kk"}
# FORMAT.md: the header row of RT data is the first row holding both of these; up to TITLE_ROWS
# rows of titles or human labels (the template's "1a Ketidakteraturan bangunan (unit)") stand above.
_HEADER_MARKERS = {"tahun", "rt"}
TITLE_ROWS = 5
_HEADER_SEARCH = 50  # rows searched for a header row before the first row is taken as the header

Progress = Callable[[Iterable[Any], int | None], Iterable[Any]]


def no_progress(rows: Iterable[Any], total: int | None) -> Iterable[Any]:
    return rows


Column = list[Any] | np.ndarray  # a column's cells, or its numbers when every cell holds one


class RawSheet:
    """The header row's names, the data rows (raw cells) and each data row's spreadsheet number.

    Held by rows (as read from CSV, or built by a program) or by columns (a large XLSX read
    columnar, where a column of numbers is one float array); each view is built from the other
    when asked for. A number in a cell reads as an int when it is whole (2017.0 is 2017)."""

    def __init__(
        self,
        names: list[str],
        rows: list[list[Any]] | None = None,
        row_numbers: list[int] | None = None,
        kind: str = "csv",
        header_row: int = 1,
        sheet_name: str = "",
        titles: list[tuple[int, list[Any]]] | None = None,
        *,
        columns: list[Column] | None = None,
    ) -> None:
        self.names = names
        self._rows = rows
        self._columns = columns
        self.row_numbers = row_numbers if row_numbers is not None else []
        self.kind = kind  # "csv" or "xlsx"
        self.header_row = header_row  # spreadsheet number of the header row
        self.sheet_name = sheet_name  # the XLSX sheet read
        self.titles = titles if titles is not None else []  # (number, cells) above the header

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            columns = [self.cells(j) for j in range(len(self.names))]
            self._rows = [list(row) for row in zip(*columns, strict=True)]
        return self._rows

    @rows.setter
    def rows(self, rows: list[list[Any]]) -> None:
        self._rows, self._columns = rows, None

    def _identity(self) -> tuple[Any, ...]:
        cells = [self.cells(j) for j in range(len(self.names))]
        return (self.names, cells, self.row_numbers, self.kind, self.header_row, self.sheet_name, self.titles)

    def __eq__(self, other: object) -> bool:
        """The same header, cells (whether held by rows or by columns), row numbers and titles."""
        if not isinstance(other, RawSheet):
            return NotImplemented
        return self._identity() == other._identity()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return f"RawSheet({self.kind}, {len(self.names)} columns, {len(self.row_numbers)} rows)"

    def column(self, position: int) -> Column:
        """The cells of one column, or a float array when they are all numbers (columnar reads)."""
        if self._columns is not None:
            return self._columns[position]
        return [row[position] for row in self.rows]

    def cells(self, position: int) -> list[Any]:
        """The cells of one column as Python values (whole numbers as int)."""
        column = self.column(position)
        if isinstance(column, np.ndarray):
            return [int(v) if v.is_integer() else v for v in column.tolist()]
        return column


def normalize_name(name: object) -> str:
    """Column names are matched case-insensitively; spaces and hyphens count as underscores."""
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def _is_blank(row: list[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _xlsx_cell(cell: Any) -> Any:
    # Excel stores every number as a float; whole numbers come back as int (2017.0 -> 2017).
    if type(cell) is float and cell.is_integer():
        return int(cell)
    return cell


def is_header_row(row: list[Any]) -> bool:
    return {normalize_name(c) for c in row if c is not None} >= _HEADER_MARKERS


def _header_index(rows: list[tuple[int, list[Any]]]) -> int:
    """Which of the first non-blank rows is the header: the first holding tahun and rt, with at
    most TITLE_ROWS rows above it; the first row when none does (its missing columns are reported)."""
    found = next((i for i, (_, row) in enumerate(rows) if is_header_row(row)), None)
    if found is None:
        return 0
    if found > TITLE_ROWS:
        params = {"header": rows[found][0], "above": found, "limit": TITLE_ROWS}
        raise InvalidInput([Issue("too_many_title_rows", rows[found][0], None, None, params)])
    return found


def _collect(
    rows: Iterable[list[Any]], kind: str, first_number: int = 1, *, rt_data: bool = True
) -> RawSheet:
    """The header row, the data rows below it and their spreadsheet numbers (blank rows skipped).

    For RT data the header is found as FORMAT.md says; the rows above it are titles and are dropped.
    """
    names: list[str] | None = None
    header_row = first_number
    data: list[list[Any]] = []
    numbers: list[int] = []
    ahead: list[tuple[int, list[Any]]] = []  # the first non-blank rows, until the header is known
    titles: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=first_number):
        if _is_blank(row):
            continue
        if names is None:
            ahead.append((number, row))
            if rt_data and len(ahead) < _HEADER_SEARCH and not is_header_row(row):
                continue
            names, header_row, data, numbers, titles = _split_header(ahead, rt_data)
            continue
        data.append(row)
        numbers.append(number)
    if names is None and ahead:
        names, header_row, data, numbers, titles = _split_header(ahead, rt_data)
    if names is None:
        raise InvalidInput([Issue("empty_file")])
    width = len(names)
    for row in data:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    sheet = RawSheet(names=names, rows=data, row_numbers=numbers, kind=kind, header_row=header_row)
    sheet.titles = titles
    return sheet


def _split_header(
    ahead: list[tuple[int, list[Any]]], rt_data: bool
) -> tuple[list[str], int, list[list[Any]], list[int], list[tuple[int, list[Any]]]]:
    """(header names, header row number, data rows, their numbers, the title rows above)."""
    at = _header_index(ahead) if rt_data else 0
    number, header = ahead[at]
    names = [str(c).strip() if c is not None else "" for c in header]
    below = ahead[at + 1 :]
    return names, number, [row for _, row in below], [n for n, _ in below], ahead[:at]


def read_csv(
    path: Path, *, delimiter: str | None = None, progress: Progress = no_progress, rt_data: bool = True
) -> RawSheet:
    """UTF-8 CSV (a BOM from Excel is fine); the delimiter is a comma, or a semicolon when the
    header row uses semicolons (as Excel writes CSV under an Indonesian locale)."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([Issue("not_utf8")]) from None
    first_line = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # cells written with a protective quote (formula-like text) read back as they were meant
    rows = ([unguard_cell(cell) for cell in row] for row in reader)
    try:
        return _collect(progress(rows, None), "csv", rt_data=rt_data)
    except csv.Error as exc:
        raise InvalidInput([Issue("unreadable_file", params={"kind": "CSV", "detail": str(exc)})]) from None


def _pick_sheet(workbook: CalamineWorkbook, wanted: str) -> str:
    names = workbook.sheet_names
    for name in names:
        if name.strip().lower() == wanted:
            return name
    return names[0]


def read_xlsx(
    path: Path,
    *,
    progress: Progress = no_progress,
    sheet: str = "rt",
    rt_data: bool = True,
    columnar: bool = True,
) -> RawSheet:
    """The sheet named ``sheet`` if there is one, otherwise the first sheet. For RT data
    (``rt_data``) another sheet must show RT columns; other imports check their own columns.
    RT data is read by columns where that gives the same (``columnar``; see exchange.columnar)."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        name = _pick_sheet(workbook, sheet)
        if rt_data and columnar:  # RT data by columns where that reads the same (exchange.columnar)
            from nolkumuh.exchange.columnar import read_xlsx_columns  # it builds on this module

            columnar = read_xlsx_columns(path, name)
            if columnar is not None:
                return columnar
        sheet = workbook.get_sheet_by_name(name)
        rows: Iterator[list[Any]] = ([_xlsx_cell(c) for c in row] for row in sheet.iter_rows())
        raw = _collect(progress(rows, sheet.height), "xlsx", rt_data=rt_data)
        raw.sheet_name = name
    except (CalamineError, OSError, ValueError) as exc:
        detail = type(exc).__name__
        raise InvalidInput([Issue("unreadable_file", params={"kind": "XLSX", "detail": detail})]) from None
    except InvalidInput as exc:
        if any(i.code == "too_many_title_rows" for i in exc.issues):
            raise
        raise InvalidInput([Issue("no_sheet", params={"sheet": name})]) from None
    if rt_data and name.strip().lower() != sheet and not _MARKERS & {normalize_name(n) for n in raw.names}:
        raise InvalidInput([Issue("no_sheet", params={"sheet": name})])
    return raw


def read_sheet(
    path: Path,
    *,
    progress: Progress = no_progress,
    sheet: str = "rt",
    rt_data: bool = True,
    limits: Limits | None = None,
) -> RawSheet:
    """Read ``path`` by its extension (.csv, .xlsx); see :func:`read_xlsx` for the sheet chosen.

    The file is untrusted: it passes the file guard (kind, size, rows and columns) before it is
    parsed, in a child process with memory and time limits, so a hostile file cannot take the caller
    down. ``progress`` must be a module-level function (it runs in the child)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InvalidInput([Issue("unsupported_format", value=path.name)])
    kind = "CSV" if suffix == ".csv" else "XLSX"
    options = {"progress": progress, "sheet": sheet, "rt_data": rt_data}
    # The guard's cheap checks run while the child starts and must pass before it reads the file;
    # its scan of every cell reference runs while the child reads (ADR 0007, 2026-12-02 later).
    check = partial(check_file, path, kinds={"csv", "xlsx"}, limits=limits, content=False)
    scan = partial(check_content, path, kind.lower(), limits)
    readers = () if kind == "CSV" else ("nolkumuh.exchange.columnar",)
    return run_isolated(
        read_sheet_unguarded,
        path,
        kind=kind,
        meanwhile=check,
        alongside=scan,
        preload=readers,
        guard_limits=limits,
        **options,
    )


def read_sheet_unguarded(
    path: Path, *, progress: Progress = no_progress, sheet: str = "rt", rt_data: bool = True
) -> RawSheet:
    """:func:`read_sheet` without the guard, for files this program wrote itself."""
    if path.suffix.lower() == ".csv":
        return read_csv(path, progress=progress, rt_data=rt_data)
    return read_xlsx(path, progress=progress, sheet=sheet, rt_data=rt_data)
