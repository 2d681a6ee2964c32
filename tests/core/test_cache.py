"""The data cache's keys follow the data and the code: the cache lives on disk across upgrades, so
a new version of the code never reads what an older one stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

import nolkumuh
from nolkumuh.core.cache import code_fingerprint, data_cached

pytestmark = pytest.mark.django_db


def _tree(root: Path, profile: str) -> Path:
    (root / "portal" / "templates").mkdir(parents=True)
    (root / "portal" / "profiles.py").write_text(profile)
    (root / "portal" / "templates" / "p.html").write_text("<p>{{ x }}</p>")
    (root / "portal" / "__pycache__").mkdir()
    (root / "portal" / "__pycache__" / "profiles.pyc").write_bytes(b"\x00")
    return root


def test_the_fingerprint_changes_with_the_code_and_templates_only(tmp_path):
    old = code_fingerprint(_tree(tmp_path / "a", "SHAPE = 1\n"))
    assert code_fingerprint(_tree(tmp_path / "b", "SHAPE = 1\n")) == old  # same code, same key
    assert code_fingerprint(_tree(tmp_path / "c", "SHAPE = 2\n")) != old
    (tmp_path / "a" / "portal" / "templates" / "p.html").write_text("<p>{{ y }}</p>")
    assert code_fingerprint(tmp_path / "a") != old
    (tmp_path / "b" / "portal" / "__pycache__" / "profiles.pyc").write_bytes(b"\x01")
    (tmp_path / "b" / "notes.txt").write_text("x")
    assert code_fingerprint(tmp_path / "b") == old  # compiled files and other files do not count


def test_a_cached_result_is_computed_once_per_data_and_code():
    cache.clear()
    calls = []
    first = data_cached("test", ("33",), lambda: calls.append(1) or len(calls))
    assert data_cached("test", ("33",), lambda: calls.append(1) or len(calls)) == first == 1
    package = Path(nolkumuh.__file__).parent
    assert code_fingerprint(package) == code_fingerprint(package)  # stable for the same code
