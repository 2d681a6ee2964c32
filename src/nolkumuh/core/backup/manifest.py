"""The manifest of a backup (manifest.json) and the checks a restore makes with it: made by this
version or an older one, with migrations this code knows, on the same database engine."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from nolkumuh import __version__
from nolkumuh.core.backup.database import ENGINES, DatabaseState
from nolkumuh.core.backup.problems import BackupRefused, first_few

FORMAT = 1


def manifest_build(
    *, engine: str, state: DatabaseState, database: dict[str, Any], files: dict[str, int], now: datetime
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "nolkumuh_version": __version__,
        "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "database_engine": engine,
        "database": database,  # member, bytes, sha256
        "migrations": state.migrations,
        "row_counts": state.row_counts,
        "files": files,  # member name: bytes
    }


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(m) for m in re.findall(r"\d+", text.split("+")[0])[:3])


def manifest_check(manifest: dict[str, Any], *, where: str) -> None:
    """Refuse a manifest that lacks a part or holds a part of the wrong kind."""
    expected: dict[str, type] = {
        "format": int, "nolkumuh_version": str, "created_at": str, "database_engine": str,
        "database": dict, "migrations": dict, "row_counts": dict, "files": dict,
    }  # fmt: skip
    wrong = [key for key, kind in expected.items() if not isinstance(manifest.get(key), kind)]
    database = manifest.get("database") or {}
    if not wrong and not (
        isinstance(database.get("member"), str)
        and isinstance(database.get("bytes"), int)
        and isinstance(database.get("sha256"), str)
    ):
        wrong.append("database")
    if not wrong and not all(
        isinstance(n, int) for n in [*manifest["files"].values(), *manifest["row_counts"].values()]
    ):
        wrong.append("files/row_counts")
    if not wrong and not all(name.startswith("files/") for name in manifest["files"]):
        wrong.append("files")
    if not wrong and not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in manifest["migrations"].values()
    ):
        wrong.append("migrations")
    if wrong:
        raise BackupRefused(
            f"manifest.json di {where} tidak lengkap atau rusak (bagian: {', '.join(wrong)}); tidak ada yang "
            "dipulihkan. Pakai arsip yang dibuat oleh `nolkumuh backup`."
        )
    if manifest["format"] != FORMAT or manifest["database_engine"] not in ENGINES:
        raise BackupRefused(
            f"Arsip {where} memakai format cadangan {manifest['format']} ({manifest['database_engine']}) "
            f"yang tidak dikenal nolkumuh {__version__}; pulihkan dengan versi nolkumuh yang membuatnya."
        )


def compatibility_check(
    manifest: dict[str, Any], *, known: set[tuple[str, str]], engine: str, where: str
) -> None:
    """Refuse an archive from a newer version, with migrations this code does not know, or from the
    other database engine."""
    made_by = manifest["nolkumuh_version"]
    if _version(made_by) > _version(__version__):
        raise BackupRefused(
            f"Arsip {where} dibuat oleh nolkumuh {made_by}, lebih baru dari versi terpasang {__version__}; "
            f"tidak ada yang dipulihkan. Pasang nolkumuh {made_by} atau yang lebih baru, lalu pulihkan lagi."
        )
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        shown = first_few(unknown)
        raise BackupRefused(
            f"Arsip {where} memuat migrasi yang tidak dikenal kode nolkumuh {__version__}: {shown}; tidak "
            "ada yang dipulihkan. Cadangan ini dibuat oleh versi yang lebih baru atau berbeda: pasang "
            "versi itu, lalu pulihkan lagi."
        )
    if manifest["database_engine"] != engine:
        have, want = ENGINES[manifest["database_engine"]], ENGINES[engine]
        raise BackupRefused(
            f"Arsip {where} berisi basis data {have}, sedangkan nolkumuh ini memakai {want}; tidak ada yang "
            f"dipulihkan. Cadangan tidak dipindahkan antar jenis basis data: pulihkan ke {have} "
            + ("(kosongkan DATABASE_URL)" if have == "SQLite" else "(setel DATABASE_URL=postgres://…)")
            + ", atau pindahkan data dengan `nolkumuh manage dumpdata`/`loaddata`."
        )


def counts_check(expected: dict[str, int], found: dict[str, int], *, where: str) -> None:
    """Refuse when the restored tables do not hold the rows the manifest counted."""
    differ = [
        f"{table}: {count} di manifes, {found.get(table, 'tidak ada')} dipulihkan"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
    differ += [f"{table}: tidak ada di manifes" for table in sorted(set(found) - set(expected))]
    if differ:
        raise BackupRefused(
            f"Jumlah baris hasil pemulihan tidak sama dengan manifes ({where}): "
            + "; ".join(differ[:10])
            + ". Arsip mungkin rusak; kosongkan basis data tujuan lalu pulihkan dari cadangan lain."
        )
