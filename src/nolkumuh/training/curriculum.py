"""The default curriculum and needs questionnaire (data/curriculum.toml), as plain data."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import Any


def default_curriculum() -> list[dict[str, Any]]:
    """Topics in order, each with its competency statements (code, statement, roles, target)."""
    data = tomllib.loads(files("nolkumuh.training").joinpath("data/curriculum.toml").read_text("utf-8"))
    return data["topic"]
