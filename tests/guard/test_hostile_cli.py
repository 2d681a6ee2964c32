"""Hostile files against `nolkumuh score`: exit status 2 with the reason, no output file, and the
command stays within a 2 GB address space (the limit is set on the command in a subprocess)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.guard.hostile import REFUSED, sparse_corner

NOLKUMUH = str(Path(sys.executable).with_name("nolkumuh"))
ADDRESS_SPACE = 2 * 1024**3


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _score(path: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NOLKUMUH, "score", str(path), "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited,
        check=False,
    )


@pytest.mark.parametrize("hostile", sorted(REFUSED))
def test_score_refuses_a_hostile_file_with_exit_status_2(tmp_path, hostile):
    builder, expected = REFUSED[hostile]
    path = builder(tmp_path)
    output = tmp_path / "hasil.csv"
    started = time.monotonic()
    done = _score(path, output)
    assert done.returncode == 2, done.stderr[-800:]
    assert expected.replace("kosong", "berkas kosong") in done.stderr
    assert "Traceback" not in done.stderr
    assert not output.exists()
    assert time.monotonic() - started < 60


def test_a_native_abort_of_the_reader_is_a_message_not_a_crash(tmp_path, monkeypatch):
    """With the guard's limits raised past the file, the reader itself meets the sparse corner:
    the child that parses it dies, the command reports it and exits with 2 (not 134)."""
    monkeypatch.setenv("NOLKUMUH_SHEET_MAX_ROWS", "10000000")
    monkeypatch.setenv("NOLKUMUH_SHEET_MAX_COLUMNS", "16384")
    monkeypatch.setenv("NOLKUMUH_PARSE_MEMORY_MB", "1024")
    done = _score(sparse_corner(tmp_path), tmp_path / "hasil.csv")
    assert done.returncode == 2, done.stderr[-800:]
    assert "berkas tidak bisa dibaca" in done.stderr
    assert not (tmp_path / "hasil.csv").exists()
