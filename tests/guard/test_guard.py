"""The file guard: kinds by content, sizes, archives and spreadsheet ranges, and parsing in a
child process that may die without taking the caller along."""

from __future__ import annotations

import os
import time
import zipfile
from dataclasses import replace

import pytest

from nolkumuh.exchange.read import read_sheet, read_xlsx
from nolkumuh.guard import Limits, check_file, limits_from_env, run_isolated, sniff
from nolkumuh.guard.files import column_letters
from nolkumuh.scoring.issues import InvalidInput, Issue
from tests.guard.hostile import _workbook

SMALL = replace(Limits(), sheet_rows=1000, sheet_columns=30)


def _message(exc: pytest.ExceptionInfo[InvalidInput]) -> str:
    return " ".join(exc.value.lines())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ((1000, 0), "baris di atas 1.000"),  # row 1001
        ((0, 30), "kanan kolom AD"),  # column AE
        ((1048575, 16383), "baris di atas 1.000"),  # the 1.6 KB file that killed the server
        ((5, 16383), "kanan kolom AD"),
        ((999_999, 3), "baris di atas 1.000"),
    ],
)
def test_cells_beyond_the_limits_are_refused_before_parsing(tmp_path, cell, expected):
    path = _workbook(tmp_path / "x.xlsx", {(0, 0): "tahun", cell: 1})
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"xlsx"}, limits=SMALL)
    assert expected in _message(exc)
    assert "lembar rt" in _message(exc)  # the sheet's own name, not its file inside the zip


def test_the_last_row_and_column_within_the_limits_pass(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", {(0, 0): "tahun", (999, 29): 1})
    assert check_file(path, kinds={"xlsx"}, limits=SMALL) == "xlsx"


def test_a_declared_dimension_beyond_the_limits_is_refused(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", {(0, 0): "tahun", (2, 2): 1})
    patched = tmp_path / "y.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            target.writestr(item, data)
    with pytest.raises(InvalidInput) as exc:
        check_file(patched, kinds={"xlsx"}, limits=SMALL)
    assert "kolom" in _message(exc) or "baris" in _message(exc)


def test_column_letters():
    assert [column_letters(n) for n in (1, 26, 27, 256, 702, 703, 16384)] == [
        "A", "Z", "AA", "IV", "ZZ", "AAA", "XFD",
    ]  # fmt: skip


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path):
    path = tmp_path / "bom.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.shp", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"zip"})
    assert "dimampatkan secara tidak wajar" in _message(exc)


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", {(r, 0): f"teks panjang {r} " * 20 for r in range(900)})
    limits = replace(SMALL, zip_unpacked_bytes=100_000, zip_ratio_floor_bytes=10**9)
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"xlsx"}, limits=limits)
    assert "lebih dari 0 MB" in _message(exc)


def test_too_many_entries_and_unsafe_names_are_refused(tmp_path):
    many = tmp_path / "banyak.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(30):
            archive.writestr(f"f{i}.txt", "x")
    with pytest.raises(InvalidInput) as exc:
        check_file(many, kinds={"zip"}, limits=replace(SMALL, zip_entries=20))
    assert "arsip berisi 30 berkas, batasnya 20" in _message(exc)
    unsafe = tmp_path / "jalur.zip"
    with zipfile.ZipFile(unsafe, "w") as archive:
        archive.writestr("../../etc/cron.d/x.shp", "x")
    with pytest.raises(InvalidInput) as exc:
        check_file(unsafe, kinds={"zip"})
    assert "nama berkas yang tidak aman" in _message(exc)


def test_size_is_checked_before_content(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_bytes(b"tahun,rw\n" + b"2023,1\n" * 200_000)
    limits = replace(SMALL, max_bytes={**SMALL.max_bytes, "csv": 1024 * 1024})
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"csv"}, limits=limits)
    assert "berkas terlalu besar: 1.3 MB, batas untuk CSV 1 MB" in _message(exc)


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
def test_csv_rows_beyond_the_limit_are_refused(tmp_path, end):
    path = tmp_path / "baris.csv"
    path.write_bytes(b"tahun,rw" + end + (b"2023,1" + end) * 1500)
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"csv"}, limits=SMALL)
    assert "lembar CSV memakai baris di atas 1.000" in _message(exc)


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("data.xlsx", b"MZ\x90\x00" + b"\0" * 100, None),  # a program renamed .xlsx
        ("data.csv", b"PK\x03\x04" + b"\0" * 100, None),  # a broken zip named .csv
        ("data.xlsx", b"tahun,rw\n2023,1\n", "CSV"),  # a CSV renamed .xlsx
        ("data.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "PNG"),
        ("peta.geojson", b"SQLite format 3\x00" + b"\0" * 100, "GeoPackage"),
    ],
)
def test_the_content_must_match_the_kind_and_the_name(tmp_path, name, content, found):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"csv", "xlsx", "geojson"})
    expected = f", terbaca sebagai {found};" if found else "tidak dikenali sebagai"
    assert expected in _message(exc)


def test_kinds_are_recognised_by_content(tmp_path):
    samples = {
        "a.csv": b"\xef\xbb\xbftahun;rw\n2023;1\n",
        "a.geojson": b'  {"type": "FeatureCollection", "features": []}',
        "a.kml": b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>',
        "a.jpg": b"\xff\xd8\xff\xe0" + b"\0" * 20,
    }
    found = {}
    for name, content in samples.items():
        (tmp_path / name).write_bytes(content)
        found[name] = sniff(tmp_path / name)
    assert found == {"a.csv": "csv", "a.geojson": "geojson", "a.kml": "kml", "a.jpg": "jpeg"}


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"csv"})
    assert "berkas kosong" in _message(exc)


def test_limits_come_from_the_environment_and_bad_values_are_refused():
    limits = limits_from_env({"NOLKUMUH_MAX_FILE_MB": "xlsx=5, csv=7", "NOLKUMUH_SHEET_MAX_ROWS": "5000"})
    assert limits.max_bytes["xlsx"] == 5 * 1024 * 1024 and limits.max_bytes["csv"] == 7 * 1024 * 1024
    assert limits.sheet_rows == 5000
    assert (
        limits.parse_during_scan
        and not limits_from_env({"NOLKUMUH_PARSE_DURING_SCAN": "0"}).parse_during_scan
    )
    bad_values = (
        {"NOLKUMUH_MAX_FILE_MB": "exe=5"},
        {"NOLKUMUH_SHEET_MAX_ROWS": "١٢٣"},
        {"NOLKUMUH_PARSE_DURING_SCAN": "ya"},
    )
    for bad in bad_values:
        with pytest.raises(ValueError, match="NOLKUMUH_"):
            limits_from_env(bad)


def test_a_native_abort_in_the_parser_ends_the_child_only():
    with pytest.raises(InvalidInput) as exc:
        run_isolated(os.abort, kind="XLSX")
    assert "berkas tidak bisa dibaca: pembaca XLSX berhenti" in _message(exc)


def test_running_out_of_memory_in_the_parser_ends_the_child_only():
    with pytest.raises(InvalidInput) as exc:
        run_isolated(bytearray, 4 * 1024**3, memory_mb=512, kind="XLSX")
    assert "butuh lebih dari 512 MB memori" in _message(exc)


def test_a_parser_that_takes_too_long_is_stopped():
    started = time.monotonic()
    with pytest.raises(InvalidInput) as exc:
        run_isolated(time.sleep, 60, seconds=5, kind="GeoJSON")
    assert "lebih dari 5 detik" in _message(exc)
    assert time.monotonic() - started < 30


def test_a_parsers_own_problems_come_back_as_they_are(tmp_path):
    path = tmp_path / "kosong.xlsx"
    _workbook(path, {})
    with pytest.raises(InvalidInput) as exc:
        run_isolated(read_xlsx, path)
    assert "no_sheet" in [i.code for i in exc.value.issues] or "empty_file" in [
        i.code for i in exc.value.issues
    ]


def _leave_a_mark(path):  # runs in the child: importable by name
    path.write_text("dibaca")
    return "dibaca"


def _refuse() -> None:
    raise InvalidInput([Issue("file_empty")])


def test_the_checks_made_while_the_child_starts_come_first_and_a_refusal_ends_it_unused(tmp_path):
    mark = tmp_path / "tanda"
    with pytest.raises(InvalidInput) as exc:
        run_isolated(_leave_a_mark, mark, meanwhile=_refuse)
    assert "berkas kosong" in _message(exc)
    assert not mark.exists()  # the child never got the call
    assert run_isolated(_leave_a_mark, mark, meanwhile=lambda: None) == "dibaca"
    assert mark.read_text() == "dibaca"


def _wait_for(mark, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if mark.exists():
            return True
        time.sleep(0.05)
    return False


def test_the_scan_runs_while_the_child_parses_and_its_refusal_wins(tmp_path, monkeypatch):
    """On Linux the parser starts while the guard still scans the content (ADR 0007); a refusal of
    the scan still decides the outcome and the child's work is thrown away."""
    monkeypatch.delenv("NOLKUMUH_PARSE_DURING_SCAN", raising=False)
    mark = tmp_path / "tanda"
    seen = []

    def scan_until_the_child_read():
        seen.append(_wait_for(mark, 60))
        _refuse()

    with pytest.raises(InvalidInput) as exc:
        run_isolated(_leave_a_mark, mark, meanwhile=lambda: None, alongside=scan_until_the_child_read)
    assert seen == [True]  # the child read the file while the scan ran
    assert "berkas kosong" in _message(exc)  # and the scan's refusal is what the caller gets
    assert run_isolated(_leave_a_mark, mark, alongside=lambda: None) == "dibaca"


@pytest.mark.parametrize("how", ["environment", "caller"])
def test_the_scan_comes_first_when_parsing_during_it_is_turned_off(tmp_path, monkeypatch, how):
    off = {}
    if how == "environment":
        monkeypatch.setenv("NOLKUMUH_PARSE_DURING_SCAN", "0")
    else:  # the limits a caller passes (read_sheet's) decide, not the environment's
        monkeypatch.delenv("NOLKUMUH_PARSE_DURING_SCAN", raising=False)
        off = {"guard_limits": replace(Limits(), parse_during_scan=False)}
    mark = tmp_path / "tanda"
    seen = []

    def scan() -> None:
        seen.append(_wait_for(mark, 2))
        _refuse()

    with pytest.raises(InvalidInput) as exc:
        run_isolated(_leave_a_mark, mark, alongside=scan, **off)
    assert "berkas kosong" in _message(exc)
    assert seen == [False] and not mark.exists()  # the child never got the call
    assert run_isolated(_leave_a_mark, mark, alongside=lambda: None, **off) == "dibaca"


def test_a_workbook_the_scan_refuses_is_refused_with_its_message_while_the_reader_crashes(tmp_path):
    """The sparse corner that aborts the reader natively: with the parse running during the scan,
    the user still reads which cell is beyond the limits, not that the reader crashed."""
    path = _workbook(tmp_path / "sudut.xlsx", {(0, 0): "tahun", (1048575, 16383): 1})
    with pytest.raises(InvalidInput) as exc:
        read_sheet(path, limits=SMALL)
    assert "baris di atas 1.000" in _message(exc)
    assert "tidak bisa dibaca" not in _message(exc)


def test_the_isolated_result_equals_the_direct_one(tmp_path):
    path = _workbook(tmp_path / "x.xlsx", {(0, 0): "tahun", (0, 1): "rw", (1, 0): 2023, (1, 1): "001"})
    assert run_isolated(read_xlsx, path) == read_xlsx(path)


def _hand_written_workbook(path, rows_xml: bytes, sheet_part: str = "xl/worksheets/sheet1.xml"):
    """A workbook whose one sheet is the given XML, at the given place in the archive."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{relations}"><Relationship Id="rId1" '
            f'Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{office}"><sheets>'
            '<sheet name="rt" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{relations}"><Relationship Id="rId1" Type="{office}/worksheet" '
            f'Target="/{sheet_part}"/></Relationships>',
        )
        archive.writestr(
            sheet_part,
            f'<worksheet xmlns="{main}"><sheetData>'.encode() + rows_xml + b"</sheetData></worksheet>",
        )
    return path


@pytest.mark.parametrize(
    ("rows_xml", "sheet_part", "expected"),
    [
        (
            b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
            "xl/worksheets/sheet1.xml",
            "baris di atas 1.000",
        ),
        (b'<row r = "5"><c r = "XFD5"><v>1</v></c></row>', "xl/worksheets/sheet1.xml", "kanan kolom AD"),
        (b'<row><c r="xfd1048576"><v>1</v></c></row>', "xl/worksheets/sheet1.xml", "baris di atas 1.000"),
        (b'<row><c r="zz7"><v>1</v></c></row>', "xl/worksheets/sheet1.xml", "kanan kolom AD"),
        (b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "xl/elsewhere.xml", "baris di atas 1.000"),
        (
            b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            "xl/worksheets/sheet1.XML",
            "baris di atas 1.000",
        ),
    ],
    ids=[
        "single-quotes",
        "spaces-around-equals",
        "lower-case",
        "lower-case-column",
        "sheet-elsewhere",
        "upper-case-suffix",
    ],
)
def test_references_written_in_any_valid_xml_form_or_place_are_refused(
    tmp_path, rows_xml, sheet_part, expected
):
    path = _hand_written_workbook(tmp_path / "x.xlsx", rows_xml, sheet_part)
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"xlsx"}, limits=SMALL)
    assert expected in _message(exc)


def test_rows_without_numbers_are_counted_against_the_limit(tmp_path):
    # each <row> without r="..." is the next row: 1,001 of them are row 1,001
    many = _hand_written_workbook(tmp_path / "x.xlsx", b"<row><c><v>1</v></c></row>" * 1001)
    with pytest.raises(InvalidInput) as exc:
        check_file(many, kinds={"xlsx"}, limits=SMALL)
    assert "baris di atas 1.000" in _message(exc)
    enough = _hand_written_workbook(tmp_path / "y.xlsx", b"<row><c><v>1</v></c></row>" * 1000)
    assert check_file(enough, kinds={"xlsx"}, limits=SMALL) == "xlsx"


@pytest.mark.parametrize(("cells", "refused"), [(30, False), (31, True), (16_384, True)])
def test_cells_without_columns_are_counted_per_row_against_the_limit(tmp_path, cells, refused):
    # each <c> without r="..." is the next column: 31 of them in one row reach column AE
    row = b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
    path = _hand_written_workbook(tmp_path / "breit.xlsx", b"<row><c><v>1</v></c></row>" * 5 + row)
    if not refused:
        assert check_file(path, kinds={"xlsx"}, limits=SMALL) == "xlsx"
        return
    with pytest.raises(InvalidInput) as exc:
        check_file(path, kinds={"xlsx"}, limits=SMALL)
    assert "memakai kolom di kanan kolom AD" in _message(exc)
