"""Deterministic, plausible RT data in the exchange format, for samples, tests and benchmarks.

Not real data: sizes follow the ranges seen in KOTAKU RT profiles, and each RT gets a severity that
sets which share of each denominator is deficient; later years improve.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

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
