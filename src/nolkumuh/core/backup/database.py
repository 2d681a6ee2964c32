"""The database part of a backup: a consistent copy taken while the app runs, and its restore.

SQLite: the online backup API copies every page in one step under a read lock, so the copy is one
moment of the database even while other processes write (in WAL mode writers go on meanwhile).
PostgreSQL: the row counts are taken in a repeatable-read transaction whose snapshot `pg_dump`
shares (`--snapshot`), so the manifest describes exactly the dump.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from nolkumuh.core.backup.problems import BackupRefused

ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DUMP_MEMBERS = {"sqlite": "database/nolkumuh.sqlite3", "postgresql": "database/nolkumuh.pgdump"}
# The database files of SQLite in the data folder (the database, its WAL, shared memory, journal).
SQLITE_MARK = ".sqlite3"


@dataclass
class DatabaseState:
    """What a database holds: applied migrations per app, and rows per table."""

    migrations: dict[str, list[str]]
    row_counts: dict[str, int]


def engine() -> str:
    """The engine of the configured database: "sqlite" or "postgresql"."""
    if connection.vendor not in ENGINES:
        raise BackupRefused(
            f"Basis data {connection.vendor} tidak didukung untuk cadangan; nolkumuh mencadangkan "
            "SQLite dan PostgreSQL."
        )
    return connection.vendor


def sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def _by_app(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def sqlite_state(path: Path) -> DatabaseState:
    """Migrations and row counts of an SQLite file (opened read-only)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        counts = {
            t: db.execute(f'SELECT COUNT(*) FROM "{t.replace(chr(34), chr(34) * 2)}"').fetchone()[0]
            for t in tables
        }
        rows = db.execute("SELECT app, name FROM django_migrations") if "django_migrations" in tables else []
        return DatabaseState(migrations=_by_app(rows), row_counts=counts)
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"Berkas basis data {path} tidak terbaca sebagai SQLite ({exc}).") from None
    finally:
        db.close()


def _connected_state(cursor) -> DatabaseState:
    tables = sorted(connection.introspection.table_names(cursor))
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    rows: list[tuple[str, str]] = []
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    return DatabaseState(migrations=_by_app(rows), row_counts=counts)


def database_state() -> DatabaseState:
    """Migrations and row counts of the configured database."""
    if engine() == "sqlite":
        return sqlite_state(sqlite_path())
    with connection.cursor() as cursor:
        return _connected_state(cursor)


def database_tables() -> list[str]:
    """The tables of the configured database (none: it is empty)."""
    if engine() == "sqlite" and not sqlite_path().exists():
        return []
    tables = connection.introspection.table_names()
    connection.close()  # SQLite: the restore replaces the file
    return tables


def snapshot(folder: Path) -> tuple[Path, DatabaseState]:
    """A consistent copy of the configured database in ``folder``, and what it holds."""
    if engine() == "sqlite":
        return _sqlite_snapshot(folder)
    return _postgresql_snapshot(folder)


def _sqlite_snapshot(folder: Path) -> tuple[Path, DatabaseState]:
    source_path = sqlite_path()
    if not source_path.is_file():
        raise BackupRefused(
            f"Tidak ada basis data di {source_path}: tidak ada yang dicadangkan. Periksa NOLKUMUH_DATA_DIR "
            "(folder data aplikasi yang berjalan)."
        )
    copy = folder / "nolkumuh.sqlite3"
    source = sqlite3.connect(source_path, timeout=20)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # every page in one step: one moment of the database
        target.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"Basis data {source_path} tidak dapat disalin: {exc}.") from None
    finally:
        target.close()
        source.close()
    return copy, sqlite_state(copy)


def _postgresql_snapshot(folder: Path) -> tuple[Path, DatabaseState]:
    pg_dump = pg_tool("pg_dump")
    dump = folder / "nolkumuh.pgdump"
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        state = _connected_state(cursor)
        options = ["-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}", "-f", str(dump)]
        _run(pg_dump, [*options, connection.settings_dict["NAME"]])
    return dump, state


def postgresql_restore(dump: Path) -> None:
    """The dump loaded into the configured (empty) PostgreSQL database, all or nothing."""
    pg_restore = pg_tool("pg_restore")
    connection.close()
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run(pg_restore, [*options, "--dbname", connection.settings_dict["NAME"], str(dump)])


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program: from NOLKUMUH_PG_BIN when set, else from PATH."""
    folder = os.environ.get("NOLKUMUH_PG_BIN", "").strip()
    if folder:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
        raise BackupRefused(
            f"{name} tidak ada di NOLKUMUH_PG_BIN ({folder}). Setel NOLKUMUH_PG_BIN ke folder yang berisi "
            f"{name} (misalnya /usr/lib/postgresql/16/bin), atau kosongkan agar {name} dicari di PATH."
        )
    found = shutil.which(name)
    if not found:
        raise BackupRefused(
            f"{name} tidak ditemukan di PATH, padahal basis data PostgreSQL memerlukannya untuk cadangan "
            "dan pemulihan. Pasang klien PostgreSQL dengan versi server atau yang lebih baru (Debian/Ubuntu: "
            f"apt install postgresql-client), atau setel NOLKUMUH_PG_BIN ke folder yang berisi {name}."
        )
    return found


def _run(program: str, arguments: list[str]) -> None:
    """Run a PostgreSQL client with the connection of the settings (the password through the
    environment, never on the command line)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    done = subprocess.run([program, *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()[-5:]
        raise BackupRefused(
            f"{Path(program).name} gagal (kode {done.returncode}): {' '.join(lines)}. Periksa sambungan "
            f"ke basis data {settings['NAME']} dan bahwa versi {Path(program).name} tidak lebih lama "
            "dari server."
        )
