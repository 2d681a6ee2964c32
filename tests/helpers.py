"""Shared builders for tests: RT rows as written in files, and engine tables from them; a database
that refuses one write, and the whole database as rows to compare (all or nothing)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from nolkumuh.scoring import HEADER_FIELDS, RtTable, load_ruleset

HEADER_DEFAULTS = {
    "luas": "2.66",
    "jumlah_bangunan": "33",
    "jumlah_penduduk": "150",
    "jumlah_kk": "42",
    "panjang_jalan": "400",
    "panjang_drainase": "0",
}

ALL_KEYS = load_ruleset("permen-pupr-02-2016").keys


def oracle_row() -> dict[str, str]:
    """The published RT of RULES.md section 10 (14/2018: total 24, kumuh ringan)."""
    row = dict(HEADER_DEFAULTS)
    row.update({f"v_{k}": "0" for k in ALL_KEYS})
    row.update(
        {
            "v_jalan_cakupan": "100",
            "v_jalan_permukaan_rusak": "300",
            "v_air_minum_akses": "1",
            "v_air_limbah_sistem": "7",
            "v_air_limbah_sarpras": "7",
            "v_sampah_sarpras": "42",
            "v_sampah_sistem": "42",
            "v_kebakaran_prasarana": "33",
            "v_kebakaran_sarana": "33",
        }
    )
    return row


def table_of(rows: list[dict[str, str]]) -> RtTable:
    """Engine table from rows written as strings (header fields and v_<key> volumes)."""
    columns = {f: np.array([float(r[f]) for r in rows]) for f in HEADER_FIELDS}
    for key in ALL_KEYS:
        columns[key] = np.array([float(r.get(f"v_{key}", "0")) for r in rows])
    return RtTable(columns)


# --- All or nothing: a database that refuses one write, and the whole database to compare -------

REFUSAL = "paksa gagal"  # the database's own error text when a refusal trigger fires
_triggers = itertools.count(1)  # a new name for every trigger

# tables that change whatever an import does: the login session, the job that reports the outcome,
# the task that ran it and the worker that ran the task
UNTRACKED = frozenset({"sessions.session", "core.job", "core.worker", "django_tasks_database.dbtaskresult"})


def refuse_write(table: str, when: str, *, on: str = "INSERT") -> Callable[[], None]:
    """Make the database itself refuse some writes into ``table``: a trigger raising 'paksa gagal'
    before each INSERT (or UPDATE) of a row for which the SQL condition ``when`` holds (written
    on ``NEW``, e.g. ``NEW.code = 'FAS-003'``), on SQLite and PostgreSQL alike. This is a row that
    passes every check of a dry run and still fails when saved, without mocking our code.
    Returns the function that drops the trigger again."""
    from django.db import connection

    name = f"paksa_gagal_{table}_{on.lower()}_{next(_triggers)}"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f'CREATE TRIGGER {name} BEFORE {on} ON "{table}" WHEN {when} '
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
        else:
            cursor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"
            )
            cursor.execute(
                f'CREATE TRIGGER {name} BEFORE {on} ON "{table}" FOR EACH ROW WHEN ({when}) '
                f"EXECUTE FUNCTION {name}()"
            )

    def drop() -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                cursor.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")

    return drop


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the project (many-to-many tables included), by model label:
    equal before and after means that nothing at all was written."""
    from django.apps import apps

    return {
        model._meta.label_lower: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in UNTRACKED
    }


def changed_tables(before: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[int, int]]:
    """The tables whose rows differ from ``before``, with their row counts before and after (empty
    when nothing was written)."""
    after = database_state()
    return {
        label: (len(before.get(label, [])), len(rows))
        for label, rows in after.items()
        if rows != before.get(label, [])
    }


def set_status(submissions: Any, status: str) -> None:
    """Put these Submission rows in ``status`` directly (test setup, without the workflow's steps)
    and refresh the stored figures of their kelurahan, as the workflow service does."""
    from nolkumuh.baseline import summaries

    codes = list(submissions.values_list("kelurahan__code", flat=True))
    submissions.update(status=status)
    summaries.refresh(codes)
