"""The checked table of an RT upload, kept beside it from the dry run to the confirmation.

Reading and checking a workbook (in the file guard's child process, ADR 0007) costs as much as
writing it: 0.9–2 s for 5,000 rows, 10 s for 50,000. The dry run keeps what it read (numbers, text
cells, column positions) in a file of its own next to the upload in the upload folder; the
confirmation takes it from there instead of reading the upload again.

The kept file is the server's own, in a folder no user writes to, and holds no Python objects:
plain arrays of numbers (NumPy's ``.npz``, loaded with ``allow_pickle=False``) and one JSON
document. It is used only when it belongs to these bytes (the SHA-256 of the upload), the same
ruleset and decimal option, and this version of the format; anything else (missing, stale,
unreadable) and the upload is read and checked again, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from nolkumuh.core.downloads import upload_folder
from nolkumuh.exchange import RtInput, read_rt_file
from nolkumuh.exchange.columns import ColumnMap
from nolkumuh.scoring import RtTable, load_ruleset

VERSION = 1
SUFFIX = ".checked.npz"
_READ_PROBLEMS = (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile)


def checked_upload(path: Path, *, ruleset: str, decimal_comma: bool) -> RtInput:
    """The upload's checked table: the one kept beside it when it is still that of these bytes,
    else the file read and checked again (and kept, when the upload is in the upload folder).
    Raises InvalidInput, as ``read_rt_file`` does, when the file has problems (nothing is kept)."""
    kept = kept_path(path)
    if kept is None:
        return read_rt_file(path, ruleset=ruleset, decimal_comma=decimal_comma)
    tie = {"version": VERSION, "sha256": _digest(path), "ruleset": ruleset, "decimal_comma": decimal_comma}
    data = _load(kept, tie)
    if data is None:
        data = read_rt_file(path, ruleset=ruleset, decimal_comma=decimal_comma)
        if _digest(path) == tie["sha256"]:  # not replaced while it was read
            _save(kept, data, tie)
    return data


def kept_path(path: Path) -> Path | None:
    """Where the checked table of an upload is kept; None for a file outside the upload folder."""
    path = Path(path)
    if path.parent.resolve() != upload_folder().resolve():
        return None
    return path.with_name(path.name + SUFFIX)


def upload_discard(path: Path) -> None:
    """Remove an upload and its kept table."""
    path = Path(path)
    kept = kept_path(path)
    if kept is not None:
        kept.unlink(missing_ok=True)
    path.unlink(missing_ok=True)


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _save(kept: Path, data: RtInput, tie: dict[str, Any]) -> None:
    """Write the table beside the upload, whole or not at all (a reader never sees half a file)."""
    n = len(data)
    number_arrays = {id(v): p for p, v in data.numbers.items()}
    table = {k: number_arrays.get(id(v)) for k, v in data.table.columns.items()}
    meta = {
        **tie,
        "rows": n,
        "ruleset_used": data.ruleset.id,
        "columns": {
            "names": data.columns.names,
            "known": data.columns.known,
            "volumes": data.columns.volumes,
            "spelling": data.columns.spelling,
        },
        "text": data.text,  # in JSON: NumPy's text arrays drop trailing NUL characters
        "numbers": sorted(data.numbers),
        "table": table,
    }
    arrays = {f"n{p}": np.asarray(v, dtype=np.float64) for p, v in data.numbers.items()}
    alone = {k: v for k, v in data.table.columns.items() if table[k] is None}  # columns not in the file
    arrays |= {f"t_{k}": np.asarray(v, dtype=np.float64) for k, v in alone.items()}
    arrays["years"] = np.asarray(data.years, dtype=np.int64)
    arrays["row_numbers"] = np.asarray(data.row_numbers, dtype=np.int64)
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=True).encode(), dtype=np.uint8)
    handle, name = tempfile.mkstemp(suffix=".part", dir=kept.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)
        os.replace(name, kept)
    except OSError:  # no room on the disk: the confirmation reads the upload again
        Path(name).unlink(missing_ok=True)


def _load(kept: Path, tie: dict[str, Any]) -> RtInput | None:
    """The kept table when it belongs to ``tie`` (version, bytes, ruleset, decimal option)."""
    if not kept.is_file():
        return None
    try:
        with np.load(kept, allow_pickle=False) as stored:
            meta = json.loads(stored["meta"].tobytes().decode())
            if any(meta.get(k) != v for k, v in tie.items()):
                return None
            return _restored(meta, stored)
    except _READ_PROBLEMS:
        return None


def _restored(meta: dict[str, Any], stored: Any) -> RtInput:
    """The RtInput of a kept table; ValueError or KeyError when its parts do not fit together."""
    n = int(meta["rows"])

    def column(name: str, dtype: type) -> np.ndarray:
        values = stored[name]
        if values.dtype != dtype or values.shape != (n,):
            raise ValueError(name)
        return values

    numbers = {int(p): column(f"n{p}", np.float64) for p in meta["numbers"]}
    table = {
        str(k): numbers[int(p)] if p is not None else column(f"t_{k}", np.float64)
        for k, p in meta["table"].items()
    }
    text = {str(k): [str(v) for v in values] for k, values in meta["text"].items()}
    if any(len(values) != n for values in text.values()):
        raise ValueError("text")
    c = meta["columns"]
    columns = ColumnMap(
        names=[str(x) for x in c["names"]],
        known={str(k): int(v) for k, v in c["known"].items()},
        volumes={str(k): int(v) for k, v in c["volumes"].items()},
        spelling=str(c["spelling"]),
    )
    return RtInput(
        sheet=None,
        columns=columns,
        ruleset=load_ruleset(str(meta["ruleset_used"])),
        table=RtTable(table),
        years=column("years", np.int64),
        text=text,
        row_numbers=column("row_numbers", np.int64),
        numbers=numbers,
    )
