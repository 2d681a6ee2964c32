"""Importing a workbook of RT data into a data round: a dry run first, then all or nothing.

The dry run reads and checks the whole file and says, per row, whether it is new, changed or
unchanged; every problem is listed with row and column. Confirming takes the table the dry run
kept beside the upload (``import_tables``: the file is read again only when that table is missing
or not the file's), checks every row against the database again and writes everything in one
transaction, with the workflow rows locked and the stored records read again inside it
(re-importing the same file, or confirming twice, changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from nolkumuh.accounts.services import Scope, user_scope
from nolkumuh.baseline import summaries
from nolkumuh.baseline.import_tables import checked_upload
from nolkumuh.baseline.import_writes import (
    RECORD_FIELDS,
    StoredRt,
    drafts_lock,
    kawasan_for_rows,
    record_audits,
    rts_for_rows,
    stored_rts,
)
from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import apply_scores, ruleset_of
from nolkumuh.baseline.services import record_snapshot
from nolkumuh.core.batch import FieldChecks, insert_rows, update_rows
from nolkumuh.exchange import RtInput
from nolkumuh.exchange.columns import NAME_COLUMNS
from nolkumuh.regions.models import Kawasan, Region, number_key
from nolkumuh.scoring import HEADER_FIELDS, InvalidInput, Issue, RtTable, assess
from nolkumuh.scoring.labels import field_words

Key = tuple[int, str, str]  # kelurahan id, RW key, RT key


@dataclass
class PlannedRow:
    row: int
    index: int  # position in the file's data
    kelurahan: Region
    rw: str
    rt: str
    kawasan_name: str
    kawasan: Kawasan | None  # the existing kawasan of that name in the city, if any
    values: dict[str, str]
    status: str  # new, changed, unchanged

    @property
    def key(self) -> Key:
        return (self.kelurahan.pk, number_key(self.rw), number_key(self.rt))


@dataclass
class ImportPlan:
    round: DataRound
    rows: list[PlannedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    data: RtInput | None = None
    # the records' field checks, once per distinct value for the plan and its write together
    checks: FieldChecks = field(
        default_factory=lambda: FieldChecks(RtRecord, exclude=["round", "rt", "updated_by"]), repr=False
    )

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


def _canonical(number: float) -> str:
    """One spelling per number ('2.50' and '2.5' are the same value), so re-imports compare equal."""
    return format(number, ".15g")


def _value_columns(data: RtInput) -> dict[str, list[str]]:
    """The header fields and volumes (by key) of every row as canonical decimal text, by column."""
    positions = {**{f: data.columns.known[f] for f in HEADER_FIELDS}, **data.columns.volumes}
    return {
        key: [_canonical(number) for number in data.numbers[position].tolist()]
        for key, position in positions.items()
    }


# what the import reads of a stored record: enough to compare it and to snapshot it for the audit
STORED_FIELDS = ("pk", "rt_id", "volumes", "total", "class_code", *HEADER_FIELDS)
KEY_FIELDS = ("rt__kelurahan_id", "rt__rw_key", "rt__rt_key")


def _stored_records(
    round: DataRound, kelurahan: set[Region], *, by: str, lock: bool = False
) -> dict[Any, dict[str, Any]]:
    """The round's records in these kelurahan as plain rows (no model object per row), by RT key
    (``by="key"``) or by RT id (``by="rt"``); ``lock`` locks them until the transaction ends."""
    records = RtRecord.objects.filter(round=round, rt__kelurahan__in=kelurahan)
    if lock:
        records = records.select_for_update()
    if by == "key":
        rows = records.values_list(*KEY_FIELDS, *STORED_FIELDS)
        return {tuple(row[:3]): dict(zip(STORED_FIELDS, row[3:], strict=True)) for row in rows}
    return {row[1]: dict(zip(STORED_FIELDS, row, strict=True)) for row in records.values_list(*STORED_FIELDS)}


def _canonical_values(row: dict[str, Any]) -> dict[str, str]:
    """A stored row's header fields and volumes as canonical text (as the file's are)."""
    values = {f: _canonical(float(row[f])) for f in HEADER_FIELDS}
    values.update({k: _canonical(float(v)) for k, v in row["volumes"].items()})
    return values


def _stored_record(round: DataRound, row: dict[str, Any]) -> RtRecord:
    """An unsaved model object of a stored row, to change and to snapshot for the audit."""
    return RtRecord(
        id=row["pk"],
        round_id=round.pk,
        rt_id=row["rt_id"],
        volumes=row["volumes"],
        total=row["total"],
        class_code=row["class_code"],
        **{f: row[f] for f in HEADER_FIELDS},
    )


def _kelurahan_lookup(data: RtInput) -> tuple[dict[str, Region], dict[tuple[str, ...], Region]]:
    codes = set(data.text.get("kode_kelurahan", []))
    related = ("parent", "parent__parent", "parent__parent__parent")
    found = Region.objects.filter(code__in=codes, level=Region.Level.KELURAHAN).select_related(*related)
    by_code = {r.code: r for r in found}
    by_names: dict[tuple[str, ...], Region] = {}
    if all(n in data.text for n in NAME_COLUMNS):
        wanted = {v.strip().lower() for v in data.text["kelurahan"]}
        for region in Region.objects.filter(
            level=Region.Level.KELURAHAN, name__in=_spellings(wanted)
        ).select_related(*related):
            kec = region.parent
            key = (
                kec.parent.parent.name.lower(),
                kec.parent.name.lower(),
                kec.name.lower(),
                region.name.lower(),
            )
            by_names[key] = region
    return by_code, by_names


def _spellings(names: set[str]) -> set[str]:
    """Names as stored are title case; the file's may be any case."""
    return {n.title() for n in names} | names | {n.upper() for n in names}


def _find_kelurahan(
    data: RtInput, i: int, by_code: dict[str, Region], by_names: dict[tuple[str, ...], Region]
) -> Region | None:
    codes = data.text.get("kode_kelurahan")
    if codes and codes[i]:
        return by_code.get(codes[i])
    names = tuple(data.text[n][i].strip().lower() for n in NAME_COLUMNS if n in data.text)
    return by_names.get(names)


def _field_issues(checks: FieldChecks, values: dict[str, str], data: RtInput, number: int) -> list[Issue]:
    """What the database would refuse (too many decimals or digits, out of bounds), found before
    writing: each header field's own ``clean`` (its validators, as ``full_clean`` runs them), once
    per distinct value of the file (the confirmation's write checks reuse these results)."""
    return [
        Issue("invalid_field", number, data.columns.shown(f), values.get(f), {"detail": " ".join(m)})
        for f in HEADER_FIELDS
        if (m := checks.field_messages(f, values[f]))
    ]


def _kawasan_issue(
    scope: Scope, row: PlannedRow, name: str, current: StoredRt | None, number: int
) -> Issue | None:
    """Only those who may manage kawasan (korkot, provinsi, admin) create them or move RTs between
    them; others may name the RT's own kawasan, or an existing one for an RT that has none."""
    if not name or scope.may("approve", row.kelurahan.parent.parent):
        return None
    if current is not None and current.kawasan_name is not None:
        if current.kawasan_name.lower() == name.lower():
            return None
    elif row.kawasan is not None:
        return None
    return Issue("kawasan_not_allowed", number, "kawasan", name)


def import_plan(
    *, user: AbstractBaseUser, round: DataRound, path: Path, decimal_comma: bool = False
) -> ImportPlan:
    """Check the file for ``round`` (read, or the table its dry run kept); nothing is written."""
    plan = ImportPlan(round=round)
    try:
        data = checked_upload(path, ruleset=round.ruleset_id, decimal_comma=decimal_comma)
    except InvalidInput as exc:
        plan.issues = exc.issues
        return plan
    plan.data = data
    scope = user_scope(user)
    by_code, by_names = _kelurahan_lookup(data)
    found = set(by_code.values()) | set(by_names.values())
    statuses = dict(
        Submission.objects.filter(round=round, kelurahan__in=found).values_list("kelurahan_id", "status")
    )
    rts = stored_rts(found)
    records = {key: _canonical_values(row) for key, row in _stored_records(round, found, by="key").items()}
    columns = _value_columns(data)
    kawasan = {
        (k.kabkota_id, k.name.lower()): k
        for k in Kawasan.objects.filter(kabkota__in={r.parent.parent_id for r in found})
    }
    names = data.text.get("kawasan", [""] * len(data))
    seen: dict[Key, int] = {}
    for i, number in enumerate(data.row_numbers.tolist()):
        issue = _row_issue(data, i, number, round, by_code, by_names, scope, statuses)
        if isinstance(issue, Issue):
            plan.issues.append(issue)
            continue
        kelurahan = issue
        values = {key: column[i] for key, column in columns.items()}
        name = names[i].strip()
        existing_kawasan = kawasan.get((kelurahan.parent.parent_id, name.lower())) if name else None
        row = PlannedRow(
            number,
            i,
            kelurahan,
            data.text["rw"][i],
            data.text["rt"][i],
            name,
            existing_kawasan,
            values,
            "new",
        )
        if row.key in seen:
            plan.issues.append(Issue("duplicate_rt", number, None, None, {"other": seen[row.key]}))
            continue
        seen[row.key] = number
        plan.issues.extend(_field_issues(plan.checks, values, data, number))
        kawasan_problem = _kawasan_issue(scope, row, name, rts.get(row.key), number)
        if kawasan_problem:
            plan.issues.append(kawasan_problem)
        stored = records.get(row.key)
        if stored is not None:
            row.status = "unchanged" if stored == values and not _moves(row, rts, name) else "changed"
        plan.rows.append(row)
    return plan


def _moves(row: PlannedRow, rts: dict[Key, StoredRt], name: str) -> bool:
    """True when the row puts an existing RT into another kawasan."""
    current = rts.get(row.key)
    return (
        bool(name)
        and current is not None
        and (current.kawasan_name is None or current.kawasan_name.lower() != name.lower())
    )


def _row_issue(data, i, number, round, by_code, by_names, scope, statuses):  # type: ignore[no-untyped-def]
    """The row's kelurahan, or the issue that stops the row."""
    if int(data.years[i]) != round.year:
        return Issue(
            "wrong_year", number, data.columns.shown("tahun"), str(data.years[i]), {"year": round.year}
        )
    kelurahan = _find_kelurahan(data, i, by_code, by_names)
    if kelurahan is None:
        return Issue("unknown_kelurahan", number, None, None)
    if not scope.may_edit(kelurahan):
        return Issue("outside_scope", number, None, kelurahan.name)
    status = statuses.get(kelurahan.pk, Submission.Status.DRAFT)
    if status != Submission.Status.DRAFT:
        label = Submission.Status(status).label
        return Issue("locked", number, None, kelurahan.name, {"year": round.year, "status": label})
    return kelurahan


@transaction.atomic
def import_apply(*, user: AbstractBaseUser, plan: ImportPlan) -> dict[str, int]:
    """Write a checked plan: every row or none. The workflow rows are locked and the stored records
    read again here, so a concurrent submit or a second confirm cannot slip in between. RTs,
    records and audit entries are written in batches: the queries do not grow with the rows."""
    if not plan.ok or plan.data is None:
        raise InvalidInput(plan.issues)
    round = plan.round
    kelurahan = {row.kelurahan for row in plan.rows}
    drafts_lock(round=round, kelurahan=kelurahan)
    rts = stored_rts(kelurahan)
    stored = _stored_records(round, kelurahan, by="rt", lock=True)
    todo, moved = [], []
    for row in plan.rows:
        rt = rts.get(row.key)
        record = stored.get(rt.pk) if rt is not None else None
        if record is None or _canonical_values(record) != row.values:
            todo.append((row, record))
        elif row.status == "changed":  # same values, another kawasan
            moved.append(row)
    touched = [row for row, _ in todo] + moved
    ids, audits = rts_for_rows(
        user=user, rows=touched, rts=rts, kawasan=kawasan_for_rows(user=user, rows=touched)
    )
    written = _records_written(user, plan, todo, ids)
    audits += record_audits(user=user, round=round, written=written)
    insert_rows(audits)
    # the stored figures of the kelurahan whose records changed, and of the regions above (ADR 0011);
    # an RT moved to another kawasan changes no region's figures
    summaries.refresh({row.kelurahan.code for row, _ in todo})
    created = sum(1 for _, before in written if before is None)
    changed = len(written) - created + len(moved)
    return {"new": created, "changed": changed, "unchanged": len(plan.rows) - created - changed}


def _records_written(
    user: AbstractBaseUser,
    plan: ImportPlan,
    todo: list[tuple[PlannedRow, dict[str, Any] | None]],
    ids: dict[Key, int],
) -> list[tuple[RtRecord, dict[str, object] | None]]:
    """The new and changed records, scored in one assessment, checked as every write path checks
    them, and stored in batches; each with its audit snapshot before (None when new)."""
    assert plan.data is not None
    ruleset = ruleset_of(plan.round.ruleset_id)
    subset = RtTable({k: v[[row.index for row, _ in todo]] for k, v in plan.data.table.columns.items()})
    assessment = assess(subset, ruleset)
    written = []
    for row, stored in todo:
        record = (
            _stored_record(plan.round, stored)
            if stored
            else RtRecord(round_id=plan.round.pk, rt_id=ids[row.key])
        )
        before = record_snapshot(record) if stored else None
        for name in HEADER_FIELDS:
            setattr(record, name, row.values[name])
        record.volumes = {k: row.values[k] for k in ruleset.keys}
        record.updated_by_id = user.pk
        written.append((record, before))
    apply_scores([r for r, _ in written], assessment)
    for record, _before in written:
        _check_before_write(plan.checks, record)
    new = [r for r, before in written if before is None]
    insert_rows(new)
    if new:  # the new records' ids (for their audit entries), read back by RT
        kelurahan = {row.kelurahan for row, _ in todo}
        pks = dict(
            RtRecord.objects.filter(round=plan.round, rt__kelurahan__in=kelurahan).values_list("rt_id", "pk")
        )
        for record in new:
            record.pk = pks[record.rt_id]
    update_rows([r for r, before in written if before is not None], RECORD_FIELDS)
    return written


def _check_before_write(checks: FieldChecks, record: RtRecord) -> None:
    """The same field checks as every other write path's ``full_clean`` (the dry run found these
    problems already, so this only fires when the data changed between the dry run and the
    confirmation)."""
    try:
        checks.clean(record)
    except ValidationError as exc:
        where = record.rt.rw_rt
        raise InvalidInput(
            [
                Issue(
                    "invalid_field", None, name, where, {"detail": " ".join(m)}, field_words(name, unit=False)
                )
                for name, m in exc.message_dict.items()
            ]
        ) from exc
