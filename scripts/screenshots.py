"""Regenerate the user guide's screenshots (docs/img/*.png named in docs/panduan.md).

Builds the demo in a temporary data folder, serves it on a free local port, signs in as the demo
role each page is for, and photographs every page with Debian's headless Chromium (through
Playwright; never `playwright install`). Each picture is stored with at most 256 colours, so that
the repository and the help page stay light. Run with `make screenshots`; nothing outside docs/img
and the temporary folder is touched."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
NOLKUMUH = Path(sys.executable).parent / "nolkumuh"
DEMO_PASSWORD = "nolkumuh-demo"  # the public demo password (accounts/demo.py)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
COLOURS = 256
PHONE = (360, 740)

# The ids of the demo's objects that the pages need, read once from the built demo.
IDS_SCRIPT = """
import json
from nolkumuh.planning.models import Plan
from nolkumuh.regions.models import Rt
from nolkumuh.training.models import Event, NeedsSurvey, Session
plan = Plan.objects.filter(region__code="33.74").first()
rt = Rt.objects.filter(kelurahan__code="33.74.02.1001").order_by("rw_key", "rt_key").first()
event = Event.objects.order_by("pk").first()
session = Session.objects.filter(event=event, klass__isnull=False).order_by("day", "start").first()
Session.objects.filter(pk=session.pk).update(checkin_open=True)
person = session.klass.participant_set.order_by("number").first()
print("IDS=" + json.dumps({"plan": plan.pk, "rt": rt.pk, "event": event.pk,
    "survey": NeedsSurvey.objects.order_by("pk").first().pk, "token": session.checkin_token,
    "number": person.code, "pin": person.pin}))
"""


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page, who looks at it, the window, and how much of the page."""

    name: str
    path: str  # with {plan}, {rt}, {event}, {survey}, {token} from the demo
    role: str | None = None  # a demo user name; None: the public
    size: tuple[int, int] = (1100, 800)
    longest: int = 0  # > 0: the whole page, cut at this height
    act: Callable[..., None] | None = None  # what to do on the page before the picture


def _import_dry_run(page, server: str, ids: dict, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Upload the kelurahan's own template and show the dry run's answer (checked in the background
    here, as a large file would be: the job's page shows it when done)."""
    template = page.request.get(f"{server}/data/33.74.02.1001/2023/templat.xlsx")
    path = folder / "templat.xlsx"
    path.write_bytes(template.body())
    page.set_input_files("input[type=file]", str(path))
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Simpan semua", timeout=60_000)


def _job_done(page, server: str, ids: dict, folder: Path) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("text=Selesai", timeout=60_000)


def _check_in(page, server: str, ids: dict, folder: Path) -> None:  # type: ignore[no-untyped-def]
    page.fill("#number", ids["number"])
    page.fill("#pin", ids["pin"])
    page.click("#checkin-form button[type=submit]")
    page.wait_for_selector("#checkin-result")


OPTIMIZE = "/rencana/{plan}/optimasi/?budget=2000000000&objective=hectares"  # a proposal for Rp 2 M
SHOTS = (
    Shot("beranda", "/"),
    Shot("profil-kota", "/wilayah/33.74/", longest=2900),
    Shot("ponsel", "/wilayah/33.74.02.1001/", size=PHONE),
    Shot("tugas-saya", "/tugas-saya/", "askot", size=(1100, 900)),
    Shot("tinjau", "/tinjau/33.74.03.1001/2023/", "askot", longest=1400),
    Shot("data-kelurahan", "/data/33.74.02.1001/2023/", "fasilitator"),
    Shot("entri-rt", "/data/33.74.02.1001/2023/rt/{rt}/", "fasilitator"),
    Shot("tugas", "/unduh/33.74/?tahun=2023", "korkot", size=(1100, 360), act=_job_done),
    Shot("impor", "/impor/2023/", "fasilitator", act=_import_dry_run),
    Shot("kelengkapan", "/kelengkapan/33.74/", "askot", size=(1100, 900)),
    Shot("peta", "/peta/33.74/?tahun=2022", size=(1100, 900)),
    Shot("impor-batas", "/batas/impor/", "korkot", size=(1100, 900)),
    Shot("sk", "/wilayah/33.74/sk/", "korkot", longest=1300),
    Shot("rencana", "/rencana/{plan}/", "korkot", size=(1100, 900)),
    Shot("optimasi", OPTIMIZE, "korkot", longest=2000),
    Shot("harga-satuan", "/rencana/harga/33.74/", "admin", size=(1100, 900)),
    Shot("pelatihan-laporan", "/pelatihan/kegiatan/{event}/laporan/", "admin", size=(1200, 900)),
    Shot("pelatihan-presensi", "/pelatihan/hadir/{token}/", size=PHONE, longest=1200, act=_check_in),
    Shot("pelatihan-kebutuhan", "/pelatihan/kebutuhan/{survey}/", "admin", size=(1200, 900)),
)
# Not a page: the map picture that documents and the map page offer as a download.
PICTURES = {"peta-gambar": "/peta/33.74/peta.png?tahun=2022"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> str:
    return subprocess.run([str(NOLKUMUH), *args], env=env, check=True, capture_output=True, text=True).stdout


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`nolkumuh serve` (web server and job worker) in its own process group, once it answers."""
    server = subprocess.Popen(
        [str(NOLKUMUH), "serve"], env={**env, "PORT": str(port)}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("the demo server did not answer within a minute")


def _sign_in(page, server: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Keluar")


def _save_light(png: bytes, target: Path) -> None:
    """The picture with at most COLOURS colours (screenshots are flat colours and text)."""
    raw = target.with_suffix(".raw.png")
    raw.write_bytes(png)
    with Image.open(raw) as image:
        image.convert("RGB").quantize(COLOURS).save(target, "PNG", optimize=True)
    raw.unlink()


def _photograph(browser, server: str, shot: Shot, ids: dict, folder: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": shot.size[0], "height": shot.size[1]}, locale="id-ID", is_mobile=shot.size == PHONE
    )
    page = context.new_page()
    if shot.role:
        _sign_in(page, server, shot.role)
    page.goto(server + shot.path.format(**ids))
    page.wait_for_load_state("load")
    if page.locator("#map").count():
        page.wait_for_selector("#map[data-ready='true']", timeout=30_000)
    if shot.act:
        shot.act(page, server, ids, folder)
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach((i) => { i.loading = 'eager'; })")
    page.wait_for_load_state("networkidle")
    if shot.longest:
        height = min(shot.longest, page.evaluate("document.documentElement.scrollHeight"))
        clip = {"x": 0, "y": 0, "width": shot.size[0], "height": height}
        png = page.screenshot(full_page=True, clip=clip)
    else:
        png = page.screenshot()
    _save_light(png, IMG / f"{shot.name}.png")
    context.close()


def named_in_guide() -> set[str]:
    """The screenshot names docs/panduan.md uses."""
    return set(re.findall(r"\]\(img/([^)]+)\.png\)", (ROOT / "docs" / "panduan.md").read_text("utf-8")))


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("no Chromium found: apt-get install -y chromium")
    missing = named_in_guide() - {s.name for s in SHOTS} - set(PICTURES)
    if missing:
        raise SystemExit(f"docs/panduan.md names screenshots this script does not make: {sorted(missing)}")
    with tempfile.TemporaryDirectory(prefix="nolkumuh-shots-") as folder:
        # a city export of the demo (48 RTs) goes to the background, for the job status page
        env = {**os.environ, "NOLKUMUH_DEMO": "1", "NOLKUMUH_DATA_DIR": folder, "NOLKUMUH_TASK_ROWS": "20"}
        env.pop("DATABASE_URL", None)  # the demo's own SQLite file in the temporary folder
        _run(env, "manage", "migrate", "--noinput", "-v", "0")
        _run(env, "demo")
        ids = json.loads(_run(env, "manage", "shell", "-c", IDS_SCRIPT).split("IDS=", 1)[1])
        port = _free_port()
        server = _serve(env, port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
                for shot in SHOTS:
                    _photograph(browser, f"http://127.0.0.1:{port}", shot, ids, Path(folder))
                    print(f"docs/img/{shot.name}.png")
                browser.close()
            for name, path in PICTURES.items():
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
                    _save_light(response.read(), IMG / f"{name}.png")
                print(f"docs/img/{name}.png")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
