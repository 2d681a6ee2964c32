"""Checking a file from outside before any parser sees it: its kind by content, its size, the
inside of zip containers, and the rows and columns a spreadsheet claims.

Spreadsheet readers allocate the whole rectangle between the first and the last cell they are
told of: one cell in A1 and one in XFD1048576 (a 1.6 KB file) asks for 17 billion cells. So every
``<row>`` and ``<c>`` reference of every sheet is scanned (in C, by a regular expression that only
matches references beyond the limits) while the sheet is unpacked with its real size counted.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath

from nolkumuh.guard.limits import MB, Limits, limits_from_env
from nolkumuh.scoring.issues import InvalidInput, Issue

KIND_NAMES = {
    "csv": "CSV",
    "xlsx": "Excel (.xlsx)",
    "geojson": "GeoJSON",
    "gpkg": "GeoPackage",
    "zip": "ZIP",
    "kml": "KML",
    "kmz": "KMZ",
    "fgb": "FlatGeobuf",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WebP",
    "tiff": "TIFF",
}
# What a file name's ending promises; the content must keep the promise.
SUFFIX_KIND = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".kml": "kml",
    ".kmz": "kmz",
    ".fgb": "fgb",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".webp": "webp",
    ".tif": "tiff",
    ".tiff": "tiff",
}
_CHUNK = 1 << 20
_OVERLAP = 64  # longest reference the pattern matches, carried from one block into the next


def check_file(path: Path, *, kinds: Collection[str], limits: Limits | None = None) -> str:
    """The kind of ``path`` (one of ``kinds``) once it passed every limit; raises InvalidInput."""
    limits = limits or limits_from_env()
    size = path.stat().st_size
    if size == 0:
        raise InvalidInput([Issue("file_empty")])
    largest = max(limits.max_bytes.get(k, 0) for k in kinds)
    if size > largest:  # checked before reading: the content of a huge file is not looked at
        raise _too_large(size, largest, "/".join(KIND_NAMES[k] for k in kinds))
    kind = sniff(path)
    promised = SUFFIX_KIND.get(path.suffix.lower())
    if kind is None or kind not in kinds or (promised and promised != kind):
        wanted = " / ".join(KIND_NAMES[k] for k in ([promised] if promised in kinds else sorted(kinds)))
        if kind is None:
            raise InvalidInput([Issue("file_kind_unknown", params={"expected": wanted})])
        raise InvalidInput([Issue("file_kind", params={"expected": wanted, "found": KIND_NAMES[kind]})])
    if size > limits.max_bytes[kind]:
        raise _too_large(size, limits.max_bytes[kind], KIND_NAMES[kind])
    if kind in ("xlsx", "zip", "kmz"):
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, limits)
            if kind == "xlsx":
                _check_sheets(archive, limits)
    elif kind == "csv":
        _check_csv(path, limits)
    return kind


def _too_large(size: int, limit: int, kind: str) -> InvalidInput:
    params = {"size": f"{size / MB:.1f}", "limit": limit // MB, "kind": kind}
    return InvalidInput([Issue("file_too_large", params=params)])


def sniff(path: Path) -> str | None:
    """The kind of file by its first bytes (and for zip files by the names inside), or None."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n.lower() for n in archive.namelist()[:100_000]]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if "[content_types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "kmz" if any(n.endswith(".kml") for n in names) else "zip"
    for magic, kind in ((b"SQLite format 3\x00", "gpkg"), (b"fgb\x03", "fgb"), (b"\xff\xd8\xff", "jpeg")):
        if head.startswith(magic):
            return kind
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the end of the first block is fine
            return None
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "geojson"
    if text.startswith(b"<") and b"<kml" in text.lower():
        return "kml"
    return "csv"


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    entries = archive.infolist()
    if len(entries) > limits.zip_entries:
        params = {"count": len(entries), "limit": limits.zip_entries}
        raise InvalidInput([Issue("archive_entries", params=params)])
    for entry in entries:
        name = PurePosixPath(entry.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts:
            raise InvalidInput([Issue("archive_name", value=entry.filename[:80])])
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > limits.zip_unpacked_bytes:
        raise InvalidInput([Issue("archive_unpacked", params={"limit": limits.zip_unpacked_bytes // MB})])
    if unpacked > limits.zip_ratio_floor_bytes and unpacked / packed > limits.zip_ratio:
        params = {"ratio": int(unpacked / packed), "limit": limits.zip_ratio}
        raise InvalidInput([Issue("archive_ratio", params=params)])


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


def _sheet_pattern(limits: Limits) -> re.Pattern[bytes]:
    """Matches a cell or row reference (``r="XFD1"``) beyond the limits; group 1 is its row part.

    It starts at the attribute itself, not at the tag, so that the regular expression engine scans
    for it at the speed of a plain search (0.4 s for a 50,000-row sheet). XML lets an attribute
    be written ``r = 'xfd1'`` (spaces, single quotes) and the reader takes column letters in
    either case, so the pattern does too."""
    rows = _above(str(limits.sheet_rows), digits=True)
    columns = _above(column_letters(limits.sheet_columns), digits=False)
    quote = rb"""\s{0,8}=\s{0,8}["']\$?"""  # within the 64 bytes carried between blocks
    return re.compile(
        rb"\sr" + quote + rb"(?:[A-Z]{0,3}\$?(" + rows + rb")|" + columns + rb")", re.IGNORECASE
    )


_DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]{0,20}:)?dimension\s[^>]{0,200}?ref\s*=\s*["']([A-Za-z0-9:$]{1,40})["']"""
)


def _sheet_refused(sheet: str, limits: Limits, *, rows: bool) -> InvalidInput:
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
    pattern = _sheet_pattern(limits)
    for corner in found.group(1).split(b":"):
        match = pattern.search(b' r="' + corner.upper() + b'"')
        if match:
            raise _sheet_refused(sheet, limits, rows=match.group(1) is not None)


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


def _cells_per_row(data: bytes, carried: int, sheet: str, limits: Limits) -> int:
    """Cells of each row of ``data`` (the row left open at its end carries over to the next block)
    against the column limit: one row of 16,384 cells without ``r`` asks for as much as XFD."""
    prefixed = b":c" in data or b":row" in data  # namespace prefixes: the regular expressions
    parts = _ROW_END.split(data) if prefixed else data.split(b"</row>")
    limit = limits.sheet_columns
    for part in parts[:-1]:
        if carried + _cells(part, limit - carried, prefixed) > limit:
            raise _sheet_refused(sheet, limits, rows=False)
        carried = 0
    carried += _cells(parts[-1], limit - carried, prefixed)
    if carried > limit:
        raise _sheet_refused(sheet, limits, rows=False)
    return carried


def _check_sheets(archive: zipfile.ZipFile, limits: Limits) -> None:
    pattern = _sheet_pattern(limits)
    # The workbook's relations may put a sheet anywhere in the archive under any name: every part
    # but the pictures is scanned from its cells on (the zip limits bound what that costs).
    sheets = [n for n in archive.namelist() if not n.lower().startswith("xl/media/") and not n.endswith("/")]
    shown = _sheet_names(archive) if sheets else {}
    for name in sheets:
        sheet = shown.get(name, PurePosixPath(name).stem)
        tail, cells, rows, in_row = b"", False, 0, 0
        try:
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
                    in_row = _cells_per_row(fresh, in_row, sheet, limits)
                match = pattern.search(window) if cells else None
                # rows need not carry their number (each one is the next): count the elements too
                rows += len(_ROW.findall(window)) - len(_ROW.findall(tail)) if cells else 0
                if rows > limits.sheet_rows:
                    raise _sheet_refused(sheet, limits, rows=True)
                if match:
                    raise _sheet_refused(sheet, limits, rows=match.group(1) is not None)
                tail = window[-_OVERLAP:]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
            detail = type(exc).__name__
            raise InvalidInput(
                [Issue("unreadable_file", params={"kind": "XLSX", "detail": detail})]
            ) from None


def _check_csv(path: Path, limits: Limits) -> None:
    # Lines may end in a carriage return alone (the CSV reader takes it as a line end too).
    lines = returns = 0
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            lines += block.count(b"\n")
            returns += block.count(b"\r")
    lines = max(lines, returns)
    if lines > limits.sheet_rows:
        params = {"sheet": "CSV", "limit": f"{limits.sheet_rows:,}".replace(",", ".")}
        raise InvalidInput([Issue("sheet_rows", params=params)])
