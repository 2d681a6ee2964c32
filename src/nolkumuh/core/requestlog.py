"""Logs an operator can follow: one line per request and per background job, and errors with the
request or job they happened in; optional error reports to Sentry (or a compatible service).

- A request line: method, path, status, duration in ms, user, request id
  (``GET /data/33.74.02.1001/2023/ 200 41ms user=askot id=5f0c9a1e2b7d4c3a``). The id comes from
  an incoming ``X-Request-ID`` when it is sane (a proxy's id, so that its log and ours match) and
  is sent back in the ``X-Request-ID`` response header.
- A job line when a background job starts and when it ends (core/jobs.py).
- Every other record logged while a request or job runs (Django's "Internal Server Error", a
  failed job) carries ``[id=… user=… path=…]`` or ``[job=… user=…]`` (LogContextFilter).
- Secrets never reach the log: the values of query parameters named like a token, password, key
  or code, and the tokens in addresses (``/hadir/<token>/``), are written as ``***``.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("nolkumuh.request")
job_logger = logging.getLogger("nolkumuh.job")

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# names of query parameters and URL parts whose values are secrets (not "code": region codes)
SECRET_NAME = re.compile(r"token|pass|sandi|secret|key|sig|pin|uid|otp", re.IGNORECASE)
MASK = "***"
# what the current request or job is, for every record logged meanwhile (LogContextFilter)
# (given whether the user may be looked up: only for warnings and errors, so that INFO costs no query)
_context: ContextVar[Callable[[bool], str] | None] = ContextVar("nolkumuh_log_context", default=None)


def request_id(request: HttpRequest) -> str:
    """The proxy's id when it is sane (short, plain characters), else a new random one."""
    incoming = request.headers.get(HEADER, "")
    return incoming if SANE_ID.match(incoming) else secrets.token_hex(8)


def masked_query(query: str) -> str:
    """The query string with the values of secret-looking parameters replaced by ***."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, MASK if SECRET_NAME.search(k) else v) for k, v in pairs], safe="*/:,")


def masked_path(request: HttpRequest) -> str:
    """The path and query for the log: tokens in the address (URL parts named like a secret) and
    secret query values masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name, value in match.kwargs.items() if match else ():
        if SECRET_NAME.search(name) and isinstance(value, str) and value:
            path = path.replace(value, MASK)
    query = masked_query(request.META.get("QUERY_STRING", ""))
    return f"{path}?{query}" if query else path


def user_label(request: HttpRequest, *, look_up: bool = False) -> str:
    """The user name; ``-`` for the public. A user the request never looked up is looked up only
    when asked (for an error), else ``?``: a log line costs no query."""
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return "-"
        if not look_up:
            return "?"
    try:
        return user.get_username() if user.is_authenticated else "-"
    except Exception:  # the database is down or broken: the log line must still be written
        return "?"


def described(request: HttpRequest, look_up: bool) -> str:
    """The request for a record logged about it: id, user and masked path."""
    rid = getattr(request, "request_id", "-")
    return f"id={rid} user={user_label(request, look_up=look_up)} path={masked_path(request)}"


class RequestLogMiddleware:
    """First in the chain: times everything the other layers do, and answers every response with
    its request id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id(request)
        request.request_id = rid  # type: ignore[attr-defined]
        token = _context.set(lambda look_up: described(request, look_up))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            _context.reset(token)
        duration = round((time.perf_counter() - started) * 1000)
        response[HEADER] = rid
        # INFO even for a 500: Django logs the error itself (with this context), once
        logger.info(
            "%s %s %s %dms user=%s id=%s",
            request.method,
            masked_path(request),
            response.status_code,
            duration,
            user_label(request, look_up=response.status_code >= 500),
            rid,
        )
        return response


@contextmanager
def job_logged(*, job_id: str, kind: str, user: str) -> Iterator[dict[str, str]]:
    """A start line and an end line (status, duration) for a background job; records logged
    inside carry the job. The caller puts the final status into the yielded dict."""
    outcome = {"status": "?"}
    token = _context.set(lambda look_up: f"job={job_id} user={user}")
    job_logger.info("job start %s kind=%s user=%s", job_id, kind, user)
    started = time.perf_counter()
    try:
        yield outcome
    finally:
        duration = round((time.perf_counter() - started) * 1000)
        job_logger.info(
            "job end %s kind=%s status=%s %dms user=%s", job_id, kind, outcome["status"], duration, user
        )
        _context.reset(token)


class LogContextFilter(logging.Filter):
    """Adds ``context`` (`` [id=… user=… path=…]`` or `` [job=… user=…]``, empty outside) to every
    record, and masks the path in Django's own request records ("Not Found: /hadir/<token>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        describe = _context.get()
        request = getattr(record, "request", None)
        if describe is None and isinstance(request, HttpRequest):  # Django's "Not Found", logged
            describe = lambda look_up: described(request, look_up)  # noqa: E731 (after our middleware)
        look_up = record.levelno >= logging.WARNING
        record.context = f" [{describe(look_up)}]" if describe is not None else ""
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            masked = masked_path(request)
            record.args = tuple(masked if arg == request.path else arg for arg in record.args)
        return True


def error_reports_start(dsn: str, *, release: str, environment: str) -> str | None:
    """Send errors to Sentry (or a compatible service) when a DSN is set, without personal data
    (no cookies, user names or addresses) and with secret query values masked. Returns a message
    for the operator when the DSN is set but the client is not installed."""
    if not dsn:
        return None
    try:
        import sentry_sdk
    except ImportError:
        return (
            "NOLKUMUH_SENTRY_DSN diisi, tetapi sentry-sdk belum terpasang: laporan kesalahan tidak "
            "dikirim. Pasang dengan: pip install 'nolkumuh[sentry]' (atau kosongkan NOLKUMUH_SENTRY_DSN)."
        )

    def scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
        request = event.get("request") or {}
        if isinstance(request.get("query_string"), str):
            request["query_string"] = masked_query(request["query_string"])
        return event

    sentry_sdk.init(
        dsn=dsn, send_default_pii=False, release=release, environment=environment, before_send=scrub
    )
    return None
