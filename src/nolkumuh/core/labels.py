"""Field keys in the words of the page's language, for every page, message and export of the apps.

The words come from the criteria catalogue and the ruleset (:mod:`nolkumuh.scoring.labels`); this
adds the language of the request and the few stored keys that are not fields (the total, the class).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy

from nolkumuh.scoring.labels import field_label as scoring_field_label
from nolkumuh.scoring.rulesets import Ruleset, load_ruleset, shipped_ids

# keys that the audit trail and the exports keep beside the fields
OTHER_LABELS: dict[str, str | Promise] = {
    "total": gettext_lazy("Total nilai"),
    "total_nilai": gettext_lazy("Total nilai"),
    "tingkat": gettext_lazy("Tingkat kekumuhan"),
    "tingkat_label": gettext_lazy("Tingkat kekumuhan (nama)"),
    "rata_sektoral": gettext_lazy("Rata-rata sektoral (%)"),
    "status": gettext_lazy("Status"),
    "reason": gettext_lazy("Alasan"),
}


def ruleset_or_none(ruleset: Ruleset | str | None) -> Ruleset | None:
    """The ruleset itself, or the shipped ruleset of that id (never a file path), or None."""
    if isinstance(ruleset, str):
        return load_ruleset(ruleset) if ruleset in shipped_ids() else None
    return ruleset


def field_label(
    name: str,
    ruleset: Ruleset | str | None = None,
    *,
    unit: bool = True,
    extra: Mapping[str, str | Promise] | None = None,
) -> str:
    """'1a Ketidakteraturan bangunan (unit)', 'Jumlah KK', 'Total nilai': never the key alone.

    ``extra`` words further keys of one page (the quality ratios); an unknown key comes back as it was.
    """
    key = str(name)
    for words in (extra or {}, OTHER_LABELS):
        if key in words:
            return str(words[key])
    return scoring_field_label(key, ruleset_or_none(ruleset), get_language() or "id", unit=unit)
