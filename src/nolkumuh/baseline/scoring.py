"""Between stored RT records and the pure engine: records -> values -> tables -> assessments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import numpy as np

from nolkumuh.baseline.models import RtRecord
from nolkumuh.scoring import HEADER_FIELDS, Assessment, RtTable, Ruleset, assess, load_ruleset, validate_table
from nolkumuh.scoring.issues import Issue


def ruleset_of(ruleset_id: str) -> Ruleset:
    return load_ruleset(ruleset_id)


def plain(value: object) -> str:
    """A stored number as the decimal text it was written as (no trailing zeros)."""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def record_values(record: RtRecord) -> dict[str, str]:
    """Header fields and volumes (by criterion key) of a stored record, as decimal text."""
    values = {f: plain(getattr(record, f)) for f in HEADER_FIELDS}
    values.update({k: str(v) for k, v in record.volumes.items()})
    return values


def table_of(rows: Sequence[Mapping[str, str]], ruleset: Ruleset) -> RtTable:
    columns = {f: np.array([float(r.get(f) or 0) for r in rows], dtype=np.float64) for f in HEADER_FIELDS}
    for key in ruleset.keys:
        columns[key] = np.array([float(r.get(key) or 0) for r in rows], dtype=np.float64)
    return RtTable(columns)


def assess_values(rows: Sequence[Mapping[str, str]], ruleset: Ruleset) -> tuple[Assessment, list[Issue]]:
    """Validate and score rows of values; issues name the field keys (row numbers from 1)."""
    table = table_of(rows, ruleset)
    issues = validate_table(table, ruleset, row_numbers=np.arange(1, len(rows) + 1))
    return assess(table, ruleset), issues


def apply_scores(records: Iterable[RtRecord], assessment: Assessment) -> None:
    """Copy an assessment (row i = record i) onto the records' stored score fields."""
    keys = assessment.ruleset.keys
    codes = assessment.class_codes()
    for i, record in enumerate(records):
        record.hundredths = {k: int(assessment.hundredths[j, i]) for j, k in enumerate(keys)}
        record.scores = {k: int(assessment.scores[j, i]) for j, k in enumerate(keys)}
        record.total = int(assessment.total[i])
        record.class_code = str(codes[i])
        record.sectoral_hundredths = int(assessment.sectoral_hundredths[i])


def new_record(
    data_round: object,
    rt: object,
    header: Mapping[str, object],
    volumes: Mapping[str, object],
    ruleset: Ruleset,
) -> RtRecord:
    """An unsaved record of generated values (the round's ruleset's volumes only), not yet scored."""
    record = RtRecord(round=data_round, rt=rt, **{f: str(header[f]) for f in HEADER_FIELDS})
    record.volumes = {key: str(volumes[key]) for key in ruleset.keys}
    return record


def score_records(records: Sequence[RtRecord], ruleset: Ruleset) -> None:
    """Score unsaved records in one vectorized assessment (for bulk creation)."""
    apply_scores(records, assess(table_of([record_values(r) for r in records], ruleset), ruleset))
