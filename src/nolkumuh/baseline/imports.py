"""Importing a workbook of RT data into a data round: a dry run first, then all or nothing.

The dry run reads and checks the whole file and says, per row, whether it is new, changed or
unchanged; every problem is listed with row and column. Confirming re-reads the same stored file,
checks it again and writes everything in one transaction (re-importing the same file changes
nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import apply_scores, record_values, ruleset_of
from nolkumuh.baseline.services import record_snapshot, submission_get
from nolkumuh.core.models import AuditEntry
from nolkumuh.exchange import RtInput, read_rt_file
from nolkumuh.exchange.columns import NAME_COLUMNS
from nolkumuh.exchange.parse import cell_text
from nolkumuh.regions.models import Kawasan, Region, Rt, number_key
from nolkumuh.scoring import HEADER_FIELDS, InvalidInput, Issue, assess


@dataclass
class PlannedRow:
    row: int
    kelurahan: Region
    rw: str
    rt: str
    kawasan: str
    values: dict[str, str]
    status: str  # new, changed, unchanged
    record: RtRecord | None = None


@dataclass
class ImportPlan:
    round: DataRound
    rows: list[PlannedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    data: RtInput | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def count_new(self) -> int:
        return self.count("new")

    @property
    def count_changed(self) -> int:
        return self.count("changed")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")


def _values(data: RtInput, i: int) -> dict[str, str]:
    """The row's header fields and volumes as decimal text, as written in the file."""
    values = {}
    names = {**{f: data.columns.known.get(f) for f in HEADER_FIELDS}, **data.columns.volumes}
    for key, position in names.items():
        if position is None:
            continue
        cell = data.sheet.rows[i][position]
        text = cell_text(cell) if not isinstance(cell, float) else format(cell, ".15g")
        values[key] = _canonical(text, float(data.numbers[position][i]))
    return values


def _canonical(text: str, number: float) -> str:
    """One spelling per number ('2.50' and '2.5' are the same value), so re-imports compare equal."""
    return format(number, ".15g") if text else "0"


def _find_kelurahan(
    data: RtInput, i: int, by_code: dict[str, Region], by_names: dict[tuple, Region]
) -> Region | None:
    codes = data.text.get("kode_kelurahan")
    if codes and codes[i]:
        return by_code.get(codes[i])
    names = tuple(data.text[n][i].strip().lower() for n in NAME_COLUMNS if n in data.text)
    return by_names.get(names)


def _kelurahan_lookup(data: RtInput) -> tuple[dict[str, Region], dict[tuple, Region]]:
    codes = set(data.text.get("kode_kelurahan", []))
    kelurahan = Region.objects.filter(code__in=codes, level=Region.Level.KELURAHAN).select_related(
        "parent__parent"
    )
    by_code = {r.code: r for r in kelurahan}
    by_names: dict[tuple, Region] = {}
    if all(n in data.text for n in NAME_COLUMNS):
        wanted = {v.strip().lower() for v in data.text["kelurahan"]}
        for region in Region.objects.filter(level=Region.Level.KELURAHAN).select_related(
            "parent", "parent__parent", "parent__parent__parent"
        ):
            if region.name.lower() in wanted:
                kec = region.parent
                key = (
                    kec.parent.parent.name.lower(),
                    kec.parent.name.lower(),
                    kec.name.lower(),
                    region.name.lower(),
                )
                by_names[key] = region
    return by_code, by_names


def import_plan(
    *, user: AbstractBaseUser, round: DataRound, path: Path, decimal_comma: bool = False
) -> ImportPlan:
    """Read and check the file for ``round``; nothing is written."""
    plan = ImportPlan(round=round)
    try:
        data = read_rt_file(path, ruleset=round.ruleset_id, decimal_comma=decimal_comma)
    except InvalidInput as exc:
        plan.issues = exc.issues
        return plan
    plan.data = data
    scope = user_scope(user)
    by_code, by_names = _kelurahan_lookup(data)
    statuses = dict(
        Submission.objects.filter(
            round=round, kelurahan__in=set(by_code.values()) | set(by_names.values())
        ).values_list("kelurahan_id", "status")
    )
    year_column = data.columns.shown("tahun")
    wanted: list[tuple[int, Region, str, str]] = []
    for i, number in enumerate(data.row_numbers.tolist()):
        if int(data.years[i]) != round.year:
            plan.issues.append(
                Issue("wrong_year", number, year_column, str(data.years[i]), {"year": round.year})
            )
            continue
        kelurahan = _find_kelurahan(data, i, by_code, by_names)
        if kelurahan is None:
            plan.issues.append(Issue("unknown_kelurahan", number, None, None))
            continue
        if not scope.may_edit(kelurahan):
            plan.issues.append(Issue("outside_scope", number, None, kelurahan.name))
            continue
        status = statuses.get(kelurahan.pk, Submission.Status.DRAFT)
        if status != Submission.Status.DRAFT:
            label = Submission.Status(status).label
            plan.issues.append(
                Issue("locked", number, None, kelurahan.name, {"year": round.year, "status": label})
            )
            continue
        wanted.append((i, kelurahan, data.text["rw"][i], data.text["rt"][i]))
    existing = {
        (r.rt.kelurahan_id, r.rt.rw_key, r.rt.rt_key): r
        for r in RtRecord.objects.filter(
            round=round, rt__kelurahan__in={k for _, k, _, _ in wanted}
        ).select_related("rt")
    }
    kawasan_names = data.text.get("kawasan", [""] * len(data))
    for i, kelurahan, rw, rt in wanted:
        values = _values(data, i)
        record = existing.get((kelurahan.pk, number_key(rw), number_key(rt)))
        if record is None:
            status = "new"
        else:
            stored = {k: _canonical(v, float(v)) for k, v in record_values(record).items()}
            status = "unchanged" if stored == values else "changed"
        plan.rows.append(
            PlannedRow(int(data.row_numbers[i]), kelurahan, rw, rt, kawasan_names[i], values, status, record)
        )
    return plan


@transaction.atomic
def import_apply(*, user: AbstractBaseUser, plan: ImportPlan) -> dict[str, int]:
    """Write a checked plan: every row or none. Scores come from one vectorized assessment."""
    if not plan.ok or plan.data is None:
        raise InvalidInput(plan.issues)
    round = plan.round
    ruleset = ruleset_of(round.ruleset_id)
    todo = [r for r in plan.rows if r.status != "unchanged"]
    if not todo:
        return {"new": 0, "changed": 0, "unchanged": plan.count("unchanged")}
    rows_by_index = [plan.data.row_numbers.tolist().index(r.row) for r in todo]
    table = plan.data.table
    subset = type(table)({k: v[rows_by_index] for k, v in table.columns.items()})
    assessment = assess(subset, ruleset)
    records, audits = [], []
    for row in todo:
        rt = _rt_for(row)
        record = row.record or RtRecord(round=round, rt=rt)
        before = record_snapshot(record) if row.record else None
        for name in HEADER_FIELDS:
            setattr(record, name, row.values[name])
        record.volumes = {k: row.values[k] for k in ruleset.keys}
        record.updated_by = user
        records.append((record, before))
    apply_scores([r for r, _ in records], assessment)
    for record, before in records:
        record.save()
        audits.append(
            AuditEntry(
                user=user,
                action="import_create" if before is None else "import_update",
                object_type="rt_record",
                object_id=str(record.pk),
                before=before,
                after=record_snapshot(record),
                summary=f"impor {round.year}",
            )
        )
    AuditEntry.objects.bulk_create(audits)
    for kelurahan in {r.kelurahan for r in todo}:
        submission_get(kelurahan=kelurahan, round=round)
    return {"new": plan.count("new"), "changed": plan.count("changed"), "unchanged": plan.count("unchanged")}


def _rt_for(row: PlannedRow) -> Rt:
    kawasan = None
    if row.kawasan.strip():
        kawasan, _ = Kawasan.objects.get_or_create(
            kabkota=row.kelurahan.parent.parent, name=row.kawasan.strip()
        )
        kawasan.kelurahan.add(row.kelurahan)
    rt, created = Rt.objects.get_or_create(
        kelurahan=row.kelurahan,
        rw_key=number_key(row.rw),
        rt_key=number_key(row.rt),
        defaults={"rw": row.rw, "rt": row.rt, "kawasan": kawasan},
    )
    if not created and kawasan is not None and rt.kawasan_id != kawasan.pk:
        rt.kawasan = kawasan
        rt.save(update_fields=["kawasan"])
    return rt
