"""The RT import writes in batches: what batching could break. An RT and its record created by one
import, each audited once; a changed row audited with its values before and after; unchanged rows
not audited; a refusal part way leaving nothing; the number of queries not growing with the rows."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.models import RtRecord, Submission
from nolkumuh.baseline.services import record_snapshot
from nolkumuh.core.models import AuditEntry
from nolkumuh.regions.models import Rt
from tests.exchange.conftest import sample_rows, write_csv

BANDARHARJO = "33.74.02.1001"


def rows_of(count: int) -> list[dict[str, object]]:
    rows = sample_rows(years=[2024], rts_per_kelurahan=count)
    return [r for r in rows if r["kode_kelurahan"] == BANDARHARJO]


def imported(user, round2024, path):  # type: ignore[no-untyped-def]
    plan = import_plan(user=user, round=round2024, path=path)
    assert plan.ok, [i.line() for i in plan.issues]
    return import_apply(user=user, plan=plan)


def test_an_rt_and_its_record_created_by_one_import_are_audited_once_each(users, round2024, tmp_path):
    user = users["fasilitator"]
    rows = rows_of(4)
    assert imported(user, round2024, write_csv(tmp_path / "a.csv", rows)) == {
        "new": 4,
        "changed": 0,
        "unchanged": 0,
    }
    for row in rows:
        rt = Rt.objects.get(kelurahan__code=BANDARHARJO, rw=row["rw"], rt=row["rt"])
        record = RtRecord.objects.get(rt=rt, round=round2024)
        created = AuditEntry.objects.get(object_type="rt", object_id=str(rt.pk))
        assert (created.action, created.before, created.user, created.summary) == (
            "create",
            None,
            user,
            str(rt),
        )
        named = row["kawasan"]  # the sample names the kawasan in a kelurahan's first row only
        assert created.after == {"kelurahan": BANDARHARJO, "rw": rt.rw, "rt": rt.rt, "kawasan": named}
        assert (rt.kawasan.name if rt.kawasan else "") == named
        entry = AuditEntry.objects.get(object_type="rt_record", object_id=str(record.pk))
        assert (entry.action, entry.before, entry.user) == ("import_create", None, user)
        assert entry.after == record_snapshot(record) and entry.summary == "impor 2024"
        assert record.updated_by == user
    assert AuditEntry.objects.count() == 8


def test_a_changed_row_is_audited_with_its_values_before_and_after(users, round2024, tmp_path):
    user, other = users["fasilitator"], users["korkot"]
    rows = rows_of(5)
    imported(user, round2024, write_csv(tmp_path / "a.csv", rows))
    record = RtRecord.objects.get(rt__rw=rows[2]["rw"], rt__rt=rows[2]["rt"])
    before, stamp = record_snapshot(record), record.updated_at
    rows[2] = {**rows[2], "jumlah_bangunan": int(rows[2]["jumlah_bangunan"]) + 7, "v_jalan_cakupan": 0}
    entries = AuditEntry.objects.count()
    counts = imported(other, round2024, write_csv(tmp_path / "b.csv", rows))
    assert counts == {"new": 0, "changed": 1, "unchanged": 4}
    record.refresh_from_db()
    assert record.jumlah_bangunan == rows[2]["jumlah_bangunan"]
    assert record.volumes["jalan_cakupan"] == "0" and record.updated_by == other and record.updated_at > stamp
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.get(action="import_update")
    assert (entry.object_id, entry.user, entry.before) == (str(record.pk), other, before)
    assert entry.after == record_snapshot(record) and entry.after != before


def test_unchanged_rows_write_no_audit_entry_and_change_no_record(users, round2024, tmp_path):
    user = users["fasilitator"]
    path = write_csv(tmp_path / "a.csv", rows_of(6))
    imported(user, round2024, path)
    stamps = dict(RtRecord.objects.values_list("pk", "updated_at"))
    entries = AuditEntry.objects.count()
    assert imported(user, round2024, path) == {"new": 0, "changed": 0, "unchanged": 6}
    assert AuditEntry.objects.count() == entries
    assert dict(RtRecord.objects.values_list("pk", "updated_at")) == stamps


def test_a_refusal_part_way_leaves_no_rt_record_or_audit_entry(users, round2024, tmp_path, refuse):
    """The database refuses the 40th of 60 records, after the RTs and 39 records were written."""
    user = users["fasilitator"]
    rows = rows_of(60)
    rows[39]["jumlah_penduduk"] = 4321
    plan = import_plan(user=user, round=round2024, path=write_csv(tmp_path / "a.csv", rows))
    refuse("baseline_rtrecord", "NEW.jumlah_penduduk = 4321")
    with pytest.raises(DatabaseError):
        import_apply(user=user, plan=plan)
    assert not Rt.objects.exists() and not RtRecord.objects.exists() and not AuditEntry.objects.exists()
    assert not Submission.objects.exists()


def queries_of_import(user, round2024, tmp_path, count: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Queries of the dry run and of the confirmation of ``count`` new rows, then of ``count``
    changed rows."""
    rows = rows_of(count)
    assert len(rows) == count
    path = write_csv(tmp_path / f"new-{count}.csv", rows)
    with CaptureQueriesContext(connection) as new:
        imported(user, round2024, path)
    changed = [{**r, "jumlah_kk": int(r["jumlah_kk"]) + 1} for r in rows]
    with CaptureQueriesContext(connection) as updated:
        counts = imported(user, round2024, write_csv(tmp_path / f"changed-{count}.csv", changed))
    assert counts["changed"] == count
    RtRecord.objects.all().delete()
    Rt.objects.all().delete()
    return len(new.captured_queries), len(updated.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(users, round2024, tmp_path):
    user = users["fasilitator"]
    queries_of_import(user, round2024, tmp_path, 5)  # what a first import reads once (the user's scope)
    small = queries_of_import(user, round2024, tmp_path, 50)
    large = queries_of_import(user, round2024, tmp_path, 500)
    assert large == small, (small, large)
    # the import's own writes and lookups, and a fixed ~20 for refreshing the stored figures of the
    # kelurahan and its chain of regions (ADR 0011), whatever the rows
    assert small[0] < 60 and small[1] < 60
