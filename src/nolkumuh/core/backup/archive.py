"""Backup archives on disk: written as tar.gz or zip, and read back without trusting them.

Reading checks every member before anything is written: only plain files and folders (no links,
no devices), names inside the archive's three places (manifest.json, database/, files/) with no
absolute path and no "..", sizes that fit in the free space of the target and agree with the
manifest. A member is then written only below the target folder, by a path resolved and checked
again.
"""

from __future__ import annotations

import hashlib
import json
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nolkumuh.core.backup.problems import BackupRefused

MANIFEST = "manifest.json"
MANIFEST_BYTES = 64 * 2**20
MEMBERS_MAX = 1_000_000
CHUNK = 2**20
FORMATS = {".tar.gz": "tar.gz", ".tgz": "tar.gz", ".tar": "tar", ".zip": "zip"}
TAR_MODES = {"tar.gz": "w:gz", "tar": "w"}


def archive_format(path: Path) -> str | None:
    """The format by the file name's ending: "tar.gz", "tar" (uncompressed) or "zip" (None: none)."""
    return next((fmt for suffix, fmt in FORMATS.items() if path.name.lower().endswith(suffix)), None)


class ArchiveWriter:
    """A new archive at ``path`` (tar.gz, tar or zip); members are added one by one."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.fmt = fmt
        # closed by __exit__: the writer is the context manager
        self._tar = tarfile.open(path, TAR_MODES[fmt]) if fmt in TAR_MODES else None  # noqa: SIM115
        self._zip = None if self._tar else zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        (self._tar or self._zip).close()  # type: ignore[union-attr]

    def add_file(self, path: Path, name: str) -> tuple[int, str] | None:
        """Copy a file in; its size and SHA-256, or None when it vanished meanwhile."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:  # swept away between listing and copying (an old upload)
            return None
        digest = hashlib.sha256()
        with handle:
            if self._tar is not None:
                info = self._tar.gettarinfo(arcname=name, fileobj=handle)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o644
                self._tar.addfile(info, _Hashing(handle, digest))
                return info.size, digest.hexdigest()
            assert self._zip is not None
            size = 0
            info = zipfile.ZipInfo.from_file(path, name)
            info.compress_type = zipfile.ZIP_DEFLATED  # from_file leaves it stored as is
            with self._zip.open(info, "w", force_zip64=True) as out:
                while chunk := handle.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            return size, digest.hexdigest()

    def add_json(self, name: str, data: Any) -> None:
        raw = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True).encode()
        if self._tar is not None:
            import io

            info = tarfile.TarInfo(name)
            info.size, info.mode = len(raw), 0o644
            self._tar.addfile(info, io.BytesIO(raw))
        else:
            assert self._zip is not None
            self._zip.writestr(name, raw)


class _Hashing:
    """A file whose reads also feed a hash (tarfile copies from it)."""

    def __init__(self, handle: IO[bytes], digest: Any) -> None:
        self.handle, self.digest = handle, digest

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


@dataclass
class Member:
    name: str
    size: int
    folder: bool


BROKEN = (tarfile.TarError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)


class ArchiveReader:
    """An archive to restore, read with suspicion."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise BackupRefused(f"Arsip {path} tidak ditemukan: periksa nama dan folder berkas cadangan.")
        with path.open("rb") as handle:
            magic = handle.read(262)
        if magic[:2] == b"\x1f\x8b" or magic[257:262] == b"ustar":
            self.fmt = "tar"  # compressed or not
        elif magic[:4] == b"PK\x03\x04":
            self.fmt = "zip"
        else:
            raise self.broken("bukan berkas tar.gz, tar atau zip")

    def broken(self, why: str) -> BackupRefused:
        return BackupRefused(
            f"Arsip {self.path} bukan cadangan nolkumuh yang utuh ({why}); tidak ada yang dipulihkan. Pakai "
            "berkas yang dibuat oleh `nolkumuh backup` dan salin ulang bila mungkin rusak di jalan."
        )

    def members(self, *, free_bytes: int) -> dict[str, Member]:
        """Every member, checked (kind, name, size against the free space); refused otherwise."""
        found: dict[str, Member] = {}
        total = 0
        try:
            for member in self._walk():
                if len(found) >= MEMBERS_MAX:
                    raise self.broken(f"lebih dari {MEMBERS_MAX} anggota")
                if member.name in found:
                    raise self.broken(f"anggota {member.name!r} muncul dua kali")
                total += member.size
                if member.size > free_bytes or total > free_bytes:
                    raise BackupRefused(
                        f"Arsip {self.path} memuat anggota {member.name!r} sebesar "
                        f"{member.size / 2**20:.0f} MB (sejauh ini {total / 2**20:.0f} MB), lebih dari ruang "
                        f"kosong di folder data "
                        f"({free_bytes / 2**20:.0f} MB); tidak ada yang dipulihkan. Kosongkan ruang disk "
                        "atau periksa apakah arsip ini memang cadangan nolkumuh."
                    )
                found[member.name] = member
        except BROKEN as exc:
            raise self.broken(f"tidak terbaca: {exc}") from None
        if MANIFEST not in found:
            raise self.broken("tidak ada manifest.json")
        return found

    def _walk(self) -> Iterator[Member]:
        if self.fmt == "tar":
            with tarfile.open(self.path, "r:*") as tar:
                for info in tar:
                    if not (info.isfile() or info.isdir()):
                        raise self.broken(f"anggota {info.name!r} adalah tautan atau berkas khusus")
                    yield Member(safe_name(info.name, self), info.size, info.isdir())
            return
        with zipfile.ZipFile(self.path) as archive:
            for info in archive.infolist():
                kind = stat.S_IFMT(info.external_attr >> 16)
                if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                    raise self.broken(f"anggota {info.filename!r} adalah tautan atau berkas khusus")
                yield Member(safe_name(info.filename, self), info.file_size, info.is_dir())

    def read_manifest(self) -> dict[str, Any]:
        raw = b""
        try:
            for _name, handle in self._open({MANIFEST}):
                raw = handle.read(MANIFEST_BYTES + 1)
        except BROKEN as exc:
            raise self.broken(f"tidak terbaca: {exc}") from None
        if len(raw) > MANIFEST_BYTES:
            raise self.broken("manifest.json terlalu besar")
        try:
            data = json.loads(raw)
        except ValueError:
            raise self.broken("manifest.json bukan JSON") from None
        if not isinstance(data, dict):
            raise self.broken("manifest.json bukan objek JSON")
        return data

    def extract(self, targets: dict[str, Path], *, sizes: dict[str, int]) -> dict[str, str]:
        """Write the named members to their target files (which must not exist yet); their SHA-256.
        A member longer than its declared size is refused."""
        for target in targets.values():
            target.parent.mkdir(parents=True, exist_ok=True)
        digests: dict[str, str] = {}
        try:
            for name, handle in self._open(set(targets)):
                digest, size = hashlib.sha256(), 0
                with targets[name].open("xb") as out:
                    while chunk := handle.read(CHUNK):
                        size += len(chunk)
                        if size > sizes[name]:
                            raise self.broken(f"anggota {name!r} lebih besar dari yang dinyatakan")
                        out.write(chunk)
                        digest.update(chunk)
                digests[name] = digest.hexdigest()
        except BROKEN as exc:
            raise self.broken(f"tidak terbaca: {exc}") from None
        return digests

    def _open(self, names: set[str]) -> Iterator[tuple[str, IO[bytes]]]:
        """The named file members, opened one after the other."""
        if self.fmt == "tar":
            with tarfile.open(self.path, "r:*") as tar:
                for info in tar:
                    if info.isfile() and (name := safe_name(info.name, self)) in names:
                        handle = tar.extractfile(info)
                        assert handle is not None  # a regular file
                        yield name, handle
            return
        with zipfile.ZipFile(self.path) as archive:
            for info in archive.infolist():
                if not info.is_dir() and (name := safe_name(info.filename, self)) in names:
                    with archive.open(info) as handle:
                        yield name, handle


def safe_name(name: str, reader: ArchiveReader) -> str:
    """A member name, normalised; refused when it could point outside the target (absolute, "..",
    a drive or backslashes) or lies outside the three places of a backup."""
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if (
        name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or (parts and ":" in parts[0])
        or not parts
    ):
        raise reader.broken(f"anggota {name!r} menunjuk ke luar folder tujuan")
    clean = "/".join(parts)
    if clean != MANIFEST and parts[0] not in ("database", "files"):
        raise reader.broken(f"anggota {name!r} tidak dikenal")
    return clean
