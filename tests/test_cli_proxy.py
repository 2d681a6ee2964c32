"""`nolkumuh serve` behind a reverse proxy: the forwarded client address counts only with
NOLKUMUH_BEHIND_PROXY=1 and only on requests from the trusted proxy (waitress' trusted proxy
settings); otherwise every forwarded header is dropped. Checked with a real server process."""

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.test_cli import NOLKUMUH
from tests.test_cli_serve import free_port

PASSWORD = "rahasia-uji-123"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated SQLite database with one user, shared by the servers of this module."""
    data = tmp_path_factory.mktemp("proxy")
    env = {**os.environ, "NOLKUMUH_DEMO": "1", "NOLKUMUH_DATA_DIR": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    subprocess.run([NOLKUMUH, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    env["DJANGO_SUPERUSER_PASSWORD"] = PASSWORD
    subprocess.run(
        [NOLKUMUH, "manage", "createsuperuser", "--noinput", "--username", "admin", "--email", "a@b.id"],
        env=env,
        check=True,
        timeout=120,
    )
    return env


def serve(env, **settings):
    """Start `nolkumuh serve` with these environment settings and a fresh throttling cache."""
    port = free_port()
    env = {**env, "NOLKUMUH_LOGIN_FAILURE_LIMIT": "2", "NOLKUMUH_TASKS": "immediate", **settings}
    subprocess.run(["rm", "-rf", os.path.join(env["NOLKUMUH_DATA_DIR"], "cache")], check=True)
    server = subprocess.Popen(
        [NOLKUMUH, "serve", "--no-worker", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/akun/masuk/", timeout=30)
            return server, base
        except (urllib.error.URLError, ConnectionError):  # not listening yet
            assert time.time() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.2)


def sign_in(base, password, forwarded_for):
    """One login attempt in a fresh browser, through a proxy that says the client is `forwarded_for`;
    True when signed in."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(base + "/akun/masuk/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "admin", "password": password})
    request = urllib.request.Request(base + "/akun/masuk/", data=body.encode(), method="POST")
    request.add_header("X-Forwarded-For", forwarded_for)
    try:
        opener.open(request)
    except urllib.error.HTTPError as exc:
        return exc.code == 302
    return False


def two_failures_then_another_client(base):
    assert not sign_in(base, "salah", "10.1.1.1")
    assert not sign_in(base, "salah", "10.1.1.1")
    paused = not sign_in(base, PASSWORD, "10.1.1.1")
    return paused, sign_in(base, PASSWORD, "10.2.2.2")


@pytest.mark.slow
def test_behind_the_proxy_two_forwarded_addresses_count_separately(database):
    server, base = serve(database, NOLKUMUH_BEHIND_PROXY="1")
    try:
        paused, other = two_failures_then_another_client(base)
        assert paused, "the guessing client was not paused"
        assert other, "another client behind the same proxy was paused too"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize(
    "settings",
    [{"NOLKUMUH_BEHIND_PROXY": "0"}, {"NOLKUMUH_BEHIND_PROXY": "1", "NOLKUMUH_TRUSTED_PROXY": "10.99.0.1"}],
    ids=["without the flag", "not from the trusted proxy"],
)
def test_a_forwarded_header_is_ignored_unless_it_comes_from_the_trusted_proxy(database, settings):
    server, base = serve(database, **settings)
    try:
        paused, other = two_failures_then_another_client(base)
        assert paused and not other, "a forged X-Forwarded-For header gave the client a new address"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_request_body_above_the_largest_allowed_file_is_cut_off_by_the_server(database):
    """Waitress refuses a body above the guard's largest file (+ 2 MB) before Django stores it."""
    sizes = ",".join(f"{kind}=1" for kind in ("csv", "xlsx", "geojson", "gpkg", "zip", "kml", "kmz", "fgb"))
    server, base = serve(database, NOLKUMUH_MAX_FILE_MB=sizes + ",jpeg=1,png=1,webp=1,tiff=1")
    try:
        assert _status_of_post(base, 2 * 1024 * 1024) == 403  # reached Django (no CSRF token)
        assert _status_of_post(base, 4 * 1024 * 1024) == 413  # refused on its Content-Length
    finally:
        server.terminate()
        server.wait(timeout=30)


def _status_of_post(base: str, length: int) -> int:
    """The status of a POST announcing a body of ``length`` bytes (sent only when not refused)."""
    import contextlib
    import http.client

    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.putrequest("POST", "/akun/masuk/")
    connection.putheader("Content-Length", str(length))
    connection.putheader("Content-Type", "application/octet-stream")
    connection.endheaders()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # answered and closed early
        connection.send(b"x" * length)
    status = connection.getresponse().status
    connection.close()
    return status
