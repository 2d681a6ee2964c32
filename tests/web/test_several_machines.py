"""Past one machine: two `nolkumuh serve` processes, each with its own data folder and its own
background worker (as two machines would have), share one PostgreSQL database, the cache in it
(NOLKUMUH_CACHE=database) and a shared files folder (NOLKUMUH_MEDIA_DIR). Jobs started through both
run exactly once, their files download through either, the pages agree, and what one process
counts (login throttling) the other sees.

PostgreSQL only (SQLite is one machine's file); the ports come from the operating system, or from
NOLKUMUH_TEST_PORTS (e.g. 8621-8639) where a machine's ports are shared out between users."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import global_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.core.models import Job
from nolkumuh.exchange.synthetic import generate_rows
from nolkumuh.scoring import load_ruleset
from tests.exchange.conftest import PLACES, write_csv
from tests.test_cli import NOLKUMUH
from tests.web.conftest import PASSWORD
from tests.web.test_worker_faults import worker_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

JOBS = 20
LOCKED = "Coba lagi dalam 15 menit"
CACHE_TABLES = ("nolkumuh_cache", "nolkumuh_counters")


def ports(count: int) -> list[int]:
    """``count`` free ports: from NOLKUMUH_TEST_PORTS (a range "first-last") when set, else any."""
    wanted = os.environ.get("NOLKUMUH_TEST_PORTS", "")
    candidates = range(int(wanted.split("-")[0]), int(wanted.split("-")[1]) + 1) if wanted else [0] * count
    found = []
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            found.append(probe.getsockname()[1])
        if len(found) == count:
            return found
    raise AssertionError(f"no {count} free ports in {wanted}")


def rt_file(tmp_path, name: str, first: int, last: int):
    """An RT file of Bandarharjo with RT 001-... numbered ``first``..``last`` (1-based, inclusive)."""
    rows = generate_rows(
        PLACES[:1], ruleset=load_ruleset("permen-pupr-14-2018"), years=[2024], rts_per_kelurahan=last
    )
    for n, row in enumerate(rows):
        row["rw"], row["rt"] = "001", f"{n + 1:03d}"
    return write_csv(tmp_path / name, rows[first - 1 : last])


def rts_import(user, round, path) -> None:
    plan = import_plan(user=user, round=round, path=path)
    assert plan.ok, [i.line() for i in plan.issues]
    import_apply(user=user, plan=plan)


class Browser:
    """One browser: its own cookies, no redirects followed (a redirect is an answer to look at)."""

    def __init__(self, base: str, **cookies: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        for name, value in cookies.items():
            self.jar.set_cookie(http.cookiejar.Cookie(
                0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, True,
                None, None, {},
            ))  # fmt: skip

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), Stay)

    def at(self, base: str) -> Browser:
        """The same browser (the same cookies) talking to another web process."""
        other = Browser(base)
        other.jar = self.jar
        other.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), *self.opener.handlers[-1:]
        )
        return other

    def get(self, path: str) -> tuple[int, str, bytes]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, bytes]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, bytes]:
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.headers.get("Location", ""), answer.read()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers.get("Location", ""), answer.read()

    def login(self, username: str, password: str) -> tuple[bool, str]:
        """Sign in through the login form; whether it worked, and the page when it did not."""
        page = self.get(reverse("accounts:login"))[2].decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        status, _where, body = self.post(
            reverse("accounts:login"),
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        return status == 302, body.decode()


def same_page(html: bytes) -> str:
    """A page without what differs on every answer (the CSP nonce, the CSRF token)."""
    text = re.sub(r'nonce="[^"]*"', "", html.decode())
    text = re.sub(r'csrf[\w-]*"?[:=]\s*"[^"]*"', "", text, flags=re.IGNORECASE)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def answers(base: str) -> bool:
    try:
        return Browser(base).get(reverse("accounts:login"))[0] == 200
    except OSError:
        return False


def test_two_web_processes_and_two_workers_share_jobs_files_pages_and_counters(
    tmp_path, tree, users, round2024, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("several machines share a PostgreSQL database (DATABASE_URL is not PostgreSQL)")
    rts_import(users["fasilitator"], round2024, rt_file(tmp_path, "first.csv", 1, 6))
    # fasil's password as the served processes check it (the suite's fast hasher stays readable)
    settings.PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, *settings.PASSWORD_HASHERS]
    users["fasilitator"].set_password(PASSWORD)
    users["fasilitator"].save()
    shared = tmp_path / "shared"
    env = worker_env(settings)
    env.update(
        NOLKUMUH_CACHE="database",
        NOLKUMUH_MEDIA_DIR=str(shared),
        NOLKUMUH_TASK_ROWS="1",  # every export of a region is a background job
        NOLKUMUH_JOBS_ACTIVE=str(JOBS),
        NOLKUMUH_JOBS_PER_HOUR=str(JOBS),
    )
    machines = {"a": tmp_path / "machine-a", "b": tmp_path / "machine-b"}
    migrate = [NOLKUMUH, "manage", "migrate", "-v", "0"]
    env_a = {**env, "NOLKUMUH_DATA_DIR": str(machines["a"])}
    done = subprocess.run(migrate, env=env_a, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    servers = []
    try:
        assert set(CACHE_TABLES) <= set(connection.introspection.table_names())  # made by migrate
        bases = {}
        for (name, folder), port in zip(machines.items(), ports(2), strict=True):
            servers.append(subprocess.Popen(
                [NOLKUMUH, "serve", "--port", str(port)], env={**env, "NOLKUMUH_DATA_DIR": str(folder)},
                stdout=subprocess.DEVNULL, start_new_session=True,
            ))  # fmt: skip
            bases[name] = f"http://127.0.0.1:{port}"
        for base in bases.values():
            wait_until(lambda base=base: answers(base), 180, f"{base} to answer")
        session = Client()
        assert session.login(username="korkot", password=PASSWORD)
        korkot = {n: Browser(b, sessionid=session.cookies["sessionid"].value) for n, b in bases.items()}

        # 20 exports asked for at once through both web processes: each is one job, run once
        export = reverse("baseline:export", args=["33.74"]) + "?tahun=2024"
        with ThreadPoolExecutor(max_workers=8) as pool:
            started = list(pool.map(lambda n: korkot["ab"[n % 2]].get(export), range(JOBS)))
        assert [s[0] for s in started] == [302] * JOBS, started[:2]
        wait_until(lambda: Job.objects.filter(status="done").count() == JOBS, 240, "every job to finish")
        jobs = list(Job.objects.all())
        assert len(jobs) == JOBS and {j.attempts for j in jobs} == {1}
        tasks = list(DBTaskResult.objects.all())
        assert len(tasks) == JOBS and {(t.status, len(t.worker_ids)) for t in tasks} == {("SUCCESSFUL", 1)}
        print("jobs per worker:", Counter(t.worker_ids[0] for t in tasks))
        # the file a worker wrote is in the shared folder and downloads through either process
        assert {p.parent for p in (shared / "jobs").iterdir()} == {shared / "jobs"}
        for n, job in enumerate(jobs):
            status, _where, body = korkot["ab"[n % 2]].get(reverse("core:job_download", args=[job.pk]))
            assert status == 200 and body[:2] == b"PK", (status, body[:200])

        # the same page from both; a change of data shows on both
        profile = reverse("regions:profile", args=["33.74"]) + "?tahun=2024"
        before = {n: same_page(b.get(profile)[2]) for n, b in korkot.items()}
        assert before["a"] == before["b"]
        rts_import(users["fasilitator"], round2024, rt_file(tmp_path, "more.csv", 7, 9))
        after = {n: same_page(b.get(profile)[2]) for n, b in korkot.items()}
        assert after["a"] == after["b"] != before["a"]

        # five wrong passwords, three through one process and two through the other: locked on both
        assert Browser(bases["b"]).login("fasil", PASSWORD)[0]  # the right one works until then
        guesser = Browser(bases["a"])
        for n in range(5):
            assert not guesser.at(bases["ab"[n % 2]]).login("fasil", "salah")[0]
        for base in bases.values():
            signed_in, page = guesser.at(base).login("fasil", PASSWORD)
            assert not signed_in and LOCKED in page
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        with connection.cursor() as cursor:
            for table in CACHE_TABLES:
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
