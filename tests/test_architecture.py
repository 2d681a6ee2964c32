"""Import rules of docs/architecture.md: the floors, and the pure packages never import Django or the apps."""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "nolkumuh"
PURE = ("scoring", "planmath", "exchange", "geo", "guard")

# The floors of docs/architecture.md ("Floors"): a module imports its own floor and the floors
# below, never a higher one (not even inside a function). `nolkumuh` is the root __init__.py,
# which only holds the version.
FLOORS = {
    "nolkumuh": 0,
    "scoring": 0,
    "planmath": 0,
    "exchange": 0,
    "geo": 0,
    "guard": 0,
    "core": 1,
    "regions": 2,
    "accounts": 3,
    "baseline": 4,
    "training": 4,
    "planning": 5,
    "monitoring": 6,
    "portal": 7,
    "demo": 7,
    "site": 7,
    "cli": 7,
    "supervise": 7,
}
FLOOR_NAMES = {
    0: "pure",
    1: "core",
    2: "regions",
    3: "accounts",
    4: "baseline and training",
    5: "planning",
    6: "monitoring",
    7: "entry points",
}
# Same floor, yet they never import each other.
SIBLINGS = {"baseline", "training"}


def _modules() -> list[tuple[str, Path]]:
    """Every module under src/nolkumuh but the migrations, as ("regions.maps", path)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if "migrations" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "nolkumuh"
        found.append((name, path))
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _package_imports(module: str, path: Path) -> list[tuple[int, str, str]]:
    """(line, statement target, nolkumuh package) of every import of a nolkumuh module, wherever it
    stands in the module (function bodies included); relative imports resolved."""
    here = ["nolkumuh", *([] if module == "nolkumuh" else module.split("."))]
    if path.name != "__init__.py":
        here = here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            # `from nolkumuh import x`: x is a package, or a name of the root __init__.py.
            targets = [f"{base}.{alias.name}" for alias in node.names] if base == "nolkumuh" else [base]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            if parts[0] != "nolkumuh":
                continue
            package = parts[1] if len(parts) > 1 else "nolkumuh"
            if not ((SRC / package).is_dir() or (SRC / f"{package}.py").is_file()):
                package = "nolkumuh"
            found.append((node.lineno, target, package))
    return found


def _floor(package: str) -> str:
    return f"floor {FLOORS[package]} {FLOOR_NAMES[FLOORS[package]]}"


def _upward_imports() -> dict[tuple[str, str], list[str]]:
    """Every import to a higher floor or between siblings: (module, package) -> why, per statement."""
    upward: dict[tuple[str, str], list[str]] = {}
    for module, path in _modules():
        own = module.split(".")[0]
        for line, target, package in _package_imports(module, path):
            higher = FLOORS[package] > FLOORS[own]
            sideways = package != own and {package, own} <= SIBLINGS
            if higher or sideways:
                why = "a higher floor" if higher else "its sibling"
                upward.setdefault((module, package), []).append(
                    f"nolkumuh.{module} ({_floor(own)}) imports {target} ({_floor(package)}, {why})"
                    f" at {path.relative_to(SRC.parent)}:{line}"
                )
    return upward


def test_every_package_stands_on_a_floor():
    packages = {module.split(".")[0] for module, _ in _modules()}
    missing = sorted(packages - FLOORS.keys())
    assert not missing, f"give these packages a floor in docs/architecture.md and FLOORS: {missing}"


def test_no_module_imports_a_higher_floor_or_its_sibling():
    new = [why for _key, whys in sorted(_upward_imports().items()) for why in whys]
    assert not new, (
        "a lower floor never imports a higher one, and baseline and training never import each other"
        " (docs/architecture.md, Floors):\n" + "\n".join(new)
    )


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


# Modules that are a page, a form or a task: an app's own business. Another app reaches its data
# through models, services and selectors; only the wiring on the top floor (site's urls, the command
# line) names another app's views.
PAGE_MODULES = ("views", "forms", "tasks")
WIRING = {"site", "cli", "supervise"}


def _is_page_module(target: str) -> bool:
    last = target.split(".")[-1]
    return last in PAGE_MODULES or last.endswith("_views")


def test_apps_import_no_other_apps_views_forms_or_tasks():
    found = []
    for module, path in _modules():
        own = module.split(".")[0]
        if own in WIRING:
            continue
        for line, target, package in _package_imports(module, path):
            if package != own and _is_page_module(target):
                found.append(f"nolkumuh.{module} imports {target} at {path.relative_to(SRC.parent)}:{line}")
    assert not found, "an app imports another app's models, services and selectors only:\n" + "\n".join(found)


def test_the_walker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """The floor test is only as good as its reading of import statements: an upward import hidden
    in a function body, a relative one and a `from nolkumuh import x` are all found."""
    module = tmp_path / "boundaries.py"
    module.write_text(
        "def f():\n"
        "    from nolkumuh.baseline.models import RtRecord\n"
        "    from ..accounts import services\n"
        "    from nolkumuh import planning\n"
    )
    found = {(target, package) for _line, target, package in _package_imports("regions.boundaries", module)}
    assert found == {
        ("nolkumuh.baseline.models", "baseline"),
        ("nolkumuh.accounts", "accounts"),
        ("nolkumuh.planning", "planning"),
    }
    assert all(FLOORS[package] > FLOORS["regions"] for _target, package in found)


def _layout_in_the_docs() -> set[str]:
    """The entries of the `src/nolkumuh/` tree drawn at the top of docs/architecture.md."""
    text = (SRC.parent.parent / "docs" / "architecture.md").read_text("utf-8")
    block = text.split("```")[1]
    return {m[1] for m in re.finditer(r"^  (\w+/|\w+\.py)\s", block, re.MULTILINE)}


def test_the_layout_in_the_docs_is_the_one_in_the_tree():
    tree = {
        f"{p.name}/" if p.is_dir() else p.name
        for p in SRC.iterdir()
        if p.name not in {"__init__.py", "__pycache__"}
        and (p.suffix == ".py" or (p.is_dir() and any(p.iterdir())))
    }
    drawn = _layout_in_the_docs()
    assert drawn == tree, (
        f"only in the docs: {sorted(drawn - tree)}; only in the tree: {sorted(tree - drawn)}"
    )


def test_every_package_of_the_floors_table_is_a_package_of_the_tree():
    text = (SRC.parent.parent / "docs" / "architecture.md").read_text("utf-8")
    table = text[text.index("## Floors") : text.index("A lower floor never imports")]
    named = set(re.findall(r"`(\w+)(?:\.py)?`", table)) & (set(FLOORS) | {p.name for p in SRC.iterdir()})
    assert named >= set(FLOORS) - {"nolkumuh"}, (
        f"not in the floors table: {sorted(set(FLOORS) - named - {'nolkumuh'})}"
    )


def test_scoring_does_not_depend_on_planmath():
    """scoring holds the rules of the regulation; the planning mathematics builds on them, never the
    other way round (docs/architecture.md, Import rules). Relative imports and function bodies count."""
    found = [
        f"nolkumuh.{module} imports {target} at {path.relative_to(SRC.parent)}:{line}"
        for module, path in _modules()
        if module.split(".")[0] == "scoring"
        for line, target, package in _package_imports(module, path)
        if package == "planmath"
    ]
    assert not found, "scoring never imports planmath:\n" + "\n".join(found)
