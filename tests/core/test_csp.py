"""The Content-Security-Policy on every response, and templates and scripts that need nothing it
forbids: no inline script or event handler, no HTML built from data in JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import override_settings

from nolkumuh.core.csp import policy, tile_source

SOURCE = Path(__file__).resolve().parents[2] / "src" / "nolkumuh"
TEMPLATES = sorted(SOURCE.glob("*/templates/**/*.html"))
SCRIPTS = sorted(SOURCE.glob("*/static/**/*.js"))


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/bantuan/", "/wilayah/99.99/", "/akun/masuk/", "/akun/saya/"])
def test_every_response_carries_the_policy(client, path):
    response = client.get(path)
    found = directives(response.headers["Content-Security-Policy"])
    assert found["script-src"] == "'self'"
    assert found["object-src"] == "'none'"
    assert found["base-uri"] == "'self'"
    assert found["frame-ancestors"] == "'none'"
    assert found["style-src-elem"] == "'self'"


def test_static_files_carry_the_policy_too(client):
    response = client.get("/static/nolkumuh/map.js")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_policy_allows_no_inline_script_and_no_eval():
    found = directives(policy(""))
    for name in ("default-src", "script-src", "connect-src", "style-src-elem"):
        assert "unsafe-inline" not in found[name] and "unsafe-eval" not in found[name], name
    assert found["img-src"] == "'self' data:"


@pytest.mark.django_db
def test_map_tiles_of_the_deployment_are_allowed_as_images(client):
    with override_settings(NOLKUMUH_TILE_URL="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"):
        header = client.get("/").headers["Content-Security-Policy"]
    assert directives(header)["img-src"] == "'self' data: https://*.tile.openstreetmap.org"


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("", ""),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.osm.org/{z}/{x}/{y}.png", "https://*.tile.osm.org"),
        ("http://peta.local:8080/{z}/{x}/{y}.png", "http://peta.local:8080"),
        ("javascript:alert(1)", ""),
        ("https://a.{s}.example.org/{z}.png", ""),  # a wildcard only on the left
        ("https://x.org/a;script-src *", "https://x.org"),  # no way to add a directive
    ],
)
def test_tile_source_is_an_origin_or_nothing(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_templates_have_no_inline_script_or_event_handler(template):
    text = template.read_text()
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler: use a data-* behaviour"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>: load a static file"
    assert "javascript:" not in text.lower()
    assert "<style" not in text, "a <style> element: put the rule into site.css"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_put_data_into_pages_as_text(script):
    text = script.read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in text, f"{sink}: build nodes and set textContent"
    # Leaflet treats a string tooltip or popup as HTML: hand it a DOM node
    assert not re.search(r"bind(Tooltip|Popup)\((?!textNode\()", text)
    assert not re.search(r"\.set(Content|TooltipContent|PopupContent)\(", text)
