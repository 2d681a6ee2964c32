"""A link is a promise (issue 13, item 1): a viewer is never shown a link to a page that refuses
them, and the error pages speak the page language with the way back."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory

from nolkumuh.core.errors import forbidden, server_error
from nolkumuh.planning.models import Plan
from nolkumuh.portal.templatetags.links import RULES
from nolkumuh.regions.models import Region

pytestmark = pytest.mark.django_db
ROLES = ("fasilitator", "askot", "korkot", "provinsi")
# Not followed: downloads, pictures, map layers, language switch, sign-out.
SKIP = re.compile(r"/keluar/|/i18n/|\.(xlsx|docx|png|svg|geojson|csv|gpkg|kml|kmz|zip)|/unduh|/static/|/qr")
PAGES_PER_VIEWER = 120


def _client(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _links(html: str, here: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)"', html):
        href = href.replace("&amp;", "&")
        parsed = urlparse(href)
        if parsed.netloc or not (parsed.path or "").startswith("/"):
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if not SKIP.search(path):
            found.append(path)
    return found


def _crawl(client: Client, start: list[str]) -> tuple[int, list[str]]:
    """Follow the links of every page reached from ``start`` (up to PAGES_PER_VIEWER pages) and
    list each link that answers 403, 404 or 500, with the page that showed it."""
    seen: set[str] = set()
    queue = deque((path, "(start)") for path in start)
    dead = []
    while queue and len(seen) < PAGES_PER_VIEWER:
        path, source = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, follow=True)
        if response.status_code in (403, 404, 500):
            dead.append(f"{path} answers {response.status_code} (linked from {source})")
            continue
        if "text/html" in response.get("Content-Type", ""):
            queue.extend((link, path) for link in _links(response.content.decode(), path) if link not in seen)
    return len(seen), dead


@pytest.mark.parametrize("username", [None, *ROLES])
def test_no_page_shows_a_link_its_viewer_cannot_open(demo, username):
    client = _client(username)
    start = ["/akun/saya/", "/"] if username else ["/"]
    visited, dead = _crawl(client, start)
    assert visited > 40
    assert not dead, f"{username or 'public'} sees links that lead nowhere:\n" + "\n".join(dead)


@pytest.mark.parametrize("username", [None, *ROLES])
def test_each_link_rule_answers_as_its_page_does(demo, username):
    """For every page a template asks `may_open` about, the rule and the page agree, region by
    region (a province, cities inside and outside the demo roles' areas, a kelurahan)."""
    client = _client(username)
    viewer = get_user_model().objects.get(username=username) if username else AnonymousUser()
    regions = list(Region.objects.filter(code__in=["33", "33.74", "33.72", "33.74.02.1001", "33.72.01.1001"]))
    urls = {
        "monitoring:dashboard": lambda r: f"/dasbor/{r.code}/",
        "planning:list": lambda r: f"/rencana/wilayah/{r.code}/",
        "training:cascade": lambda r: f"/pelatihan/kaskade/{r.code}/",
        "baseline:kelurahan": lambda r: f"/data/{r.code}/2023/",
        "baseline:review": lambda r: f"/tinjau/{r.code}/2023/",
        "baseline:completeness": lambda r: f"/kelengkapan/{r.code}/",
        "monitoring:kpi": lambda r: f"/kpi/{r.code}/",
    }
    checked = 0
    for name, url in urls.items():
        for region in regions:
            opens = client.get(url(region)).status_code == 200
            assert RULES[name](viewer, region) == opens, (name, region.code, username)
            checked += 1
    for plan in Plan.objects.select_related("region"):
        opens = client.get(f"/rencana/{plan.pk}/").status_code == 200
        assert RULES["planning:plan"](viewer, plan) == opens, (plan.pk, username)
        checked += 1
    assert checked > 15


def test_the_tag_hides_a_link_outside_the_viewers_area(demo):
    template = Template('{% load links %}{% may_open "monitoring:dashboard" region as ok %}{{ ok }}')
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="fasilitator")

    def shown(code: str) -> str:
        return template.render(Context({"request": request, "region": Region.objects.get(code=code)}))

    assert shown("33.74.02.1001") == "True"
    assert shown("33.74") == "False"


def test_the_forbidden_page_is_indonesian_with_the_way_back(demo):
    request = RequestFactory().get("/rencana/1/")
    request.user = get_user_model().objects.get(username="askot")
    response = forbidden(request)
    text = response.content.decode()
    assert response.status_code == 403
    assert "Anda tidak berwenang membuka halaman ini" in text and 'href="/akun/saya/"' in text


def test_the_server_error_page_needs_no_database_and_says_what_to_do():
    response = server_error(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert "periksa apakah perubahan terakhir Anda sudah tersimpan" in text and "Traceback" not in text


def test_the_not_found_page_offers_the_viewers_own_area(demo):
    text = _client("korkot").get("/tidak-ada/").content.decode()
    assert "Halaman tidak ditemukan" in text and 'href="/akun/saya/"' in text


def test_every_page_names_its_icon(demo):
    text = _client(None).get("/").content.decode()
    assert re.search(
        r'<link rel="icon" type="image/svg\+xml" href="/static/nolkumuh/favicon[^"]*\.svg"', text
    )


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    """Browsers ask for /favicon.ico on their own: it leads to the SVG icon, which is served."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and "max-age=86400" in response["Cache-Control"]
    assert re.fullmatch(r"/static/nolkumuh/favicon[^/]*\.svg", response["Location"])
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
