"""The page footer names the installed version of nolkumuh (issue 16), so that a user reporting a
problem, or an administrator after an upgrade, can tell which release a server runs."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _footer(page: str) -> str:
    found = re.search(r'<footer class="site">(.*?)</footer>', page, re.S)
    assert found, "every page has the site footer"
    return found[1].strip()


def test_the_footer_shows_the_version_pip_installed_from_pyproject(client, db):
    released = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["version"]
    assert version("nolkumuh") == released, "the install is stale: run `make install`"
    for path in ("/", "/bantuan/", "/akun/masuk/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _footer(response.content.decode()) == f"nolkumuh versi {released}", path


def test_the_footer_is_on_the_not_found_page_too(client, db):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert _footer(response.content.decode()) == f"nolkumuh versi {version('nolkumuh')}"
