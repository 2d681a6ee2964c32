"""The logs: one line per request (method, path, status, duration, user, request id) and per
background job; errors carry the request or job they happened in; secrets never reach the log."""

import io
import logging
import os
import re
import subprocess
import uuid
from contextlib import contextmanager

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


@pytest.mark.slow
def test_a_sentry_dsn_without_the_client_installed_is_said_at_start(tmp_path):
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("sentry-sdk is installed here: the message is for installations without it")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOLKUMUH_", "DJANGO_", "DATABASE_"))}
    env.update(
        NOLKUMUH_DEMO="1", NOLKUMUH_DATA_DIR=str(tmp_path), NOLKUMUH_SENTRY_DSN="https://k@sentry.example/1"
    )
    done = subprocess.run([NOLKUMUH, "manage", "check"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "NOLKUMUH_SENTRY_DSN diisi, tetapi sentry-sdk belum terpasang" in done.stderr
    assert "pip install 'nolkumuh[sentry]'" in done.stderr
