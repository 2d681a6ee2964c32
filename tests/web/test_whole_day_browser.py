"""One round through every role's day, in the browser, on the demo (issue 13, "done when"): each
role starts on Tugas saya; the fasilitator enters and submits (seeing a data-quality flag), the askot
reviews the changes and the flags and verifies, the korkot approves, the public sees the result. On
every page visited: no link that leads nowhere, no English workflow word in the Indonesian UI,
locked data read-only, and one slum-area figure per region and year."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from nolkumuh.accounts.demo import PASSWORD
from nolkumuh.baseline.figures import region_headline
from nolkumuh.baseline.models import FlagReview, RtRecord, Submission
from nolkumuh.core.documents import number
from nolkumuh.demo import demo_load
from tests.web.test_browser import CHROMIUM, browser  # noqa: F401 (fixtures)
from tests.web.test_links import SKIP

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium found (apt-get install -y chromium)")
KELURAHAN, CITY, YEAR = "33.74.02.1001", "33.74", 2023
# The workflow's English words must never reach the Indonesian pages (the history, the status).
ENGLISH = re.compile(r"\b(draft|submitted|verified|approved|rejected|unlocked|reopened)\b", re.I)


class Day:
    """What the walk saw: every page, every link checked once, every slum-area figure shown."""

    def __init__(self, browser, server: str) -> None:  # type: ignore[no-untyped-def]
        self.browser, self.server = browser, server
        self.checked: dict[tuple[str, str], int] = {}
        self.figures: dict[tuple[str, str], set[str]] = {}
        self.problems: list[str] = []
        self.context = self.page = None
        self.viewer = ""

    def start(self, username: str | None):  # type: ignore[no-untyped-def]
        if self.context:
            self.context.close()
        self.context = self.browser.new_context(viewport={"width": 1200, "height": 900}, locale="id-ID")
        self.page = self.context.new_page()
        self.viewer = username or "publik"
        if username:
            self.page.goto(f"{self.server}/akun/masuk/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.click("main button[type=submit]")
            self.page.wait_for_selector("text=Keluar")
            self.look()
        return self.page

    def open(self, path: str):  # type: ignore[no-untyped-def]
        self.page.goto(self.server + path)
        self.look()
        return self.page

    def look(self) -> None:
        """Check the page on screen: its links, its words, its slum-area figures."""
        page, here = self.page, urlparse(self.page.url).path
        text = page.inner_text("main")
        for word in ENGLISH.findall(text):
            self.problems.append(f"{self.viewer} {here}: English workflow word {word!r}")
        asked = re.search(r"/(?:wilayah|dasbor)/([\d.]+)/\?tahun=(\d+)", page.url)
        for card in page.locator('[data-figure="luas-kumuh"]').all() if asked else []:
            shown = re.search(r"([\d.,]+)\s*ha", card.inner_text())
            if shown:
                self.figures.setdefault((asked.group(1), asked.group(2)), set()).add(shown.group(1))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parsed = urlparse(href)
            if parsed.netloc or not parsed.path.startswith("/") or SKIP.search(parsed.path):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            key = (self.viewer, path)
            if key not in self.checked:
                self.checked[key] = self.context.request.get(self.server + path, max_redirects=5).status
            if self.checked[key] in (403, 404, 500):
                self.problems.append(f"{self.viewer} {here}: link {path} answers {self.checked[key]}")


@pytest.fixture
def day(browser, live_server):  # type: ignore[no-untyped-def]
    from nolkumuh.training.curriculum import load_default_curriculum
    from nolkumuh.training.models import Competency, Topic

    if not Topic.objects.exists():  # written by a data migration, flushed by earlier browser tests
        load_default_curriculum(Topic, Competency)
    demo_load()
    walk = Day(browser, live_server.url)
    yield walk
    if walk.context:
        walk.context.close()


def _status() -> str:
    return Submission.objects.get(kelurahan__code=KELURAHAN, round__year=YEAR).status


def test_one_round_through_every_roles_day(day):
    data = f"/data/{KELURAHAN}/{YEAR}/"
    record = RtRecord.objects.filter(rt__kelurahan__code=KELURAHAN, round__year=YEAR).order_by(
        "rt__rw", "rt__rt"
    )[0]

    # the fasilitator: finds the draft, corrects an RT (a warning shows as they type), submits
    page = day.start("fasilitator")
    assert page.url.endswith("/tugas-saya/")  # the day starts on Tugas saya
    page.click(f"#tasks-drafts a[href='{data}']")
    day.look()
    assert page.inner_text('[data-status="draft"]') == "draf"
    page = day.open(f"{data}rt/{record.rt_id}/")
    page.fill("#id_jumlah_penduduk", str(record.jumlah_kk * 12))
    page.wait_for_selector("#preview >> text=Jumlah jiwa per KK")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Data RT tersimpan")
    day.look()
    assert page.locator("#quality-flags tr", has_text="Jumlah jiwa per KK").count() >= 1
    page.click("#workflow-actions button:has-text('Ajukan')")
    page.wait_for_selector('[data-status="submitted"]')
    day.look()
    assert _status() == "submitted"

    # the askot: sees the flag, marks it checked, verifies
    page = day.start("askot")
    waiting = page.locator("#tasks-waiting tr", has_text="Bandarharjo")
    waiting.locator("a", has_text="Tinjau perubahan").click()
    day.look()
    # the change the fasilitator made is marked against the last approved data
    page.locator(f"details[data-rt-id='{record.rt_id}'] summary").click()
    changed = page.locator(f"details[data-rt-id='{record.rt_id}'] tr.changed", has_text="Jumlah penduduk")
    assert f"{record.jumlah_kk * 12:,}".replace(",", ".") in changed.locator("mark").inner_text()
    row = page.locator("#quality-flags tr", has_text="Jumlah jiwa per KK").first
    row.locator("input[name=note]").fill("Dicek di lapangan: rumah kos.")
    row.locator("button", has_text="Tandai sudah diperiksa").click()
    page.wait_for_selector("text=Ditandai sudah diperiksa")
    assert "/tinjau/" in page.url  # back on the review
    day.look()
    assert FlagReview.objects.filter(note="Dicek di lapangan: rumah kos.").exists()
    page.click("#workflow-actions button:has-text('Verifikasi')")
    page.wait_for_selector('[data-status="verified"]')
    day.look()
    assert _status() == "verified"

    # the korkot: approves; the data is locked and the dashboard shows the figure
    page = day.start("korkot")
    page.locator("#tasks-waiting tr", has_text="Bandarharjo").locator(
        "a", has_text="Tinjau perubahan"
    ).click()
    day.look()
    page.click("#workflow-actions button:has-text('Setujui')")
    page.wait_for_selector('[data-status="approved"]')
    day.look()
    assert _status() == "approved"
    assert page.locator("#lock-notice").count() == 1
    assert page.locator("#workflow-actions button", has_text="Setujui").count() == 0
    day.open(f"/dasbor/{CITY}/?tahun={YEAR}")

    # locked: the fasilitator sees the RT read-only, with no save button
    page = day.start("fasilitator")
    page = day.open(f"{data}rt/{record.rt_id}/")
    assert "Data disetujui dan terkunci" in page.inner_text("#lock-notice")
    assert page.locator("main input:not([type=hidden]), main button:has-text('Simpan')").count() == 0
    assert str(record.jumlah_kk * 12) in page.inner_text("main")  # the values as text

    # the public: the profiles of the kelurahan and the city show the approved result
    day.start(None)
    for code in (KELURAHAN, CITY):
        day.open(f"/wilayah/{code}/?tahun={YEAR}")

    assert not day.problems, "\n".join(day.problems)
    assert len(day.checked) > 50  # the walk did look at the pages' links
    expected = {code: number(region_headline(code=code, year=YEAR).slum_area) for code in (KELURAHAN, CITY)}
    # the korkot's dashboard and the public profiles, each region and year: one figure, the headline's
    assert day.figures[(CITY, str(YEAR))] == {expected[CITY]}, day.figures
    assert day.figures[(KELURAHAN, str(YEAR))] == {expected[KELURAHAN]}, day.figures
