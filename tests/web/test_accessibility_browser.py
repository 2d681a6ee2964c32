"""In Chromium, on the demo: the main pages of every role pass axe-core (shipped inside the
axe-playwright-python package, nothing loaded from the internet) without a serious or critical
violation, and on a 360 px phone no page is wider than the screen."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from tests.web.test_browser import CHROMIUM, FLAGS, browser, pytestmark  # noqa: F401
from tests.web.test_output_safety_browser import _demo, sign_in

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1200, "height": 900}


@dataclass(frozen=True)
class Visit:
    """A page a role opens, and what to wait for before it is complete (a map, a form)."""

    path: str
    ready: str | None = None


def role_pages() -> dict[str | None, list[Visit]]:
    """The main pages of each demo role (None: the public), from the demo's own objects."""
    from nolkumuh.planning.models import Plan
    from nolkumuh.regions.models import Rt
    from nolkumuh.training.models import Event

    plan = Plan.objects.filter(region__code="33.74").first()
    event = Event.objects.first()
    rt = Rt.objects.filter(kelurahan__code="33.74.02.1001").first()
    return {
        None: [
            Visit("/"),
            Visit("/wilayah/33.74/", "#map[data-ready]"),
            Visit("/wilayah/33.74.02.1001/"),
            Visit("/peta/33.74/", "#map[data-ready='true']"),
            Visit("/bantuan/"),
        ],
        "fasilitator": [
            Visit("/tugas-saya/"),
            Visit("/data/33.74.02.1001/2023/"),
            Visit(f"/data/33.74.02.1001/2023/rt/{rt.pk}/"),
        ],
        "askot": [
            Visit("/akun/saya/"),
            Visit("/tugas-saya/"),
            Visit("/tinjau/33.74.03.1001/2023/"),
            Visit("/data/33.74.02.1001/2023/"),
        ],
        "korkot": [
            Visit("/dasbor/33.74/"),
            Visit(f"/rencana/{plan.pk}/"),
            Visit(f"/rencana/{plan.pk}/optimasi/"),
            Visit("/kpi/33.74/"),
        ],
        "provinsi": [
            Visit("/dasbor/33/"),
            Visit("/tugas-saya/"),
            Visit("/pengguna/"),
            Visit("/pengguna/baru/"),
            Visit("/pengguna/impor/"),
            Visit("/akun/sandi/"),
        ],
        "admin": [
            Visit(f"/pelatihan/kegiatan/{event.pk}/"),
            Visit(f"/pelatihan/kegiatan/{event.pk}/peserta/"),  # its own search box beside the site's
        ],
    }


def phone_pages() -> dict[str | None, list[Visit]]:
    """The main pages of each role and the other pages people open on a phone: region levels, a
    kawasan, an RT, the lists of each role's work."""
    from nolkumuh.regions.models import Kawasan, Rt
    from nolkumuh.training.models import Event, Session

    kawasan = Kawasan.objects.filter(kabkota__code="33.74").first()
    rt = Rt.objects.filter(kelurahan__code="33.74.02.1001").first()
    event, session = Event.objects.first(), Session.objects.first()
    more: dict[str | None, list[Visit]] = {
        None: [
            Visit("/wilayah/33/"),
            Visit("/wilayah/33.74.02/"),
            Visit(f"/kawasan/{kawasan.pk}/"),
            Visit(f"/rt/{rt.pk}/"),
            Visit("/cari/?q=Semarang"),
        ],
        "fasilitator": [Visit("/akun/saya/"), Visit("/impor/2023/")],
        "askot": [Visit("/kelengkapan/33.74/"), Visit("/kualitas/33.74/")],
        "korkot": [
            Visit("/rencana/wilayah/33.74/"),
            Visit("/konstruksi/wilayah/33.74/"),
            Visit("/kpp/wilayah/33.74/"),
            Visit("/kelembagaan/33.74/"),
            Visit("/rencana/harga/33.74/"),
            Visit("/wilayah/33.74/sk/"),
        ],
        "provinsi": [Visit("/kelengkapan/33/")],
        "admin": [
            Visit("/pelatihan/"),
            Visit(f"/pelatihan/kegiatan/{event.pk}/laporan/"),
            Visit(f"/pelatihan/sesi/{session.pk}/"),
            Visit("/pelatihan/personel/"),
            Visit("/pelatihan/kaskade/33/"),
        ],
    }
    return {who: visits + more.get(who, []) for who, visits in role_pages().items()}


def _open(browser, server: str, username: str | None, viewport: dict):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    if username:
        sign_in(page, server, username)
    return page


def _go(page, server: str, visit: Visit) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}{visit.path}")
    page.wait_for_load_state("load")
    if visit.ready:
        page.wait_for_selector(visit.ready)


# Every <details> opened first, so that what it hides is checked too (the optimizer's caps table).
OPEN_DETAILS = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"
# References to ids that are not on the page, and ids used twice (axe 4.9 no longer reports these).
BROKEN_IDS = """() => {
  const seen = {}, problems = [];
  document.querySelectorAll('[id]').forEach((e) => { seen[e.id] = (seen[e.id] || 0) + 1; });
  Object.entries(seen).filter(([, n]) => n > 1).forEach(([id]) => problems.push(`id "${id}" twice`));
  document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]').forEach((e) => {
    const ids = (e.getAttribute('aria-describedby') || e.getAttribute('aria-labelledby') || e.htmlFor || '');
    ids.split(/\\s+/).filter(Boolean).filter((id) => !document.getElementById(id))
      .forEach((id) => problems.push(`${e.tagName.toLowerCase()} points at missing id "${id}"`));
  });
  return problems;
}"""
# axe's options: its default rules plus the WCAG 2.2 target size (24 px), off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations of the page (every <details> opened), one line
    per element, and the broken id references."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(OPEN_DETAILS)
    results = Axe().run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            for node in violation["nodes"]:
                found.append(f"{violation['id']}: {node['target']} {node.get('failureSummary', '')[:160]}")
    return found + page.evaluate(BROKEN_IDS)


def test_main_pages_of_every_role_have_no_serious_accessibility_violation(browser, live_server):
    _demo()
    problems: list[str] = []
    for viewport in (DESKTOP, PHONE):
        for username, visits in role_pages().items():
            page = _open(browser, live_server.url, username, viewport)
            for visit in visits:
                _go(page, live_server.url, visit)
                who = f"{username or 'anonim'} {viewport['width']}px {visit.path}"
                problems += [f"{who} {p}" for p in serious_violations(page)]
            page.context.close()
    assert problems == []


def test_no_page_is_wider_than_a_360_px_phone(browser, live_server):
    _demo()
    too_wide: list[str] = []
    for username, visits in phone_pages().items():
        page = _open(browser, live_server.url, username, PHONE)
        for visit in visits:
            _go(page, live_server.url, visit)
            assert "Halaman tidak ditemukan" not in page.content(), visit.path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{username or 'anonim'} {visit.path}: {width} px")
        page.context.close()
    assert too_wide == []


def test_the_checks_catch_what_they_are_for(browser, live_server):
    """Each check above fails on a page with the fault it looks for: low contrast, an unlabelled
    input, a help text that is not there, an id twice, a box too wide for the phone."""
    page = _open(browser, live_server.url, None, PHONE)
    page.goto(f"{live_server.url}/akun/masuk/")
    faults = (
        '<p style="color:#fff;background:#27ae60">kontras</p><input type="text" name="x">'
        '<input type="text" aria-describedby="tidak-ada" aria-label="y">'
        '<span id="dua"></span><span id="dua"></span>'
        '<div style="width:900px">lebar</div>'
    )
    page.evaluate(f"document.querySelector('main').insertAdjacentHTML('beforeend', '{faults}')")
    found = " ".join(serious_violations(page))
    for expected in ("color-contrast", "label", 'missing id "tidak-ada"', 'id "dua" twice'):
        assert expected in found
    assert page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
    page.context.close()


def _covered(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The fields of the RT form that, once focused, lie under the sticky live score."""
    return page.evaluate("""() => {
      const box = document.querySelector('#preview');
      return [...document.querySelectorAll('.field input')].filter((input) => {
        input.focus();
        const field = input.getBoundingClientRect(), score = box.getBoundingClientRect();
        return field.top < score.bottom && field.bottom > score.top;
      }).map((input) => input.name);
    }""")


# Ten of everything, and every criterion's volume far over its denominator: a warning per criterion.
OVER_THE_DENOMINATORS = """() => {
  document.querySelectorAll('.field input').forEach((input) => { input.value = '10'; });
  document.querySelectorAll('fieldset ~ fieldset .field input').forEach((i) => { i.value = '99999'; });
}"""


def test_on_a_phone_the_live_score_never_covers_the_field_being_typed_in(browser, live_server):
    from nolkumuh.regions.models import Rt

    _demo()
    rt = Rt.objects.filter(kelurahan__code="33.74.02.1001").first()
    page = _open(browser, live_server.url, "fasilitator", PHONE)
    page.goto(f"{live_server.url}/data/33.74.02.1001/2023/rt/{rt.pk}/")
    page.evaluate(OVER_THE_DENOMINATORS)
    with page.expect_response(lambda r: "/pratinjau/" in r.url and r.ok):
        page.fill("#id_jumlah_kk", "10")
    page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('#preview').scrollHeight") > 740  # taller than the screen
    assert _covered(page) == []
    page.context.close()


# The size on screen of every chart label: its font size times the chart's scale.
LABEL_SIZES = """() => [...document.querySelectorAll('svg.chart text')].map((t) => {
  const svg = t.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return parseFloat(getComputedStyle(t).fontSize) * scale;
})"""


def test_on_a_phone_chart_labels_are_readable(browser, live_server):
    _demo()
    page = _open(browser, live_server.url, None, PHONE)
    sizes = []
    for path in ("/wilayah/33.74/", "/wilayah/33.74.02.1001/", "/dasbor/33/"):
        page.goto(f"{live_server.url}{path}")
        sizes += page.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 9
    page.context.close()


TEXT = ("text/", "application/json", "application/geo+json", "application/javascript", "image/svg+xml")


def _transferred(response) -> int:  # type: ignore[no-untyped-def]
    """Bytes a response costs over the wire: headers plus the body as sent. The test server hands
    static files out itself, uncompressed; they are counted gzip-compressed, as `nolkumuh serve`
    sends them (collected with compressed copies)."""
    sizes = response.request.sizes()
    if response.header_value("content-encoding") or response.status in (204, 304):
        return sizes["responseHeadersSize"] + sizes["responseBodySize"]
    body = response.body() if response.status < 300 or response.status >= 400 else b""
    kind = response.header_value("content-type") or ""
    size = len(gzip.compress(body)) if kind.startswith(TEXT) else len(body)
    return sizes["responseHeadersSize"] + size


def _first_visit(browser, server: str, state: dict | None, visit: Visit) -> int:  # type: ignore[no-untyped-def]
    """Bytes transferred when a phone with an empty cache (signed in with `state`) opens the page."""
    context = browser.new_context(viewport=PHONE, locale="id-ID", storage_state=state)
    page = context.new_page()
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    _go(page, server, visit)
    page.wait_for_load_state("networkidle")
    total = sum(_transferred(r) for r in responses)
    context.close()
    return total


def test_on_a_first_visit_from_a_phone_every_page_is_light(browser, live_server):
    """Under 100 KB transferred on a first visit (empty cache), pages with a map under 150 KB."""
    _demo()
    heavy: list[str] = []
    for username, visits in role_pages().items():
        state = None
        if username:
            page = _open(browser, live_server.url, username, PHONE)
            state = page.context.storage_state()
            page.context.close()
        for visit in visits:
            total = _first_visit(browser, live_server.url, state, visit)
            limit = 150_000 if visit.ready and "#map" in visit.ready else 100_000
            if total > limit:
                heavy.append(f"{username or 'anonim'} {visit.path}: {total / 1000:.0f} KB > {limit // 1000}")
    assert heavy == []


# The help page as it was: every screenshot loaded at once, at full size.
FULL_SIZE = """() => document.querySelectorAll('.guide a > img').forEach((image) => {
  image.removeAttribute('srcset'); image.loading = 'eager'; image.src = image.parentElement.href;
})"""


def test_the_weight_check_counts_what_a_page_loads(browser, live_server):
    """The same count on the help page with its screenshots loaded at full size: over the bound."""
    _demo()
    light = _first_visit(browser, live_server.url, None, Visit("/bantuan/"))
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{live_server.url}/bantuan/")
    page.evaluate(FULL_SIZE)
    page.wait_for_load_state("networkidle")
    assert light < 100_000 < sum(_transferred(r) for r in responses)
    context.close()
