"""Typed reading of ruleset file data that collects every problem instead of stopping at the first."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

_STEP = re.compile(r"([A-Za-z_]+)(?:\[(\d+)\])?")

# How sure a rule is (RULES.md): seen in the regulation, in real KOTAKU data, stated alike by at
# least two independent secondary sources, or only widely repeated. A closed set: a ruleset file
# naming another mark is refused.
CONFIDENCE_MARKS = ("REG", "PRACTICE", "SECONDARY", "RECALL")


def to_hundredths(text: str) -> int:
    """'76.00' -> 7600; a percentage written in a ruleset as hundredths of a percent."""
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return -1
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class RulesetParser:
    """Reads dotted paths (``bands.thresholds[0].score``) and records what is missing or wrong."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def _get(self, path: str) -> Any:
        node: Any = self.data
        for name, index in _STEP.findall(path):
            if not isinstance(node, dict) or name not in node:
                return None
            node = node[name]
            if index:
                if not isinstance(node, list) or int(index) >= len(node):
                    return None
                node = node[int(index)]
        return node

    def _typed(self, path: str, kind: type | tuple[type, ...], what: str, default: Any) -> Any:
        value = self._get(path)
        if value is None and default is not None:
            return default
        if isinstance(value, bool) and kind is not bool:
            value = None
        if not isinstance(value, kind):
            found = "missing" if value is None else f"found {value!r}"
            self.problems.append(f"{path}: expected {what}, {found}")
            return None
        return value

    def text(self, path: str, *, default: str | None = None) -> str:
        value = self._typed(path, (str, int, float), "text", default)
        return "" if value is None else str(value)

    def integer(self, path: str) -> int:
        value = self._typed(path, int, "a whole number", None)
        return 0 if value is None else value

    def optional_integer(self, path: str) -> int | None:
        if self._get(path) is None:
            return None
        return self.integer(path)

    def boolean(self, path: str) -> bool:
        return bool(self._typed(path, bool, "true or false", None))

    def confidence(self, path: str, *, default: str | None = None) -> str:
        """A confidence mark, one of ``CONFIDENCE_MARKS`` exactly as written there."""
        before = len(self.problems)
        value = self.text(path, default=default)
        if len(self.problems) == before and value not in CONFIDENCE_MARKS:
            self.problems.append(
                f"{path}: unknown confidence mark {value!r}; write one of {', '.join(CONFIDENCE_MARKS)}"
            )
        return value

    def table_list(self, path: str) -> list[dict[str, Any]]:
        value = self._typed(path, list, "a list of tables", None)
        if value is None:
            return []
        if not all(isinstance(v, dict) for v in value):
            self.problems.append(f"{path}: every entry must be a table")
            return []
        return value

    def text_list(self, path: str) -> list[str]:
        value = self._typed(path, list, "a list of texts", None)
        return [str(v) for v in value or []]

    def integer_list(self, path: str) -> list[int]:
        value = self._typed(path, list, "a list of whole numbers", None) or []
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            self.problems.append(f"{path}: expected a list of whole numbers")
            return []
        return value

    def text_map(self, path: str) -> dict[str, str]:
        value = self._typed(path, dict, "a table of texts", None) or {}
        return {str(k): str(v) for k, v in value.items()}
