"""Non-physical assessment, land legality, type A1-C6, priority and handling pattern (RULES.md §8).

All tables come from the ruleset, data an administrator can change; the confidence mark of each
table (RECALL, SECONDARY, REG) is in ``Ruleset.notes`` and shown next to it in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nolkumuh.scoring.rulesets import Ruleset


@dataclass(frozen=True)
class NonPhysical:
    """The three "pertimbangan lain" scores, their sum and level (tinggi, sedang, rendah)."""

    strategis: int
    kependudukan: int
    sosial_ekonomi: int

    @property
    def total(self) -> int:
        return self.strategis + self.kependudukan + self.sosial_ekonomi


def density_score(ruleset: Ruleset, density: Decimal | float | str) -> int:
    """Score of population density (jiwa/ha); a value between two bands takes the lower score."""
    value = Decimal(str(density))
    for band in ruleset.nonphysical.density_bands:
        limit = Decimal(band.value)
        if value > limit or (not band.strict and value == limit):
            return band.score
    return ruleset.nonphysical.density_below_score


def assess_nonphysical(
    ruleset: Ruleset, *, strategis: bool, density: Decimal | float | str, potensi: bool
) -> NonPhysical:
    rules = ruleset.nonphysical
    return NonPhysical(
        strategis=rules.strategis_score if strategis else rules.tidak_strategis_score,
        kependudukan=density_score(ruleset, density),
        sosial_ekonomi=rules.potensi_score if potensi else rules.tanpa_potensi_score,
    )


def nonphysical_level(ruleset: Ruleset, total: int) -> str:
    for code, min_sum in ruleset.nonphysical.levels:
        if total >= min_sum:
            return code
    return ruleset.nonphysical.levels[-1][0]


def is_legal(*, status_lahan: bool, sesuai_tata_ruang: bool) -> bool:
    """Legal only when both the land tenure status and the spatial-plan conformity are positive."""
    return status_lahan and sesuai_tata_ruang


def kawasan_type(ruleset: Ruleset, class_code: str, level: str, legal: bool) -> str | None:
    """A1..C6: letter by slum class, number by (level, legality); None when not a slum."""
    letter = ruleset.type_letters.get(class_code)
    if letter is None:
        return None
    return f"{letter}{ruleset.type_numbers[(level, legal)]}"


def priority_rank(ruleset: Ruleset, class_code: str, level: str) -> int | None:
    """1 = first priority (tinggi and berat); None when not a slum.

    Legality does not enter: under the shipped orders the types A1...C6 rank
    1 1 4 4 7 7 2 2 5 5 8 8 3 3 6 6 9 9.
    """
    if class_code not in ruleset.priority_classes:
        return None
    per_level = len(ruleset.priority_classes)
    return ruleset.priority_levels.index(level) * per_level + ruleset.priority_classes.index(class_code) + 1


def handling_pattern(ruleset: Ruleset, class_code: str, legal: bool) -> str | None:
    """Pemugaran, peremajaan or pemukiman kembali; None when not a slum."""
    return ruleset.handling_pattern.get((class_code, legal))


# The parts of a kawasan assessment as pages show them, and the ruleset section each comes from.
_SECTIONS = (
    ("nonphysical", "nonphysical"),
    ("legality", "legality"),
    ("type", "type_matrix"),
    ("priority", "priority"),
    ("pattern", "handling_pattern"),
)


def assessment_marks(ruleset: Ruleset) -> dict[str, str]:
    """The confidence mark of each part of a kawasan assessment (non-physical ... pattern)."""
    return {part: ruleset.notes[section].confidence for part, section in _SECTIONS}
