"""Which input column is which: identity columns, header fields, and volumes by key or by code."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from nolkumuh.exchange.read import normalize_name
from nolkumuh.scoring.criteria import HEADER_FIELDS, catalogue
from nolkumuh.scoring.issues import Issue
from nolkumuh.scoring.rulesets import Ruleset

NAME_COLUMNS = ("provinsi", "kabkota", "kecamatan", "kelurahan")
TEXT_COLUMNS = ("kode_kelurahan", *NAME_COLUMNS, "kawasan", "rw", "rt")
IDENTITY_COLUMNS = ("tahun", *TEXT_COLUMNS, "ruleset")
REQUIRED = ("tahun", "rw", "rt", *HEADER_FIELDS)


@dataclass
class ColumnMap:
    """Positions of the recognised columns in the header row."""

    names: list[str]
    known: dict[str, int] = field(default_factory=dict)  # canonical name -> position
    volumes: dict[str, int] = field(default_factory=dict)  # criterion key -> position
    spelling: str = "key"  # "key" (v_<key>) or "code" (ruleset display codes)

    def shown(self, canonical: str) -> str:
        """The name the user wrote for a recognised column (for messages)."""
        if canonical in self.volumes:
            return self.names[self.volumes[canonical]]
        if canonical in self.known:
            return self.names[self.known[canonical]]
        return canonical

    def has_location_names(self) -> bool:
        return all(n in self.known for n in NAME_COLUMNS)


def find_duplicates(names: list[str]) -> list[Issue]:
    seen: dict[str, int] = {}
    issues = []
    for position, name in enumerate(names):
        key = normalize_name(name)
        if not key:
            continue
        if key in seen:
            issues.append(Issue("duplicate_column", column=name, params={"other": seen[key] + 1}))
        else:
            seen[key] = position
    return issues


def resolve_columns(
    names: list[str], ruleset: Ruleset, *, codes_allowed: bool
) -> tuple[ColumnMap, list[Issue]]:
    """Map the header row to canonical columns; report missing, doubled and mixed columns."""
    issues = find_duplicates(names)
    result = ColumnMap(names=names)
    normalized = [normalize_name(n) for n in names]
    canonical = set(IDENTITY_COLUMNS) | set(HEADER_FIELDS)
    by_code = ruleset.by_code()
    by_key = {f"v_{k}": k for k in catalogue().criteria}
    key_columns: dict[str, int] = {}
    code_columns: dict[str, int] = {}
    for position, name in enumerate(normalized):
        if name in canonical:
            result.known.setdefault(name, position)
        elif name in by_key:
            key_columns.setdefault(by_key[name], position)
        elif name in by_code:
            code_columns.setdefault(by_code[name].key, position)
    if key_columns and code_columns:
        code = names[next(iter(code_columns.values()))]
        issues.append(Issue("mixed_spelling", params={"code": code}))
    elif code_columns and not codes_allowed:
        code = names[next(iter(code_columns.values()))]
        issues.append(Issue("codes_need_ruleset", params={"code": code}))
    if code_columns and not key_columns:
        result.volumes, result.spelling = code_columns, "code"
    else:
        result.volumes = key_columns
    for name in REQUIRED:
        if name not in result.known:
            issues.append(_missing(name, normalized))
    for item in ruleset.criteria:
        if item.key not in result.volumes:
            wanted = item.code if result.spelling == "code" else f"v_{item.key}"
            issues.append(_missing(wanted, normalized))
    if "kode_kelurahan" not in result.known and not result.has_location_names():
        issues.append(Issue("missing_location"))
    return result, issues


def _missing(wanted: str, normalized: list[str]) -> Issue:
    close = difflib.get_close_matches(wanted, [n for n in normalized if n], n=1, cutoff=0.75)
    hint = f" — {close[0]}?" if close else ""
    return Issue("missing_column", column=wanted, params={"hint": hint})
