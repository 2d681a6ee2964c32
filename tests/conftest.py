"""Fixtures for every test: a database that refuses chosen writes (all-or-nothing tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.helpers import refuse_write


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
