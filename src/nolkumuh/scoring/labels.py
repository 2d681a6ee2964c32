"""Words for the codes: a field key as a facilitator reads it, never the key alone.

One function, :func:`field_label`, turns every spelling of a field that reaches a user into its
code, name and unit: ``v_bangunan_tidak_teratur`` or ``bangunan_tidak_teratur`` or ``1a`` becomes
"1a Ketidakteraturan bangunan (unit)", ``jumlah_kk`` becomes "Jumlah KK", ``luas`` "Luas
verifikasi (ha)", ``persen_jalan_cakupan`` "Persentase 2a Jaringan jalan ... (%)". The display code
belongs to a ruleset ("4c" means two things in two regulations): without one, the name stands alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from nolkumuh.scoring.criteria import catalogue

if TYPE_CHECKING:  # rulesets import the issues, which word their columns with this module
    from nolkumuh.scoring.rulesets import Ruleset

# output-column prefix -> (Indonesian, English) word in front of the criterion, and its unit
_PREFIXES: dict[str, tuple[str, str, str]] = {
    "persen_": ("Persentase", "Percentage", "%"),
    "nilai_": ("Nilai", "Score", ""),
}


@dataclass(frozen=True)
class Words:
    """A text in Indonesian and English; a message picks one when it is rendered."""

    id: str
    en: str

    def text(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id

    def __str__(self) -> str:
        return self.id


def _with_unit(text: str, unit: str) -> str:
    """'Jumlah bangunan (unit)'; no '(KK)' after 'Jumlah KK': the name already says it."""
    if not unit or unit.lower() in text.lower().split():
        return text
    return f"{text} ({unit})"


def _criterion(name: str, ruleset: Ruleset | None, lang: str) -> tuple[str, str] | None:
    """(code and name, unit) of a criterion given by key or by the ruleset's display code."""
    criteria = catalogue().criteria
    if ruleset is not None and name in ruleset.by_code():
        item = ruleset.by_code()[name]
        return f"{item.code} {item.criterion.name(lang)}", item.criterion.unit
    if name not in criteria:
        return None
    criterion = criteria[name]
    if ruleset is not None and name in ruleset.keys:
        return f"{ruleset.criterion(name).code} {criterion.name(lang)}", criterion.unit
    return criterion.name(lang), criterion.unit


def field_label(name: str, ruleset: Ruleset | None = None, lang: str = "id", *, unit: bool = True) -> str:
    """The words for a field key or column name; an unknown name comes back as it was.

    Header fields give their label ("Jumlah KK", "Luas verifikasi (ha)"); criteria their ruleset
    code and name ("1a Ketidakteraturan bangunan (unit)") whether named by key, by ``v_<key>`` or by
    display code; ``persen_<key>`` and ``nilai_<key>`` the criterion with "Persentase"/"Nilai".
    ``unit=False`` leaves the unit out (for a sentence that gives it beside a number).
    """
    key = name.strip().lower()
    header = catalogue().header
    if key in header:
        field = header[key]
        return _with_unit(field.label(lang), field.unit if unit else "")
    for prefix, (word_id, word_en, prefix_unit) in _PREFIXES.items():
        if key.startswith(prefix) and (found := _criterion(key.removeprefix(prefix), ruleset, lang)):
            word = word_en if lang == "en" else word_id
            return _with_unit(f"{word} {found[0]}", prefix_unit if unit else "")
    found = _criterion(key.removeprefix("v_"), ruleset, lang)
    if found is None:
        return name
    return _with_unit(found[0], found[1] if unit else "")


def field_words(name: str, ruleset: Ruleset | None = None, *, unit: bool = True) -> Words:
    """:func:`field_label` in both languages, for a message rendered later in either."""
    return Words(field_label(name, ruleset, "id", unit=unit), field_label(name, ruleset, "en", unit=unit))
