"""In Chromium, on the demo: names typed by users reach the map as text, never as HTML, and the
main pages of every role run under the Content-Security-Policy without a single violation."""

from __future__ import annotations

import pytest

from nolkumuh.demo import PASSWORD, demo_load
from tests.web.test_browser import CHROMIUM, FLAGS, browser, pytestmark  # noqa: F401

HOSTILE = '<img src=x onerror="window.__xss=1">'
# Every securitypolicyviolation event of the page, kept before any page script runs.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watched_page(browser):  # type: ignore[no-untyped-def]
    """A page that records CSP violations and console errors (in ``page.problems``)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: page.problems.append(f"console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    return page


@pytest.fixture
def watched(browser):
    page = _watched_page(browser)
    yield page
    page.context.close()


def sign_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Keluar")


def test_hostile_names_show_as_text_in_map_tooltips(watched, live_server):
    from nolkumuh.regions.models import Kawasan, Region, Rt

    _demo()
    for n, kawasan in enumerate(Kawasan.objects.filter(kabkota__code="33.74")):
        Kawasan.objects.filter(pk=kawasan.pk).update(name=f"{HOSTILE} {n}")
    Region.objects.filter(code__startswith="33.74.", level="kelurahan").update(name=HOSTILE)
    for n, rt in enumerate(Rt.objects.filter(kelurahan__code__startswith="33.74.")):
        Rt.objects.filter(pk=rt.pk).update(rw=f"<b>{n}</b>")  # as if imported unchecked
    for level, shown, tag in (("kawasan", HOSTILE, "img"), ("rt", HOSTILE, "img"), ("rt", "RW <b>", "b")):
        watched.goto(f"{live_server.url}/peta/33.74/?tingkat={level}")
        watched.wait_for_selector("#map[data-ready='true']")
        watched.locator("path.leaflet-interactive").first.hover(force=True)
        tooltip = watched.locator(".leaflet-tooltip")
        tooltip.wait_for()
        assert shown in tooltip.text_content()
        assert tooltip.locator(tag).count() == 0
        assert watched.evaluate("window.__xss") is None


def _pages(url):  # type: ignore[no-untyped-def]
    """The main pages of the demo: (path, selector to wait for or None) by what a role does."""
    from nolkumuh.monitoring.models import Activity, Kpp
    from nolkumuh.planning.models import Plan
    from nolkumuh.regions.models import Kawasan, Rt
    from nolkumuh.training.models import Event, Session

    plan = Plan.objects.filter(region__code="33.74").first()
    event = Event.objects.first()
    session = Session.objects.filter(event=event, klass__isnull=False).first()
    activity = Activity.objects.first()
    kawasan = Kawasan.objects.filter(kabkota__code="33.74").first()
    rt = Rt.objects.filter(kelurahan__code="33.74.02.1001").first()
    kpp = Kpp.objects.first()
    public = [
        ("/", None),
        ("/wilayah/33.74/", "#map[data-ready]"),
        ("/wilayah/33.74.02.1001/", None),
        ("/peta/33.74/", "#map[data-ready='true']"),
        ("/dasbor/33.74/", None),
        ("/wilayah/33/", None),
        (f"/kawasan/{kawasan.pk}/", None),
        (f"/rt/{rt.pk}/", None),
        ("/wilayah/33.74/sk/", "#map[data-ready]"),
        ("/bantuan/", None),
        ("/pelatihan/hadir/", None),
    ]
    signed_in = [
        ("/akun/saya/", None),
        ("/data/33.74.02.1001/2023/", None),
        ("/impor/2023/", None),
        ("/rencana/wilayah/33.74/", None),
        (f"/rencana/{plan.pk}/", None),
        ("/pelatihan/", None),
        (f"/pelatihan/kegiatan/{event.pk}/", None),
        (f"/pelatihan/sesi/{session.pk}/", None),
        ("/pelatihan/kaskade/33/", "#map[data-ready]"),
        (f"/konstruksi/{activity.pk}/", None),
        (f"/kpp/{kpp.pk}/", None),
        ("/kpi/33.74/", None),
    ]
    return public, signed_in


def _visit(page, server: str, path: str, ready: str | None) -> list[str]:
    page.problems.clear()
    page.goto(f"{server}{path}")
    page.wait_for_load_state("load")
    if ready:
        page.wait_for_selector(ready)
    page.wait_for_timeout(50)  # module scripts and htmx have run by now
    seen = page.evaluate("window.__csp") or []
    return [f"{path}: {p}" for p in seen + _errors(page)]


def _errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    # a missing favicon or a page a role may not open is not a policy problem
    return [p for p in page.problems if "Failed to load resource: the server responded" not in p]


def _demo() -> None:
    """The demo; its training part needs the curriculum of a data migration, which the flush after
    an earlier transactional test has removed."""
    from nolkumuh.training.curriculum import load_default_curriculum
    from nolkumuh.training.models import Competency, Topic

    if not Topic.objects.exists():
        load_default_curriculum(Topic, Competency)
    demo_load()


def test_main_pages_of_every_role_raise_no_csp_violation(browser, live_server):
    from nolkumuh.regions.models import Rt

    _demo()
    public, signed_in = _pages(live_server.url)
    rt = Rt.objects.filter(kelurahan__code="33.74.02.1001").first()
    problems: list[str] = []
    for username in (None, "admin", "provinsi", "korkot", "askot", "fasilitator"):
        page = _watched_page(browser)
        if username:
            sign_in(page, live_server.url, username)
        # the public pages as the public; a role sees the same templates with its own buttons
        for path, ready in signed_in + public[:5] if username else public:
            problems += [f"{username or 'anonim'} {p}" for p in _visit(page, live_server.url, path, ready)]
        if username == "fasilitator":
            # htmx under the policy: the entry form's live score preview posts and swaps in
            page.goto(f"{live_server.url}/data/33.74.02.1001/2023/rt/{rt.pk}/")
            with page.expect_response(lambda r: "/pratinjau/" in r.url and r.ok):
                page.fill("#id_jumlah_kk", "1")
            page.wait_for_timeout(100)  # the swap
            problems += [f"fasilitator htmx: {p}" for p in page.evaluate("window.__csp") + _errors(page)]
        if username == "admin":
            _behaviours_work(page, live_server.url)
        header = page.request.get(f"{live_server.url}/").headers["content-security-policy"]
        assert "script-src 'self';" in header and "frame-ancestors 'none'" in header
        page.context.close()
    assert problems == []


def _behaviours_work(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """The data-* behaviours that replaced inline handlers: autosubmit, check all, confirm."""
    from nolkumuh.training.models import Session

    page.goto(f"{server}/wilayah/33.74/")
    page.select_option("#tahun", "2020")
    page.wait_for_url("**/wilayah/33.74/?tahun=2020")
    given = Session.objects.filter(klass__participant__isnull=False).first()
    # a copy of a class session with nobody present yet (only then can it be deleted)
    session = Session.objects.create(
        event=given.event,
        day=given.day,
        start=given.start,
        end=given.end,
        klass=given.klass,
        title="Sesi uji",
        checkin_token="uji-csp-token",
        fallback_code="UJI123",
    )
    page.goto(f"{server}/pelatihan/sesi/{session.pk}/")
    page.click("[data-check-all]")
    boxes = page.locator("#register-form input[type=checkbox]")
    assert boxes.count() and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("button[name=delete]")
    assert Session.objects.filter(pk=session.pk).exists()
