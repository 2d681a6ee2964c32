"""Independent reference implementation (test oracle) of the slum-assessment scoring rules.

Written straight from /work/shared/domain/RULES.md and FORMAT.md, without reading or importing
the production engine, so that tests can compare the two. It is deliberately plain and slow:
every quantity is an exact ``fractions.Fraction`` built from the values *as written* (decimal
strings), and rounding (half up, 2 decimals) happens only where the rules say so. Only the
standard library is used.

Project decisions encoded here (beyond RULES.md):
- aspect average = exact mean of the *rounded* criterion percentages, rounded half up once;
- sectoral average = exact mean of the 7 *unrounded* aspect means, rounded half up once;
- population density between published bands (e.g. 150.5 jiwa/ha) takes the lower score;
- handling contribution is returned rounded half up to 4 decimals (a ratio, not a percentage).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

RULESET_14_2018 = "permen-pupr-14-2018"
RULESET_02_2016 = "permen-pupr-02-2016"

HEADER_FIELDS: tuple[str, ...] = (
    "luas",
    "jumlah_bangunan",
    "jumlah_penduduk",
    "jumlah_kk",
    "panjang_jalan",
    "panjang_drainase",
)

# key -> (aspect number, denominator header field), in RULES.md §2 order.
_ALL_CRITERIA: dict[str, tuple[int, str]] = {
    "bangunan_tidak_teratur": (1, "jumlah_bangunan"),
    "bangunan_kepadatan": (1, "luas"),
    "bangunan_tidak_sesuai_teknis": (1, "jumlah_bangunan"),
    "jalan_cakupan": (2, "panjang_jalan"),
    "jalan_permukaan_rusak": (2, "panjang_jalan"),
    "air_minum_akses": (3, "jumlah_kk"),
    "air_minum_kebutuhan": (3, "jumlah_kk"),
    "drainase_genangan": (4, "luas"),
    "drainase_tidak_tersedia": (4, "panjang_drainase"),
    "drainase_tidak_terhubung": (4, "panjang_drainase"),
    "drainase_tidak_terpelihara": (4, "panjang_drainase"),
    "drainase_konstruksi_buruk": (4, "panjang_drainase"),
    "air_limbah_sistem": (5, "jumlah_kk"),
    "air_limbah_sarpras": (5, "jumlah_kk"),
    "sampah_sarpras": (6, "jumlah_kk"),
    "sampah_sistem": (6, "jumlah_kk"),
    "sampah_tidak_terpelihara": (6, "jumlah_kk"),
    "kebakaran_prasarana": (7, "jumlah_bangunan"),
    "kebakaran_sarana": (7, "jumlah_bangunan"),
}

_ONLY_02_2016 = (
    "drainase_tidak_terhubung",
    "drainase_tidak_terpelihara",
    "sampah_tidak_terpelihara",
)

CRITERIA: dict[str, dict[str, tuple[int, str]]] = {
    RULESET_14_2018: {k: v for k, v in _ALL_CRITERIA.items() if k not in _ONLY_02_2016},
    RULESET_02_2016: dict(_ALL_CRITERIA),
}

# Lower bounds (inclusive) of KB, KS, KR; anything below the KR bound is TK (RULES.md §4).
CLASS_BOUNDS: dict[str, tuple[int, int, int]] = {
    RULESET_14_2018: (60, 38, 16),
    RULESET_02_2016: (71, 45, 19),
}

INFRA_ASPECTS: tuple[int, ...] = (2, 3, 4, 5, 6)  # jalan, air minum, drainase, air limbah, sampah

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _criteria(ruleset_id: str) -> dict[str, tuple[int, str]]:
    if ruleset_id not in CRITERIA:
        raise ValueError(f"unknown ruleset: {ruleset_id!r}")
    return CRITERIA[ruleset_id]


def _parse(field: str, value: str) -> Fraction:
    """Exact non-negative value of a decimal string; ValueError naming field and value."""
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"column {field}: not a number ({value!r})")
    number = Fraction(Decimal(text))
    if number < 0:
        raise ValueError(f"column {field}: negative value ({value!r})")
    return number


def _round2(value: Fraction) -> Decimal:
    """Round an exact value half up (away from zero) to 2 decimals."""
    return _round_places(value, 2)


def _round_places(value: Fraction, places: int) -> Decimal:
    scale = 10**places
    magnitude = abs(value) * scale
    units = int(magnitude)  # floor, magnitude >= 0
    if magnitude - units >= Fraction(1, 2):
        units += 1
    sign = -1 if value < 0 else 1
    return (Decimal(sign * units) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def criterion_score(percentage: Decimal) -> int:
    """Score of one rounded percentage (RULES.md §3); values between bands take the lower."""
    if percentage >= Decimal("76.00"):
        return 5
    if percentage >= Decimal("51.00"):
        return 3
    if percentage >= Decimal("25.00"):
        return 1
    return 0


def classify(total: int, ruleset_id: str) -> str:
    """Class KB/KS/KR/TK of a total score under a ruleset (RULES.md §4)."""
    _criteria(ruleset_id)
    kb, ks, kr = CLASS_BOUNDS[ruleset_id]
    if total >= kb:
        return "KB"
    if total >= ks:
        return "KS"
    if total >= kr:
        return "KR"
    return "TK"


def score_row(row: dict[str, str], ruleset_id: str) -> dict[str, Any]:
    """Score one RT (or one aggregated group) given header fields and ``v_<key>`` volumes."""
    criteria = _criteria(ruleset_id)
    data = {str(k).strip().lower(): v for k, v in row.items()}
    persen: dict[str, Decimal] = {}
    nilai: dict[str, int] = {}
    for key, (_aspect, denominator_field) in criteria.items():
        column = f"v_{key}"
        for needed in (column, denominator_field):
            if needed not in data:
                raise ValueError(f"column {needed}: missing (ruleset {ruleset_id})")
        volume = _parse(column, data[column])
        denominator = _parse(denominator_field, data[denominator_field])
        if denominator == 0:
            if volume > 0:
                raise ValueError(
                    f"column {column}: volume > 0 with zero {denominator_field} ({data[column]!r})"
                )
            exact = Fraction(0)
        else:
            if volume > denominator:
                raise ValueError(
                    f"column {column}: volume above {denominator_field} "
                    f"({data[column]!r} > {data[denominator_field]!r})"
                )
            exact = volume / denominator * 100
        persen[key] = _round2(exact)
        nilai[key] = criterion_score(persen[key])

    exact_aspect: dict[int, Fraction] = {}
    for aspect in range(1, 8):
        members = [Fraction(persen[k]) for k, (a, _d) in criteria.items() if a == aspect]
        exact_aspect[aspect] = sum(members, Fraction(0)) / len(members)
    rata_aspek = {aspect: _round2(mean) for aspect, mean in exact_aspect.items()}
    rata_sektoral = _round2(sum(exact_aspect.values(), Fraction(0)) / 7)
    total = sum(nilai.values())
    return {
        "persen": persen,
        "nilai": nilai,
        "rata_aspek": rata_aspek,
        "rata_sektoral": rata_sektoral,
        "total": total,
        "tingkat": classify(total, ruleset_id),
    }


def aggregate_rows(rows: list[dict[str, str]]) -> dict[str, str]:
    """Sum header fields and volumes of several RTs exactly (RULES.md §5), as plain strings."""
    if not rows:
        raise ValueError("aggregate_rows: no rows")
    normalised = [{str(k).strip().lower(): v for k, v in r.items()} for r in rows]
    columns = list(HEADER_FIELDS)
    for r in normalised:
        columns += [c for c in r if c.startswith("v_") and c not in columns]
    result: dict[str, str] = {}
    for column in columns:
        total = Decimal(0)
        for index, r in enumerate(normalised):
            if column not in r:
                raise ValueError(f"row {index}, column {column}: missing")
            _parse(column, r[column])  # validates
            total += Decimal(str(r[column]).strip())
        result[column] = format(total, "f")
    return result


def no_longer_slum(result: dict[str, Any], ruleset_id: str) -> bool:
    """RULES.md §6: total below the TK bound and service level >= 80 in aspects 2..6."""
    _criteria(ruleset_id)
    if result["total"] >= CLASS_BOUNDS[ruleset_id][2]:
        return False
    return all(Decimal(100) - result["rata_aspek"][a] >= Decimal(80) for a in INFRA_ASPECTS)


def apply_handling(row: dict[str, str], handled: dict[str, str]) -> dict[str, str]:
    """RULES.md §6: volume_after = max(0, before - handled), per criterion key (no ``v_``)."""
    after = {str(k).strip().lower(): v for k, v in row.items()}
    for key, amount in handled.items():
        column = key if key.startswith("v_") else f"v_{key}"
        if column not in after:
            raise ValueError(f"column {column}: handled volume for a missing criterion")
        _parse(column, after[column])
        _parse(f"handled {key}", amount)
        before = Decimal(str(after[column]).strip())
        done = Decimal(str(amount).strip())
        after[column] = format(max(Decimal(0), before - done), "f")
    return after


def contribution(sectoral_start: Decimal, sectoral_later: Decimal) -> Decimal | None:
    """Handling contribution (start - later) / start, capped at 1, half up to 4 decimals.

    Negative means the unit got worse; None when the start average is 0.
    """
    start, later = Fraction(sectoral_start), Fraction(sectoral_later)
    if start == 0:
        return None
    return _round_places(min(Fraction(1), (start - later) / start), 4)


def density_score(density_jiwa_per_ha: Decimal) -> int:
    """Kependudukan score (RULES.md §8); values between bands take the lower score."""
    if density_jiwa_per_ha > 400:
        return 5
    if density_jiwa_per_ha >= 201:
        return 4
    if density_jiwa_per_ha >= 151:
        return 3
    return 1


def pertimbangan_lain(
    strategis: bool, density_jiwa_per_ha: Decimal, potensi_sosial_ekonomi: bool
) -> tuple[int, str]:
    """Sum of the three non-physical items and its level tinggi/sedang/rendah."""
    total = (5 if strategis else 1) + density_score(density_jiwa_per_ha)
    total += 5 if potensi_sosial_ekonomi else 1
    if total >= 11:
        return total, "tinggi"
    if total >= 6:
        return total, "sedang"
    return total, "rendah"


_LETTER = {"KB": "A", "KS": "B", "KR": "C"}
_LEVEL_INDEX = {"tinggi": 0, "sedang": 1, "rendah": 2}
_CLASS_INDEX = {"KB": 0, "KS": 1, "KR": 2}


def _check(tingkat: str, level: str | None = None) -> None:
    if tingkat not in ("KB", "KS", "KR", "TK"):
        raise ValueError(f"unknown tingkat: {tingkat!r}")
    if level is not None and level not in _LEVEL_INDEX:
        raise ValueError(f"unknown pertimbangan level: {level!r}")


def tipe(tingkat: str, level: str, legal: bool) -> str | None:
    """Type such as "A1": letter by class, number by (level, legality); None for TK."""
    _check(tingkat, level)
    if tingkat == "TK":
        return None
    return f"{_LETTER[tingkat]}{_LEVEL_INDEX[level] * 2 + (1 if legal else 2)}"


def priority_rank(level: str, tingkat: str) -> int:
    """1 = tinggi+berat ... 9 = rendah+ringan; ValueError for TK (not a slum)."""
    _check(tingkat, level)
    if tingkat == "TK":
        raise ValueError("priority_rank: TK has no priority")
    return _LEVEL_INDEX[level] * 3 + _CLASS_INDEX[tingkat] + 1


def pola_penanganan(tingkat: str, legal: bool) -> str | None:
    """Handling pattern (RULES.md §8); None for TK."""
    _check(tingkat)
    if tingkat == "TK":
        return None
    if not legal:
        return "pemukiman kembali"
    return "pemugaran" if tingkat == "KR" else "peremajaan"
