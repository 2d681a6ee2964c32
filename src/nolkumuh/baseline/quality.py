"""Data-quality flags of RT data: load a round's records, run the pure checks, word the warnings.

Load first (a few queries per page), then calculate (nolkumuh.scoring.quality), then word each
flag in plain Indonesian naming the field by its label. The checks are warnings: nothing here
refuses a value. Reviews ("sudah diperiksa", FlagReview) close a flag while its values hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nolkumuh.baseline.imports import ImportPlan
from nolkumuh.baseline.models import DataRound, FlagReview, RtRecord
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.core import labels
from nolkumuh.regions.models import Boundary, Rt
from nolkumuh.regions.selectors import within
from nolkumuh.scoring import HEADER_FIELDS, Ruleset
from nolkumuh.scoring.quality import RATIOS as RATIO_FIELDS
from nolkumuh.scoring.quality import Flag, QualityData, check_quality

KIND_LABELS = {
    "header_jump": gettext_lazy("Lonjakan data umum dari tahun sebelumnya"),
    "volume_jump": gettext_lazy("Lonjakan persentase kriteria dari tahun sebelumnya"),
    "ratio_range": gettext_lazy("Rasio di luar kisaran wajar"),
    "area_polygon": gettext_lazy("Luas berbeda dari peta batas RT"),
    "same_as_previous": gettext_lazy("Sama persis dengan tahun sebelumnya"),
    "all_zero": gettext_lazy("Semua kriteria bernilai 0"),
    "all_max": gettext_lazy("Semua kriteria di nilai maksimum"),
    "city_outlier": gettext_lazy("Jauh dari RT lain di kota yang sama"),
}
SEVERITY_LABELS = {
    "peringatan": gettext_lazy("peringatan"),
    "perlu_diperiksa": gettext_lazy("perlu diperiksa"),
}
RATIO_LABELS = {
    "jiwa_per_kk": gettext_lazy("Jumlah jiwa per KK"),
    "bangunan_per_ha": gettext_lazy("Jumlah bangunan per hektare"),
    "jiwa_per_ha": gettext_lazy("Jumlah jiwa per hektare"),
}
RATIO_HINTS = {
    "jiwa_per_kk": gettext_lazy("periksa jumlah KK atau jumlah penduduk"),
    "bangunan_per_ha": gettext_lazy("periksa jumlah bangunan atau luas"),
    "jiwa_per_ha": gettext_lazy("periksa jumlah penduduk atau luas"),
}
LOAD_FIELDS = ("rt_id", "rt__rw", "rt__rt", "rt__kelurahan__code", "volumes", *HEADER_FIELDS)


@dataclass
class ShownFlag:
    """A flag as a page shows it: which RT, what, how serious, the message, and its review."""

    rt_id: int
    kelurahan_code: str
    rw: str
    rt: str
    kind: str
    field: str
    severity: str
    message: str
    value: str
    fingerprint: str
    review: FlagReview | None = None

    @property
    def open(self) -> bool:
        return self.review is None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity))


def num(value: float | None, places: int = 2) -> str:
    """A number in the user's format with at most ``places`` decimals, no trailing zeros."""
    if value is None or not np.isfinite(value):
        return "–"
    rounded = round(float(value), places)
    if rounded.is_integer():
        return number_format(int(rounded), force_grouping=True)
    shown = next(p for p in range(1, places + 1) if round(rounded, p) == rounded)
    return number_format(rounded, decimal_pos=shown, force_grouping=True)


def field_label(name: str, ruleset: Ruleset) -> str:
    """'Jumlah KK', '1a Ketidakteraturan bangunan' or 'Jumlah jiwa per KK': never the key alone."""
    return labels.field_label(name, ruleset, unit=False, extra=RATIO_LABELS)


def flag_message(flag: Flag, ruleset: Ruleset, previous_year: int | None) -> str:
    """The warning in plain words, with the value, the expected range and what to check."""
    places = 1 if flag.field in RATIO_LABELS else 2  # a ratio to one decimal (9,8 jiwa per KK)
    words = {
        "field": field_label(flag.field, ruleset),
        "value": num(flag.value, places),
        "low": num(flag.low, places),
        "high": num(flag.high, places),
        "year": previous_year or "",
        **{k: num(v, places) for k, v in flag.params.items()},
    }
    texts = {
        "header_jump": _(
            "%(field)s %(value)s (tahun %(year)s: %(previous)s) — di luar kisaran wajar "
            "%(low)s–%(high)s; periksa isian ini."
        ),
        "volume_jump": _(
            "Persentase %(field)s %(value)s %% (tahun %(year)s: %(previous)s %%) — di luar kisaran "
            "wajar %(low)s–%(high)s %%; periksa volume dan pembaginya."
        ),
        "ratio_range": _("%(field)s %(value)s — di luar kisaran wajar %(low)s–%(high)s; %(hint)s."),
        "area_polygon": _(
            "Luas verifikasi %(value)s ha (peta batas RT: %(polygon)s ha) — di luar kisaran wajar "
            "%(low)s–%(high)s ha; periksa luas atau batas RT."
        ),
        "same_as_previous": _(
            "Semua isian sama persis dengan data tahun %(year)s; pastikan ini hasil survei baru, "
            "bukan salinan."
        ),
        "all_zero": _(
            "Semua kriteria bernilai 0 (tidak ada kekurangan sama sekali); pastikan survei lengkap."
        ),
        "all_max": _(
            "Semua kriteria di nilai maksimum (volume sama dengan pembaginya); pastikan bukan isian otomatis."
        ),
        "city_outlier": _(
            "%(field)s %(value)s — jauh dari RT lain di kota ini (median %(median)s, "
            "wajar %(low)s–%(high)s); periksa isian ini."
        ),
    }
    words["hint"] = str(RATIO_HINTS.get(flag.field, ""))
    return texts[flag.kind] % words


def id_or_zero(text: str) -> int:
    """A record id typed into an address or a form: digits within a database integer, else 0."""
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def previous_round(round: DataRound) -> DataRound | None:
    return DataRound.objects.filter(year__lt=round.year).order_by("-year").first()


def city_code(code: str) -> str:
    """The kab/kota a region code lies in ('33.74.02.1001' -> '33.74'); higher codes unchanged."""
    return ".".join(code.split(".")[:2])


def columns_of(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Header fields and volumes (by key) of stored or typed rows as float arrays (NaN: missing)."""
    columns = {f: np.array([float(r[f]) for r in rows], dtype=np.float64) for f in HEADER_FIELDS}
    for key in keys:
        columns[key] = np.array([float(r["volumes"].get(key, np.nan)) for r in rows], dtype=np.float64)
    return columns


def _previous_columns(
    round: DataRound, prefix: str, rt_ids: Sequence[int | None], keys: Sequence[str]
) -> tuple[dict[str, np.ndarray], int | None]:
    """Each RT's values in the previous round (NaN where it has none), and that round's year."""
    before = previous_round(round)
    found: dict[int, Mapping[str, Any]] = {}
    if before is not None:
        records = RtRecord.objects.filter(round=before).filter(within(prefix, "rt__kelurahan__code"))
        found = {r["rt_id"]: r for r in records.values("rt_id", "volumes", *HEADER_FIELDS)}
        present = {k for r in found.values() for k in r["volumes"]}
        keys = [k for k in keys if k in present]
    empty = {"volumes": {}, **dict.fromkeys(HEADER_FIELDS, np.nan)}
    rows = [found.get(rt_id, empty) if rt_id is not None else empty for rt_id in rt_ids]
    return columns_of(rows, keys), before.year if before else None


def _polygons(prefix: str, rt_ids: Sequence[int | None]) -> np.ndarray:
    areas = dict(
        Boundary.objects.filter(kind="rt")
        .filter(within(prefix, "rt__kelurahan__code"))
        .values_list("rt_id", "area_ha")
    )
    return np.array([float(areas.get(i) or np.nan) if i is not None else np.nan for i in rt_ids])


def city_flags(
    *, round: DataRound, rows: Sequence[Mapping[str, Any]], report: Sequence[bool], prefix: str
) -> tuple[list[Flag], int | None]:
    """Run the checks over ``rows`` (stored records' values, or typed/imported ones with the
    same keys, ``rt_id`` None for an RT not stored yet) of the cities under ``prefix``; flags of
    the rows marked in ``report`` only. Returns the flags and the previous round's year."""
    if not rows:
        return [], None
    ruleset = ruleset_of(round.ruleset_id)
    rt_ids = [r.get("rt_id") for r in rows]
    previous, year = _previous_columns(round, prefix, rt_ids, ruleset.keys)
    data = QualityData(
        columns=columns_of(rows, ruleset.keys),
        criteria=[(c.key, c.denominator) for c in ruleset.criteria],
        previous=previous,
        polygon_ha=_polygons(prefix, rt_ids),
        city=np.array([city_code(r["rt__kelurahan__code"]) for r in rows]),
        report=np.asarray(report, dtype=bool),
    )
    return check_quality(data), year


def shown(
    flags: Sequence[Flag], rows: Sequence[Mapping[str, Any]], round: DataRound, year: int | None
) -> list[ShownFlag]:
    ruleset = ruleset_of(round.ruleset_id)
    return [
        ShownFlag(
            rt_id=rows[f.row].get("rt_id") or 0,
            kelurahan_code=rows[f.row]["rt__kelurahan__code"],
            rw=rows[f.row]["rt__rw"],
            rt=rows[f.row]["rt__rt"],
            kind=f.kind,
            field=f.field,
            severity=f.severity,
            message=flag_message(f, ruleset, year),
            value=num(f.value, 4)[:80],
            fingerprint=f.fingerprint,
        )
        for f in flags
    ]


def stored_flags(*, round: DataRound, code: str) -> list[ShownFlag]:
    """Every flag of the stored records of the round in a region (kelurahan or higher), with the
    reviews that still hold attached; the RTs of the whole city make up the distributions."""
    prefix = city_code(code)
    rows = list(
        RtRecord.objects.filter(round=round)
        .filter(within(prefix, "rt__kelurahan__code"))
        .order_by("rt__kelurahan__code", "rt__rw_key", "rt__rt_key")
        .values(*LOAD_FIELDS)
    )
    report = [
        r["rt__kelurahan__code"] == code or r["rt__kelurahan__code"].startswith(code + ".") for r in rows
    ]
    flags, year = city_flags(round=round, rows=rows, report=report, prefix=prefix)
    result = shown(flags, rows, round, year)
    reviews = {
        (r.rt_id, r.kind, r.field): r
        for r in FlagReview.objects.filter(round=round)
        .filter(within(code, "rt__kelurahan__code"))
        .select_related("user")
    }
    for item in result:
        review = reviews.get((item.rt_id, item.kind, item.field))
        if review is not None and review.fingerprint == item.fingerprint:
            item.review = review
    return result


def typed_flags(
    *, round: DataRound, rt_id: int | None, kelurahan_code: str, rw: str, rt: str, values: Mapping[str, str]
) -> list[ShownFlag]:
    """The flags of one RT's values as typed in the entry form (not stored yet), against its
    previous round, its polygon and the other stored RTs of its city."""
    prefix = city_code(kelurahan_code)
    others = list(
        RtRecord.objects.filter(round=round)
        .filter(within(prefix, "rt__kelurahan__code"))
        .exclude(rt_id=rt_id)
        .values(*LOAD_FIELDS)
    )
    ruleset = ruleset_of(round.ruleset_id)
    mine = {
        "rt_id": rt_id,
        "rt__rw": rw,
        "rt__rt": rt,
        "rt__kelurahan__code": kelurahan_code,
        "volumes": {k: values[k] for k in ruleset.keys if k in values},
        **{f: values[f] for f in HEADER_FIELDS},
    }
    rows = [*others, mine]
    flags, year = city_flags(round=round, rows=rows, report=[False] * len(others) + [True], prefix=prefix)
    return shown(flags, rows, round, year)


def rt_flags(*, round: DataRound, rt: Rt, values: Mapping[str, str]) -> list[ShownFlag]:
    """The flags of an RT's values as typed in (or loaded into) the entry form."""
    return typed_flags(
        round=round, rt_id=rt.pk, kelurahan_code=rt.kelurahan.code, rw=rt.rw, rt=rt.rt, values=values
    )


@dataclass(frozen=True)
class ImportWarning:
    """A flag of an imported row, by the spreadsheet's row number and the column(s) as written."""

    row: int
    column: str
    severity: str
    message: str


def import_flags(plan: ImportPlan) -> list[ImportWarning]:
    """The flags of a checked import's rows (those that passed the row checks, also when other
    rows have problems), against the stored data of their cities (the rows the file replaces left
    out) and each RT's previous round."""
    if plan.data is None or not plan.rows:  # rows with problems are left out of plan.rows
        return []
    columns = plan.data.columns
    rts = {
        (r.kelurahan_id, r.rw_key, r.rt_key): r.pk
        for r in Rt.objects.filter(kelurahan__in={row.kelurahan for row in plan.rows})
    }
    ruleset = ruleset_of(plan.round.ruleset_id)
    warnings: list[ImportWarning] = []
    for prefix in sorted({city_code(row.kelurahan.code) for row in plan.rows}):
        mine = [row for row in plan.rows if city_code(row.kelurahan.code) == prefix]
        typed = [
            {
                "rt_id": rts.get(row.key),
                "rt__rw": row.rw,
                "rt__rt": row.rt,
                "rt__kelurahan__code": row.kelurahan.code,
                "volumes": {k: row.values[k] for k in ruleset.keys},
                **{f: row.values[f] for f in HEADER_FIELDS},
            }
            for row in mine
        ]
        replaced = [r["rt_id"] for r in typed if r["rt_id"] is not None]
        others = list(
            RtRecord.objects.filter(round=plan.round)
            .filter(within(prefix, "rt__kelurahan__code"))
            .exclude(rt_id__in=replaced)
            .values(*LOAD_FIELDS)
        )
        rows = [*others, *typed]
        report = [False] * len(others) + [True] * len(typed)
        flags, year = city_flags(round=plan.round, rows=rows, report=report, prefix=prefix)
        for flag in flags:
            names = RATIO_FIELDS.get(flag.field, (flag.field,) if flag.field else ())
            warnings.append(
                ImportWarning(
                    row=mine[flag.row - len(others)].row,
                    column=", ".join(columns.shown(n) for n in names),
                    severity=flag.severity,
                    message=flag_message(flag, ruleset, year),
                )
            )
    return sorted(warnings, key=lambda w: w.row)


def kelurahan_quality(*, scope: Any, kelurahan: Any, round: DataRound) -> dict[str, Any]:
    """What the kelurahan data page shows of data quality: the flags (open first), whether the
    viewer may mark them reviewed, and the region whose data-quality page the viewer may open."""
    flags = stored_flags(round=round, code=kelurahan.code)
    city = city_code(kelurahan.code)
    return {
        "flags": sorted(flags, key=lambda f: not f.open),
        "open_flags": sum(1 for f in flags if f.open),
        "may_review": scope.may("verify", kelurahan),
        "quality_code": city if scope.covers(city) else kelurahan.code,
    }
