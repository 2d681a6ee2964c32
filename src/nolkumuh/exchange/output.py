"""The output table of FORMAT.md: the input columns plus the score columns, per RT or per group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nolkumuh.exchange.columns import NAME_COLUMNS
from nolkumuh.exchange.parse import RtInput
from nolkumuh.exchange.read import normalize_name
from nolkumuh.scoring.aggregate import aggregate, group_counts
from nolkumuh.scoring.assess import Assessment, assess
from nolkumuh.scoring.criteria import HEADER_FIELDS, catalogue
from nolkumuh.scoring.indicators import sanitation_access_hundredths, slum_area, water_access_hundredths
from nolkumuh.scoring.table import Groups

LEVELS = ("rt", "kawasan", "kelurahan", "kecamatan", "kabkota", "provinsi")
# Length of the Kemendagri code prefix that identifies a region of each level.
_CODE_LENGTH = {"provinsi": 2, "kabkota": 5, "kecamatan": 8, "kelurahan": 13, "kawasan": 5}
_NAMES_UP_TO = {"provinsi": 1, "kabkota": 2, "kecamatan": 3, "kelurahan": 4, "kawasan": 2}


@dataclass
class OutColumn:
    """A column to write. kind: raw (cells as read), text, int, number, hundredths (x100 ints)."""

    name: str
    values: Sequence[Any] | np.ndarray
    kind: str
    raw: list[Any] | np.ndarray | None = None  # the cells as read, written back to CSV unchanged


@dataclass
class OutputTable:
    columns: list[OutColumn]
    sheet_name: str

    def __len__(self) -> int:
        return len(self.columns[0].values) if self.columns else 0

    def column(self, name: str) -> OutColumn:
        return next(c for c in self.columns if c.name == name)


def score_columns(assessment: Assessment) -> list[OutColumn]:
    """ruleset, persen_*, nilai_*, rata_aspek_n, rata_sektoral, total_nilai, tingkat, tingkat_label."""
    ruleset = assessment.ruleset
    n = len(assessment)
    columns = [OutColumn("ruleset", [ruleset.id] * n, "text")]
    columns += [
        OutColumn(f"persen_{c.key}", assessment.hundredths[i], "hundredths")
        for i, c in enumerate(ruleset.criteria)
    ]
    columns += [
        OutColumn(f"nilai_{c.key}", assessment.scores[i], "int") for i, c in enumerate(ruleset.criteria)
    ]
    columns += [
        OutColumn(f"rata_aspek_{a}", assessment.aspect_hundredths[j], "hundredths")
        for j, a in enumerate(ruleset.aspects)
    ]
    columns += [
        OutColumn("rata_sektoral", assessment.sectoral_hundredths, "hundredths"),
        OutColumn("total_nilai", assessment.total, "int"),
        OutColumn("tingkat", assessment.class_codes(), "text"),
        OutColumn("tingkat_label", assessment.class_labels(), "text"),
    ]
    return columns


def rt_output(data: RtInput, assessment: Assessment) -> OutputTable:
    """Every input column (in order, as written) followed by the score columns; rows in input order."""
    assert data.sheet is not None, "the raw cells are needed to write every input column back"
    generated = score_columns(assessment)
    replaced = {c.name for c in generated}
    integer_fields = {name for name, field in catalogue().header.items() if field.integer} | {"tahun"}
    columns = []
    for position, name in enumerate(data.sheet.names):
        normalized = normalize_name(name)
        if normalized in replaced:
            continue  # an earlier output fed back in: its score columns are computed afresh
        cells = data.sheet.column(position)
        if position in data.numbers:
            kind = "int" if normalized in integer_fields else "number"
            columns.append(OutColumn(name, data.numbers[position], kind, raw=cells))
        else:
            columns.append(OutColumn(name, data.sheet.cells(position), "raw"))
    return OutputTable(columns + generated, sheet_name="rt")


def _location(data: RtInput, i: int, level: str) -> tuple[str, ...]:
    codes = data.text.get("kode_kelurahan")
    if codes and codes[i]:
        return ("kode", codes[i][: _CODE_LENGTH[level]])
    names = [data.text[n][i].lower() for n in NAME_COLUMNS[: _NAMES_UP_TO[level]] if n in data.text]
    return ("nama", *names)


def group_rows(data: RtInput, level: str) -> Groups:
    """Rows grouped by year and region of ``level`` (kawasan: by year, city and kawasan name)."""
    kawasan = data.text.get("kawasan", [""] * len(data))
    keys = []
    for i in range(len(data)):
        key = (int(data.years[i]), *_location(data, i, level))
        keys.append((*key, kawasan[i].lower()) if level == "kawasan" else key)
    return Groups.of(keys)


def aggregated_output(data: RtInput, rt_assessment: Assessment, level: str) -> OutputTable:
    """One row per group and year: sums of the header fields and volumes, scored like one RT."""
    groups = group_rows(data, level)
    first = np.full(len(groups), -1)
    for i, g in enumerate(groups.codes):
        if first[g] < 0:
            first[g] = i
    summed = aggregate(data.table, groups)
    assessment = assess(summed, data.ruleset)
    columns = [OutColumn("tahun", data.years[first], "int")]
    if "kode_kelurahan" in data.text:
        code_name = "kode_kabkota" if level == "kawasan" else f"kode_{level}"
        codes = [data.text["kode_kelurahan"][i][: _CODE_LENGTH[level]] for i in first]
        columns.append(OutColumn(code_name, codes, "text"))
    for name in NAME_COLUMNS[: _NAMES_UP_TO[level]]:
        if name in data.text:
            columns.append(OutColumn(name, [data.text[name][i] for i in first], "text"))
    if level == "kawasan":
        columns.append(
            OutColumn("kawasan", [data.text.get("kawasan", [""] * len(data))[i] for i in first], "text")
        )
    columns.append(OutColumn("jumlah_rt", group_counts(groups), "int"))
    header = catalogue().header
    for name in HEADER_FIELDS:
        kind = "int" if header[name].integer else "number"
        columns.append(OutColumn(data.columns.shown(name), summed[name], kind))
    for item in data.ruleset.criteria:
        columns.append(OutColumn(data.columns.shown(item.key), summed[item.key], "number"))
    columns += score_columns(assessment)
    columns += _area_and_access(data, rt_assessment, assessment, groups)
    return OutputTable(columns, sheet_name=level)


def _area_and_access(
    data: RtInput, rt_assessment: Assessment, assessment: Assessment, groups: Groups
) -> list[OutColumn]:
    """Slum area by class from the RTs' own classes, and the 100-0-100 access indicators."""
    area = slum_area(data.table["luas"], rt_assessment, groups)
    columns = [
        OutColumn(f"luas_kumuh_{code.lower()}", area.of(code), "number") for code in area.class_codes[:-1]
    ]
    columns.append(OutColumn("luas_kumuh", area.slum, "number"))
    for name, values in (
        ("akses_air_minum", water_access_hundredths(assessment)),
        ("akses_sanitasi", sanitation_access_hundredths(assessment)),
    ):
        if values is not None:
            columns.append(OutColumn(name, values, "hundredths"))
    return columns
