"""The rows and columns every sheet of a workbook uses, checked before any reader sees them.

Spreadsheet readers allocate the whole rectangle between the first and the last cell they are
told of: one cell in A1 and one in XFD1048576 (a 1.6 KB file) asks for 17 billion cells. The
sheet's ``<dimension>`` may lie, so every ``<row>`` and ``<c>`` reference of every part is scanned
while it is unpacked with its real size counted; rows without a number count as the next row and
cells without a reference as the next column (ADR 0007).

The scan runs at the speed of a few passes in C over each unpacked block: the block is first
translated (letters to upper case, every XML space to a blank, quotes to ``"``) so that the
pattern of a reference beyond the limits begins with a plain string the regular expression engine
searches for quickly, while it still matches every way XML lets the attribute be written; rows and
cells are counted with ``bytes.count`` over runs of whole rows, and counted exactly (tag by tag)
only where a rough count comes near a limit.
"""

from __future__ import annotations

import re
import string
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

from nolkumuh.guard.limits import MB, Limits
from nolkumuh.scoring.issues import InvalidInput, Issue

_CHUNK = 1 << 20
_OVERLAP = 64  # longest reference the pattern matches, carried from one block into the next
# upper case letters, every character ``\s`` matches as a blank, single quotes as double ones
_FOLD = bytes.maketrans(
    string.ascii_lowercase.encode() + b"\t\n\r\f\v'", string.ascii_uppercase.encode() + b'     "'
)


def column_letters(number: int) -> str:
    """Spreadsheet column letters of a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _above(limit: str, digits: bool) -> bytes:
    """A pattern matching a row number (digits) or column letters greater than ``limit``."""
    alphabet = "0123456789" if digits else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    any_char = "[0-9]" if digits else "[A-Z]"
    first = "[1-9]" if digits else "[A-Z]"
    options = [f"{first}{any_char}{{{len(limit)},}}"]  # more characters than the limit has
    for i, char in enumerate(limit):
        higher = alphabet[alphabet.index(char) + 1 :]
        if higher:
            rest = len(limit) - i - 1
            options.append(f"{re.escape(limit[:i])}[{higher[0]}-{higher[-1]}]{any_char}{{{rest}}}")
    end = "(?![0-9])" if digits else "(?=[0-9])"
    return f"(?:{'|'.join(options)}){end}".encode()


def sheet_pattern(limits: Limits) -> re.Pattern[bytes]:
    """Matches, in a block folded by ``_FOLD``, a cell or row reference (``r="XFD1"``) beyond the
    limits; group 1 is its row part.

    XML lets the attribute be written ``r = 'xfd1'`` (spaces, single quotes) and the reader takes
    column letters in either case and row numbers with leading zeros (``A01048576`` is row
    1,048,576), so the pattern does too. It begins with the plain string ``" R"``: the engine
    looks for that at the speed of a search and tries the rest only there."""
    rows = _above(str(limits.sheet_rows), digits=True)
    columns = _above(column_letters(limits.sheet_columns), digits=False)
    quote = rb' R {0,8}= {0,8}"\$?'  # within the 64 bytes carried between blocks
    return re.compile(quote + rb"(?:[A-Z]{0,3}\$?0*(" + rows + rb")|" + columns + rb")")


_DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]{0,20}:)?dimension\s[^>]{0,200}?ref\s*=\s*["']([A-Za-z0-9:$]{1,40})["']"""
)


def _refused(sheet: str, limits: Limits, *, rows: bool) -> InvalidInput:
    if rows:
        params = {"sheet": sheet, "limit": f"{limits.sheet_rows:,}".replace(",", ".")}
        return InvalidInput([Issue("sheet_rows", params=params)])
    params = {"sheet": sheet, "limit": column_letters(limits.sheet_columns)}
    return InvalidInput([Issue("sheet_columns", params=params)])


def _check_dimension(head: bytes, sheet: str, limits: Limits) -> None:
    """The sheet's declared range (``<dimension ref="A1:XFD1048576"/>``) within the limits."""
    found = _DIMENSION.search(head)
    if not found:
        return
    pattern = sheet_pattern(limits)
    for corner in found.group(1).split(b":"):
        match = pattern.search(b' R="' + corner.upper() + b'"')
        if match:
            raise _refused(sheet, limits, rows=match.group(1) is not None)


def _chunks(archive: zipfile.ZipFile, name: str, limits: Limits) -> Iterator[bytes]:
    """The entry unpacked block by block, its real size counted (headers may lie)."""
    total = 0
    with archive.open(name) as stream:
        while block := stream.read(_CHUNK):
            total += len(block)
            if total > limits.zip_unpacked_bytes:
                raise InvalidInput(
                    [Issue("archive_unpacked", params={"limit": limits.zip_unpacked_bytes // MB})]
                )
            yield block


_SHEET_ENTRY = re.compile(
    rb'<(?:[\w.-]{1,20}:)?sheet\s[^>]{0,400}?name="([^"]{1,100})"[^>]{0,400}?:id="([^"]{1,40})"'
)
_RELATION = re.compile(rb'<Relationship\s[^>]{0,400}?Id="([^"]{1,40})"[^>]{0,400}?Target="([^"]{1,200})"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet file -> the sheet's name as the user sees it (the file's stem where unknown)."""
    try:
        book = archive.read("xl/workbook.xml")[: 4 * MB] if "xl/workbook.xml" in archive.namelist() else b""
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = archive.read(rels_name)[: 4 * MB] if rels_name in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        return {}
    targets = dict(_RELATION.findall(rels))
    names: dict[str, str] = {}
    for name, rid in _SHEET_ENTRY.findall(book):
        target = targets.get(rid, b"").decode("utf-8", "replace")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[path] = name.decode("utf-8", "replace")
    return names


_ROW = re.compile(rb"<(?:[\w.-]{1,20}:)?row[\s>/]")
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,20}:)?row\s*>")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?c[\s>/]")


def _cells(part: bytes, room: int, prefixed: bool) -> int:
    """Cells in ``part``, exactly where it matters: ``<c`` counts an upper bound (inside sheet data
    no other tag starts so); the exact count is taken only where that bound passes ``room``."""
    rough = len(_CELL.findall(part)) if prefixed else part.count(b"<c")
    return rough if prefixed or rough <= room else len(_CELL.findall(part))


def _cells_per_row_exactly(data: bytes, carried: int, sheet: str, limits: Limits) -> int:
    """:func:`_cells_per_row` row by row, for tags with a namespace prefix (``<x:c>``)."""
    prefixed = _prefixed(data)
    parts = _ROW_END.split(data) if prefixed else data.split(b"</row>")
    limit = limits.sheet_columns
    for part in parts[:-1]:
        if carried + _cells(part, limit - carried, prefixed) > limit:
            raise _refused(sheet, limits, rows=False)
        carried = 0
    carried += _cells(parts[-1], limit - carried, prefixed)
    if carried > limit:
        raise _refused(sheet, limits, rows=False)
    return carried


def _prefixed(data: bytes) -> bool:
    """Whether ``data`` may hold tags with a namespace prefix (``<x:c>``, ``</x:row>``); most
    sheets have no colon at all, which one ``memchr`` finds out."""
    return b":" in data and (b":c" in data or b":row" in data)


def _cells_per_row(data: bytes, carried: int, sheet: str, limits: Limits, *, prefixed: bool) -> int:
    """Cells of each row of ``data`` (the row left open at its end carries over to the next block)
    against the column limit: one row of 16,384 cells without ``r`` asks for as much as XFD.

    Runs of whole rows are counted at once: when a run holds no more ``<c`` than one row may,
    none of its rows holds more. Only a run above that is counted row by row."""
    if prefixed:  # namespace prefixes: the regular expressions
        return _cells_per_row_exactly(data, carried, sheet, limits)
    limit = limits.sheet_columns
    end = data.find(b"</row>")
    if end < 0:
        return _cells_per_row_exactly(data, carried, sheet, limits)
    if carried + _cells(data[:end], limit - carried, False) > limit:
        raise _refused(sheet, limits, rows=False)
    start, span = end + 6, 4096
    while (last := data.rfind(b"</row>", start, start + span)) >= 0 or (
        (last := data.find(b"</row>", start)) >= 0  # one row longer than the span
    ):
        found = data.count(b"<c", start, last)
        if found > limit:
            _cells_per_row_exactly(data[start:last] + b"</row>", 0, sheet, limits)
            span = max(1024, span // 2)
        elif found < limit // 2:  # room for more rows in one count
            span *= 2
        start = last + 6
    return _cells_per_row_exactly(data[start:], 0, sheet, limits)


class _RoughCountPassed(Exception):
    """The rough count of rows passed the limit: count them again tag by tag."""


def _scan_sheet(archive: zipfile.ZipFile, name: str, sheet: str, limits: Limits, *, exact: bool) -> None:
    """Every reference, row and cell of the part ``name`` within the limits. Rows are counted as
    ``<row`` strings (an upper bound) unless ``exact`` or the block has prefixed tags."""
    pattern = sheet_pattern(limits)
    tail, cells, rows, in_row = b"", False, 0, 0
    for block in _chunks(archive, name, limits):
        if not tail:
            _check_dimension(block[:65536], sheet, limits)
        window = tail + block
        fresh = block
        if not cells:  # other parts use an ``r`` attribute too (a theme's rectangles)
            start = window.find(b"sheetData")
            cells = start >= 0
            window = fresh = window[start:] if cells else window
        if cells:  # cells need not carry their column either: count them per row
            prefixed = _prefixed(window)  # ``window`` holds ``fresh``: never less careful
            in_row = _cells_per_row(fresh, in_row, sheet, limits, prefixed=prefixed)
            match = pattern.search(window.translate(_FOLD))
            # rows need not carry their number (each one is the next): count the elements too
            if exact or prefixed:
                rows += len(_ROW.findall(window)) - len(_ROW.findall(tail))
            else:
                rows += window.count(b"<row") - tail.count(b"<row")
            if rows > limits.sheet_rows:
                if not exact:
                    raise _RoughCountPassed
                raise _refused(sheet, limits, rows=True)
            if match:
                raise _refused(sheet, limits, rows=match.group(1) is not None)
        tail = window[-_OVERLAP:]


def check_sheets(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Every part of the workbook holding sheet data within the row and column limits."""
    # The workbook's relations may put a sheet anywhere in the archive under any name: every part
    # but the pictures is scanned from its cells on (the zip limits bound what that costs).
    parts = [n for n in archive.namelist() if not n.lower().startswith("xl/media/") and not n.endswith("/")]
    shown = _sheet_names(archive) if parts else {}
    for name in parts:
        sheet = shown.get(name, PurePosixPath(name).stem)
        try:
            try:
                _scan_sheet(archive, name, sheet, limits, exact=False)
            except _RoughCountPassed:
                _scan_sheet(archive, name, sheet, limits, exact=True)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
            detail = type(exc).__name__
            raise InvalidInput(
                [Issue("unreadable_file", params={"kind": "XLSX", "detail": detail})]
            ) from None
