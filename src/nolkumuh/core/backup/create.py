"""`nolkumuh backup`: one archive of the database, the data folder's files and a manifest, written
while the app runs; the archive appears under its name only once complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from nolkumuh.core.backup.archive import MANIFEST, ArchiveWriter, archive_format
from nolkumuh.core.backup.database import DUMP_MEMBERS, SQLITE_MARK, engine, snapshot
from nolkumuh.core.backup.manifest import manifest_build
from nolkumuh.core.backup.problems import BackupRefused

PREFIX = "nolkumuh-backup-"
# Folders of the data folder that are made again by the app (caches, throttling counters, collected
# static files, resized help pictures, downloads sent once): not backed up, ignored by a restore.
REBUILT = frozenset({"cache", "counters", "static", "help-img", "exports"})
# The folders of the shared files folder (NOLKUMUH_MEDIA_DIR): photos (monitoring.photos), uploads
# and job results (core.downloads.swept_folder). A restore puts them back there.
SHARED = frozenset({"photos", "uploads", "jobs"})


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    pruned: list[Path] = field(default_factory=list)


def backup_create(*, target: Path, keep: int | None = None, fmt: str = "tar.gz") -> BackupResult:
    """Write a backup to ``target`` (a folder: a file named by the time inside it; or a file name
    ending in .tar.gz, .tar or .zip); with ``keep``, remove all but the newest ``keep`` backups there."""
    if keep is not None and keep < 1:
        raise BackupRefused(f"--keep {keep}: simpan paling sedikit 1 cadangan (misalnya --keep 14).")
    now = datetime.now(UTC)
    destination = archive_path(target, fmt, now)
    data_dir = Path(settings.DATA_DIR).resolve()
    if destination.parent.resolve() == data_dir:
        raise BackupRefused(
            f"{destination.parent} adalah folder data itu sendiri: cadangan di sana akan ikut tercadang "
            "dan hilang bersama folder itu. Pilih folder lain, misalnya /var/backups/nolkumuh."
        )
    partial = destination.with_name(f".{destination.name}.partial")
    kind = engine()
    try:
        with tempfile.TemporaryDirectory(prefix=".nolkumuh-backup-", dir=destination.parent) as work:
            dump, state = snapshot(Path(work))
            with ArchiveWriter(partial, archive_format(destination) or fmt) as archive:
                member = DUMP_MEMBERS[kind]
                size, digest = archive.add_file(dump, member) or (0, "")
                files = {}
                for path, name in kept_files(data_dir, skip=destination.parent.resolve()):
                    if (added := archive.add_file(path, name)) is not None:
                        files[name] = added[0]
                database = {"member": member, "bytes": size, "sha256": digest}
                manifest = manifest_build(engine=kind, state=state, database=database, files=files, now=now)
                archive.add_json(MANIFEST, manifest)  # last: it lists what was written
        os.replace(partial, destination)
    except OSError as exc:
        raise BackupRefused(
            f"Cadangan tidak dapat ditulis ke {destination}: {exc.strerror or exc}. Periksa izin tulis dan "
            "ruang kosong di folder tujuan."
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    pruned = backups_prune(destination.parent, keep=keep) if keep else []
    return BackupResult(path=destination, manifest=manifest, pruned=pruned)


def archive_path(target: Path, fmt: str, now: datetime) -> Path:
    """Where the archive goes: a time-stamped name in a folder, or the file name given."""
    if target.is_dir() or archive_format(target) is None:
        if target.exists() and not target.is_dir():
            raise BackupRefused(
                f"{target} sudah ada dan bukan folder; berikan folder tujuan atau nama berkas baru yang "
                "diakhiri .tar.gz, .tar atau .zip."
            )
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupRefused(f"Folder cadangan {target} tidak dapat dibuat: {exc.strerror}.") from None
        stamp = now.strftime("%Y%m%d-%H%M%S")
        names = (f"{PREFIX}{stamp}{f'-{n}' if n else ''}.{fmt}" for n in range(1000))
        return next(target / name for name in names if not (target / name).exists())
    if target.exists():
        raise BackupRefused(
            f"Berkas {target} sudah ada; cadangan tidak menimpa berkas. Pilih nama lain, atau berikan "
            "folder agar nama berwaktu dibuat."
        )
    if not target.parent.is_dir():
        raise BackupRefused(f"Folder {target.parent} tidak ada: buat dulu, atau pilih folder lain.")
    return target


def kept_files(data_dir: Path, *, skip: Path) -> Iterator[tuple[Path, str]]:
    """The data folder's files worth keeping and, when NOLKUMUH_MEDIA_DIR puts the shared files
    (photos, uploads, job results) elsewhere, those too, under the same member names: a restore
    puts them back into one data folder."""
    yield from data_files(data_dir, skip=skip)
    media = Path(settings.NOLKUMUH_MEDIA_DIR).resolve()
    if media != data_dir and not media.is_relative_to(data_dir):
        yield from data_files(media, skip=skip)


def data_files(data_dir: Path, *, skip: Path) -> Iterator[tuple[Path, str]]:
    """The data folder's files worth keeping, with their member names: not the database files
    (the snapshot has them), not what the app builds again, not hidden files, not links, not the
    backup folder itself when it lies inside the data folder."""
    for top in sorted(data_dir.iterdir()):
        if top.name in REBUILT or top.name.startswith(".") or top.is_symlink() or top.resolve() == skip:
            continue
        if top.is_file() and SQLITE_MARK not in top.name:
            yield top, f"files/{top.name}"
        elif top.is_dir():
            for folder, subfolders, names in os.walk(top):
                here = Path(folder)
                subfolders[:] = sorted(
                    d for d in subfolders if not (here / d).is_symlink() and (here / d).resolve() != skip
                )
                for name in sorted(names):
                    path = here / name
                    if not path.is_symlink() and path.is_file() and not name.startswith("."):
                        yield path, f"files/{path.relative_to(data_dir).as_posix()}"


def backups_prune(folder: Path, *, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups made by `nolkumuh backup` in ``folder`` (only
    files with its name pattern; other files stay)."""
    ours = [
        p for p in folder.iterdir()
        if p.is_file() and p.name.startswith(PREFIX) and archive_format(p) is not None
    ]  # fmt: skip
    ours.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    for old in ours[keep:]:
        old.unlink(missing_ok=True)
    return ours[keep:]
