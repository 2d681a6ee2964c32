"""Shared helpers for the benchmarks that time web pages (bench_web, bench_scale, bench_geo,
bench_monitoring, bench_training).

Every page is reported twice, in the same run and side by side:

- computed: every cache of the project emptied before each request (``settings.CACHES``: the data
  cache of ``core/cache.py`` and the abuse counters), so the page is computed from the records, as
  the first request after any change to the data is;
- cached: later requests, served from the data cache where the page uses it (pages that do not use
  it show about the same figure twice).

Each with the number of SQL queries of one such request, and as a ratio to a simple baseline
measured in the same run: the sign-in page, which reads no data (the machine is shared, so the
ratios are the figures to compare between runs, not the milliseconds).

The pages are requested by their address through Django's test client (no network), never by
calling view functions, so moving views between apps does not touch the benchmarks.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from typing import Any


def setup_django(prefix: str = "nolkumuh-bench-", data_dir: str | None = None) -> None:
    """Settings for a throw-away demo site in a fresh data folder (SQLite unless DATABASE_URL), or
    for the site in ``data_dir``."""
    os.environ.setdefault("NOLKUMUH_DEMO", "1")
    os.environ["NOLKUMUH_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nolkumuh.site.settings")
    os.environ["NOLKUMUH_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()


def load_demo() -> None:
    """Create the tables and load the demo the way ``nolkumuh demo`` does (wherever the demo code
    lives, the command stays the same); its list of demo logins is not printed."""
    from django.core.management import call_command

    from nolkumuh import cli

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(["demo"])
    if status != 0:
        raise RuntimeError(f"nolkumuh demo ended with status {status}")


def clear_caches() -> None:
    """Empty every cache in settings.CACHES (the data cache and the counters)."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@dataclass(frozen=True)
class PageFigures:
    """Medians in seconds and query counts of one page, computed (caches emptied) and cached."""

    computed: float
    computed_queries: int
    cached: float
    cached_queries: int
    response: Any  # the last cached response (for its size or content)


def _get(client: Any, url: str, headers: dict[str, str]) -> tuple[float, Any]:
    start = time.perf_counter()
    response = client.get(url, **headers)
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}, not 200")
    return seconds, response


def _queries(client: Any, url: str, headers: dict[str, str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _get(client, url, headers)
    return len(queries.captured_queries)


def measure_page(
    client: Any, url: str, *, computed_runs: int = 5, cached_runs: int = 20, **headers: str
) -> PageFigures:
    """One warm-up request (templates, rulesets, code paths), then ``computed_runs`` requests each
    after emptying the caches, then ``cached_runs`` requests as they come; medians of each, and the
    queries of one computed and one cached request (counted apart from the timed ones)."""
    _get(client, url, headers)
    computed = []
    for _ in range(computed_runs):
        clear_caches()
        computed.append(_get(client, url, headers)[0])
    cached = []
    for _ in range(cached_runs):
        seconds, response = _get(client, url, headers)
        cached.append(seconds)
    clear_caches()
    computed_queries = _queries(client, url, headers)
    cached_queries = _queries(client, url, headers)
    return PageFigures(
        statistics.median(computed), computed_queries, statistics.median(cached), cached_queries, response
    )


def measure_baseline(runs: int = 20) -> PageFigures:
    """The sign-in page for an anonymous visitor: what any page costs before it reads data."""
    from django.test import Client
    from django.urls import reverse

    return measure_page(Client(), reverse("accounts:login"), computed_runs=runs, cached_runs=runs)


def _ratio(value: float) -> str:
    return f"x{value:.0f}" if value >= 10 else f"x{value:.1f}"


def page_line(name: str, page: PageFigures, baseline: PageFigures) -> str:
    """One printed row: computed and cached side by side, each with its queries and its ratio to
    the baseline (the sign-in page, cached median)."""
    base = baseline.cached
    return (
        f"  {name:46s} computed {page.computed * 1000:7.1f} ms {page.computed_queries:3d} q"
        f" {_ratio(page.computed / base):>5s} | cached {page.cached * 1000:7.1f} ms"
        f" {page.cached_queries:3d} q {_ratio(page.cached / base):>5s}"
    )


def baseline_line(baseline: PageFigures) -> str:
    """The baseline's own row (its ratios are to itself)."""
    return page_line("baseline: sign-in page (no data)", baseline, baseline)
