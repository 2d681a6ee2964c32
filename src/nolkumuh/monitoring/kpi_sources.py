"""Where computed KPIs come from: a registry of source functions, one per ``compute`` name in
data/kpi.toml. Each takes a :class:`KpiBatch` (region codes and a year) and returns a
:class:`Reading` per code, for the region and everything below it, with a constant number of
queries however many codes are asked for.

Slum area, 100-0-100 access and improved access come from the baseline app's approved RT data
through the one definition of the headline figures (baseline.figures.headline, ADR 0009). Indicators whose
data lives in an app that does not exist yet have no source (see :data:`NO_SOURCE`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from nolkumuh.baseline.figures import headlines_of
from nolkumuh.baseline.models import DataRound, RegionSummary
from nolkumuh.baseline.summaries import (
    ALL_BASIS,
    ANY_ROUND,
    KELURAHAN_DEPTH,
    KPI_PEOPLE_BETTER,
    KPI_PEOPLE_SLUM,
    LIKE_BASE,
    LIKE_NOW,
    RowsUnit,
    stored_rows,
)
from nolkumuh.core.documents import number
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.kpimath import share
from nolkumuh.monitoring.models import Kpp, KppAssessment
from nolkumuh.planning.models import Plan
from nolkumuh.regions.selectors import ancestor_codes, within
from nolkumuh.training.selectors import participation_by_gender, trained_people


@dataclass(frozen=True)
class Reading:
    """A KPI value for one region and year; ``available`` is False where no data source exists."""

    value: float | None
    note: str = ""
    baseline: float | None = None  # the value at the baseline data round, where the source knows it
    available: bool = True
    figure: float | None = None  # the headline figure behind the value (slum area, ha), ADR 0009


NO_SOURCE = Reading(None, "belum ada sumber data (modul pelatihan belum terhubung)", available=False)


def _above(code: str) -> list[str]:
    """The codes above a region's, the country ("") first; none above the country."""
    return ["", *ancestor_codes(code)] if code else []


@dataclass
class KpiBatch:
    """The regions (codes) and year to compute for. ``memo`` lets the sources of one year share
    what they computed; ``shared`` holds year-independent loads, passed on to the batches of the
    other years of a trend so that each table is read once."""

    codes: Sequence[str]
    year: int
    memo: dict[str, Any] = field(default_factory=dict)
    shared: dict[Any, Any] = field(default_factory=dict)

    def load(self, name: str, loader: Callable[[], Any]) -> Any:
        """``loader()`` once per name and set of root regions across the shared batches."""
        key = (name, tuple(self.roots()))
        if key not in self.shared:
            self.shared[key] = loader()
        return self.shared[key]

    def roots(self) -> list[str]:
        """The codes that do not lie below another code of the batch (what to load)."""
        codes = set(self.codes)
        return sorted(c for c in codes if not any(a in codes for a in _above(c)))

    def within_roots(self, field_name: str) -> Any:
        condition = None
        for root in self.roots():
            q = within(root, field_name)
            condition = q if condition is None else condition | q
        return condition

    def owners(self, code: str) -> list[str]:
        """The batch's codes that contain a region with this code (itself and its ancestors)."""
        wanted = self.memo.get("codes")
        if wanted is None:
            wanted = self.memo["codes"] = frozenset(self.codes)
        return [c for c in (*_above(code), code) if c in wanted]


Source = Callable[[KpiBatch], dict[str, Reading]]
SOURCES: dict[str, Source] = {}


def register_source(name: str) -> Callable[[Source], Source]:
    """Register (or replace) the source function of a computed indicator's ``compute`` name."""

    def decorate(function: Source) -> Source:
        SOURCES[name] = function
        return function

    return decorate


def no_source(batch: KpiBatch) -> dict[str, Reading]:
    return {code: NO_SOURCE for code in batch.codes}


@register_source("facilitators_trained")
def facilitators_trained(batch: KpiBatch) -> dict[str, Reading]:
    """Program staff who met the attendance threshold of a training that started in the year, by
    where they work."""
    counts: dict[str, int] = defaultdict(int)
    for year, code in batch.load("trained", trained_people):
        if year == batch.year:
            for owner in batch.owners(code):
                counts[owner] += 1
    return {code: Reading(float(counts[code]), f"{counts[code]} orang") for code in batch.codes}


@register_source("women_in_trainings")
def women_in_trainings(batch: KpiBatch) -> dict[str, Reading]:
    """Share of women among everyone trained in the year: event participants and the audiences of
    community trainings."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for year, code, men, women in batch.load("participation", participation_by_gender):
        if year == batch.year:
            for owner in batch.owners(code):
                totals[owner][0] += men
                totals[owner][1] += women
    result = {}
    for code in batch.codes:
        men, women = totals.get(code, [0, 0])
        note = (
            f"{women} perempuan dari {men + women} peserta"
            if men + women
            else "belum ada pelatihan tahun ini"
        )
        result[code] = Reading(share(women, men + women), note)
    return result


def _rounds(batch: KpiBatch) -> tuple[DataRound | None, DataRound | None]:
    """The baseline round and the latest round up to the batch's year."""
    every = batch.load("rounds", lambda: list(DataRound.objects.order_by("year")))
    rounds = [r for r in every if r.year <= batch.year]
    if not rounds:
        return None, None
    base = next((r for r in rounds if r.is_baseline), rounds[0])
    return base, rounds[-1]


def _slum(batch: KpiBatch) -> dict[str, Any]:
    """The stored figures (ADR 0011) of every batch code in every round, one query shared by the
    trend's batches, with the baseline round and the year's round."""
    if "slum" in batch.memo:
        return batch.memo["slum"]
    base, now = _rounds(batch)
    codes = sorted(set(batch.codes))
    stored = batch.load("stored:" + ",".join(codes), lambda: stored_rows(codes))
    batch.memo["slum"] = {"base": base, "now": now, "stored": stored}
    return batch.memo["slum"]


@dataclass(frozen=True)
class SlumPair:
    """A region's figures for a KPI: ``now`` is the headline of the year's round (the figure the
    profile and the dashboard show); ``before`` and ``after`` compare like for like, over the RTs
    with approved data in both the baseline round and the year's round."""

    before: Any
    after: Any
    now: Any
    same_rts: int


def _summaries(batch: KpiBatch, code: str) -> SlumPair | None:
    data = _slum(batch)
    if "pairs" not in data:
        codes = sorted(set(batch.codes))
        pairs = _pairs([data["stored"].get(c) for c in codes], data["base"], data["now"])
        data["pairs"] = dict(zip(codes, pairs, strict=True))
    return data["pairs"][code]


def _pairs(stored: Sequence[Any], base: DataRound | None, now: DataRound | None) -> list[SlumPair | None]:
    """Each region's pair from its stored rows (None without approved data in the year's round);
    the regions are scored together, one assessment for each of the three figures."""
    if base is None or now is None:
        return [None] * len(stored)
    at = [i for i, rows in enumerate(stored) if rows]
    current = headlines_of([RowsUnit(stored[i]) for i in at], now)
    scored = [(i, now_figures) for i, now_figures in zip(at, current, strict=True) if now_figures.n_rt]
    after = headlines_of([RowsUnit(stored[i], LIKE_NOW, now.pk) for i, _ in scored], now)
    before = headlines_of([RowsUnit(stored[i], LIKE_BASE, now.pk) for i, _ in scored], base)
    pairs: list[SlumPair | None] = [None] * len(stored)
    for (i, now_figures), a, b in zip(scored, after, before, strict=True):
        pairs[i] = SlumPair(b, a, now_figures, a.n_rt)
    return pairs


def _each(batch: KpiBatch, reading: Callable[[SlumPair, Any], Reading]) -> dict[str, Reading]:
    data = _slum(batch)
    result = {}
    for code in batch.codes:
        pair = _summaries(batch, code)
        result[code] = (
            Reading(None, "belum ada data RT yang disetujui") if pair is None else reading(pair, data)
        )
    return result


@register_source("slum_area_reduced")
def slum_area_reduced(batch: KpiBatch) -> dict[str, Reading]:
    """(slum ha at baseline - slum ha now) / slum ha at baseline, over RTs with data in both; the
    note gives the year's headline slum area with its coverage, then the like-for-like pair."""

    def reading(pair: SlumPair, data: Any) -> Reading:
        value = share(pair.before.slum_area - pair.after.slum_area, pair.before.slum_area)
        now = _("%(year)s: %(area)s ha (%(coverage)s)") % {
            "year": data["now"].year,
            "area": number(pair.now.slum_area),
            "coverage": pair.now.coverage.text(),
        }
        like = _("%(base)s pada %(n)s RT yang sama: %(before)s → %(after)s ha") % {
            "base": data["base"].year,
            "n": pair.same_rts,
            "before": number(pair.before.slum_area),
            "after": number(pair.after.slum_area),
        }
        note = f"{now}; {like}"
        return Reading(value, note, 0.0, figure=pair.now.slum_area)

    return _each(batch, reading)


def _access_note(pair: SlumPair, data: Any) -> str:
    return _("data %(year)s (%(coverage)s); baseline %(base)s pada %(n)s RT yang sama") % {
        "year": data["now"].year,
        "coverage": pair.now.coverage.text(),
        "base": data["base"].year,
        "n": pair.same_rts,
    }


@register_source("water_access")
def water_access(batch: KpiBatch) -> dict[str, Reading]:
    def reading(pair: SlumPair, data: Any) -> Reading:
        return Reading(pair.now.water_access, _access_note(pair, data), pair.before.water_access)

    return _each(batch, reading)


@register_source("sanitation_access")
def sanitation_access(batch: KpiBatch) -> dict[str, Reading]:
    def reading(pair: SlumPair, data: Any) -> Reading:
        return Reading(pair.now.sanitation_access, _access_note(pair, data), pair.before.sanitation_access)

    return _each(batch, reading)


@register_source("people_improved_access")
def people_improved_access(batch: KpiBatch) -> dict[str, Reading]:
    """Residents (now) of RTs that were slum at baseline and whose average deficiency (stored
    sectoral score) has fallen, as a share of the residents of those RTs (RTs with approved data
    in both rounds)."""
    data = _slum(batch)
    result = {}
    for code in batch.codes:
        like = (data["stored"].get(code) or {}).get((data["now"].pk, LIKE_NOW)) if data["now"] else None
        if like is None or not like.n_rt:
            result[code] = Reading(None, "belum ada data RT yang disetujui")
            continue
        people, better = int(like.sums.get(KPI_PEOPLE_SLUM, 0)), int(like.sums.get(KPI_PEOPLE_BETTER, 0))
        result[code] = Reading(
            share(better, people), f"{number(better, 0)} dari {number(people, 0)} jiwa", 0.0
        )
    return result


def _valid_assessments(batch: KpiBatch) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """KPPs formed by the end of the year, and each one's latest assessment within the validity
    window before the end of the year (two queries)."""
    end = date(batch.year, 12, 31)
    months = default_settings().kpp_valid_months
    start = end - timedelta(days=round(months * 30.44))
    every = batch.load(
        "kpps",
        lambda: list(
            Kpp.objects.filter(batch.within_roots("kelurahan__code")).values(
                "id", "kelurahan__code", "formed_on"
            )
        ),
    )
    assessments = batch.load(
        "kpp_assessments",
        lambda: list(
            KppAssessment.objects.filter(batch.within_roots("kpp__kelurahan__code"))
            .order_by("assessed_on", "id")
            .values("kpp_id", "assessed_on", "functioning")
        ),
    )
    kpps = [k for k in every if k["formed_on"] is None or k["formed_on"] <= end]
    latest: dict[int, dict[str, Any]] = {}
    for row in assessments:
        if start < row["assessed_on"] <= end:
            latest[row["kpp_id"]] = row
    return kpps, latest


@register_source("kpp_functioning")
def kpp_functioning(batch: KpiBatch) -> dict[str, Reading]:
    """Functioning KPPs (by their latest valid assessment) as a share of all KPPs; a KPP without a
    valid assessment counts as not known to function."""
    kpps, latest = _valid_assessments(batch)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # all, functioning, unassessed
    for kpp in kpps:
        for code in batch.owners(kpp["kelurahan__code"]):
            counts[code][0] += 1
            assessment = latest.get(kpp["id"])
            counts[code][1] += bool(assessment and assessment["functioning"])
            counts[code][2] += assessment is None
    result = {}
    for code in batch.codes:
        total, working, unassessed = counts.get(code, [0, 0, 0])
        note = f"{working} dari {total} KPP" + (f", {unassessed} belum dinilai" if unassessed else "")
        result[code] = Reading(share(working, total), note if total else "belum ada KPP terdaftar")
    return result


def _program(batch: KpiBatch) -> set[str]:
    """Codes of the kelurahan with RT data (any round), one query across shared batches."""

    def load() -> set[str]:
        # the kelurahan rows of the stored figures (ADR 0011): one per kelurahan with records
        rows = RegionSummary.objects.filter(
            batch.within_roots("code"), depth=KELURAHAN_DEPTH, round_key=ANY_ROUND, basis=ALL_BASIS
        )
        return set(rows.values_list("code", flat=True))

    return batch.load("program", load)


def _planned_share(batch: KpiBatch, kind: str, length: int) -> dict[str, Reading]:
    """Share of program regions (kelurahan, or kab/kota with ``length`` 5) with a plan of ``kind``
    starting by the next year."""
    kelurahan = _program(batch)

    def load() -> list[tuple[str, str, int]]:
        # the plans inside the batch's regions, and the city plans (memoranda) of a region below
        # a city (an empty Q, the whole country, must not be joined by OR: Q() | q is q)
        inside = batch.within_roots("region__code")
        cities = [r[:5] for r in batch.roots() if len(r) > 5]
        if cities:
            inside = inside | Q(region__code__in=cities)
        return list(Plan.objects.filter(inside).values_list("region__code", "kind", "start_year"))

    plans = batch.load("plans", load)
    program = {c[:length] for c in kelurahan}
    planned = {c for c, k, start in plans if k == kind and start <= batch.year + 1 and c in program}
    return _shares(batch, program, planned)


def _between(ordered: list[str], low: str, high: str) -> int:
    """How many of the sorted codes lie in [low, high)."""
    return bisect_left(ordered, high) - bisect_left(ordered, low)


def _shares(batch: KpiBatch, program: Iterable[str], done: set[str]) -> dict[str, Reading]:
    """Per batch code: the program regions at or below it, and those done; a region below a
    program unit (a kecamatan under a city) shares its unit's figure. Counted by ranges of the
    sorted codes ("<code>." up to "<code>/" holds what lies below), not code by code: the
    country's program is 11,000 kelurahan."""
    units = set(program)
    ordered = sorted(units)
    hits = sorted(units & done)
    result = {}
    for code in batch.codes:
        if code:
            total = (code in units) + _between(ordered, code + ".", code + "/")
            have = (code in units and code in done) + _between(hits, code + ".", code + "/")
            above = [a for a in _above(code) if a in units]
            total, have = total + len(above), have + sum(a in done for a in above)
        else:
            total, have = len(ordered), len(hits)
        result[code] = Reading(
            share(have, total), f"{have} dari {total}" if total else "belum ada lokasi program"
        )
    return result


@register_source("rplp_done")
def rplp_done(batch: KpiBatch) -> dict[str, Reading]:
    return _planned_share(batch, "rplp", 13)


@register_source("memorandum_done")
def memorandum_done(batch: KpiBatch) -> dict[str, Reading]:
    return _planned_share(batch, "memorandum", 5)
