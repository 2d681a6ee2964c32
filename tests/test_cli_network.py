"""Serving a room of phones: `nolkumuh serve` listens on $HOST (or --host), says how phones on the
same Wi-Fi reach it, and answers the address of NOLKUMUH_PUBLIC_URL."""

import os
import socket
import subprocess
import time
import urllib.request

import pytest

from nolkumuh.cli import build_parser, lan_address, network_hint
from tests.test_cli import NOLKUMUH
from tests.test_cli_serve import free_port


def test_serve_listens_on_localhost_unless_host_says_otherwise(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert build_parser().parse_args(["serve"]).host == "0.0.0.0"
    assert build_parser().parse_args(["serve", "--host", "192.168.1.20"]).host == "192.168.1.20"


def test_no_hint_when_serving_this_machine_only(settings):
    assert network_hint("127.0.0.1", 8000) is None


def test_serving_the_network_suggests_the_public_url_with_this_machines_address(settings):
    settings.NOLKUMUH_PUBLIC_URL = ""
    hint = network_hint("0.0.0.0", 8123)
    address = lan_address()
    if address is None:  # a machine without a network route
        assert "isi NOLKUMUH_PUBLIC_URL dengan http://<alamat-IP-mesin-ini>:8123" in hint
    else:
        assert f"make run HOST=0.0.0.0 NOLKUMUH_PUBLIC_URL=http://{address}:8123" in hint
        assert not address.startswith("127.")


def test_serving_the_network_with_a_public_url_names_it(settings):
    settings.NOLKUMUH_PUBLIC_URL = "http://192.168.1.20:8000"
    assert "membuka http://192.168.1.20:8000/ (NOLKUMUH_PUBLIC_URL; juga di kode QR)" in network_hint(
        "0.0.0.0", 8000
    )


def _get(url, host=None):
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow
def test_serve_on_all_addresses_answers_the_public_address(tmp_path):
    port = free_port()
    address = lan_address() or "127.0.0.1"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOLKUMUH_", "DJANGO_", "DATABASE_"))}
    env.update(
        NOLKUMUH_DEMO="1",
        NOLKUMUH_DATA_DIR=str(tmp_path),
        HOST="0.0.0.0",
        NOLKUMUH_PUBLIC_URL=f"http://{address}:{port}",
    )
    subprocess.run([NOLKUMUH, "manage", "migrate", "-v", "0"], env=env, check=True, timeout=180)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [NOLKUMUH, "serve", "--no-worker", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert f"http://0.0.0.0:{port}/" in server.stdout.readline()
        assert f"membuka http://{address}:{port}/ (NOLKUMUH_PUBLIC_URL" in server.stdout.readline()
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection((address, port), timeout=1).close()
                break
            except OSError:
                assert time.time() < deadline, "the server did not listen"
                time.sleep(0.2)
        status, page = _get(f"http://{address}:{port}/")  # Host: the public address
        assert status == 200 and "nolkumuh" in page.lower()
        status, _page = _get(f"http://127.0.0.1:{port}/", host="elsewhere.example:80")
        assert status == 400  # a host nobody was told about is still refused
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "GET / 200" in (tmp_path / "server.log").read_text()
