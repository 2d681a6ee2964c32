"""The default curriculum and needs questionnaire (data/curriculum.toml), as plain data."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from typing import Any


def default_curriculum() -> list[dict[str, Any]]:
    """Topics in order, each with its competency statements (code, statement, roles, target)."""
    data = tomllib.loads(files("nolkumuh.training").joinpath("data/curriculum.toml").read_text("utf-8"))
    return data["topic"]


def load_default_curriculum(topic_model: Any, competency_model: Any) -> int:
    """Create the default topics and competencies when there are none (the data migration and the
    test fixtures use it, with whichever model classes they have). Returns the topics created."""
    if topic_model.objects.exists():
        return 0
    items = default_curriculum()
    for order, item in enumerate(items, start=1):
        topic = topic_model.objects.create(code=item["code"], title=item["title"], order=order)
        for c in item.get("competency", []):
            competency_model.objects.create(
                topic=topic, code=c["code"], statement=c["statement"], roles=c["roles"], target=c["target"]
            )
    return len(items)
