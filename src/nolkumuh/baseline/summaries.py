"""Stored figures per region, round and basis, kept by the services that change data (ADR 0011).

A page above the kelurahan used to load every RT record below the region and score it; at national
scale that is two million records per page. Instead every region (kelurahan, kecamatan, kab/kota,
province and the country, code "") has one :class:`~nolkumuh.baseline.models.RegionSummary` per
round and basis (approved data only, or all data) holding its :class:`Figures`: the exact sums of
the volumes and denominators, the RTs and hectares per RT class, and the area from RT polygons.
Scores follow from the sums by the summing rule (RULES.md section 5), so a province page is the
same whether computed from its records or from its stored figures.

- A kelurahan's figures are computed from its records (:func:`figures_of`), the RT classes by the
  engine; every region above sums its children's stored figures (:func:`total`), so a change costs
  one kelurahan's records and one row per ancestor.
- :func:`refresh` is called by every service that writes records or changes an approval, inside
  its transaction; :func:`rebuild` makes every row again from the records (``nolkumuh summaries
  rebuild``); both go through the same two functions, so a rebuild equals the incremental rows.
- What an officer sees (approved data plus the unapproved data of their own regions) is composed
  from the two bases: approved(R) + all(p) - approved(p) for each of their regions p inside R.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Max

from nolkumuh.baseline.models import DataRound, RegionSummary, RtRecord, Submission
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.scoring import HEADER_FIELDS, RtTable, assess
from nolkumuh.scoring.table import scale_floats

APPROVED_BASIS = "approved"
ALL_BASIS = "all"
LIKE_NOW, LIKE_BASE = "like_now", "like_base"  # the KPIs' like-for-like pair (approved data)
KPI_PEOPLE_SLUM, KPI_PEOPLE_BETTER = "kpi_people_slum", "kpi_people_better"
ANY_ROUND = 0  # the round key of the rows that count RTs with data in any round
NATION = ""  # the code of Indonesia
_PRECISION = 80  # digits: sums of decimals are exact far beyond any real value
_LOCK = 140_011  # PostgreSQL advisory lock: one refresh of summaries at a time
_SCALED_LIMIT = 2**62  # int64 sums of millionths below this cannot overflow
_BATCH = 400  # kelurahan per query when (re)building
KELURAHAN_DEPTH = 4

RECORD_VALUES = (
    "id",
    "round_id",
    "rt_id",
    "rt__kelurahan_id",
    "rt__kelurahan__code",
    "volumes",
    "class_code",
    "sectoral_hundredths",
    *HEADER_FIELDS,
)


def parent_of(code: str) -> str | None:
    """The code of the region above: "33.74.01" -> "33.74", "33" -> "" (Indonesia), "" -> None."""
    if code == NATION:
        return None
    return code.rsplit(".", 1)[0] if "." in code else NATION


def depth_of(code: str) -> int:
    """0 for Indonesia, 1 for a province, ... 4 for a kelurahan."""
    return code.count(".") + (code != NATION)


def chain(code: str) -> list[str]:
    """The region and every region above it, up to Indonesia."""
    found = [code]
    while (parent := parent_of(found[-1])) is not None:
        found.append(parent)
    return found


def decimal_text(value: Decimal) -> str:
    """A sum as stored: plain decimal text without trailing zeros ("2.66", "0", "1500")."""
    return format(value.normalize(), "f") if value else "0"


@dataclass
class Figures:
    """What a unit's figures in one round stand on: RT and kelurahan counts, exact sums of every
    volume and denominator, RTs and declared hectares per RT class, and the hectares per class
    taking the RT polygon's area where one exists (``mapped_rts`` of the RTs)."""

    n_rt: int = 0
    n_kelurahan: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)
    classes: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    mapped_rts: int = 0
    map_areas: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "sums": {k: decimal_text(v) for k, v in sorted(self.sums.items())},
            "classes": {c: [n, decimal_text(a)] for c, (n, a) in sorted(self.classes.items())},
            "mapped": self.mapped_rts,
            "map": dict(sorted(self.map_areas.items())),
        }

    @classmethod
    def from_row(cls, row: RegionSummary) -> Figures:
        data = row.figures
        return cls(
            n_rt=row.n_rt,
            n_kelurahan=row.n_kelurahan,
            sums={k: Decimal(v) for k, v in data.get("sums", {}).items()},
            classes={c: (int(n), Decimal(a)) for c, (n, a) in data.get("classes", {}).items()},
            mapped_rts=int(data.get("mapped", 0)),
            map_areas={c: float(a) for c, a in data.get("map", {}).items()},
        )

    def minus(self, other: Figures) -> Figures:
        """These figures without ``other``'s (a part of them): the unapproved part of all data."""
        return combine([self, other], signs=[1, -1])


def combine(parts: Sequence[Figures], signs: Sequence[int] | None = None) -> Figures:
    """The figures of a unit made of ``parts`` (each added, or subtracted where its sign is -1).
    Sums are exact decimals; map areas are floats summed exactly rounded (math.fsum), so the
    result does not depend on the order of the parts."""
    signs = signs or [1] * len(parts)
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    areas: dict[str, Decimal] = {}
    maps: dict[str, list[float]] = defaultdict(list)
    with localcontext(prec=_PRECISION):
        for part, sign in zip(parts, signs, strict=True):
            for key, value in part.sums.items():
                sums[key] = sums.get(key, Decimal(0)) + sign * value
            for code, (n, area) in part.classes.items():
                counts[code] = counts.get(code, 0) + sign * n
                areas[code] = areas.get(code, Decimal(0)) + sign * area
            for code, area in part.map_areas.items():
                maps[code].append(sign * area)
    return Figures(
        n_rt=sum(s * p.n_rt for p, s in zip(parts, signs, strict=True)),
        n_kelurahan=sum(s * p.n_kelurahan for p, s in zip(parts, signs, strict=True)),
        sums=sums,
        classes={c: (counts[c], areas[c]) for c in counts},
        mapped_rts=sum(s * p.mapped_rts for p, s in zip(parts, signs, strict=True)),
        map_areas={c: math.fsum(v) for c, v in maps.items()},
    )


def total(parts: Sequence[Figures]) -> Figures:
    """The figures of a region from its children's."""
    return combine(parts)


# --- from records ---------------------------------------------------------------------------------


def record_table(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> RtTable:
    """The engine's table of these records: header fields and the volumes of ``keys``."""
    columns = {f: np.array([float(r[f]) for r in records], dtype=np.float64) for f in HEADER_FIELDS}
    for key in keys:
        columns[key] = np.array([float(r["volumes"].get(key, 0)) for r in records], dtype=np.float64)
    return RtTable(columns)


def rt_classes(records: Sequence[dict[str, Any]], data_round: DataRound) -> list[str]:
    """The class of each record's RT in its round (all records of ``data_round``), by the engine."""
    if not records:
        return []
    ruleset = ruleset_of(data_round.ruleset_id)
    codes = np.array([c.code for c in ruleset.classes])
    return list(codes[assess(record_table(records, ruleset.keys), ruleset).class_index])


def figures_of(
    records: Sequence[dict[str, Any]],
    classes: Sequence[str],
    keys: Sequence[str],
    polygons: dict[int, float] | None = None,
) -> Figures:
    """The figures of a unit from its records of one round, with each record's RT class."""
    if not records:
        return Figures(sums={f: Decimal(0) for f in (*HEADER_FIELDS, *keys)})
    return grouped_figures(records, classes, keys, polygons, [0] * len(records))[0][1]


def _exact_run_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[Decimal]:
    """The exact sum of each run ``values[start:end]``, every value taken as the decimal it was
    written as (its shortest round-trip text, as the engine takes it): integers in millionths
    where every value of the run has at most 6 decimals, exact decimals otherwise."""
    scaled, ok = scale_floats(values)
    lengths = ends - starts
    whole = np.logical_and.reduceat(ok, starts) if len(values) else np.zeros(0, bool)
    safe = np.abs(scaled).max(initial=0) * max(int(lengths.max(initial=1)), 1) < _SCALED_LIMIT
    sums = np.add.reduceat(scaled, starts) if len(values) else np.zeros(0, np.int64)
    found = []
    with localcontext(prec=_PRECISION):
        for g in range(len(starts)):
            if whole[g] and safe:
                found.append(Decimal(int(sums[g])).scaleb(-6))
            else:
                run = values[starts[g] : ends[g]]
                found.append(sum((Decimal(repr(float(v))) for v in run), Decimal(0)))
    return found


def grouped_figures(
    records: Sequence[dict[str, Any]],
    classes: Sequence[str],
    keys: Sequence[str],
    polygons: dict[int, float] | None,
    group_of: Sequence[Hashable],
) -> list[tuple[Hashable, Figures]]:
    """(group, figures) of the records of one round grouped by ``group_of`` (in order of first
    appearance), each with its RT class: columns summed exactly, run by run, not record by record."""
    numbering: dict[Hashable, int] = {}
    codes = np.fromiter((numbering.setdefault(k, len(numbering)) for k in group_of), np.int64, len(group_of))
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(numbering))
    ends = np.cumsum(counts)
    starts = ends - counts
    table = record_table([records[i] for i in order], keys)
    sums = {f: _exact_run_sums(table[f], starts, ends) for f in (*HEADER_FIELDS, *keys)}
    class_codes = sorted(set(classes))
    class_of = np.array([class_codes.index(classes[i]) for i in order], dtype=np.int64)
    cells = np.repeat(np.arange(len(numbering)), counts) * len(class_codes) + class_of
    class_counts = np.bincount(cells, minlength=len(numbering) * len(class_codes))
    luas_scaled, _ok = scale_floats(table["luas"])  # 4 decimals (the model's field): always exact
    class_luas = np.zeros(len(numbering) * len(class_codes), dtype=np.int64)
    np.add.at(class_luas, cells, luas_scaled)
    polygons = polygons or {}
    rt_ids = [records[i]["rt_id"] for i in order]
    found = []
    for key, g in numbering.items():
        run = range(int(starts[g]), int(ends[g]))
        figures = Figures(
            n_rt=int(counts[g]),
            n_kelurahan=len({records[order[i]]["rt__kelurahan__code"] for i in run}),
            sums={f: column[g] for f, column in sums.items()},
        )
        for c, code in enumerate(class_codes):
            n = int(class_counts[g * len(class_codes) + c])
            if n:
                figures.classes[code] = (n, Decimal(int(class_luas[g * len(class_codes) + c])).scaleb(-6))
        mapped = [i for i in run if rt_ids[i] in polygons]
        figures.mapped_rts = len(mapped)
        if mapped:
            # RULES.md section 7: an RT's polygon area where it exists, its declared luas elsewhere
            maps: dict[str, list[float]] = defaultdict(list)
            for i in run:
                maps[class_codes[class_of[i]]].append(polygons.get(rt_ids[i], float(table["luas"][i])))
            figures.map_areas = {c: math.fsum(v) for c, v in maps.items()}
        else:
            figures.map_areas = {c: float(a) for c, (_n, a) in figures.classes.items()}
        found.append((key, figures))
    return found


def known_figures(records: Sequence[dict[str, Any]]) -> Figures:
    """The RTs and kelurahan with data in any round (a coverage's "known" RTs)."""
    return Figures(
        n_rt=len({r["rt_id"] for r in records}), n_kelurahan=len({r["rt__kelurahan__code"] for r in records})
    )


@functools.cache
def ruleset_tag(ruleset_id: str) -> str:
    """The ruleset's id and a hash of its content: the RT classes of a row were counted under it,
    so a new version of the ruleset's data shows which rows to make again (:func:`stale_rounds`)."""
    digest = hashlib.sha256(repr(ruleset_of(ruleset_id)).encode()).hexdigest()[:12]
    return f"{ruleset_id}@{digest}"


def stale_rounds() -> list[int]:
    """The rounds whose stored rows were counted under another ruleset (or version of it) than the
    round's: after an upgrade that changed a ruleset's data."""
    tags = {r.pk: ruleset_tag(r.ruleset_id) for r in DataRound.objects.all()}
    stored = (
        RegionSummary.objects.exclude(round_key=ANY_ROUND).values_list("round_key", "ruleset_id").distinct()
    )
    return sorted({key for key, tag in stored.distinct() if tags.get(key) != tag})


def polygon_areas(rt_ids: Iterable[int]) -> dict[int, float]:
    """Geodesic area (ha) of these RTs' boundary polygons, where they exist."""
    from nolkumuh.regions.models import Boundary

    ids = sorted(set(rt_ids))
    found: dict[int, float] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        found.update(Boundary.objects.filter(kind="rt", rt_id__in=chunk).values_list("rt_id", "area_ha"))
    return found


def _kelurahan_figures(codes: Sequence[str]) -> dict[tuple[str, int, str], tuple[Figures, str]]:
    """(kelurahan code, round key, basis) -> (figures, ruleset id) of these kelurahan, from records."""
    records = list(
        RtRecord.objects.filter(rt__kelurahan__code__in=codes)
        .order_by("rt__kelurahan__code", "round_id", "rt_id")
        .values(*RECORD_VALUES)
    )
    if not records:
        return {}
    approved = set(
        Submission.objects.filter(kelurahan__code__in=codes, status=Submission.Status.APPROVED).values_list(
            "kelurahan_id", "round_id"
        )
    )
    for r in records:
        r["approved"] = (r["rt__kelurahan_id"], r["round_id"]) in approved
    polygons = polygon_areas(r["rt_id"] for r in records)
    rounds = {r.pk: r for r in DataRound.objects.filter(pk__in={r["round_id"] for r in records})}
    found: dict[tuple[str, int, str], tuple[Figures, str]] = {}
    keys_of: dict[int, tuple[str, ...]] = {}
    for round_id, data_round in rounds.items():
        mine = [r for r in records if r["round_id"] == round_id]
        for r, code in zip(mine, rt_classes(mine, data_round), strict=True):
            r["class"] = code
        keys = keys_of[round_id] = ruleset_of(data_round.ruleset_id).keys
        tag = ruleset_tag(data_round.ruleset_id)
        for basis, rows in ((ALL_BASIS, mine), (APPROVED_BASIS, [r for r in mine if r["approved"]])):
            for code, figures in _by_kelurahan(rows, keys, polygons):
                found[(str(code), round_id, basis)] = (figures, tag)
    base = baseline_round_id()
    if base in rounds:
        _like_for_like(records, base, rounds, keys_of, polygons, found)
    per_kelurahan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        per_kelurahan[r["rt__kelurahan__code"]].append(r)
    for code, rows in per_kelurahan.items():
        found[(code, ANY_ROUND, ALL_BASIS)] = (known_figures(rows), "")
        approved_rows = [r for r in rows if r["approved"]]
        if approved_rows:
            found[(code, ANY_ROUND, APPROVED_BASIS)] = (known_figures(approved_rows), "")
    return found


def _by_kelurahan(
    rows: Sequence[dict[str, Any]], keys: Sequence[str], polygons: dict[int, float]
) -> list[tuple[Hashable, Figures]]:
    if not rows:
        return []
    classes = [r["class"] for r in rows]
    return grouped_figures(rows, classes, keys, polygons, [r["rt__kelurahan__code"] for r in rows])


def baseline_round_id() -> int | None:
    """The round the KPIs compare with: the one marked baseline, else the earliest."""
    rounds = list(DataRound.objects.order_by("-is_baseline", "year").values_list("pk", flat=True)[:1])
    return rounds[0] if rounds else None


def _like_for_like(records, base, rounds, keys_of, polygons, found) -> None:  # type: ignore[no-untyped-def]
    """For every round R, the approved figures of R and of the baseline round over the RTs with
    approved data in both (the KPIs' like-for-like pair, stored under R as ``like_now`` and
    ``like_base``), with the residents (in R) of the RTs that were slum at baseline
    (``kpi_people_slum``) and of those whose stored sectoral score fell (``kpi_people_better``)."""
    at_base = {r["rt_id"]: r for r in records if r["round_id"] == base and r["approved"]}
    for round_id, data_round in rounds.items():
        now = [r for r in records if r["round_id"] == round_id and r["approved"] and r["rt_id"] in at_base]
        then = [at_base[r["rt_id"]] for r in now]
        tag = ruleset_tag(data_round.ruleset_id)
        slum: dict[str, Decimal] = defaultdict(Decimal)
        better: dict[str, Decimal] = defaultdict(Decimal)
        for r, b in zip(now, then, strict=True):
            if b["class_code"] != "TK":
                slum[r["rt__kelurahan__code"]] += r["jumlah_penduduk"]
                if r["sectoral_hundredths"] < b["sectoral_hundredths"]:
                    better[r["rt__kelurahan__code"]] += r["jumlah_penduduk"]
        for code, figures in _by_kelurahan(now, keys_of[round_id], polygons):
            figures.sums[KPI_PEOPLE_SLUM] = slum[str(code)]
            figures.sums[KPI_PEOPLE_BETTER] = better[str(code)]
            found[(str(code), round_id, LIKE_NOW)] = (figures, tag)
        for code, figures in _by_kelurahan(then, keys_of[base], polygons):
            found[(str(code), round_id, LIKE_BASE)] = (figures, tag)


# --- keeping them ---------------------------------------------------------------------------------


def _next_version() -> int:
    return (RegionSummary.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def _write(
    codes: Sequence[str], found: dict[tuple[str, int, str], tuple[Figures, str]], version: int
) -> None:
    """Replace the rows of ``codes`` by ``found`` (rows without RTs are not kept)."""
    for start in range(0, len(codes), _BATCH):
        RegionSummary.objects.filter(code__in=codes[start : start + _BATCH]).delete()
    RegionSummary.objects.bulk_create(
        (
            RegionSummary(
                code=code,
                parent_code=parent_of(code),
                depth=depth_of(code),
                round_key=round_key,
                basis=basis,
                ruleset_id=ruleset_id,
                n_rt=figures.n_rt,
                n_kelurahan=figures.n_kelurahan,
                figures=figures.to_json(),
                version=version,
            )
            for (code, round_key, basis), (figures, ruleset_id) in found.items()
            if figures.n_rt > 0
        ),
        batch_size=500,
    )


def _sum_children(parents: Sequence[str]) -> dict[tuple[str, int, str], tuple[Figures, str]]:
    """(parent code, round key, basis) -> the total of the parents' children's stored figures."""
    parts: dict[tuple[str, int, str], list[Figures]] = defaultdict(list)
    rulesets: dict[tuple[str, int, str], str] = {}
    for start in range(0, len(parents), _BATCH):
        rows = RegionSummary.objects.filter(parent_code__in=parents[start : start + _BATCH])
        for row in rows.order_by("code"):
            key = (row.parent_code or NATION, row.round_key, row.basis)
            parts[key].append(Figures.from_row(row))
            rulesets[key] = row.ruleset_id
    return {key: (total(found), rulesets[key]) for key, found in parts.items()}


def _above(kelurahan: Iterable[str]) -> list[list[str]]:
    """The regions above these kelurahan, by level, the lowest level first."""
    levels: dict[int, set[str]] = defaultdict(set)
    for code in kelurahan:
        for above in chain(code)[1:]:
            levels[depth_of(above)].add(above)
    return [sorted(levels[depth]) for depth in sorted(levels, reverse=True)]


def _lock() -> None:
    """One refresh at a time (PostgreSQL; SQLite already writes one transaction at a time): two
    changes in one city must not both replace the city's row from what they each saw."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def refresh(kelurahan_codes: Iterable[str]) -> None:
    """Make the figures of these kelurahan again from their records, and those of every region
    above them from their children's. Call inside the transaction that changed the data."""
    codes = sorted(set(kelurahan_codes))
    if not codes:
        return
    with transaction.atomic():
        _lock()
        version = _next_version()
        for start in range(0, len(codes), _BATCH):
            chunk = codes[start : start + _BATCH]
            _write(chunk, _kelurahan_figures(chunk), version)
        for level in _above(codes):
            _write(level, _sum_children(level), version)


def refresh_ids(kelurahan_ids: Iterable[int]) -> None:
    """:func:`refresh` for kelurahan given by id."""
    from nolkumuh.regions.models import Region

    ids = sorted(set(kelurahan_ids))
    codes: list[str] = []
    for start in range(0, len(ids), 5000):
        codes += Region.objects.filter(pk__in=ids[start : start + 5000]).values_list("code", flat=True)
    refresh(codes)


def refresh_rounds(round_ids: Iterable[int]) -> None:
    """:func:`refresh` every kelurahan with data in these rounds (a round's ruleset changed)."""
    codes = set(
        RtRecord.objects.filter(round_id__in=list(round_ids))
        .values_list("rt__kelurahan__code", flat=True)
        .distinct()
    )
    refresh(codes)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Every summary made again from the records; the number of rows written."""
    with transaction.atomic():
        _lock()
        version = _next_version()  # never again a version an earlier row (and a cached page) had
        RegionSummary.objects.all().delete()
        codes = sorted(set(RtRecord.objects.values_list("rt__kelurahan__code", flat=True).distinct()))
        for start in range(0, len(codes), _BATCH):
            chunk = codes[start : start + _BATCH]
            _write(chunk, _kelurahan_figures(chunk), version)
            if progress:
                progress(min(start + _BATCH, len(codes)), len(codes))
        for level in _above(codes):
            _write(level, _sum_children(level), version)
        return RegionSummary.objects.count()


def summary_version(code: str) -> int:
    """A number that grows with every change of the region's figures (or of any region below)."""
    return RegionSummary.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0


# --- reading them ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewBasis:
    """What a viewer sees of a region: all its data (``full``), or its approved data plus all the
    data of their own regions ``inside`` it."""

    full: bool
    inside: tuple[str, ...] = ()


def view_basis(prefixes: Iterable[str], code: str, *, is_admin: bool = False) -> ViewBasis:
    """The view of region ``code`` of a viewer whose own regions are ``prefixes``."""
    if is_admin:
        return ViewBasis(full=True)
    mine = sorted(set(prefixes))
    if any(code == p or code.startswith(p + ".") for p in mine):
        return ViewBasis(full=True)
    inside = [p for p in mine if code == NATION or p.startswith(code + ".")]
    # a region inside another of the viewer's regions is already counted with it
    outer = [p for p in inside if not any(p != q and p.startswith(q + ".") for q in inside)]
    return ViewBasis(full=False, inside=tuple(outer))


Rows = dict[tuple[int, str], Figures]  # (round key, basis) -> figures


class StoredUnit:
    """A region's stored figures (and its children's) as a viewer sees them."""

    def __init__(self, code: str, basis: ViewBasis) -> None:
        self.code = code
        self.basis = basis
        self._rows: dict[str, Rows] = defaultdict(dict)
        self.versions: list[int] = []
        wanted = [code, *basis.inside]
        for row in RegionSummary.objects.filter(code__in=wanted):
            self._rows[row.code][(row.round_key, row.basis)] = Figures.from_row(row)
            self.versions.append(row.version)

    def round_keys(self, visible: bool) -> set[int]:
        """The rounds with data on the basis (an officer's own regions inside count when visible)."""
        codes = [self.code, *(self.basis.inside if visible else ())]
        return {
            k
            for code in codes
            for (k, b) in self._rows.get(code, {})
            if k != ANY_ROUND and (visible or b == APPROVED_BASIS)
        }

    def figures(self, round_key: int, visible: bool) -> Figures:
        return _visible(self._rows, self.code, round_key, self.basis, visible)

    def children(self, round_key: int, visible: bool) -> list[tuple[str, Figures]]:
        """(child code, figures) of the region's children with data in the round."""
        rows: dict[str, Rows] = defaultdict(dict)
        for row in RegionSummary.objects.filter(parent_code=self.code, round_key=round_key).order_by("code"):
            rows[row.code][(row.round_key, row.basis)] = Figures.from_row(row)
        for code, found in self._rows.items():
            if code != self.code:
                rows[code] = found
        found = []
        for child in sorted(c for c in rows if parent_of(c) == self.code):
            inside = tuple(p for p in self.basis.inside if p == child or p.startswith(child + "."))
            basis = ViewBasis(full=self.basis.full or child in self.basis.inside, inside=inside)
            figures = _visible(rows, child, round_key, basis, visible)
            if figures.n_rt:
                found.append((child, figures))
        return found

    def kelurahan(self, round_key: int, visible: bool) -> list[tuple[str, Figures]]:
        """(kelurahan code, figures) of every kelurahan below the region with data in the round."""
        rows: dict[str, Rows] = defaultdict(dict)
        # the bases this view reads (not the KPIs' like-for-like pair): the country has 11,000
        # kelurahan, each of 4 rows a round
        if visible and self.basis.full:
            bases = [ALL_BASIS]
        elif visible and self.basis.inside:
            bases = [APPROVED_BASIS, ALL_BASIS]
        else:
            bases = [APPROVED_BASIS]
        below = RegionSummary.objects.filter(round_key=round_key, depth=KELURAHAN_DEPTH, basis__in=bases)
        if self.code != NATION:
            below = below.filter(code__startswith=self.code + ".")
        for row in below.order_by("code"):
            rows[row.code][(row.round_key, row.basis)] = Figures.from_row(row)
        found = []
        for code in sorted(rows):
            mine = any(code == p or code.startswith(p + ".") for p in self.basis.inside)
            basis = ViewBasis(full=self.basis.full or mine)
            figures = _visible(rows, code, round_key, basis, visible)
            if figures.n_rt:
                found.append((code, figures))
        return found


class RowsUnit:
    """Figures of one region from rows already read (:func:`stored_rows`), on one basis; with
    ``round_key``, the rows stored under that round whatever round is asked (the like-for-like
    baseline figures are kept under the round they are compared with)."""

    def __init__(self, rows: Rows, basis: str = APPROVED_BASIS, round_key: int | None = None) -> None:
        self.rows, self.basis, self.round_key = rows, basis, round_key

    def round_keys(self, visible: bool) -> set[int]:
        return {k for (k, b) in self.rows if b == self.basis and k != ANY_ROUND}

    def figures(self, round_key: int, visible: bool) -> Figures:
        if round_key == ANY_ROUND:
            return self.rows.get((ANY_ROUND, APPROVED_BASIS), Figures())
        return self.rows.get((self.round_key or round_key, self.basis), Figures())

    def children(self, round_key: int, visible: bool) -> list[tuple[str, Figures]]:
        return []


def stored_rows(codes: Sequence[str]) -> dict[str, Rows]:
    """Every stored row of these regions (all rounds and bases), by code: one query per 500."""
    found: dict[str, Rows] = defaultdict(dict)
    for start in range(0, len(codes), 500):
        for row in RegionSummary.objects.filter(code__in=codes[start : start + 500]):
            found[row.code][(row.round_key, row.basis)] = Figures.from_row(row)
    return dict(found)


def _visible(rows: dict[str, Rows], code: str, round_key: int, basis: ViewBasis, visible: bool) -> Figures:
    """Approved figures, or (``visible``) what the viewer sees: all data where their view is full,
    else the approved figures plus the unapproved part of their own regions inside."""
    here = rows.get(code, {})
    if visible and basis.full:
        return here.get((round_key, ALL_BASIS), Figures())
    approved = here.get((round_key, APPROVED_BASIS), Figures())
    if not visible:
        return approved
    extra = [
        rows[p]
        .get((round_key, ALL_BASIS), Figures())
        .minus(rows[p].get((round_key, APPROVED_BASIS), Figures()))
        for p in basis.inside
        if p in rows and p != code
    ]
    return combine([approved, *extra]) if extra else approved


def child_key_of(code: str) -> Callable[[str], Hashable]:
    """The child region (by code) a kelurahan code falls in below region ``code``."""
    depth = 1 if code == NATION else code.count(".") + 2
    return lambda kelurahan: ".".join(kelurahan.split(".")[:depth])
