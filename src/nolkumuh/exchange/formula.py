"""Text that a spreadsheet would run: a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel and LibreOffice (``=HYPERLINK(...)`` sends data away,
``@SUM(...)`` and ``+1+1`` compute). Written cells get a leading single quote, which makes them
text; numbers (a negative number too) stay numbers. Reading takes exactly that quote off again, so
a file written by nolkumuh reads back to the same values."""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r")
# A plain number as nolkumuh writes or reads it: sign, digits, a decimal point or comma, exponent.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def _starts_a_formula(text: str) -> bool:
    # quotes already in front are looked through, so that guarding stays reversible
    return text.lstrip("'")[:1] in TRIGGERS


def guard_cell(text: str) -> str:
    """The cell as it is safe to write into CSV: a quote in front of text a spreadsheet would run."""
    if text and _starts_a_formula(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def unguard_cell(text: str) -> str:
    """The value a guarded CSV cell stands for (the inverse of :func:`guard_cell`)."""
    if text.startswith("'") and _starts_a_formula(text):
        return text[1:]
    return text
