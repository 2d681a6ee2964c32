"""The help page: a table of contents linked to every section by anchor, a way back to it after
each section, and every screenshot the guide names is in docs/img (and none is left over)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from django.conf import settings

GUIDE = Path(settings.NOLKUMUH_DOCS_DIR) / "panduan.md"


def test_the_help_page_has_a_table_of_contents_linked_to_every_section(client, db):
    page = client.get("/bantuan/").content.decode()
    contents = re.search(r'<nav class="contents" id="daftar-isi".*?</nav>', page, re.S)
    assert contents and "Daftar isi" in contents[0]
    headings = re.findall(r"^#{2,3} (.+)$", GUIDE.read_text("utf-8"), re.M)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', contents[0])
    assert [text for _, text in links] == headings
    for anchor, _ in links:
        assert f'id="{anchor}"' in page  # every entry leads somewhere


def test_after_every_section_a_link_leads_back_to_the_contents(client, db):
    page = client.get("/bantuan/").content.decode()
    sections = len(re.findall(r"^## ", GUIDE.read_text("utf-8"), re.M))
    assert page.count('<p class="to-top"><a href="#daftar-isi">↑ Kembali ke daftar isi</a></p>') == sections
    assert page.index('id="daftar-isi"') < page.index('id="1-portal-publik"')


def test_every_screenshot_the_guide_names_is_there_and_none_is_left_over():
    named = set(re.findall(r"\]\(img/([^)]+\.png)\)", GUIDE.read_text("utf-8")))
    present = {path.name for path in (GUIDE.parent / "img").glob("*.png")}
    assert named and named == present


def test_the_screenshot_script_makes_every_screenshot_the_guide_names():
    """`make screenshots` (scripts/screenshots.py) photographs each picture of the guide."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
    spec = importlib.util.spec_from_file_location("screenshots", path)
    script = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = script  # its dataclasses look their module up
    spec.loader.exec_module(script)
    made = [shot.name for shot in script.SHOTS] + list(script.PICTURES)
    assert len(made) == len(set(made)) and set(made) == script.named_in_guide()
