"""Template helpers: Indonesian number forms and the class colours used everywhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

CLASS_CSS = {"KB": "kb", "KS": "ks", "KR": "kr", "TK": "tk"}
CLASS_SEVERITY = {"TK": 0, "KR": 1, "KS": 2, "KB": 3}


@register.filter
def num(value: object, places: int = 2) -> str:
    """1234.5 -> '1.234,50' in Indonesian, '1,234.50' in English; empty for None."""
    if value is None or value == "":
        return "–"
    try:
        rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    return number_format(rounded, decimal_pos=int(places), use_l10n=True, force_grouping=True)


@register.filter
def cls(code: str) -> str:
    return CLASS_CSS.get(str(code), "tk")


@register.filter
def severity(code: str) -> int | str:
    """Sort key of a class code for sortable tables: tidak kumuh first, kumuh berat last."""
    return CLASS_SEVERITY.get(str(code), "")


@register.filter
def bar(value: float | None, maximum: float = 100) -> float:
    """Width (0-100) of a bar for a value on a 0..maximum scale."""
    if not value or not maximum:
        return 0.0
    return max(0.0, min(100.0, float(value) / float(maximum) * 100))


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def index(sequence: list, position: int) -> object:
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def pct(value: float | None, places: int = 1) -> str:
    """A share (0.875) as a percentage in the user's number format ('87,5 %'); '–' for None."""
    if value is None:
        return "–"
    return f"{num(float(value) * 100, places)} %"
