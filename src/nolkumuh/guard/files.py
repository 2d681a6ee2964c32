"""Checking a file from outside before any parser sees it: its kind by content, its size, the
inside of zip containers, and the rows and columns a spreadsheet claims (nolkumuh.guard.sheets).
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from pathlib import Path, PurePosixPath

from nolkumuh.guard.limits import MB, Limits, limits_from_env
from nolkumuh.guard.sheets import check_sheets, column_letters
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
__all__ = ["KIND_NAMES", "SUFFIX_KIND", "check_content", "check_file", "column_letters", "sniff"]


def check_file(
    path: Path, *, kinds: Collection[str], limits: Limits | None = None, content: bool = True
) -> str:
    """The kind of ``path`` (one of ``kinds``) once it passed every limit; raises InvalidInput.

    With ``content=False`` only the checks that cost little are made (size, kind, an archive's
    directory); :func:`check_content` then makes the rest (every cell reference of a workbook, the
    lines of a CSV), which reads the whole file."""
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
    if content:
        check_content(path, kind, limits)
    return kind


def check_content(path: Path, kind: str, limits: Limits | None = None) -> None:
    """The checks of :func:`check_file` that read the whole file: the rows and cells of a
    workbook's sheets, the lines of a CSV. Only for a file whose kind ``check_file`` established."""
    limits = limits or limits_from_env()
    if kind == "xlsx":
        with zipfile.ZipFile(path) as archive:
            check_sheets(archive, limits)
    elif kind == "csv":
        _check_csv(path, limits)


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
