"""Checking and writing many rows of one model at once, for imports of thousands of rows.

``FieldChecks`` runs the checks of ``full_clean(validate_unique=False, validate_constraints=False)``
(each field's ``clean``: its validators, including the bounds table's) on many objects, running a
field's checks once per distinct value. ``insert_rows`` and ``update_rows`` write many objects
with one statement run for every row (``executemany``): Django's ``bulk_create`` compiles every
value into one long statement per batch (on SQLite 999 parameters, about 50 records), and
``bulk_update`` builds a ``CASE WHEN`` expression per row and field; both cost several times the
rows themselves (docs/benchmarks.md). Values are prepared as ``save`` prepares them, once per
distinct value of a column (numbers, codes and the batch's one timestamp repeat over thousands of
rows); JSON values are prepared every time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

# types whose equal values are prepared alike (1 == 1.0 == True, so the type is part of the key)
_PLAIN = frozenset({str, int, bool, type(None), datetime.date})


class FieldChecks:
    """``full_clean`` of many objects of one model, without the database checks (unique fields,
    constraints: the database enforces those when the rows are written)."""

    def __init__(self, model: type[models.Model], *, exclude: Iterable[str] = ()) -> None:
        skipped = set(exclude)
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if f.name not in skipped]
        # (field, type, text) -> (cleaned value, None) or (None, errors)
        self.seen: dict[tuple[str, type, str], tuple[Any, list[ValidationError] | None]] = {}

    def clean(self, obj: models.Model) -> None:
        """Clean ``obj``'s fields in place, as ``Model.clean_fields`` does, then ``obj.clean()``;
        raises the same ValidationError (messages by field name)."""
        errors: dict[str, list[ValidationError]] = {}
        for field in self.fields:
            raw = getattr(obj, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            cleaned, problems = self._clean(field, raw, obj)
            if problems is not None:
                errors[field.name] = problems
            else:
                setattr(obj, field.attname, cleaned)
        if errors:
            raise ValidationError(errors)
        obj.clean()

    def field_messages(self, name: str, raw: Any) -> list[str]:
        """The messages of field ``name``'s checks of ``raw`` (none when it passes), cached as
        ``clean``'s are: a value checked here is not checked again when an object is cleaned."""
        _cleaned, problems = self._clean(self.model._meta.get_field(name), raw, None)
        return ValidationError(problems).messages if problems else []

    def _clean(
        self, field: models.Field, raw: Any, obj: models.Model | None
    ) -> tuple[Any, list[ValidationError] | None]:
        try:
            key = (field.attname, type(raw), str(raw))  # '2.50' and 2.5 are not the same input
            hash(raw)
        except TypeError:  # a dict or list (JSON): checked every time
            key = None
        known = self.seen.get(key) if key is not None else None
        if known is None:
            try:
                known = (field.clean(raw, obj), None)
            except ValidationError as exc:
                known = (None, exc.error_list)
            if key is not None:
                self.seen[key] = known
        return known


def update_rows(objects: Sequence[models.Model], fields: Sequence[str], *, batch: int = 2000) -> None:
    """Store ``fields`` of ``objects`` (saved before: they have primary keys) with one UPDATE
    statement run for every object; values are prepared by each field as ``save`` prepares them."""
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs per value
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in columns),
        quote(meta.pk.column),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            part = objects[start : start + batch]
            values = _prepared(part, columns, add=False, connection=connection)
            cursor.executemany(sql, [[*row, obj.pk] for row, obj in zip(values, part, strict=True)])


def insert_rows(objects: Sequence[models.Model], *, batch: int = 2000) -> None:
    """Insert new ``objects`` of one model with one INSERT statement run for every object (values
    prepared by each field as ``save`` prepares them, ``auto_now`` fields filled). The primary keys
    are not read back: callers that need them read them by the rows' own unique keys."""
    if not objects:
        return
    meta = type(objects[0])._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs per value
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            part = objects[start : start + batch]
            cursor.executemany(sql, list(_prepared(part, columns, add=True, connection=connection)))


def _prepared(
    objects: Sequence[models.Model],
    columns: Sequence[models.Field],
    *,
    add: bool,
    connection: BaseDatabaseWrapper,
) -> Iterator[list[Any]]:
    """Each object's values of ``columns`` as ``save`` prepares them (``pre_save``, then
    ``get_db_prep_save``); ``auto_now`` (and, when adding, ``auto_now_add``) fields get one
    timestamp for the whole batch, set on the objects as ``save`` sets it."""
    by_column = [_column_values(objects, f, add=add, connection=connection) for f in columns]
    return (list(row) for row in zip(*by_column, strict=True))


def _column_values(
    objects: Sequence[models.Model], field: models.Field, *, add: bool, connection: BaseDatabaseWrapper
) -> list[Any]:
    if isinstance(field, models.DateField) and (field.auto_now or (add and field.auto_now_add)):
        stamp = field.pre_save(objects[0], add)  # now (today), set on the first object
        for obj in objects:
            setattr(obj, field.attname, stamp)
        return [field.get_db_prep_save(stamp, connection)] * len(objects)
    attname = field.attname
    if type(field).pre_save is models.Field.pre_save:  # the value as set on the object
        raw = [getattr(obj, attname) for obj in objects]
    else:
        raw = [field.pre_save(obj, add) for obj in objects]
    return _once_per_value(raw, lambda value: field.get_db_prep_save(value, connection))


def _once_per_value(values: list[Any], prepare: Callable[[Any], Any]) -> list[Any]:
    """``prepare`` of every value, called once per distinct value (by type and value; Decimals by
    their text, '2.50' and '2.5'; datetimes with their offset); JSON and other values every time."""
    seen: dict[tuple[Any, ...], Any] = {}
    out = []
    for value in values:
        kind = type(value)
        if kind in _PLAIN:
            key: tuple[Any, ...] | None = (kind, value)
        elif kind is Decimal:
            key = (kind, str(value))
        elif kind is datetime.datetime:
            key = (kind, value, value.utcoffset())
        else:
            key = None
        if key is None:
            out.append(prepare(value))
            continue
        prepared = seen.get(key, seen)
        if prepared is seen:
            prepared = seen[key] = prepare(value)
        out.append(prepared)
    return out
