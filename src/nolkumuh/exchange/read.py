"""Reading a CSV or XLSX file into a header and rows of raw cells, keeping spreadsheet row numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from nolkumuh.exchange.formula import unguard_cell
from nolkumuh.guard import Limits, check_file, run_isolated
from nolkumuh.scoring.issues import InvalidInput, Issue

# Column names that show a sheet holds RT data (used to pick the sheet and to explain errors).
_MARKERS = {"tahun", "rw", "rt", "luas", "jumlah_kk"}

Progress = Callable[[Iterable[Any], int | None], Iterable[Any]]


def no_progress(rows: Iterable[Any], total: int | None) -> Iterable[Any]:
    return rows


@dataclass
class RawSheet:
    """The header row's names, the data rows (raw cells) and each data row's spreadsheet number."""

    names: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    kind: str  # "csv" or "xlsx"
    header_row: int = 1  # spreadsheet number of the header row
    sheet_name: str = ""  # the XLSX sheet read


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


def _collect(rows: Iterable[list[Any]], kind: str, first_number: int = 1) -> RawSheet:
    names: list[str] | None = None
    header_row = first_number
    data: list[list[Any]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows, start=first_number):
        if _is_blank(row):
            continue
        if names is None:
            names = [str(c).strip() if c is not None else "" for c in row]
            header_row = number
            continue
        data.append(row)
        numbers.append(number)
    if names is None:
        raise InvalidInput([Issue("empty_file")])
    width = len(names)
    for row in data:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return RawSheet(names=names, rows=data, row_numbers=numbers, kind=kind, header_row=header_row)


def read_csv(path: Path, *, delimiter: str | None = None, progress: Progress = no_progress) -> RawSheet:
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
        return _collect(progress(rows, None), "csv")
    except csv.Error as exc:
        raise InvalidInput([Issue("unreadable_file", params={"kind": "CSV", "detail": str(exc)})]) from None


def _pick_sheet(workbook: CalamineWorkbook, wanted: str) -> str:
    names = workbook.sheet_names
    for name in names:
        if name.strip().lower() == wanted:
            return name
    return names[0]


def read_xlsx(
    path: Path, *, progress: Progress = no_progress, sheet: str = "rt", rt_data: bool = True
) -> RawSheet:
    """The sheet named ``sheet`` if there is one, otherwise the first sheet. For RT data
    (``rt_data``) another sheet must show RT columns; other imports check their own columns."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        name = _pick_sheet(workbook, sheet)
        sheet = workbook.get_sheet_by_name(name)
        rows: Iterator[list[Any]] = ([_xlsx_cell(c) for c in row] for row in sheet.iter_rows())
        raw = _collect(progress(rows, sheet.height), "xlsx")
        raw.sheet_name = name
    except (CalamineError, OSError, ValueError) as exc:
        detail = type(exc).__name__
        raise InvalidInput([Issue("unreadable_file", params={"kind": "XLSX", "detail": detail})]) from None
    except InvalidInput:
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

    The file is untrusted: it passes the file guard (kind, size, rows and columns) first and is
    parsed in a child process with memory and time limits, so a hostile file cannot take the caller
    down. ``progress`` must be a module-level function (it runs in the child)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InvalidInput([Issue("unsupported_format", value=path.name)])
    check_file(path, kinds={"csv", "xlsx"}, limits=limits)
    kind = "CSV" if suffix == ".csv" else "XLSX"
    options = {"progress": progress, "sheet": sheet, "rt_data": rt_data}
    return run_isolated(read_sheet_unguarded, path, kind=kind, **options)


def read_sheet_unguarded(
    path: Path, *, progress: Progress = no_progress, sheet: str = "rt", rt_data: bool = True
) -> RawSheet:
    """:func:`read_sheet` without the guard, for files this program wrote itself."""
    if path.suffix.lower() == ".csv":
        return read_csv(path, progress=progress)
    return read_xlsx(path, progress=progress, sheet=sheet, rt_data=rt_data)
