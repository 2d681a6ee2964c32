"""The national-scale data set for benchmarks: generated RTs over the real kelurahan codes of every
province, with scored records for several data rounds, every kelurahan's data approved.

Generated, not real: the values follow nolkumuh.exchange.synthetic (plausible ranges, within the
bounds table, improving from round to round) and are reproducible: the same seed and the same
region tree give the same kelurahan, RTs and values. Written in batches (``bulk_create``) and scored
by the vectorized engine one round at a time, never row by row; a second run with the same seed
adds nothing. `nolkumuh dataset national` runs it; docs/benchmarks.md gives the sizes and times.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db import transaction

from nolkumuh.baseline import summaries
from nolkumuh.baseline.demo import ROUNDS
from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.core.services import audit_record
from nolkumuh.exchange.synthetic import as_floats, decimal_texts, header_arrays, volume_arrays
from nolkumuh.geo import geodesic_areas_ha
from nolkumuh.regions.boundaries import boundary_values
from nolkumuh.regions.models import Boundary, Region, Rt
from nolkumuh.regions.selectors import within
from nolkumuh.regions.services import regions_load, regions_load_all
from nolkumuh.scoring import HEADER_FIELDS, RtTable, assess, validate_table

PER_KELURAHAN = 27  # RTs per kelurahan on average: 300,000 RTs in about 11,100 kelurahan
RTS_PER_RW = 8
CHUNK = 10_000  # records built and written at a time (memory stays flat)
BATCH = 2_000  # rows per INSERT statement where the database allows it
BOUNDARY_STREAM = 2  # the kelurahan polygons' own random stream of the seed
BOUNDARY_CORNERS = 24
BOUNDARY_SOURCE = "nasional (dibangkitkan)"


@dataclass
class NationalResult:
    kelurahan: int = 0
    rts: int = 0
    records: int = 0
    submissions: int = 0
    boundaries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def national_rounds(count: int) -> list[DataRound]:
    """The baseline round (2017) and the latest ``count - 1`` yearly rounds of the demo's table,
    created like the demo creates them where they are missing."""
    if not 1 <= count <= len(ROUNDS):
        raise ValueError(f"jumlah putaran data harus 1 sampai {len(ROUNDS)}")
    chosen = ROUNDS[:1] + (ROUNDS[len(ROUNDS) - count + 1 :] if count > 1 else [])
    rounds = []
    for year, ruleset_id, baseline in chosen:
        rnd, _ = DataRound.objects.get_or_create(
            year=year, defaults={"ruleset_id": ruleset_id, "is_baseline": baseline, "name": f"Data {year}"}
        )
        rounds.append(rnd)
    return rounds


def national_places(
    *, gen: np.random.Generator, rts: int, province: str | None, per_kelurahan: int
) -> tuple[np.ndarray, np.ndarray]:
    """The chosen kelurahan ids (in code order) and how many RTs each gets: about ``per_kelurahan``
    each (at least one), ``rts`` in all, the kelurahan drawn at random from the whole country or
    one province."""
    pool = Region.objects.filter(level=Region.Level.KELURAHAN)
    if province:
        pool = pool.filter(within(province))
    ids = np.array(pool.order_by("code").values_list("id", flat=True), dtype=np.int64)
    wanted = min(len(ids), -(-rts // per_kelurahan))
    if wanted == 0:
        raise ValueError("tidak ada kelurahan: muat wilayah dulu (nolkumuh regions load all)")
    chosen = ids[np.sort(gen.choice(len(ids), size=wanted, replace=False))]
    counts = 1 + np.bincount(gen.integers(0, wanted, rts - wanted), minlength=wanted)
    if counts.max() > RTS_PER_RW * 999:  # RW numbers have three digits at most (bounds table)
        raise ValueError("RT terlalu banyak untuk kelurahan yang ada (RW paling banyak 999): kurangi --rts")
    return chosen, counts


def _rts_create(kelurahan: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The RTs numbered 1..count in each kelurahan (RW 001 holds RT 001-008, ...), created where
    missing; their ids in the same order."""
    numbers = np.concatenate([np.arange(c) for c in counts.tolist()])
    owners = np.repeat(kelurahan, counts)
    rw_keys = [str(n // RTS_PER_RW + 1) for n in numbers.tolist()]
    rt_keys = [str(n % RTS_PER_RW + 1) for n in numbers.tolist()]
    rows = (
        Rt(kelurahan_id=k, rw=rw.zfill(3), rt=rt.zfill(3), rw_key=rw, rt_key=rt)
        for k, rw, rt in zip(owners.tolist(), rw_keys, rt_keys, strict=True)
    )
    Rt.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    stored = {}
    for start in range(0, len(kelurahan), 5000):  # bounded IN lists
        part = kelurahan[start : start + 5000].tolist()
        for pk, k, rw, rt in Rt.objects.filter(kelurahan_id__in=part).values_list(
            "id", "kelurahan_id", "rw_key", "rt_key"
        ):
            stored[(k, rw, rt)] = pk
    keys = zip(owners.tolist(), rw_keys, rt_keys, strict=True)
    return np.array([stored[key] for key in keys], dtype=np.int64)


def _round_records(
    rnd: DataRound, rt_ids: np.ndarray, header: dict[str, np.ndarray], severity: np.ndarray, seed: int
) -> int:
    """Generate, score (one vectorized assessment) and write one round's records; the number
    written (records that exist already are left as they are)."""
    ruleset = ruleset_of(rnd.ruleset_id)
    volumes = volume_arrays(np.random.default_rng([seed, rnd.year]), header, ruleset, severity)
    columns = as_floats({**header, **volumes}, ruleset)
    table = RtTable(columns)
    issues = validate_table(table, ruleset)
    if issues:  # generated values are valid by construction; this guards the generator
        raise ValueError(f"generated values refused: {issues[0]}")
    result = assess(table, ruleset)
    codes = result.class_codes()
    keys = ruleset.keys
    before = RtRecord.objects.filter(round=rnd).count()
    for start in range(0, len(rt_ids), CHUNK):
        part = slice(start, start + CHUNK)
        texts = {k: decimal_texts(columns[k][part]) for k in (*HEADER_FIELDS, *keys)}
        volume_rows = zip(*(texts[k] for k in keys), strict=True)
        hundredths = result.hundredths[:, part].T.tolist()
        scores = result.scores[:, part].T.tolist()
        rows = zip(
            rt_ids[part].tolist(),
            zip(*(texts[f] for f in HEADER_FIELDS), strict=True),
            volume_rows,
            hundredths,
            scores,
            result.total[part].tolist(),
            codes[part].tolist(),
            result.sectoral_hundredths[part].tolist(),
            strict=True,
        )
        records = [
            RtRecord(
                round=rnd,
                rt_id=rt_id,
                **dict(zip(HEADER_FIELDS, head, strict=True)),
                volumes=dict(zip(keys, vols, strict=True)),
                hundredths=dict(zip(keys, hund, strict=True)),
                scores=dict(zip(keys, score, strict=True)),
                total=total,
                class_code=code,
                sectoral_hundredths=sectoral,
            )
            for rt_id, head, vols, hund, score, total, code, sectoral in rows
        ]
        RtRecord.objects.bulk_create(records, batch_size=BATCH, ignore_conflicts=True)
    return RtRecord.objects.filter(round=rnd).count() - before


def national_boundaries(kelurahan: np.ndarray, seed: int) -> int:
    """A generated polygon for every chosen kelurahan that has none (idempotent; how many made):
    an irregular 24-corner outline of 1-3 km across, on a grid over the country's extent in code
    order, so that the country's kelurahan map layer carries as many features as a real one would.
    Drawn from their own stream of ``seed``: the RTs and values are those of the same seed
    without them."""
    gen = np.random.default_rng([seed, BOUNDARY_STREAM])
    have = set(Boundary.objects.filter(kind=Boundary.Kind.KELURAHAN).values_list("region_id", flat=True))
    codes = dict(Region.objects.filter(id__in=kelurahan.tolist()).values_list("id", "code"))
    ids = kelurahan.tolist()
    corners = np.linspace(0, 2 * np.pi, BOUNDARY_CORNERS, endpoint=False)
    radius = gen.uniform(0.005, 0.015, (len(ids), 1)) * gen.uniform(0.7, 1.0, (len(ids), BOUNDARY_CORNERS))
    column, row = np.arange(len(ids)) % 180, np.arange(len(ids)) // 180
    lon = (95.5 + column * 0.25)[:, None] + radius * np.cos(corners)
    lat = (5.5 - row * 0.25)[:, None] + radius * np.sin(corners)
    rings = np.stack([lon, lat], axis=-1)
    shapes = shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1))
    todo = [i for i, pk in enumerate(ids) if pk not in have]
    areas = geodesic_areas_ha(shapes[todo]) if todo else []
    rows = (
        Boundary(
            kind=Boundary.Kind.KELURAHAN,
            region_id=ids[i],
            **boundary_values(shapes[i], float(area), BOUNDARY_SOURCE, codes[ids[i]]),
        )
        for i, area in zip(todo, areas, strict=True)
    )
    Boundary.objects.bulk_create(rows, batch_size=BATCH)
    return len(todo)


@transaction.atomic
def _approve_all(kelurahan: np.ndarray, data_rounds: list[DataRound]) -> int:
    """An approved submission for every kelurahan in every round where none exists; how many."""
    before = Submission.objects.count()
    Submission.objects.bulk_create(
        (
            Submission(kelurahan_id=k, round=rnd, status=Submission.Status.APPROVED)
            for rnd in data_rounds
            for k in kelurahan.tolist()
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return Submission.objects.count() - before


def dataset_national(
    *,
    seed: int,
    rts: int,
    rounds: int,
    province: str | None = None,
    per_kelurahan: int = PER_KELURAHAN,
    report: Callable[[str], None] = lambda line: None,
) -> NationalResult:
    """Load the regions (the country, or ``province``), then write ``rts`` generated RTs in about
    ``rts / per_kelurahan`` kelurahan drawn by ``seed``, one scored record per RT in each of
    ``rounds`` data rounds (the baseline and the latest years), and every chosen kelurahan's data
    approved in every round, and a generated polygon for each chosen kelurahan
    (:func:`national_boundaries`). Kelurahan, RTs, records, submissions and polygons that exist
    already are kept."""
    result = NationalResult()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = now - clock
        clock = now
        report(f"{name}: {result.seconds[name]:.1f} s")

    if province:
        regions_load(province_code=province)
    else:
        regions_load_all()
    lap("regions")
    gen = np.random.default_rng(seed)
    kelurahan, counts = national_places(gen=gen, rts=rts, province=province, per_kelurahan=per_kelurahan)
    header = header_arrays(gen, rts)
    base, pace = gen.uniform(0.1, 0.85, rts), gen.uniform(0.03, 0.1, rts)
    data_rounds = national_rounds(rounds)
    with transaction.atomic():
        rt_ids = _rts_create(kelurahan, counts)
    result.kelurahan, result.rts = len(kelurahan), len(rt_ids)
    lap("RT")
    for k, rnd in enumerate(data_rounds):
        with transaction.atomic():
            result.records += _round_records(rnd, rt_ids, header, np.maximum(0.0, base - pace * k), seed)
        lap(f"data {rnd.year}")
    result.submissions = _approve_all(kelurahan, data_rounds)
    lap("submissions")
    with transaction.atomic():
        result.boundaries = national_boundaries(kelurahan, seed)
    # one audit entry for the whole set: its id is the data version the page cache is keyed by
    audit_record(
        user=None,
        action="dataset_national",
        object_type="dataset",
        object_id=seed,
        summary=f"{result.records} RT records, {result.rts} RTs in {result.kelurahan} kelurahan",
    )
    lap("kelurahan polygons")
    # the records were written around the services: the stored figures of their kelurahan and of
    # every region above are made here, once (ADR 0011)
    summaries.refresh_ids(kelurahan.tolist())
    lap("summaries")
    return result
