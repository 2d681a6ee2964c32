"""Deterministic, plausible RT data in the exchange format, for samples, tests and benchmarks.

Not real data: sizes follow the ranges seen in KOTAKU RT profiles, and each RT gets a severity that
sets which share of each denominator is deficient; later years improve.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nolkumuh.scoring.criteria import catalogue
from nolkumuh.scoring.rulesets import Ruleset


@dataclass(frozen=True)
class Place:
    """A kelurahan to generate RTs in: code and the names above it."""

    kode_kelurahan: str
    provinsi: str
    kabkota: str
    kecamatan: str
    kelurahan: str


def _share(rng: random.Random, severity: float) -> float:
    return min(1.0, max(0.0, rng.gauss(severity, 0.22)))


def rt_header(rng: random.Random) -> dict[str, float | int]:
    buildings = rng.randint(20, 160)
    households = int(buildings * rng.uniform(1.0, 1.4))
    road = round(rng.uniform(120, 1400), 1)
    return {
        "luas": round(rng.uniform(0.4, 6.5), 2),
        "jumlah_bangunan": buildings,
        "jumlah_penduduk": int(households * rng.uniform(3.2, 4.4)),
        "jumlah_kk": households,
        "panjang_jalan": road,
        "panjang_drainase": round(road * rng.uniform(0.0, 1.8), 1) if rng.random() > 0.05 else 0.0,
    }


def rt_volumes(
    rng: random.Random, header: dict[str, float | int], ruleset: Ruleset, severity: float
) -> dict[str, float | int]:
    """Deficient volumes: a share of each criterion's denominator, whole numbers for counted units."""
    header_fields = catalogue().header
    volumes: dict[str, float | int] = {}
    for item in ruleset.criteria:
        denominator = header[item.denominator]
        value = denominator * _share(rng, severity)
        if header_fields[item.denominator].integer:
            volumes[item.key] = min(round(value), int(denominator))
        else:
            volumes[item.key] = min(round(value, 2), float(denominator))
    return volumes


def generate_rows(
    places: Sequence[Place],
    *,
    ruleset: Ruleset,
    years: Sequence[int],
    rts_per_kelurahan: int = 6,
    seed: int = 2017,
    improvement: float = 0.08,
) -> list[dict[str, object]]:
    """Rows in the exchange format (``v_<key>`` columns), one per RT and year; severity falls by
    ``improvement`` each year, so later rounds show progress."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for place in places:
        kawasan = f"Kawasan {place.kelurahan}"
        for n in range(rts_per_kelurahan):
            header = rt_header(rng)
            base = rng.uniform(0.1, 0.85)
            rw = f"{n // 3 + 1:03d}"
            rt = f"{n % 3 + 1:03d}"
            for k, year in enumerate(years):
                severity = max(0.0, base - improvement * k)
                volumes = rt_volumes(rng, header, ruleset, severity)
                row: dict[str, object] = {
                    "tahun": year,
                    "kode_kelurahan": place.kode_kelurahan,
                    "provinsi": place.provinsi,
                    "kabkota": place.kabkota,
                    "kecamatan": place.kecamatan,
                    "kelurahan": place.kelurahan,
                    "kawasan": kawasan if n < rts_per_kelurahan - 1 else "",
                    "rw": rw,
                    "rt": rt,
                    **header,
                }
                row.update({f"v_{key}": value for key, value in volumes.items()})
                rows.append(row)
    return rows


# Whole-number generation for large data sets (numpy, vectorized): the decimal header fields
# (luas, panjang_jalan, panjang_drainase) and the volumes measured against them are held in
# hundredths, so that every value has an exact two-decimal text and ``hundredths / 100`` is the
# same float as parsing that text.
HUNDREDTHS = 100


def decimal_fields() -> frozenset[str]:
    """The header fields whose values (and the volumes measured against them) are decimals."""
    return frozenset(key for key, field in catalogue().header.items() if not field.integer)


def header_arrays(gen: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """``n`` RT headers with the ranges of :func:`rt_header`; decimal fields in hundredths."""
    buildings = gen.integers(20, 161, n)
    households = np.floor(buildings * gen.uniform(1.0, 1.4, n)).astype(np.int64)
    road_tenths = gen.integers(1200, 14001, n)
    drains_tenths = np.rint(road_tenths * gen.uniform(0.0, 1.8, n)).astype(np.int64)
    return {
        "luas": gen.integers(40, 651, n),
        "jumlah_bangunan": buildings,
        "jumlah_penduduk": np.floor(households * gen.uniform(3.2, 4.4, n)).astype(np.int64),
        "jumlah_kk": households,
        "panjang_jalan": road_tenths * 10,
        "panjang_drainase": np.where(gen.random(n) > 0.05, drains_tenths * 10, 0),
    }


def volume_arrays(
    gen: np.random.Generator, header: dict[str, np.ndarray], ruleset: Ruleset, severity: np.ndarray
) -> dict[str, np.ndarray]:
    """Deficient volumes as in :func:`rt_volumes` (a share around each RT's severity of each
    criterion's denominator, never above it), in the denominator's whole units or hundredths."""
    volumes = {}
    for item in ruleset.criteria:
        denominator = header[item.denominator]
        share = np.clip(gen.normal(severity, 0.22), 0.0, 1.0)
        volumes[item.key] = np.minimum(np.rint(denominator * share).astype(np.int64), denominator)
    return volumes


def as_floats(columns: dict[str, np.ndarray], ruleset: Ruleset) -> dict[str, np.ndarray]:
    """The engine's float columns of whole-number header and volume arrays."""
    decimal = decimal_fields()
    scaled = {key for key in columns if key in decimal}
    scaled |= {c.key for c in ruleset.criteria if c.denominator in decimal and c.key in columns}
    return {k: v / HUNDREDTHS if k in scaled else v.astype(np.float64) for k, v in columns.items()}


def decimal_texts(values: np.ndarray) -> list[str]:
    """Decimal text of float values ('12.5', '3', '0.07'): the shortest text that reads back
    as the same float."""
    return [repr(v).removesuffix(".0") for v in values.tolist()]
