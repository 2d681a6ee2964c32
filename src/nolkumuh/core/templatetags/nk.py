"""Template helpers: Indonesian number forms, the class colours and the rules' confidence marks."""

from __future__ import annotations

from decimal import InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nolkumuh import __version__
from nolkumuh.core import labels
from nolkumuh.exchange.bounds import rw_rt
from nolkumuh.exchange.numbers import half_up
from nolkumuh.scoring.rulesets import CONFIDENCE_MARKS, Ruleset

register = template.Library()

CLASS_CSS = {"KB": "kb", "KS": "ks", "KR": "kr", "TK": "tk"}
CLASS_SEVERITY = {"TK": 0, "KR": 1, "KS": 2, "KB": 3}

# How the UI names and explains the confidence marks of the ruleset data (RULES.md), one term each,
# wherever a rule is shown with its mark.
MARKS: dict[str, tuple[str | Promise, Promise]] = {
    "REG": (_("regulasi"), _("terlihat dalam teks regulasi atau halaman resmi program")),
    "PRACTICE": (_("praktik"), _("terlihat dalam data baseline KOTAKU yang nyata")),
    "SECONDARY": (
        _("sekunder"),
        _(
            "tidak terlihat dalam teks regulasinya sendiri, tetapi dinyatakan sama oleh sedikitnya dua "
            "sumber sekunder yang independen (lampiran peraturan wali kota/bupati, perda, atau penerapan "
            "yang ditulis pada masanya); administrator dapat mengubahnya sebagai data ruleset"
        ),
    ),
    "RECALL": (
        "RECALL",
        _("belum terkonfirmasi dari sumber primer; administrator dapat mengubahnya sebagai data ruleset"),
    ),
}


@register.filter
def field_label(name: str, ruleset: Ruleset | str | None = None) -> str:
    """A field key in words in the page's language: ``{{ key|field_label:ruleset }}``.

    '1a Ketidakteraturan bangunan (unit)', 'Jumlah KK'; ``ruleset`` is the ruleset or its id (the
    display codes are the ruleset's).
    """
    return labels.field_label(name, ruleset)


@register.filter
def num(value: object, places: int = 2) -> str:
    """1234.5 -> '1.234,50' in Indonesian, '1,234.50' in English; empty for None."""
    if value is None or value == "":
        return "–"
    try:
        rounded = half_up(value, int(places))
    except InvalidOperation:
        return str(value)
    return number_format(rounded, decimal_pos=int(places), use_l10n=True, force_grouping=True)


@register.filter
def rwrt(value: object) -> str:
    """An RW or RT number with its leading zeros: '1' -> '001' (one rule: ``exchange.bounds.rw_rt``)."""
    return rw_rt(value)


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


@register.filter
def mark(code: str) -> str:
    """The UI's name of a confidence mark ('SECONDARY' -> 'sekunder'), shown next to a rule."""
    return str(MARKS[code][0]) if code in MARKS else str(code)


@register.inclusion_tag("core/_marks.html")
def mark_notes(*codes: str | list[str] | dict[str, str]) -> dict[str, object]:
    """A note explaining each mark used among ``codes`` (marks, lists of marks or their values)."""
    used: set[str] = set()
    for item in codes:
        if isinstance(item, dict):
            used.update(item.values())
        elif isinstance(item, (list, tuple)):
            used.update(item)
        else:
            used.add(item)
    marks = [{"label": MARKS[c][0], "meaning": MARKS[c][1]} for c in CONFIDENCE_MARKS if c in used]
    return {"marks": marks}


@register.simple_tag
def nolkumuh_version() -> str:
    """The installed version of nolkumuh (package metadata, read once at import), for the page footer."""
    return __version__
