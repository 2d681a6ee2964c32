"""Fixtures for every test: each starts in the default language; a database that refuses chosen
writes (all-or-nothing tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.helpers import refuse_write


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language (Indonesian): a request through the test client
    leaves its page language active in the thread, which would turn the next test's messages
    English depending on the order the tests run in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def refuse(db) -> Iterator[Callable[..., None]]:
    """``refuse(table, when, on="INSERT")``: from now until the end of the test the database refuses
    the writes into ``table`` whose new row matches the SQL condition ``when`` (see
    :func:`tests.helpers.refuse_write`); the triggers are dropped at teardown."""
    drops: list[Callable[[], None]] = []

    def make(table: str, when: str, *, on: str = "INSERT") -> None:
        drops.append(refuse_write(table, when, on=on))

    yield make
    for drop in reversed(drops):
        drop()
