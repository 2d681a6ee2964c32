"""Hostile files, made by the tests themselves (nothing large is committed): each builder writes one
file into a folder and returns its path; ``REFUSED`` says what the user must be told."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

Builder = Callable[[Path], Path]


def _workbook(path: Path, cells: dict[tuple[int, int], object], sheet: str = "rt") -> Path:
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet(sheet)
    for (row, col), value in cells.items():
        page.write(row, col, value)
    book.close()
    return path


def _rewrite(source: Path, target: Path, change: Callable[[zipfile.ZipFile, zipfile.ZipFile], None]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        change(old, new)
    return target


def sparse_corner(folder: Path) -> Path:
    """One cell in A1 and one in XFD1048576: 5 KB that asks a reader for 17 billion cells."""
    return _workbook(folder / "sudut.xlsx", {(0, 0): "tahun", (1048575, 16383): 1})


def last_row(folder: Path) -> Path:
    return _workbook(folder / "baris.xlsx", {(0, 0): "tahun", (1048575, 0): 1})


def far_column(folder: Path) -> Path:
    return _workbook(folder / "kolom.xlsx", {(0, 0): "tahun", (1, 5000): 1})


def declared_dimension(folder: Path) -> Path:
    """A sheet whose <dimension> claims the whole grid while its cells are few."""
    source = _workbook(folder / "dim0.xlsx", {(0, 0): "tahun", (1, 0): 2023})

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>')
            new.writestr(item, data)

    return _rewrite(source, folder / "dimensi.xlsx", change)


def zip_bomb(folder: Path) -> Path:
    """A workbook whose sheet unpacks to 60 MB from a few tens of kilobytes."""
    source = _workbook(folder / "bom0.xlsx", {(0, 0): "tahun", (1, 0): 2023})

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (60 * 1024 * 1024))
            new.writestr(item, data)

    return _rewrite(source, folder / "bom.xlsx", change)


def many_rows(folder: Path) -> Path:
    """400,000 rows written straight as sheet XML (fast to make, compresses well)."""
    source = _workbook(folder / "rows0.xlsx", {(0, 0): "tahun"})
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(2, 400_002))

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", rows + b"</sheetData>").replace(b"<sheetData/>", b"")
            new.writestr(item, data)

    return _rewrite(source, folder / "banyak.xlsx", change)


def many_entries(folder: Path) -> Path:
    source = _workbook(folder / "ent0.xlsx", {(0, 0): "tahun"})

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        for n in range(2100):
            new.writestr(f"xl/media/x{n}.bin", b"x")

    return _rewrite(source, folder / "entri.xlsx", change)


def traversal(folder: Path) -> Path:
    source = _workbook(folder / "trav0.xlsx", {(0, 0): "tahun"})

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("../../../tmp/nolkumuh-jalur.txt", b"x")

    return _rewrite(source, folder / "jalur.xlsx", change)


def broken_sheet_xml(folder: Path) -> Path:
    source = _workbook(folder / "xml0.xlsx", {(0, 0): "tahun", (1, 0): 2023})

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, b"<worksheet><sheetData><row" if "worksheets/" in item.filename else data)

    return _rewrite(source, folder / "rusak.xlsx", change)


def entity_expansion(folder: Path) -> Path:
    """'Billion laughs' in the shared strings: a reader that expands entities runs out of memory."""
    source = _workbook(folder / "lol0.xlsx", {(0, 0): "tahun", (1, 0): "teks"})
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    laughs += b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
    laughs += b'uniqueCount="2"><si><t>tahun</t></si><si><t>&lol9;</t></si></sst>'

    def change(old: zipfile.ZipFile, new: zipfile.ZipFile) -> None:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, laughs if item.filename == "xl/sharedStrings.xml" else data)

    return _rewrite(source, folder / "lol.xlsx", change)


def truncated(folder: Path) -> Path:
    whole = _workbook(folder / "utuh.xlsx", {(r, 0): f"baris {r}" for r in range(200)}).read_bytes()
    path = folder / "terpotong.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def program_renamed(folder: Path) -> Path:
    path = folder / "program.xlsx"
    path.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 20)
    return path


def csv_renamed(folder: Path) -> Path:
    path = folder / "sebenarnya_csv.xlsx"
    path.write_text("tahun,rw,rt\n2023,1,1\n", encoding="utf-8")
    return path


def empty(folder: Path) -> Path:
    path = folder / "kosong.csv"
    path.write_bytes(b"")
    return path


def binary_csv(folder: Path) -> Path:
    path = folder / "biner.csv"
    path.write_bytes(b"tahun,rw\x00\x01\x02" + bytes(range(256)) * 10)
    return path


def long_csv(folder: Path) -> Path:
    path = folder / "panjang.csv"
    with path.open("wb") as handle:
        handle.write(b"tahun,rw,rt\n")
        handle.write(b"2023,1,1\n" * 300_500)
    return path


def huge_csv_line(folder: Path) -> Path:
    """One 70 MB line: above the CSV size limit, refused before it is read."""
    path = folder / "satu_baris.csv"
    with path.open("wb") as handle:
        handle.write(b"tahun," + b"9" * (70 * 1024 * 1024) + b"\n")
    return path


# builder -> what the user is told (a part of the message)
REFUSED: dict[str, tuple[Builder, str]] = {
    "sparse_corner": (sparse_corner, "lembar rt memakai"),
    "last_row": (last_row, "memakai baris di atas 300.000"),
    "far_column": (far_column, "memakai kolom di kanan kolom IV"),
    "declared_dimension": (declared_dimension, "lembar rt memakai"),
    "zip_bomb": (zip_bomb, "dimampatkan secara tidak wajar"),
    "many_rows": (many_rows, "memakai baris di atas 300.000"),
    "many_entries": (many_entries, "batasnya 2000"),
    "traversal": (traversal, "nama berkas yang tidak aman"),
    "broken_sheet_xml": (broken_sheet_xml, "tidak bisa dibaca"),
    "entity_expansion": (entity_expansion, "tidak bisa dibaca sebagai XLSX"),
    "truncated": (truncated, "tidak dikenali sebagai Excel (.xlsx)"),
    "program_renamed": (program_renamed, "tidak dikenali sebagai Excel (.xlsx)"),
    "csv_renamed": (csv_renamed, "bukan Excel (.xlsx), terbaca sebagai CSV"),
    "empty": (empty, "kosong"),
    "binary_csv": (binary_csv, "tidak dikenali sebagai CSV"),
    "long_csv": (long_csv, "lembar CSV memakai baris di atas 300.000"),
    "huge_csv_line": (huge_csv_line, "berkas terlalu besar"),
}

ODD_TEXTS = [
    '=HYPERLINK("http://contoh.invalid","klik")',
    "+1+1",
    "@SUM(A1:A9)",
    "١٢٣",  # Arabic-Indic digits
    "１２",  # fullwidth digits
    "9" * 400,
    "x" * 40_000,
    "\x00\x07\x1b[31m",
    "<script>alert(1)</script>",
    "-1e309",
    "NaN",
    "‮kiri",  # right-to-left override
]


def odd_values(folder: Path, columns: list[str], name: str = "aneh.xlsx") -> Path:
    """A workbook with the import's own columns, every cell an odd value (one row per value)."""
    cells: dict[tuple[int, int], object] = {(0, c): col for c, col in enumerate(columns)}
    for r, text in enumerate(ODD_TEXTS, start=1):
        for c in range(len(columns)):
            cells[(r, c)] = text
    book = xlsxwriter.Workbook(
        str(folder / name), {"strings_to_formulas": False, "strings_to_numbers": False}
    )
    page = book.add_worksheet("data")
    for (row, col), value in cells.items():
        page.write_string(row, col, str(value)) if isinstance(value, str) else page.write(row, col, value)
    book.close()
    return folder / name


def png_bomb() -> bytes:
    """A small PNG that declares 100,000 x 100,000 pixels (10 gigapixels)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * 100_000
    data = zlib.compress(row * 50, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 10)).save(out, "JPEG")
    return out.getvalue()
