"""The criteria catalogue: aspects, header fields and criteria under stable semantic keys.

The catalogue is data (``data/criteria.toml``); rulesets choose criteria from it and give them the
display codes of their regulation.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class HeaderField:
    """A denominator field of the RT header (luas, jumlah_bangunan, ...)."""

    key: str
    unit: str
    integer: bool
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass(frozen=True)
class Aspect:
    """One of the seven aspects (bangunan, jalan, air minum, drainase, air limbah, sampah, kebakaran)."""

    number: int
    name_id: str
    name_en: str

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id


@dataclass(frozen=True)
class Criterion:
    """A physical criterion: the deficient volume of ``key`` is divided by ``denominator``."""

    key: str
    aspect: int
    unit: str
    denominator: str
    name_id: str
    name_en: str
    help_id: str
    help_en: str

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id

    def help(self, lang: str = "id") -> str:
        return self.help_en if lang == "en" else self.help_id

    @property
    def volume_column(self) -> str:
        return f"v_{self.key}"


@dataclass(frozen=True)
class Catalogue:
    header: dict[str, HeaderField]
    aspects: dict[int, Aspect]
    criteria: dict[str, Criterion]


@cache
def catalogue() -> Catalogue:
    """The shipped criteria catalogue (read once)."""
    text = resources.files("nolkumuh.scoring").joinpath("data/criteria.toml").read_text("utf-8")
    data = tomllib.loads(text)
    header = {key: HeaderField(key=key, **value) for key, value in data["header"].items()}
    aspects = {a["number"]: Aspect(**a) for a in data["aspects"]}
    criteria = {c["key"]: Criterion(**c) for c in data["criteria"]}
    return Catalogue(header=header, aspects=aspects, criteria=criteria)


HEADER_FIELDS: tuple[str, ...] = tuple(catalogue().header)
