"""Writing a checked RT import in batches: the workflow rows locked, the kawasan and RTs the rows
name, and the audit entries of what was created or moved, each kind in a few queries whatever the
number of rows (the records themselves are written by ``imports.import_apply``).

The entries are those the one-at-a-time services write (``regions.services.rt_get_or_create``,
``kawasan_get_or_create`` with its audit): the same action, values before and after, and summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.contrib.auth.models import AbstractBaseUser

from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.services import record_snapshot
from nolkumuh.core.batch import FieldChecks, insert_rows
from nolkumuh.core.models import AuditEntry
from nolkumuh.core.services import audit_change, audit_entry
from nolkumuh.exchange.bounds import padded, rt_name
from nolkumuh.regions.models import Kawasan, Region, Rt
from nolkumuh.regions.services import kawasan_get_or_create
from nolkumuh.scoring import HEADER_FIELDS, InvalidInput, Issue

if TYPE_CHECKING:  # the plan's rows are declared in baseline.imports, which calls this module
    from nolkumuh.baseline.imports import Key, PlannedRow

# RT ids per UPDATE statement of RTs moved to a kawasan: below every backend's limit on parameters
BATCH = 500


def drafts_lock(*, round: DataRound, kelurahan: Iterable[Region]) -> None:
    """Create the missing workflow rows (drafts) of the kelurahan and lock them all, so that no
    submit slips in before the import commits; InvalidInput names each kelurahan whose data is
    no longer a draft."""
    by_id = {k.pk: k for k in kelurahan}
    stored = Submission.objects.filter(round=round, kelurahan_id__in=by_id)
    missing = set(by_id) - set(stored.values_list("kelurahan_id", flat=True))
    # a row created meanwhile by another request is kept (and locked below)
    Submission.objects.bulk_create(
        [Submission(kelurahan_id=pk, round=round) for pk in sorted(missing)], ignore_conflicts=True
    )
    statuses = dict(stored.select_for_update().values_list("kelurahan_id", "status"))
    issues = [
        Issue(
            "locked",
            None,
            None,
            k.name,
            {"year": round.year, "status": Submission.Status(statuses[k.pk]).label},
        )
        for k in sorted(by_id.values(), key=lambda k: k.code)
        if statuses[k.pk] != Submission.Status.DRAFT
    ]
    if issues:
        raise InvalidInput(issues)


def kawasan_for_rows(*, user: AbstractBaseUser, rows: Sequence[PlannedRow]) -> dict[int, Kawasan]:
    """The kawasan each row names (by the row's index), created when new by those the dry run let
    (audited once each); every kawasan is linked to the kelurahan of its rows."""
    found: dict[tuple[int, str], Kawasan] = {}
    chosen: dict[int, Kawasan] = {}
    covered: dict[int, set[int]] = {}
    for row in rows:
        if not row.kawasan_name:
            continue
        kawasan = row.kawasan
        if kawasan is None:
            kabkota = row.kelurahan.parent.parent
            key = (kabkota.pk, row.kawasan_name.strip())
            if key not in found:
                found[key], created = kawasan_get_or_create(kabkota=kabkota, name=row.kawasan_name)
                if created:
                    audit_change(
                        user=user,
                        object_type="kawasan",
                        object_id=found[key].pk,
                        before=None,
                        after={"name": row.kawasan_name, "source": "impor"},
                        summary=row.kawasan_name,
                    )
            kawasan = found[key]
        chosen[row.index] = kawasan
        covered.setdefault(kawasan.pk, set()).add(row.kelurahan.pk)
    by_pk = {k.pk: k for k in chosen.values()}
    for pk, kelurahan_ids in covered.items():
        by_pk[pk].kelurahan.add(*kelurahan_ids)
    return chosen


class StoredRt(NamedTuple):
    """An RT as the import reads it (plain values: no model object per row)."""

    pk: int
    rw: str
    rt: str
    kawasan_id: int | None
    kawasan_name: str | None


def stored_rts(kelurahan: Iterable[Region]) -> dict[Key, StoredRt]:
    """The RTs of these kelurahan by key (kelurahan id, RW key, RT key)."""
    rows = Rt.objects.filter(kelurahan__in=kelurahan).values_list(
        "kelurahan_id", "rw_key", "rt_key", "pk", "rw", "rt", "kawasan_id", "kawasan__name"
    )
    return {(k, rw_key, rt_key): StoredRt(*rest) for k, rw_key, rt_key, *rest in rows}


def rts_for_rows(
    *,
    user: AbstractBaseUser,
    rows: Sequence[PlannedRow],
    rts: dict[Key, StoredRt],
    kawasan: dict[int, Kawasan],
) -> tuple[dict[Key, int], list[AuditEntry]]:
    """Every row's RT id: the stored RT (moved into the kawasan the row names, if another) or a
    new one (numbers checked against the bounds table and zero-padded, as ``rt_get_or_create``
    does). Returns the ids by key and the audit entries of the RTs created and moved."""
    new: list[Rt] = []
    moved: dict[int, list[StoredRt]] = {}
    checks = FieldChecks(Rt, exclude=["kelurahan", "kawasan"])  # both exist: read above
    ids: dict[Key, int] = {}
    for row in rows:
        stored = rts.get(row.key)
        chosen = kawasan.get(row.index)
        if stored is None:
            _kelurahan_id, rw_key, rt_key = row.key
            rt = Rt(  # ids, not objects: setting a relation costs more than the row's other fields
                kelurahan_id=row.kelurahan.pk,
                rw_key=rw_key,
                rt_key=rt_key,
                rw=padded("rw_rt", row.rw),
                rt=padded("rw_rt", row.rt),
                kawasan_id=chosen.pk if chosen else None,
            )
            checks.clean(rt)
            new.append(rt)
            continue
        ids[row.key] = stored.pk
        if chosen is not None and stored.kawasan_id != chosen.pk:
            moved.setdefault(chosen.pk, []).append(stored)
    insert_rows(new)
    if new:  # the new RTs' ids, read back by their keys
        fresh = stored_rts({row.kelurahan for row in rows})
        for rt in new:
            rt.pk = fresh[(rt.kelurahan_id, rt.rw_key, rt.rt_key)].pk
            ids[(rt.kelurahan_id, rt.rw_key, rt.rt_key)] = rt.pk
    names = {k.pk: k.name for k in kawasan.values()}
    for kawasan_id, stored_rts_moved in moved.items():
        pks = [r.pk for r in stored_rts_moved]
        for start in range(0, len(pks), BATCH):
            Rt.objects.filter(pk__in=pks[start : start + BATCH]).update(kawasan_id=kawasan_id)
    codes = {row.kelurahan.pk: row.kelurahan.code for row in rows}
    audits = [
        audit_entry(
            user=user,
            action="create",
            object_type="rt",
            object_id=rt.pk,
            before=None,
            after={
                "kelurahan": codes[rt.kelurahan_id],
                "rw": rt.rw,
                "rt": rt.rt,
                "kawasan": names.get(rt.kawasan_id, ""),
            },
            summary=rt_name(rt.rw, rt.rt),
        )
        for rt in new
    ]
    audits += [
        audit_entry(
            user=user,
            action="update",
            object_type="rt",
            object_id=r.pk,
            before={"kawasan": r.kawasan_name or ""},
            after={"kawasan": names[kawasan_id]},
            summary=rt_name(r.rw, r.rt),
        )
        for kawasan_id, stored_rts_moved in moved.items()
        for r in stored_rts_moved
    ]
    return ids, audits


# what an import changes on a stored record
RECORD_FIELDS = (
    *HEADER_FIELDS,
    "volumes",
    "hundredths",
    "scores",
    "total",
    "class_code",
    "sectoral_hundredths",
    "updated_by",
    "updated_at",
)


def record_audits(
    *, user: AbstractBaseUser, round: DataRound, written: list[tuple[RtRecord, dict[str, object] | None]]
) -> list[AuditEntry]:
    """One entry per record created or changed, with the values before and after."""
    audits = []
    for record, before in written:
        after = record_snapshot(record)
        if before != after:
            audits.append(
                AuditEntry(
                    user_id=user.pk,
                    action="import_create" if before is None else "import_update",
                    object_type="rt_record",
                    object_id=str(record.pk),
                    before=before,
                    after=after,
                    summary=f"impor {round.year}",
                )
            )
    return audits
