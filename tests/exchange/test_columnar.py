"""The fast paths give what the cell-by-cell paths give: the columnar XLSX reader, the CSV writer
by columns and the XLSX rows written as XML (same cells, same bytes, same messages)."""

import csv
import re
import zipfile

import numpy as np
import pytest
import xlsxwriter

from nolkumuh.exchange import parse_sheet, score_input, write_csv
from nolkumuh.exchange.columnar import read_xlsx_columns
from nolkumuh.exchange.formula import guard_cell
from nolkumuh.exchange.output import OutColumn, OutputTable
from nolkumuh.exchange.read import read_xlsx
from nolkumuh.exchange.write import format_hundredths, format_number, write_xlsx
from nolkumuh.guard import run_isolated
from nolkumuh.scoring import InvalidInput
from tests.exchange.conftest import sample_rows
from tests.exchange.conftest import write_xlsx as write_input


def _cells(sheet):
    return [sheet.cells(j) for j in range(len(sheet.names))]


def _same_sheet(path):
    fast = read_xlsx(path)
    slow = read_xlsx(path, columnar=False)
    assert fast.names == slow.names
    assert fast.row_numbers == slow.row_numbers
    assert fast.header_row == slow.header_row and fast.titles == slow.titles
    assert _cells(fast) == _cells(slow)
    assert [[type(c) for c in column] for column in _cells(fast)] == [
        [type(c) for c in column] for column in _cells(slow)
    ]
    return fast, slow


def _workbook(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("rt")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.write(i, j, value)
    book.close()
    return path


def test_columnar_read_gives_the_cells_rows_and_scores_of_the_cell_reader(tmp_path):
    rows = sample_rows()
    rows[1]["catatan"] = "dicek"  # a pass-through text column, empty elsewhere
    for row in rows:
        row.setdefault("catatan", "")
        row["luas"] = row["luas"] + 0.005  # decimals that are not whole
    path = write_input(tmp_path / "in.xlsx", rows)
    assert read_xlsx_columns(path, "rt") is not None
    fast, slow = _same_sheet(path)
    assert isinstance(fast.column(0), np.ndarray)  # tahun read as one array
    for level in ("rt", "kelurahan"):
        write_csv(tmp_path / "fast.csv", score_input(parse_sheet(fast), level=level))
        write_csv(tmp_path / "slow.csv", score_input(parse_sheet(slow), level=level))
        assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "slow.csv").read_bytes()


def test_equal_texts_of_a_column_come_back_from_the_guards_child_as_one_object(tmp_path):
    # pickle sends a repeated object once: 200,000 rows of one province name pass as one string
    rows = sample_rows()
    for row in rows:
        row["catatan"] = "  "  # blank text: empty, as the cell reader says
    path = write_input(tmp_path / "in.xlsx", rows * 20)
    fast, _slow = _same_sheet(path)
    sheet = run_isolated(read_xlsx, path)
    assert sheet == fast
    for j, name in enumerate(sheet.names):
        column = sheet.column(j)
        if isinstance(column, list):
            assert len({id(text) for text in column}) == len(set(column)), name


def test_blank_rows_and_empty_number_cells_keep_spreadsheet_row_numbers(tmp_path):
    rows = sample_rows()
    names = list(rows[0])
    table = [names] + [[row[n] for n in names] for row in rows]
    table.insert(3, [None] * len(names))  # a blank row
    table.insert(5, [" "] + [None] * (len(names) - 1))  # blank but for a space
    table[6][names.index("luas")] = None  # a missing number
    path = _workbook(tmp_path / "in.xlsx", table)
    fast, slow = _same_sheet(path)
    assert 4 not in fast.row_numbers and 6 not in fast.row_numbers
    with pytest.raises(InvalidInput) as from_fast:
        parse_sheet(fast)
    with pytest.raises(InvalidInput) as from_slow:
        parse_sheet(slow)
    assert from_fast.value.lines("en") == from_slow.value.lines("en")
    assert any("luas" in line for line in from_fast.value.lines("en"))


@pytest.mark.parametrize(
    "change",
    [
        "text_in_numbers",  # a column mixing numbers and text: read cell by cell
        "title_row",  # the header below a title row
        "repeated_name",
        "true_false",
    ],
)
def test_sheets_the_columnar_reader_leaves_to_the_cell_reader_read_and_fail_the_same(tmp_path, change):
    rows = sample_rows()
    names = list(rows[0])
    table = [list(names)] + [[row[n] for n in names] for row in rows]
    if change == "text_in_numbers":
        table[2][names.index("jumlah_kk")] = "dua puluh"
    elif change == "title_row":
        table.insert(0, ["Data RT Semarang"])
    elif change == "repeated_name":
        table[0][-1] = "rt"
    else:
        table[1][names.index("luas")] = True
    path = _workbook(tmp_path / "in.xlsx", table)
    assert read_xlsx_columns(path, "rt") is None
    fast, slow = _same_sheet(path)
    outcomes = []
    for sheet in (fast, slow):
        try:
            outcomes.append(score_input(parse_sheet(sheet)).column("total_nilai").values.tolist())
        except InvalidInput as exc:
            outcomes.append(exc.lines("en"))
    assert outcomes[0] == outcomes[1]


def _reference_csv(path, table, decimal_comma=False):
    """The CSV writer as it was: every cell formatted and guarded alone, through the csv module."""

    def text(column, value):
        if column.kind == "hundredths":
            t = format_hundredths(value)
        elif column.kind == "int":
            t = str(int(value)) if value == value else ""
        elif column.kind == "number":
            t = format_number(value)
        elif isinstance(value, str):
            return value
        elif isinstance(value, float) and value.is_integer() and column.kind == "raw":
            t = format_number(value)
        else:
            t = str(value)
        return t.replace(".", ",") if decimal_comma else t

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";" if decimal_comma else ",")
        writer.writerow([guard_cell(c.name) for c in table.columns])
        values = [list(np.asarray(c.values).tolist()) for c in table.columns]
        for row in zip(*values, strict=True):
            writer.writerow([guard_cell(text(c, v)) for c, v in zip(table.columns, row, strict=True)])


TRICKY_NUMBERS = [0.0, -0.0, 1.5, -2.25, 0.1 + 0.2, 1e20, 123456789012345.6, 1e-7, 2.5e-5, np.nan]
TRICKY_TEXT = ["=SUM(A1)", "-5", "+x", "@a", "a,b", 'say "hi"', "line\nbreak", "", "'=x", "biasa"]


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_csv_by_columns_is_byte_for_byte_the_csv_module_cell_by_cell(tmp_path, decimal_comma):
    rng = np.random.default_rng(5)
    n = 400
    numbers = np.array([TRICKY_NUMBERS[i % len(TRICKY_NUMBERS)] for i in range(n)])
    numbers[::7] = np.round(rng.uniform(0, 1000, len(numbers[::7])), 2)
    texts = [TRICKY_TEXT[i % len(TRICKY_TEXT)] for i in range(n)]
    table = OutputTable(
        [
            OutColumn("=nama", texts, "raw"),
            OutColumn("angka", numbers, "number"),
            OutColumn("bulat", np.where(np.isnan(numbers), np.nan, np.trunc(numbers * 3)), "int"),
            OutColumn("persen", rng.integers(-50, 10_050, n), "hundredths"),
            OutColumn("tingkat", np.array(["KB", "TK"] * (n // 2)), "text"),
        ],
        sheet_name="rt",
    )
    write_csv(tmp_path / "fast.csv", table, decimal_comma=decimal_comma)
    _reference_csv(tmp_path / "slow.csv", table, decimal_comma=decimal_comma)
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "slow.csv").read_bytes()


def _sheet_xml(path):
    with zipfile.ZipFile(path) as book:
        return re.sub(rb' spans="[0-9:]+"', b"", book.read("xl/worksheets/sheet1.xml"))


@pytest.mark.parametrize("labels", [False, True])
def test_xlsx_rows_by_columns_are_the_xml_xlsxwriter_writes_cell_by_cell(tmp_path, labels):
    rows = sample_rows()
    rows[0]["kawasan"] = '  =HYPERLINK("x") & <b> _x0041_ \x07'  # escapes, spaces, control chars
    path = write_input(tmp_path / "in.xlsx", rows)
    table = score_input(parse_sheet(read_xlsx(path)))
    words = [f"Kolom {j}" for j in range(len(table.columns))] if labels else None
    write_xlsx(tmp_path / "fast.xlsx", table, labels=words)
    write_xlsx(tmp_path / "slow.xlsx", table, labels=words, by_cell=True)
    assert _sheet_xml(tmp_path / "fast.xlsx") == _sheet_xml(tmp_path / "slow.xlsx")
    again = read_xlsx(tmp_path / "fast.xlsx")
    assert again.cells(again.names.index("kawasan"))[0] == rows[0]["kawasan"]
