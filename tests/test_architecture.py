"""Import rules of docs/architecture.md: the pure packages never import Django or the apps."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "nolkumuh"
PURE = ("scoring", "exchange", "geo", "guard")
APPS = ("site", "core", "accounts", "regions", "baseline", "planning", "monitoring", "training", "cli")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _pure_files():
    return [p for package in PURE if (SRC / package).exists() for p in sorted((SRC / package).rglob("*.py"))]


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_packages_import_neither_django_nor_the_apps(path):
    for name in _imports(path):
        root = name.split(".")[0]
        assert root != "django", f"{path.name} imports {name}"
        if name.startswith("nolkumuh."):
            assert name.split(".")[1] in PURE, f"{path.name} imports {name}"


def test_scoring_does_not_depend_on_exchange():
    for path in sorted((SRC / "scoring").rglob("*.py")):
        assert not any(n.startswith("nolkumuh.exchange") for n in _imports(path)), path.name
