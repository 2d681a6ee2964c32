"""Rulesets: a regulation's criteria, bands, classes and assessment tables, loaded from data files.

The two shipped rulesets (``permen-pupr-14-2018``, ``permen-pupr-02-2016``) live in
``data/rulesets/``; sections they do not state come from ``data/defaults.toml``. A custom ruleset
file (TOML, same shape) can be loaded by path and is validated: every problem is reported.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from nolkumuh.scoring.criteria import HEADER_FIELDS, Criterion, catalogue
from nolkumuh.scoring.issues import InvalidInput, Issue
from nolkumuh.scoring.rulesets_parse import CONFIDENCE_MARKS as CONFIDENCE_MARKS  # re-exported
from nolkumuh.scoring.rulesets_parse import RulesetParser, to_hundredths

DEFAULT_RULESET = "permen-pupr-14-2018"


@dataclass(frozen=True)
class Band:
    """A criterion score that applies from ``min_hundredths`` (percentage x 100) upwards."""

    min_hundredths: int
    score: int


@dataclass(frozen=True)
class SlumClass:
    code: str
    label: str
    label_en: str
    min_total: int
    confidence: str

    def display(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label


@dataclass(frozen=True)
class RulesetCriterion:
    """A catalogue criterion as one ruleset uses it (display code, possibly another denominator)."""

    criterion: Criterion
    code: str
    confidence: str
    denominator_confidence: str

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def aspect(self) -> int:
        return self.criterion.aspect

    @property
    def denominator(self) -> str:
        return self.criterion.denominator


@dataclass(frozen=True)
class DensityBand:
    """Density score: applies when density > ``value`` (strict) or >= ``value`` (inclusive)."""

    value: str
    strict: bool
    score: int


@dataclass(frozen=True)
class NonPhysicalRules:
    strategis_score: int
    tidak_strategis_score: int
    potensi_score: int
    tanpa_potensi_score: int
    density_bands: tuple[DensityBand, ...]
    density_below_score: int
    levels: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Note:
    """Where a section of the ruleset comes from, and how sure we are of it."""

    confidence: str
    text: str


@dataclass(frozen=True)
class Ruleset:
    id: str
    title: str
    short_title: str
    valid_from: int | None
    valid_until: int | None
    sources: tuple[str, ...]
    bands: tuple[Band, ...]
    below_score: int
    classes: tuple[SlumClass, ...]
    criteria: tuple[RulesetCriterion, ...]
    exit_aspects: tuple[int, ...]
    exit_min_service_hundredths: int
    nonphysical: NonPhysicalRules
    typologies: tuple[str, ...]
    type_letters: dict[str, str]
    type_numbers: dict[tuple[str, bool], int]
    priority_levels: tuple[str, ...]
    priority_classes: tuple[str, ...]
    handling_pattern: dict[tuple[str, bool], str]
    notes: dict[str, Note]
    path: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    @property
    def aspects(self) -> tuple[int, ...]:
        return tuple(sorted({c.aspect for c in self.criteria}))

    @property
    def max_total(self) -> int:
        return len(self.criteria) * max(b.score for b in self.bands)

    @property
    def not_slum(self) -> SlumClass:
        """The lowest class (tidak kumuh)."""
        return self.classes[-1]

    def criterion(self, key: str) -> RulesetCriterion:
        for item in self.criteria:
            if item.key == key:
                return item
        raise KeyError(key)

    def by_code(self) -> dict[str, RulesetCriterion]:
        return {c.code.lower(): c for c in self.criteria}

    def slum_class(self, code: str) -> SlumClass:
        for item in self.classes:
            if item.code == code:
                return item
        raise KeyError(code)

    def classify(self, total: int) -> SlumClass:
        for item in self.classes:
            if total >= item.min_total:
                return item
        return self.classes[-1]


def _data_text(name: str) -> str:
    return resources.files("nolkumuh.scoring").joinpath(f"data/{name}").read_text("utf-8")


@cache
def shipped_ids() -> tuple[str, ...]:
    folder = resources.files("nolkumuh.scoring").joinpath("data/rulesets")
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.is_file()))


@cache
def _shipped(ruleset_id: str) -> Ruleset:
    return parse_ruleset(tomllib.loads(_data_text(f"rulesets/{ruleset_id}.toml")))


def load_ruleset(id_or_path: str | Path) -> Ruleset:
    """A shipped ruleset by id, or a custom ruleset file by path (validated)."""
    name = str(id_or_path)
    if name in shipped_ids():
        return _shipped(name)
    path = Path(name)
    if not path.is_file():
        choices = ", ".join(shipped_ids())
        raise InvalidInput([Issue("unknown_ruleset", value=name, params={"choices": choices})])
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput([Issue("ruleset_invalid", value=name, params={"detail": str(exc)})]) from None
    return parse_ruleset(data, path=str(path))


def all_rulesets() -> list[Ruleset]:
    return [_shipped(i) for i in shipped_ids()]


def parse_ruleset(data: dict[str, Any], *, path: str | None = None) -> Ruleset:
    """Build a ruleset from file data merged over the defaults; every problem is reported."""
    merged: dict[str, Any] = dict(tomllib.loads(_data_text("defaults.toml")))
    merged.update(data)
    p = RulesetParser(merged)
    cat = catalogue()
    ruleset_id = p.text("id")
    criteria = tuple(_criterion(p, i, item, cat.criteria) for i, item in enumerate(p.table_list("criteria")))
    bands = tuple(
        Band(
            to_hundredths(p.text(f"bands.thresholds[{i}].min_percent")),
            p.integer(f"bands.thresholds[{i}].score"),
        )
        for i in range(len(p.table_list("bands.thresholds")))
    )
    classes = tuple(
        SlumClass(
            code=p.text(f"classes[{i}].code"),
            label=p.text(f"classes[{i}].label"),
            label_en=p.text(f"classes[{i}].label_en"),
            min_total=p.integer(f"classes[{i}].min_total"),
            confidence=p.confidence(f"classes[{i}].confidence"),
        )
        for i in range(len(p.table_list("classes")))
    )
    ruleset = Ruleset(
        id=ruleset_id,
        title=p.text("title"),
        short_title=p.text("short_title", default=ruleset_id),
        valid_from=p.optional_integer("valid_from"),
        valid_until=p.optional_integer("valid_until"),
        sources=tuple(p.text_list("sources")),
        bands=bands,
        below_score=p.integer("bands.below_score"),
        classes=classes,
        criteria=criteria,
        exit_aspects=tuple(p.integer_list("exit_rule.aspects")),
        exit_min_service_hundredths=to_hundredths(p.text("exit_rule.min_service_percent")),
        nonphysical=_nonphysical(p),
        typologies=tuple(p.text_list("typology.names")),
        type_letters=p.text_map("type_matrix.letters"),
        type_numbers={
            (
                p.text(f"type_matrix.numbers[{i}].level"),
                p.boolean(f"type_matrix.numbers[{i}].legal"),
            ): p.integer(f"type_matrix.numbers[{i}].number")
            for i in range(len(p.table_list("type_matrix.numbers")))
        },
        priority_levels=tuple(p.text_list("priority.level_order")),
        priority_classes=tuple(p.text_list("priority.class_order")),
        handling_pattern={
            **{(k, True): v for k, v in p.text_map("handling_pattern.legal").items()},
            **{(k, False): v for k, v in p.text_map("handling_pattern.ilegal").items()},
        },
        notes={
            section: Note(p.confidence(f"{section}.confidence"), p.text(f"{section}.note"))
            for section in (
                "bands",
                "exit_rule",
                "nonphysical",
                "legality",
                "typology",
                "type_matrix",
                "priority",
                "handling_pattern",
            )
        },
        path=path,
    )
    p.problems.extend(_consistency_problems(ruleset))
    if p.problems:
        raise InvalidInput([Issue("ruleset_invalid", value=path, params={"detail": d}) for d in p.problems])
    return ruleset


def _criterion(
    p: RulesetParser, i: int, item: dict[str, Any], known: dict[str, Criterion]
) -> RulesetCriterion:
    key = p.text(f"criteria[{i}].key")
    base = known.get(key)
    if base is None:
        p.problems.append(f"criteria[{i}].key: unknown criterion '{key}'; known: {', '.join(known)}")
        base = next(iter(known.values()))
    denominator = item.get("denominator", base.denominator)
    if denominator not in HEADER_FIELDS:
        p.problems.append(
            f"criteria[{i}].denominator: '{denominator}' is not one of {', '.join(HEADER_FIELDS)}"
        )
        denominator = base.denominator
    criterion = Criterion(**{**base.__dict__, "denominator": denominator})
    confidence = p.confidence(f"criteria[{i}].confidence")
    return RulesetCriterion(
        criterion=criterion,
        code=p.text(f"criteria[{i}].code"),
        confidence=confidence,
        denominator_confidence=p.confidence(f"criteria[{i}].denominator_confidence", default=confidence),
    )


def _nonphysical(p: RulesetParser) -> NonPhysicalRules:
    bands = []
    for i, item in enumerate(p.table_list("nonphysical.density_bands")):
        strict = "above" in item
        value = p.text(f"nonphysical.density_bands[{i}].{'above' if strict else 'min'}")
        bands.append(
            DensityBand(value=value, strict=strict, score=p.integer(f"nonphysical.density_bands[{i}].score"))
        )
    levels = tuple(
        (p.text(f"nonphysical.levels[{i}].code"), p.integer(f"nonphysical.levels[{i}].min_sum"))
        for i in range(len(p.table_list("nonphysical.levels")))
    )
    return NonPhysicalRules(
        strategis_score=p.integer("nonphysical.strategis_score"),
        tidak_strategis_score=p.integer("nonphysical.tidak_strategis_score"),
        potensi_score=p.integer("nonphysical.potensi_score"),
        tanpa_potensi_score=p.integer("nonphysical.tanpa_potensi_score"),
        density_bands=tuple(bands),
        density_below_score=p.integer("nonphysical.density_below_score"),
        levels=levels,
    )


def _consistency_problems(r: Ruleset) -> list[str]:
    problems: list[str] = []
    keys = [c.key for c in r.criteria]
    codes = [c.code.lower() for c in r.criteria]
    if not keys:
        problems.append("criteria: a ruleset needs at least one criterion")
    for label, values in (
        ("criteria key", keys),
        ("criteria code", codes),
        ("class code", [c.code for c in r.classes]),
    ):
        doubles = sorted({v for v in values if values.count(v) > 1})
        if doubles:
            problems.append(f"{label} used twice: {', '.join(doubles)}")
    if not r.bands:
        problems.append("bands.thresholds: at least one band is needed")
    if [b.min_hundredths for b in r.bands] != sorted({b.min_hundredths for b in r.bands}, reverse=True):
        problems.append("bands.thresholds: list them from the highest percentage down, each once")
    if any(not 0 <= b.min_hundredths <= 10000 for b in r.bands):
        problems.append("bands.thresholds: min_percent must be between 0 and 100")
    scores = [b.score for b in r.bands] + [r.below_score]
    if scores != sorted(scores, reverse=True) or min(scores) < 0:
        problems.append("bands: scores must not be negative and must fall as the percentage falls")
    totals = [c.min_total for c in r.classes]
    if len(totals) < 2 or totals != sorted(set(totals), reverse=True) or totals[-1] != 0:
        problems.append("classes: list them from the heaviest down, with falling min_total, the last at 0")
    class_codes = {c.code for c in r.classes}
    slum_codes = set(r.priority_classes)
    if not slum_codes <= class_codes or set(r.type_letters) != slum_codes:
        problems.append(
            "type_matrix.letters and priority.class_order must name the slum classes of 'classes'"
        )
    if {k for k, _ in r.handling_pattern} != slum_codes:
        problems.append("handling_pattern: give a pattern for every slum class, legal and ilegal")
    if not set(r.exit_aspects) <= set(r.aspects):
        problems.append("exit_rule.aspects: names an aspect the ruleset has no criterion for")
    levels = [code for code, _ in r.nonphysical.levels]
    if set(levels) != set(r.priority_levels):
        problems.append("priority.level_order must name the nonphysical levels")
    return problems
