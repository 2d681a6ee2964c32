"""Writing many rows at once (core.batch) stores what ``save`` stores: values prepared once per
distinct value must still be each value's own preparation, and the batch's timestamp is set on
the objects as ``save`` sets it."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from nolkumuh.baseline.models import RtRecord
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.batch import _once_per_value, insert_rows, update_rows
from nolkumuh.core.models import AuditEntry
from nolkumuh.regions.services import rt_get_or_create
from tests.web.conftest import round2024, rt_values, tree, users  # noqa: F401

UTC = datetime.UTC
PLUS7 = datetime.timezone(datetime.timedelta(hours=7))
moments = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1),
    max_value=datetime.datetime(2030, 1, 1),
    timezones=st.sampled_from([UTC, PLUS7]),
)
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-3, 3) | st.sampled_from([0.0, -0.0, 1.0]),
    st.decimals(-3, 3, places=2, allow_nan=False) | st.sampled_from([Decimal("2.5"), Decimal("2.50")]),
    st.text(max_size=3),
    moments,
    st.dictionaries(st.text(max_size=2), st.integers(0, 2), max_size=2),
)


@given(st.lists(values, max_size=30))
def test_values_prepared_once_each_are_each_values_own_preparation(items):
    # repr tells apart what compares equal: 1, 1.0 and True; 2.5 and 2.50; one moment in two zones
    assert _once_per_value(items, repr) == [repr(v) for v in items]


def test_a_batch_of_audit_entries_is_stored_as_save_stores_it(db, django_user_model):
    user = django_user_model.objects.create_user("u", password="x-123456789")
    made = [
        AuditEntry(
            user_id=user.pk,
            action="create",
            object_type="rt",
            object_id=str(i),
            summary="s",
            before=None if i % 2 else {"a": i},
            after={"b": "2.50"},
        )
        for i in range(5)
    ]
    saved = AuditEntry(
        user_id=user.pk,
        action="create",
        object_type="rt",
        object_id="9",
        summary="s",
        before={"a": 1},
        after={"b": "2.50"},
    )
    saved.save()
    insert_rows(made)
    fields = ("user_id", "action", "object_type", "object_id", "summary", "before", "after")
    stored = {e.object_id: e for e in AuditEntry.objects.all()}
    for entry in made:
        again = stored[entry.object_id]
        assert all(getattr(again, f) == getattr(entry, f) for f in fields)
        assert again.at == made[0].at == entry.at  # one timestamp for the batch, set on each object
    assert stored["9"].after == stored["0"].after


def test_update_rows_sets_one_timestamp_and_the_new_values(db, users, round2024, tree):  # type: ignore[no-untyped-def]
    user = users["fasilitator"]
    records = []
    for n in ("001", "002"):
        rt, _ = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt=n, user=user)
        records.append(rt_record_save(user=user, round=round2024, rt=rt, values=rt_values()))
    before = [r.updated_at for r in records]
    for record in records:
        record.luas = Decimal("3.2500")
        record.volumes = {**record.volumes, "x": "1"}
    update_rows(records, ["luas", "volumes", "updated_at"])
    for record, stamp in zip(records, before, strict=True):
        again = RtRecord.objects.get(pk=record.pk)
        assert again.luas == Decimal("3.25") and again.volumes["x"] == "1"
        assert again.updated_at == records[0].updated_at == record.updated_at > stamp
