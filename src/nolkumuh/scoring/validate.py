"""Checks of RT values before scoring (RULES.md section 3): every problem, with row and column."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from nolkumuh.scoring.criteria import HEADER_FIELDS
from nolkumuh.scoring.issues import Issue
from nolkumuh.scoring.labels import field_words
from nolkumuh.scoring.rulesets import Ruleset
from nolkumuh.scoring.table import RtTable


def _text(value: float) -> str:
    return repr(float(value)).removesuffix(".0")


def validate_table(
    table: RtTable,
    ruleset: Ruleset,
    *,
    row_numbers: np.ndarray | None = None,
    column_names: Mapping[str, str] | None = None,
) -> list[Issue]:
    """Negative or non-finite values, a volume above its denominator, a volume over a zero one.

    ``row_numbers`` are the spreadsheet rows of the table's rows (default: 2, 3, ...);
    ``column_names`` maps header and criterion keys to the column names the user wrote.
    """
    rows = np.arange(2, len(table) + 2) if row_numbers is None else row_numbers
    names = dict(column_names or {})
    found: list[tuple[int, int, Issue]] = []
    labels = {key: field_words(key, ruleset, unit=False) for key in [*HEADER_FIELDS, *ruleset.keys]}

    def add(position: int, mask: np.ndarray, key: str, code: str, **params: object) -> None:
        values = table[key]
        for i in np.flatnonzero(mask):
            value = _text(values[i])
            issue = Issue(code, int(rows[i]), names.get(key, key), value, params, labels[key])
            found.append((int(i), position, issue))

    columns = list(HEADER_FIELDS) + list(ruleset.keys)
    for position, key in enumerate(columns):
        values = table[key]
        finite = np.isfinite(values)
        add(position, ~finite, key, "not_finite")
        add(position, finite & (values < 0), key, "negative")
    for position, item in enumerate(ruleset.criteria, start=len(HEADER_FIELDS)):
        volume, denom = table[item.key], table[item.denominator]
        ok = np.isfinite(volume) & np.isfinite(denom) & (volume >= 0) & (denom >= 0)
        shown = field_words(item.denominator, ruleset, unit=False)
        zero = ok & (denom == 0) & (volume > 0)
        add(position, zero, item.key, "zero_denominator", denominator=shown)
        for i in np.flatnonzero(ok & (denom > 0) & (volume > denom)):
            params = {"denominator": shown, "denominator_value": _text(denom[i])}
            column = names.get(item.key, item.key)
            value = _text(volume[i])
            issue = Issue("above_denominator", int(rows[i]), column, value, params, labels[item.key])
            found.append((int(i), position, issue))
    found.sort(key=lambda t: (t[0], t[1]))
    return [issue for _, _, issue in found]
