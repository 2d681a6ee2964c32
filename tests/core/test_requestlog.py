"""The logs: one line per request (method, path, status, duration, user, request id) and per
background job; errors carry the request or job they happened in; secrets never reach the log."""

import io
import logging
import os
import re
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import path

from nolkumuh.core.jobs import Outcome, job_run
from nolkumuh.core.models import Job
from nolkumuh.core.requestlog import LogContextFilter
from tests.test_cli import NOLKUMUH

pytestmark = pytest.mark.django_db


def failing_view(request, token):
    raise RuntimeError("rusak di tengah jalan")


urlpatterns = [path("gagal/<str:token>/", failing_view)]


@contextmanager
def written(name):
    """What the configured console handler writes for records of one logger (its filter and format)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LogContextFilter())
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["line"]["format"]))
    log = logging.getLogger(name)
    log.addHandler(handler)
    try:
        yield stream
    finally:
        log.removeHandler(handler)


def request_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "nolkumuh.request"]


def test_a_request_line_has_method_path_status_duration_user_and_id(client, caplog):
    caplog.set_level(logging.INFO)
    client.force_login(get_user_model().objects.create_user("askot_semarang"))
    response = client.get("/")
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", rid)
    [line] = request_lines(caplog)
    assert re.fullmatch(rf"GET / 200 \d+ms user=askot_semarang id={rid}", line), line


def test_the_public_is_logged_as_a_dash(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/cari/?q=Semarang")
    [line] = request_lines(caplog)
    assert re.fullmatch(r"GET /cari/\?q=Semarang 200 \d+ms user=- id=[0-9a-f]{16}", line), line


def test_a_sane_incoming_request_id_is_kept_and_another_replaced(client, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/", headers={"X-Request-ID": "nginx-4f2a.91:7"})["X-Request-ID"] == "nginx-4f2a.91:7"
    for hostile in ("a" * 65, "dua kata", "baris\nbaru", "<script>"):
        rid = client.get("/", headers={"X-Request-ID": hostile})["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{16}", rid), hostile
    assert all("<script>" not in line and "dua kata" not in line for line in request_lines(caplog))


def test_tokens_in_addresses_and_secret_query_values_are_masked(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/pelatihan/hadir/TokenRahasiaSesi123/?pin=4321&password=sandi99&q=ok&next=/x/")
    [line] = request_lines(caplog)
    assert "TokenRahasiaSesi123" not in line and "4321" not in line and "sandi99" not in line
    assert line.startswith("GET /pelatihan/hadir/***/?pin=***&password=***&q=ok&next=/x/ ")


@pytest.mark.urls(__name__)
def test_an_error_is_logged_with_its_request_id_user_and_masked_path(caplog):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.create_user("fasilitator_x"))
    with written("django.request") as log:
        response = client.get("/gagal/TokenRahasia42/?token=abc123")
    assert response.status_code == 500
    text = log.getvalue()
    rid = response["X-Request-ID"]
    assert "ERROR django.request Internal Server Error: /gagal/***/" in text
    assert f"[id={rid} user=fasilitator_x path=/gagal/***/?token=***]" in text
    assert "RuntimeError: rusak di tengah jalan" in text
    assert "TokenRahasia42" not in text and "abc123" not in text


def test_djangos_not_found_line_carries_the_request_and_no_token(client):
    with written("django.request") as log:
        response = client.get("/pelatihan/hadir/TokenTidakAda77/?pin=9876")
    assert response.status_code == 404
    text = log.getvalue()
    assert "WARNING django.request Not Found: /pelatihan/hadir/***/?pin=*** " in text
    assert f"[id={response['X-Request-ID']} user=- path=/pelatihan/hadir/***/?pin=***]" in text
    assert "TokenTidakAda77" not in text and "9876" not in text


def a_job(kind="export"):
    user = get_user_model().objects.get_or_create(username="pemilik")[0]
    return Job.objects.create(id=uuid.uuid4(), kind=kind, title="t", user=user, params={})


def test_a_job_has_a_start_and_an_end_line_with_status_duration_and_user(caplog):
    caplog.set_level(logging.INFO)
    job = a_job()
    job_run(job_id=str(job.pk), work=lambda job: Outcome(messages=["12 baris"]))
    lines = [r.getMessage() for r in caplog.records if r.name == "nolkumuh.job"]
    assert lines[0] == f"job start {job.pk} kind=export user=pemilik"
    assert re.fullmatch(rf"job end {job.pk} kind=export status=done \d+ms user=pemilik", lines[1])


def test_a_failing_job_is_logged_with_the_job_and_its_owner(caplog):
    caplog.set_level(logging.INFO)
    job = a_job(kind="import")

    def work(job):
        raise RuntimeError("berkas hilang")

    with written("nolkumuh.core.jobs") as log:
        job_run(job_id=str(job.pk), work=work)
    assert f"background job {job.pk} (import) failed [job={job.pk} user=pemilik]" in log.getvalue()
    assert "RuntimeError: berkas hilang" in log.getvalue()
    end = [r.getMessage() for r in caplog.records if r.getMessage().startswith("job end")]
    assert re.fullmatch(rf"job end {job.pk} kind=import status=failed \d+ms user=pemilik", end[0])


def _clean_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOLKUMUH_", "DJANGO_", "DATABASE_"))}
    env.update(NOLKUMUH_DEMO="1", NOLKUMUH_DATA_DIR=str(tmp_path), **extra)
    return env


@pytest.mark.slow
def test_a_sentry_dsn_without_the_client_installed_is_said_at_start(tmp_path):
    # An installation without the `sentry` extra: a package of that name that cannot be imported
    # stands first on the path (the development install has the real client).
    hidden = tmp_path / "hidden" / "sentry_sdk"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = _clean_env(
        tmp_path, NOLKUMUH_SENTRY_DSN="https://k@sentry.example/1", PYTHONPATH=str(hidden.parent)
    )
    done = subprocess.run([NOLKUMUH, "manage", "check"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "NOLKUMUH_SENTRY_DSN diisi, tetapi sentry-sdk belum terpasang" in done.stderr
    assert "pip install 'nolkumuh[sentry]'" in done.stderr


@pytest.mark.slow
def test_with_a_sentry_dsn_an_error_reaches_the_service_without_personal_data(tmp_path):
    """A real client sends a real report to a local receiver standing in for the service."""
    import gzip
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[bytes] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
        script = (
            "import django, sentry_sdk; django.setup()\n"
            "try:\n    raise RuntimeError('uji laporan kesalahan')\n"
            "except RuntimeError:\n    sentry_sdk.capture_exception()\n"
            "sentry_sdk.flush(10)\n"
        )
        env = _clean_env(tmp_path, NOLKUMUH_SENTRY_DSN=dsn, DJANGO_SETTINGS_MODULE="nolkumuh.site.settings")
        python = str(Path(NOLKUMUH).with_name("python"))
        done = subprocess.run([python, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "belum terpasang" not in done.stderr
    finally:
        server.shutdown()
    report = b"".join(received).decode("utf-8", "replace")
    assert "uji laporan kesalahan" in report, "no error report reached the service"
    assert '"environment":"demo"' in report.replace(" ", "")
