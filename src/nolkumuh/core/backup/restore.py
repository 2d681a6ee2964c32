"""`nolkumuh restore`: a backup put back into an empty data folder and an empty database, then
checked against its manifest. Every check that can refuse runs before anything is written."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from nolkumuh.core.backup.archive import MANIFEST, ArchiveReader
from nolkumuh.core.backup.create import REBUILT, SHARED
from nolkumuh.core.backup.database import (
    SQLITE_MARK,
    database_state,
    database_tables,
    engine,
    postgresql_restore,
    sqlite_path,
    sqlite_state,
)
from nolkumuh.core.backup.manifest import compatibility_check, counts_check, manifest_check
from nolkumuh.core.backup.problems import BackupRefused, first_few


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    pending_migrations: list[str]


def backup_restore(*, archive: Path) -> RestoreResult:
    """Restore ``archive`` into the configured data folder and database, which must be empty."""
    data_dir = Path(settings.DATA_DIR).resolve()
    reader = ArchiveReader(archive)
    members = reader.members(free_bytes=shutil.disk_usage(data_dir).free)
    manifest = reader.read_manifest()
    manifest_check(manifest, where=str(archive))
    _members_match(reader, manifest, members)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    kind = engine()
    compatibility_check(manifest, known=known, engine=kind, where=str(archive))
    media_dir = Path(settings.NOLKUMUH_MEDIA_DIR).resolve()
    _target_empty(data_dir)
    if media_dir != data_dir:
        _shared_empty(media_dir)

    database = manifest["database"]
    sizes = {name: m.size for name, m in members.items()}
    targets = {
        name: _inside(media_dir if _shared(name) else data_dir, name.removeprefix("files/"), reader)
        for name in manifest["files"]
    }
    before = set(data_dir.iterdir()) | set(media_dir.iterdir())
    with tempfile.TemporaryDirectory(prefix=".nolkumuh-restore-", dir=data_dir) as work:
        dump = Path(work) / Path(database["member"]).name
        digest = reader.extract({database["member"]: dump}, sizes=sizes)[database["member"]]
        if digest != database["sha256"]:
            raise reader.broken("isi basis data tidak cocok dengan sidik SHA-256 di manifes")
        if kind == "sqlite":
            counts_check(manifest["row_counts"], sqlite_state(dump).row_counts, where=str(archive))
        try:
            reader.extract(targets, sizes=sizes)
            if kind == "sqlite":
                _sqlite_put(dump)
            else:
                postgresql_restore(dump)
        except BaseException:
            _remove_new(data_dir, before=before)
            _remove_new(media_dir, before=before)
            raise
    counts_check(manifest["row_counts"], database_state().row_counts, where=_database_name())
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    pending = sorted(f"{app}.{name}" for app, name in known - applied)
    return RestoreResult(manifest=manifest, files=len(targets), pending_migrations=pending)


def _members_match(reader: ArchiveReader, manifest: dict[str, Any], members: dict[str, Any]) -> None:
    """Every file of the archive is one the manifest lists, with the size it lists, and back."""
    listed = {**manifest["files"], manifest["database"]["member"]: manifest["database"]["bytes"]}
    present = {name: m.size for name, m in members.items() if not m.folder and name != MANIFEST}
    for name in sorted(set(present) | set(listed)):
        if name not in listed:
            raise reader.broken(f"anggota {name!r} tidak tercantum di manifes")
        if name not in present:
            raise reader.broken(f"{name!r} tercantum di manifes tetapi tidak ada di arsip")
        if present[name] != listed[name]:
            raise reader.broken(
                f"ukuran {name!r} ({present[name]} bita) berbeda dari manifes ({listed[name]})"
            )


def _inside(data_dir: Path, relative: str, reader: ArchiveReader) -> Path:
    target = (data_dir / relative).resolve()
    if not target.is_relative_to(data_dir) or target == data_dir:
        raise reader.broken(f"berkas {relative!r} menunjuk ke luar folder data")
    return target


def _shared(name: str) -> bool:
    """Whether an archived file belongs in the shared files folder (NOLKUMUH_MEDIA_DIR)."""
    return name.removeprefix("files/").split("/", 1)[0] in SHARED


def _shared_empty(media_dir: Path) -> None:
    """Refuse a shared files folder that already holds photos, uploads or job results."""
    present = sorted(p.name for p in media_dir.iterdir() if p.name in SHARED)
    if present:
        raise BackupRefused(
            f"Folder berkas bersama {media_dir} (NOLKUMUH_MEDIA_DIR) tidak kosong (berisi "
            f"{first_few(present)}); pemulihan tidak menimpa apa pun. Kosongkan dulu atau pakai folder baru."
        )


def _database_name() -> str:
    return str(sqlite_path()) if engine() == "sqlite" else f"PostgreSQL {connection.settings_dict['NAME']}"


def _target_empty(data_dir: Path) -> None:
    """Refuse a data folder holding anything besides what the app makes again, or a database with
    tables."""
    present = sorted(
        p.name for p in data_dir.iterdir() if p.name not in REBUILT and SQLITE_MARK not in p.name
    )
    if present:
        shown = first_few(present)
        raise BackupRefused(
            f"Folder data {data_dir} tidak kosong (berisi {shown}); pemulihan hanya mengisi folder yang "
            "kosong dan tidak menimpa apa pun. Setel NOLKUMUH_DATA_DIR ke folder baru yang kosong, atau "
            "pindahkan isinya dulu."
        )
    tables = database_tables()
    if tables:
        raise BackupRefused(
            f"Basis data {_database_name()} tidak kosong ({len(tables)} tabel, misalnya {tables[0]}); "
            "pemulihan hanya mengisi basis data yang kosong dan tidak menimpa apa pun. "
            + (
                "Hapus berkas basis data itu atau pakai folder data baru."
                if engine() == "sqlite"
                else "Buat basis data baru yang kosong (createdb) dan arahkan DATABASE_URL ke sana."
            )
        )


def _remove_new(data_dir: Path, *, before: set[Path]) -> None:
    """What a failed restore wrote into the data folder, removed: the folder was empty before (it
    was checked), so the folder is left as it was for the next try."""
    for path in set(data_dir.iterdir()) - before:
        if path.name.startswith(".nolkumuh-restore-"):
            continue  # the work folder removes itself
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _sqlite_put(dump: Path) -> None:
    """The restored SQLite file moved into place (the empty file and its WAL removed first)."""
    target = sqlite_path()
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(dump, target)
