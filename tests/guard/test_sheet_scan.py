"""The fast scan of sheet XML refuses what a plain, slow reading of the same XML refuses: rows and
columns beyond the limits however the references are written, rows counted without numbers and
cells counted per row without columns, across the blocks the sheet is unpacked in."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nolkumuh.guard import Limits, check_file
from nolkumuh.guard.sheets import _FOLD, sheet_pattern
from nolkumuh.scoring.issues import InvalidInput
from tests.guard.test_guard import _hand_written_workbook

SMALL = replace(Limits(), sheet_rows=1000, sheet_columns=30)


def _refusal(path) -> str | None:  # type: ignore[no-untyped-def]
    try:
        check_file(path, kinds={"xlsx"}, limits=SMALL)
    except InvalidInput as exc:
        return exc.issues[0].code
    return None


@pytest.mark.parametrize(
    "rows_xml",
    [
        b'<row><c r="A1"><v>1</v></c></row><row><c r="A02000"><v>1</v></c></row>',
        b'<row r="1"><c><v>1</v></c></row><row r="0001048576"><c><v>1</v></c></row>',
        b"<row><c r = 'b00001001'><v>1</v></c></row>",
    ],
    ids=["cell", "row", "spaces-quotes-lower-case"],
)
def test_row_numbers_with_leading_zeros_are_refused(tmp_path, rows_xml):
    # the reader takes A02000 as row 2,000 (python-calamine gives a sheet 2,000 rows high)
    path = _hand_written_workbook(tmp_path / "nol.xlsx", rows_xml)
    assert _refusal(path) == "sheet_rows"


def test_other_tags_starting_like_a_row_do_not_count_as_rows(tmp_path):
    # 1,000 rows and a <rowBreaks>: the rough count (1,001) is taken again tag by tag
    rows = b"<row><c><v>1</v></c></row>" * 1000 + b'<rowBreaks count="1"/>'
    assert _refusal(_hand_written_workbook(tmp_path / "x.xlsx", rows)) is None


def _column(letters: str) -> int:
    return sum((ord(ch) - 64) * 26**power for power, ch in enumerate(reversed(letters)))


def _refused_on_plain_reading(rows: list[list[str]]) -> bool:
    """Whether the limits refuse rows of cells read one by one: each ``<c>`` is the next column
    unless it names one, each ``<row>`` the next row (SMALL: 1,000 rows, columns A-AD)."""
    for cells in rows:
        if len(cells) > SMALL.sheet_columns:
            return True
        for cell in filter(None, cells):
            letters, digits = re.match(r"([A-Z]+)([0-9]+)$", cell).groups()  # type: ignore[union-attr]
            if int(digits) > SMALL.sheet_rows or _column(letters) > SMALL.sheet_columns:
                return True
    return len(rows) > SMALL.sheet_rows


# rows of 0-34 cells, some of them naming a column within the limits
_ROWS = st.lists(
    st.integers(0, 34).map(lambda n: ["", "A1", "", "AD9", "C999"][:n] + [""] * (n - 5)),
    min_size=1,
    max_size=120,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=_ROWS,
    filler=st.integers(0, 300),
    wrong=st.one_of(st.none(), st.tuples(st.integers(0, 119), st.sampled_from(["AE9", "B1001"]))),
)
def test_the_fast_scan_refuses_exactly_what_a_plain_reading_does(tmp_path, rows, filler, wrong):
    if wrong and wrong[0] < len(rows):  # a reference beyond the limits in one row
        rows[wrong[0]].append(wrong[1])
    # values of varying length move the row ends across the runs the scan counts at once
    pad = b"x" * filler
    xml = b"".join(
        b"<row>"
        + b"".join(
            (b'<c r="%s"><v>%s</v></c>' % (c.encode(), pad) if c else b"<c><v>%s</v></c>" % pad)
            for c in cells
        )
        + b"</row>"
        for cells in rows
    )
    path = _hand_written_workbook(tmp_path / "acak.xlsx", xml)
    assert (_refusal(path) is not None) == _refused_on_plain_reading(rows)


_OLD = re.compile(  # the reference pattern before folding (ADR 0007), with leading zeros
    rb"""\sr\s{0,8}=\s{0,8}["']\$?(?:[A-Z]{0,3}\$?0*((?:[1-9][0-9]{4,}|[2-9][0-9]{3})(?![0-9])|"""
    rb"""1[0-9]{3}(?<!1000)(?![0-9]))|(?:[A-Z]{3,}|[B-Z][A-Z]|A[E-Z])(?=[0-9]))""",
    re.IGNORECASE,
)


@settings(max_examples=300, deadline=None)
@given(
    space=st.sampled_from([b" ", b"\t", b"\n", b"\r"]),
    name=st.sampled_from([b"r", b"R", b"rr", b"xr"]),
    before=st.sampled_from([b"", b" ", b"\t\t"]),
    after=st.sampled_from([b"", b" ", b"\n"]),
    quote=st.sampled_from([b'"', b"'"]),
    dollar=st.sampled_from([b"", b"$"]),
    letters=st.text("ABCDEZadez", max_size=4).map(str.encode),
    digits=st.text("0123456789", min_size=1, max_size=8).map(str.encode),
)
def test_the_folded_pattern_matches_where_the_pattern_on_the_raw_xml_does(
    space, name, before, after, quote, dollar, letters, digits
):
    attribute = b"<c" + space + name + before + b"=" + after + quote + dollar + letters + digits + quote
    fast = sheet_pattern(SMALL).search(attribute.translate(_FOLD))
    slow = _OLD.search(attribute)
    assert (fast is None) == (slow is None), attribute
    if fast and slow:
        assert (fast.group(1) is None) == (slow.group(1) is None), attribute


@pytest.mark.parametrize(
    ("rows_xml", "code"),
    [
        (b"<x:row><x:c><x:v>1</x:v></x:c></x:row>" * 1001, "sheet_rows"),
        (b"<x:row><x:c><x:v>1</x:v></x:c></x:row>" * 1000, None),
        (b"<x:row>" + b"<x:c><x:v>1</x:v></x:c>" * 31 + b"</x:row>", "sheet_columns"),
        (b"<x:row>" + b"<x:c><x:v>1</x:v></x:c>" * 30 + b"</x:row >", None),
    ],
    ids=["rows-beyond", "rows-within", "cells-beyond", "cells-within"],
)
def test_tags_with_a_namespace_prefix_are_counted_like_plain_ones(tmp_path, rows_xml, code):
    assert _refusal(_hand_written_workbook(tmp_path / "x.xlsx", rows_xml)) == code
