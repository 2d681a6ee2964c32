"""Reading RT data for profiles: visible records, scored and aggregated by the engine.

Load first (one query per page section), then calculate with the pure engine; nothing here
queries inside a loop, so the query count does not grow with the number of RTs.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.baseline.summaries import Figures, figures_of, grouped_figures, rt_classes
from nolkumuh.regions.models import Region, Rt
from nolkumuh.regions.selectors import within
from nolkumuh.scoring import (
    HEADER_FIELDS,
    RtTable,
    assess,
    catalogue,
    sanitation_access_hundredths,
    water_access_hundredths,
)
from nolkumuh.scoring.table import SCALE

RECORD_FIELDS = (
    "id",
    "round_id",
    "rt_id",
    "rt__rw",
    "rt__rt",
    "rt__kelurahan__code",
    "rt__kawasan_id",
    "volumes",
    *HEADER_FIELDS,
)


def is_approved() -> Exists:
    """Whether a record's kelurahan submission of its round is approved (an EXISTS over rows)."""
    # EXISTS rather than a join: no duplicate rows, so no DISTINCT over wide rows (which made a
    # province page take tens of seconds)
    return Exists(
        Submission.objects.filter(
            kelurahan_id=OuterRef("rt__kelurahan_id"), round_id=OuterRef("round_id"), status="approved"
        )
    )


def visible_records(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[RtRecord]:
    """Approved data for everyone; a signed-in user also sees unapproved data of their regions."""
    approved = Q(is_approved())
    scope = user_scope(user)
    if scope.is_admin:
        return RtRecord.objects.all()
    condition = approved
    for prefix in scope.prefixes:
        condition |= within(prefix, "rt__kelurahan__code")
    return RtRecord.objects.filter(condition)


def rounds() -> list[DataRound]:
    return list(DataRound.objects.order_by("year"))


@dataclass
class Row:
    """One line of a profile's table of sub-regions, kawasan or RTs."""

    key: Hashable
    n_rt: int
    total: int
    class_code: str
    class_label: str
    sectoral: float
    slum_area: float
    luas: float
    by_class: list[dict[str, Any]] = field(default_factory=list)  # code, rts, area per RT class


@dataclass
class Summary:
    """A region (or kawasan, or RT) in one round: its class, criteria, aspects, area and access."""

    round: DataRound
    n_rt: int
    total: int = 0
    max_total: int = 0
    class_code: str = "TK"
    class_label: str = ""
    sectoral: float = 0.0
    criteria: list[dict[str, Any]] = field(default_factory=list)
    aspects: list[dict[str, Any]] = field(default_factory=list)
    area_by_class: list[dict[str, Any]] = field(default_factory=list)
    class_marks: list[str] = field(default_factory=list)  # the class bounds' marks, if not all REG
    criteria_marks: list[str] = field(default_factory=list)  # marks other than REG in the criteria
    luas: float = 0.0
    population: float = 0.0
    slum_area: float = 0.0
    water_access: float | None = None
    sanitation_access: float | None = None
    rows: list[Row] = field(default_factory=list)
    unapproved: int = 0
    ruleset_title: str = ""
    mapped_rts: int = 0  # RTs whose area comes from a boundary polygon
    slum_area_map: float | None = None
    area_by_class_map: list[float] = field(default_factory=list)
    chart_height: int = 0
    coverage: Any = None  # baseline.figures.Coverage: how many RTs, on which basis


def load_records(
    *,
    user: AbstractBaseUser | AnonymousUser,
    code: str | None = None,
    kawasan_id: int | None = None,
    rt_id: int | None = None,
) -> list[dict[str, Any]]:
    """The visible records (all rounds) of a region by code prefix, of a kawasan, or of one RT; each
    says whether it is approved (``approved``), the basis of the headline figures (baseline.figures)."""
    qs = visible_records(user=user).annotate(approved=is_approved())
    if code is not None:
        # through the RT ids of the region's kelurahan: the database reads the records by their RT
        # index instead of scanning every record (a kelurahan among 1.5 M records: 3 s -> ms)
        kelurahan = Region.objects.filter(within(code), level=Region.Level.KELURAHAN).values("pk")
        qs = qs.filter(rt_id__in=Rt.objects.filter(kelurahan__in=kelurahan).values("pk"))
    if kawasan_id is not None:
        qs = qs.filter(rt__kawasan_id=kawasan_id)
    if rt_id is not None:
        qs = qs.filter(rt_id=rt_id)
    return list(
        qs.values(*RECORD_FIELDS, "approved").order_by("rt__kelurahan__code", "rt__rw_key", "rt__rt_key")
    )


def approved_pairs(round_ids: Sequence[int]) -> set[tuple[str, int]]:
    return set(
        Submission.objects.filter(round_id__in=round_ids, status="approved").values_list(
            "kelurahan__code", "round_id"
        )
    )


class _ExactSums:
    """The exact decimal sums behind a table of units' figures (the engine asks at rounding edges)."""

    def __init__(self, parts: Sequence[Figures]) -> None:
        self.parts = parts

    def exact(self, column: str, rows: np.ndarray) -> list[Fraction]:
        return [Fraction(self.parts[i].sums.get(column, Decimal(0))) for i in rows]

    def scaled(self, column: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = [self.parts[i].sums.get(column, Decimal(0)) * SCALE for i in rows]
        ok = np.array([v == v.to_integral_value() and abs(v) < 2**62 for v in values], dtype=bool)
        return np.array([int(v) if k else 0 for v, k in zip(values, ok, strict=True)], dtype=np.int64), ok


def sums_table(parts: Sequence[Figures], keys: Sequence[str]) -> RtTable:
    """One row per unit holding its summed header fields and volumes, exact on demand."""
    columns = {
        f: np.array([float(p.sums.get(f, 0)) for p in parts], dtype=np.float64)
        for f in (*HEADER_FIELDS, *keys)
    }
    return RtTable(columns, source=_ExactSums(parts))


def summary_from(
    figures: Figures, data_round: DataRound, children: Sequence[tuple[Hashable, Figures]] | None = None
) -> Summary:
    """A unit's :class:`Summary` in one round from its figures (records or stored, the same way),
    with a row per child unit when ``children`` are given."""
    (summary,) = summaries_from([figures], data_round)
    if figures.n_rt and children is not None:
        summary.rows = child_rows(children, ruleset_of(data_round.ruleset_id))
    return summary


def summaries_from(parts: Sequence[Figures], data_round: DataRound) -> list[Summary]:
    """The :class:`Summary` of each unit in one round, the units scored together (one table, one
    assessment): the country's dashboard asks for 130 of them."""
    ruleset = ruleset_of(data_round.ruleset_id)
    summaries = [
        Summary(round=data_round, n_rt=f.n_rt, max_total=ruleset.max_total, ruleset_title=ruleset.short_title)
        for f in parts
    ]
    scored_at = [i for i, f in enumerate(parts) if f.n_rt]
    if not scored_at:
        return summaries
    table = sums_table([parts[i] for i in scored_at], ruleset.keys)
    scored = assess(table, ruleset)
    cat = catalogue()
    codes, labels = scored.class_codes(), scored.class_labels()
    water, sanitation = water_access_hundredths(scored), sanitation_access_hundredths(scored)
    marked = {c.confidence for c in ruleset.criteria} | {c.denominator_confidence for c in ruleset.criteria}
    slum_codes = [c.code for c in ruleset.classes[:-1]]  # every class but the last (tidak kumuh)
    marks = {c.confidence for c in ruleset.classes}
    for g, i in enumerate(scored_at):
        summary, figures = summaries[i], parts[i]
        summary.total = int(scored.total[g])
        summary.class_code = str(codes[g])
        summary.class_label = str(labels[g])
        summary.sectoral = float(scored.sectoral_hundredths[g]) / 100
        for j, item in enumerate(ruleset.criteria):
            summary.criteria.append(
                {
                    "code": item.code,
                    "key": item.key,
                    "name": item.criterion.name_id,
                    "name_en": item.criterion.name_en,
                    "help": item.criterion.help_id,
                    "unit": item.criterion.unit,
                    "aspect": item.aspect,
                    "volume": float(table[item.key][g]),
                    "denominator": float(table[item.denominator][g]),
                    "denominator_name": item.denominator,
                    "percent": int(scored.hundredths[j, g]) / 100,
                    "score": int(scored.scores[j, g]),
                    "confidence": item.confidence,
                    "denominator_confidence": item.denominator_confidence,
                }
            )
        summary.criteria_marks = sorted(marked - {"REG"})
        for j, aspect in enumerate(ruleset.aspects):
            average = int(scored.aspect_hundredths[j, g]) / 100
            width = round(average * 3, 1)  # bar chart: 300 px for 100 %
            summary.aspects.append(
                {
                    "number": aspect,
                    "name": cat.aspects[aspect].name_id,
                    "name_en": cat.aspects[aspect].name_en,
                    "average": average,
                    "y": j * 28 + 4,
                    "width": width,
                    "text_x": 296 + width,
                }
            )
        summary.chart_height = len(ruleset.aspects) * 28 + 8
        if figures.mapped_rts:
            # RULES.md section 7: where boundary polygons exist, area comes from the geometry
            summary.mapped_rts = figures.mapped_rts
            summary.slum_area_map = math.fsum(figures.map_areas.get(c, 0.0) for c in slum_codes)
            summary.area_by_class_map = [figures.map_areas.get(c.code, 0.0) for c in ruleset.classes]
        summary.luas = float(figures.sums.get("luas", 0))
        summary.population = float(figures.sums.get("jumlah_penduduk", 0))
        summary.slum_area = float(
            sum((figures.classes.get(c, (0, Decimal(0)))[1] for c in slum_codes), Decimal(0))
        )
        summary.area_by_class = [
            {
                "code": c.code,
                "label": c.label,
                "area": float(figures.classes.get(c.code, (0, Decimal(0)))[1]),
                "count": figures.classes.get(c.code, (0, Decimal(0)))[0],
                "confidence": c.confidence,
            }
            for c in ruleset.classes
        ]
        summary.class_marks = sorted(marks) if marks != {"REG"} else []
        summary.water_access = None if water is None else int(water[g]) / 100
        summary.sanitation_access = None if sanitation is None else int(sanitation[g]) / 100
    return summaries


def child_rows(children: Sequence[tuple[Hashable, Figures]], ruleset: Any) -> list[Row]:
    if not children:
        return []
    parts = [f for _key, f in children]
    scored = assess(sums_table(parts, ruleset.keys), ruleset)
    codes, labels = scored.class_codes(), scored.class_labels()
    slum_codes = [c.code for c in ruleset.classes[:-1]]
    rows = []
    for g, (key, f) in enumerate(children):
        area = {c.code: f.classes.get(c.code, (0, Decimal(0))) for c in ruleset.classes}
        rows.append(
            Row(
                key,
                f.n_rt,
                int(scored.total[g]),
                str(codes[g]),
                str(labels[g]),
                float(scored.sectoral_hundredths[g]) / 100,
                float(sum((area[c][1] for c in slum_codes), Decimal(0))),
                float(f.sums.get("luas", 0)),
                [
                    {"code": c.code, "label": c.label, "rts": area[c.code][0], "area": float(area[c.code][1])}
                    for c in ruleset.classes
                ],
            )
        )
    return rows


def summarize(
    records: Sequence[dict[str, Any]],
    data_round: DataRound,
    child_key: Any = None,
    polygon_areas: dict[int, float] | None = None,
) -> Summary:
    """Score the records of one round as one unit (sums), per RT, and per child group."""
    mine = [r for r in records if r["round_id"] == data_round.pk]
    classes = rt_classes(mine, data_round)
    keys = ruleset_of(data_round.ruleset_id).keys
    children = None
    if child_key is not None:
        children = (
            grouped_figures(mine, classes, keys, polygon_areas, [child_key(r) for r in mine]) if mine else []
        )
    return summary_from(figures_of(mine, classes, keys, polygon_areas), data_round, children)


def kawasan_assessment(kawasan: Any, summary: Summary) -> dict[str, Any] | None:
    """Non-physical assessment, legality, type A1-C6, priority and handling pattern (RULES.md §8)
    of a kawasan in the summary's round; None until all four questions are answered."""
    from nolkumuh.scoring import (
        assess_nonphysical,
        assessment_marks,
        handling_pattern,
        is_legal,
        kawasan_type,
        nonphysical_level,
        priority_rank,
    )

    answers = (kawasan.strategis, kawasan.potensi, kawasan.status_lahan, kawasan.sesuai_tata_ruang)
    if any(a is None for a in answers) or not summary.n_rt or not summary.luas:
        return None
    ruleset = ruleset_of(summary.round.ruleset_id)
    density = round(summary.population / summary.luas, 2)  # jiwa/ha
    scores = assess_nonphysical(
        ruleset, strategis=kawasan.strategis, density=str(density), potensi=kawasan.potensi
    )
    level = nonphysical_level(ruleset, scores.total)
    legal = is_legal(status_lahan=kawasan.status_lahan, sesuai_tata_ruang=kawasan.sesuai_tata_ruang)
    return {
        "density": density,
        "scores": scores,
        "level": level,
        "legal": legal,
        "type": kawasan_type(ruleset, summary.class_code, level, legal),
        "priority": priority_rank(ruleset, summary.class_code, level),
        "pattern": handling_pattern(ruleset, summary.class_code, legal),
        "marks": assessment_marks(ruleset),
    }


def polygon_areas(records: Sequence[dict[str, Any]]) -> dict[int, float]:
    """Geodesic area (ha) of the RT polygons of these records, where they exist (one query)."""
    from nolkumuh.regions.models import Boundary

    rt_ids = {r["rt_id"] for r in records}
    return dict(Boundary.objects.filter(kind="rt", rt_id__in=rt_ids).values_list("rt_id", "area_ha"))


def latest_luas(rt_ids: list[int]) -> dict[int, float]:
    """The luas (ha) each RT declared in its latest round, by RT id (RTs without a record left out)."""
    latest: dict[int, float] = {}
    for rt_id, luas in (
        RtRecord.objects.filter(rt_id__in=rt_ids).order_by("round__year").values_list("rt_id", "luas")
    ):
        latest[rt_id] = float(luas)
    return latest
