"""The limits every file from outside must keep before any parser sees it (configurable).

Each limit has a default fit for the largest real inputs (a national RT table of ≈ 300,000 rows,
a province's kelurahan polygons) and can be changed by an environment variable, read when the
limits are asked for (docs/security.md lists them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

MB = 1024 * 1024

# Largest file accepted per kind, in megabytes (NOLKUMUH_MAX_FILE_MB="xlsx=40,csv=80" changes some).
DEFAULT_MAX_MB: dict[str, int] = {
    "csv": 60,
    "xlsx": 40,
    "geojson": 60,
    "gpkg": 100,
    "zip": 60,
    "kml": 60,
    "kmz": 25,
    "fgb": 100,
    "jpeg": 20,
    "png": 20,
    "webp": 20,
    "tiff": 20,
}


def _default_sizes() -> dict[str, int]:
    return {kind: megabytes * MB for kind, megabytes in DEFAULT_MAX_MB.items()}


@dataclass(frozen=True)
class Limits:
    """What a file may be: its size per kind, and for zip containers and spreadsheets their inside."""

    max_bytes: Mapping[str, int] = field(
        default_factory=lambda: {k: v * MB for k, v in DEFAULT_MAX_MB.items()}
    )
    zip_entries: int = 2_000  # files inside an archive
    zip_unpacked_bytes: int = 400 * MB  # all files of an archive unpacked
    zip_ratio: int = 100  # unpacked size / packed size (zip bombs reach thousands)
    zip_ratio_floor_bytes: int = 8 * MB  # below this unpacked size the ratio is not checked
    sheet_rows: int = 300_000  # spreadsheet rows (CSV lines, XLSX row numbers)
    sheet_columns: int = 256  # spreadsheet columns (XLSX column letters up to IV)
    child_memory_mb: int = 3_072  # address space of the process that parses a file
    child_seconds: int = 300  # time the parsing process may take
    # the parser may start while the guard still scans the file's content (Linux only, ADR 0007)
    parse_during_scan: bool = True


def _int_env(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


def _flag_env(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if raw not in ("0", "1"):
        raise ValueError(f"{name} must be 1 (yes) or 0 (no), not {raw!r}")
    return raw == "1"


def _sizes(environ: Mapping[str, str]) -> dict[str, int]:
    sizes = _default_sizes()
    for part in environ.get("NOLKUMUH_MAX_FILE_MB", "").split(","):
        if not part.strip():
            continue
        kind, _, value = part.partition("=")
        kind, value = kind.strip().lower(), value.strip()
        if kind not in sizes or not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 2048:
            raise ValueError(f"NOLKUMUH_MAX_FILE_MB: {part.strip()!r} is not kind=megabytes (1-2048)")
        sizes[kind] = int(value) * MB
    return sizes


def limits_from_env(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits with the environment's overrides (``NOLKUMUH_MAX_FILE_MB``, ``NOLKUMUH_ZIP_*``,
    ``NOLKUMUH_SHEET_*``, ``NOLKUMUH_PARSE_*``)."""
    env = os.environ if environ is None else environ
    base = Limits()
    return replace(
        base,
        max_bytes=_sizes(env),
        zip_entries=_int_env(env, "NOLKUMUH_ZIP_MAX_ENTRIES", base.zip_entries, 1, 100_000),
        zip_unpacked_bytes=_int_env(
            env, "NOLKUMUH_ZIP_MAX_UNPACKED_MB", base.zip_unpacked_bytes // MB, 1, 8192
        )
        * MB,
        zip_ratio=_int_env(env, "NOLKUMUH_ZIP_MAX_RATIO", base.zip_ratio, 2, 100_000),
        sheet_rows=_int_env(env, "NOLKUMUH_SHEET_MAX_ROWS", base.sheet_rows, 10, 10_000_000),
        sheet_columns=_int_env(env, "NOLKUMUH_SHEET_MAX_COLUMNS", base.sheet_columns, 10, 16_384),
        child_memory_mb=_int_env(env, "NOLKUMUH_PARSE_MEMORY_MB", base.child_memory_mb, 256, 65_536),
        child_seconds=_int_env(env, "NOLKUMUH_PARSE_SECONDS", base.child_seconds, 5, 3_600),
        parse_during_scan=_flag_env(env, "NOLKUMUH_PARSE_DURING_SCAN", base.parse_during_scan),
    )
