"""Turning a raw sheet into typed, checked RT data: every problem of every cell is reported at once."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nolkumuh.exchange.bounds import Problem, bound, column_bound, digits_problem, range_params
from nolkumuh.exchange.columns import NAME_COLUMNS, TEXT_COLUMNS, ColumnMap, resolve_columns
from nolkumuh.exchange.numbers import NumberError, parse_number
from nolkumuh.exchange.read import RawSheet, normalize_name
from nolkumuh.scoring.criteria import HEADER_FIELDS, catalogue
from nolkumuh.scoring.issues import InvalidInput, Issue
from nolkumuh.scoring.labels import field_words
from nolkumuh.scoring.rulesets import DEFAULT_RULESET, Ruleset, load_ruleset
from nolkumuh.scoring.table import Groups, RtTable
from nolkumuh.scoring.validate import validate_table

KODE_KELURAHAN = re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
NUMBER_TEXT_SHOWN = 40  # a message quotes at most this much of a bad cell


@dataclass
class RtInput:
    """A checked input file: the numbers for the engine plus everything needed to write it back.

    ``sheet`` (the raw cells) is None when the table was kept by an import's dry run and restored
    without them (``baseline.import_tables``)."""

    sheet: RawSheet | None
    columns: ColumnMap
    ruleset: Ruleset
    table: RtTable
    years: np.ndarray
    text: dict[str, list[str]]
    row_numbers: np.ndarray
    numbers: dict[int, np.ndarray]  # column position -> parsed numbers (for writing)

    def __len__(self) -> int:
        return len(self.years)


def cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def cell_texts(cells: list[Any]) -> list[str]:
    """:func:`cell_text` of every cell of a column."""
    return [c.strip() if type(c) is str else cell_text(c) for c in cells]


def _parse_one(cell: Any, decimal_comma: bool) -> tuple[float | None, Problem | None]:
    """A number, or the problem explaining why the cell is not one.

    Text cells are read by ``exchange.numbers`` (plain 1234.5, or Indonesian 1.234,5 with
    ``decimal_comma``): digits of other scripts, NaN, infinity and over-long text are refused.
    """
    if isinstance(cell, bool):
        return None, Problem("not_a_number")
    if isinstance(cell, int | float):
        return (float(cell), None) if math.isfinite(cell) else (None, Problem("not_finite"))
    text = cell_text(cell)
    if not text.translate(_SPACES):
        return None, Problem("missing_value")
    compact = text.translate(_SPACES)
    if decimal_comma and "." in compact and "," not in compact and not _GROUPED.match(compact):
        return None, Problem("decimal_point")
    if not decimal_comma and "," in compact:
        ascii_number = _NUMBER.match(compact.replace(",", "."))
        return None, Problem("decimal_comma" if ascii_number else "not_a_number")
    try:
        value = parse_number(text, lang="id" if decimal_comma else "plain")
    except NumberError as exc:  # the file messages keep their wording for what is no number at all
        return None, Problem("not_a_number") if exc.problem.code == "number_invalid" else exc.problem
    if value is None:
        return None, Problem("missing_value")
    number = float(value)
    return (number, None) if math.isfinite(number) else (None, Problem("not_finite"))


def parse_numbers(
    cells: list[Any] | np.ndarray, *, integer: bool, decimal_comma: bool, column: str, rows: list[int]
) -> tuple[np.ndarray, list[Issue]]:
    """Parse one column of numbers; bad cells become NaN and an issue each."""
    issues: list[Issue] = []
    try:
        if isinstance(cells, np.ndarray):  # a column of numbers read as one array
            values = cells.astype(np.float64)
            if not np.isfinite(values).all():
                raise ValueError
        elif any(isinstance(c, bool) for c in cells) or any(isinstance(c, str) for c in cells):
            raise ValueError  # text goes through the explicit parser, never numpy's own
        else:
            values = np.array(cells, dtype=np.float64)
            if not np.isfinite(values).all():
                raise ValueError
    except (ValueError, TypeError):
        values = np.empty(len(cells), dtype=np.float64)
        for i, cell in enumerate(cells):
            value, problem = _parse_one(cell, decimal_comma)
            if problem is not None:
                shown = cell_text(cell)[:NUMBER_TEXT_SHOWN] or None
                issues.append(Issue(problem.code, rows[i], column, shown, problem.params))
                value = np.nan
            values[i] = value
    if integer:
        fraction = np.flatnonzero(np.isfinite(values) & (np.floor(values) != values))
        for i in fraction:
            issues.append(Issue("not_integer", rows[i], column, cell_text(cells[i])))
            values[i] = np.nan
    return values, issues


def bound_issues(values: np.ndarray, *, name: str, column: str, rows: list[int], code: str) -> list[Issue]:
    """Cells outside the bounds table's range (``code`` names the message); they become NaN.

    Below-zero counts, areas and volumes are left to the scoring checks ("negative"), which say
    it in their own words; a bound that starts above 0 (the year) is checked at both ends.
    """
    b = bound(name)
    low, high = float(b.low or 0), float(b.high or 0)
    below = values < low if low > 0 else np.zeros(len(values), dtype=bool)
    bad = np.flatnonzero(np.isfinite(values) & (below | (values > high)))
    params = range_params(name)
    issues = [Issue(code, rows[i], column, cell_text(values[i]), params) for i in bad]
    values[bad] = np.nan
    return issues


def _choose_ruleset(sheet: RawSheet, option: str | None) -> tuple[Ruleset, bool, list[Issue]]:
    """The ruleset from the option or the file's ``ruleset`` column; and whether it was stated."""
    issues: list[Issue] = []
    ruleset = load_ruleset(option) if option else None
    position = next((i for i, n in enumerate(sheet.names) if normalize_name(n) == "ruleset"), None)
    if position is None:
        return ruleset or load_ruleset(DEFAULT_RULESET), option is not None, issues
    column = sheet.names[position]
    expected = ruleset.id if ruleset else None
    for cell, number in zip(sheet.cells(position), sheet.row_numbers, strict=True):
        value = cell_text(cell)
        if not value:
            continue
        if expected is None:
            try:
                ruleset, expected = load_ruleset(value), value
            except InvalidInput as exc:
                issues.extend(Issue(i.code, number, column, value, i.params) for i in exc.issues)
                return load_ruleset(DEFAULT_RULESET), True, issues
        elif value != expected:
            issues.append(Issue("ruleset_conflict", number, column, value, {"expected": expected}))
    return ruleset or load_ruleset(DEFAULT_RULESET), expected is not None, issues


def parse_sheet(
    sheet: RawSheet, *, ruleset_option: str | None = None, decimal_comma: bool = False
) -> RtInput:
    """Check and type every cell; raise :class:`InvalidInput` listing every problem found."""
    ruleset, stated, issues = _choose_ruleset(sheet, ruleset_option)
    columns, column_issues = resolve_columns(sheet.names, ruleset, codes_allowed=stated)
    issues += column_issues
    if not sheet.row_numbers:
        issues.append(Issue("no_data_rows"))
    rows = sheet.row_numbers
    n = len(rows)
    numbers: dict[int, np.ndarray] = {}

    def numeric(canonical: str, position: int | None, integer: bool) -> np.ndarray:
        if position is None:
            return np.zeros(n)
        cells = sheet.column(position)
        column = sheet.names[position]
        values, found = parse_numbers(
            cells, integer=integer, decimal_comma=decimal_comma, column=column, rows=rows
        )
        issues.extend(found)
        name = column_bound(canonical if canonical in HEADER_FIELDS else f"v_{canonical}")
        if name is not None and canonical != "tahun":
            issues.extend(bound_issues(values, name=name, column=column, rows=rows, code="bound_range"))
        numbers[position] = values
        return values

    header = catalogue().header
    table_columns = {f: numeric(f, columns.known.get(f), header[f].integer) for f in HEADER_FIELDS}
    for item in ruleset.criteria:
        table_columns[item.key] = numeric(item.key, columns.volumes.get(item.key), False)
    years = numeric("tahun", columns.known.get("tahun"), True)
    if "tahun" in columns.known:
        issues += bound_issues(years, name="year", column=columns.shown("tahun"), rows=rows, code="bad_year")
    text = {
        name: cell_texts(sheet.cells(columns.known[name])) for name in TEXT_COLUMNS if name in columns.known
    }
    issues.extend(_text_issues(text, columns, rows))
    table = RtTable(table_columns)
    if not any(i.code == "missing_column" for i in issues):
        issues.extend(_value_issues(table, ruleset, columns, rows, issues))
        issues.extend(_duplicate_rts(years, text, rows))
    if issues:
        raise InvalidInput(_ordered([_worded(i, ruleset) for i in issues], sheet.names))
    return RtInput(
        sheet=sheet,
        columns=columns,
        ruleset=ruleset,
        table=table,
        years=years.astype(np.int64),
        text=text,
        row_numbers=np.asarray(rows),
        numbers=numbers,
    )


def _flagged(values: list[str], check: Callable[[str], Any]) -> list[tuple[int, Any]]:
    """(row index, finding) where ``check`` finds something; checked once per distinct value."""
    found = {value: check(value) for value in set(values)}
    if not any(f is not None for f in found.values()):
        return []
    return [(i, found[v]) for i, v in enumerate(values) if found[v] is not None]


def _rw_rt_problem(value: str) -> Problem | None:
    return Problem("missing_value") if not value else digits_problem("rw_rt", value)


def _text_issues(text: dict[str, list[str]], columns: ColumnMap, rows: list[int]) -> list[Issue]:
    issues = []
    for name in ("rw", "rt"):
        for i, problem in _flagged(text.get(name, []), _rw_rt_problem):
            if problem.code == "missing_value":
                issues.append(Issue("missing_value", rows[i], columns.shown(name)))
            else:
                shown = text[name][i][:NUMBER_TEXT_SHOWN]
                issues.append(Issue(problem.code, rows[i], columns.shown(name), shown, problem.params))
    for name in (*NAME_COLUMNS, "kawasan"):
        limit = bound(column_bound(name) or "name").max_length or 0
        for i, _ in _flagged(text.get(name, []), lambda v, limit=limit: True if len(v) > limit else None):
            shown = text[name][i][:NUMBER_TEXT_SHOWN] + "…"
            issues.append(Issue("too_long", rows[i], columns.shown(name), shown, {"limit": limit}))
    codes = text.get("kode_kelurahan")
    if codes is not None and all(codes):
        for i, _ in _flagged(codes, lambda c: None if KODE_KELURAHAN.match(c) else True):
            issues.append(Issue("bad_kode_kelurahan", rows[i], columns.shown("kode_kelurahan"), codes[i]))
        return issues  # every row has a code
    for i in range(len(rows)):
        code = codes[i] if codes else ""
        if code:
            if not KODE_KELURAHAN.match(code):
                issues.append(Issue("bad_kode_kelurahan", rows[i], columns.shown("kode_kelurahan"), code))
        elif columns.has_location_names():
            for name in NAME_COLUMNS:
                if not text[name][i]:
                    issues.append(Issue("missing_value", rows[i], columns.shown(name)))
        elif codes is not None:
            issues.append(Issue("missing_value", rows[i], columns.shown("kode_kelurahan")))
    return issues


def _value_issues(
    table: RtTable, ruleset: Ruleset, columns: ColumnMap, rows: list[int], known: list[Issue]
) -> list[Issue]:
    """RULES.md section 3 checks, leaving out cells that already failed to parse."""
    names = {key: columns.shown(key) for key in (*HEADER_FIELDS, *ruleset.keys)}
    found = validate_table(table, ruleset, row_numbers=np.asarray(rows), column_names=names)
    bad_cells = {(i.row, i.column) for i in known}
    return [i for i in found if not (i.code == "not_finite" and (i.row, i.column) in bad_cells)]


def location_key(text: dict[str, list[str]], i: int) -> tuple[str, ...]:
    codes = text.get("kode_kelurahan")
    if codes and codes[i]:
        return (codes[i],)
    return tuple(text[n][i].lower() for n in NAME_COLUMNS if n in text)


def _rt_number(value: str) -> str:
    return value.lstrip("0") or "0"


def _duplicate_rts(years: np.ndarray, text: dict[str, list[str]], rows: list[int]) -> list[Issue]:
    """A second row for the same year, place, RW and RT (numbers compared without leading zeros)."""
    if "rw" not in text or "rt" not in text:
        return []
    codes = text.get("kode_kelurahan")
    every_code = bool(codes) and all(codes)
    places = _ids(codes if every_code else [location_key(text, i) for i in range(len(rows))])
    numbers = {v: _rt_number(v) for v in {*text["rw"], *text["rt"]}}
    rw = _ids([numbers[v] for v in text["rw"]])
    rt = _ids([numbers[v] for v in text["rt"]])
    known = np.isfinite(years)  # a year that failed its checks matches no other row
    year = np.where(known, years, 0).astype(np.int64)
    groups = Groups.of_columns(year, places, rw, rt)
    first = groups.first_rows()[groups.codes]
    again = np.flatnonzero((first != np.arange(len(rows))) & known & known[first])
    return [Issue("duplicate_rt", rows[i], None, None, {"other": rows[first[i]]}) for i in again.tolist()]


def _ids(values: list[Any]) -> np.ndarray:
    """Each value's number in order of first appearance."""
    numbering: dict[Any, int] = {}
    return np.fromiter((numbering.setdefault(v, len(numbering)) for v in values), np.int64, len(values))


def _worded(issue: Issue, ruleset: Ruleset) -> Issue:
    """The issue with its column in words too: ``kolom v_jalan_cakupan (2a Jaringan jalan ...)``."""
    if issue.label is not None or issue.column is None:
        return issue
    words = field_words(issue.column, ruleset, unit=False)
    return issue if words.id == issue.column else replace(issue, label=words)


def _ordered(issues: list[Issue], names: list[str]) -> list[Issue]:
    position = {name: i for i, name in enumerate(names)}
    return sorted(issues, key=lambda i: (i.row or 0, position.get(i.column or "", -1)))
