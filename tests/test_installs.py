"""Installs (issue 16): `make run` installs only what running needs, the development targets add the
development tools, both take every version from the lock file (requirements/constraints.txt), and
the build prints no licence warning (SPDX licence metadata)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
RUN_TARGETS = {"run", "sample", "docs", "messages"}
DEV_TARGETS = {"test", "lint", "format", "bench", "bench-quick", "screenshots"}
DEV_TOOLS = {"pytest", "ruff", "hypothesis", "playwright", "pytest-django", "factory-boy", "openpyxl"}


def _prerequisites() -> dict[str, str]:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    return {m[1]: m[2].strip() for m in re.finditer(r"^([a-z-]+|\$\([A-Z_]+\)):([^=#\n]*)", makefile, re.M)}


def _dry_run(target: str) -> str:
    """The commands `make` would run for ``target`` in a fresh clone (-B: as if nothing was installed)."""
    return subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def _pins() -> dict[str, str]:
    lines = [line.strip() for line in CONSTRAINTS.read_text("utf-8").splitlines()]
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    assert all(len(pin) == 2 for pin in pins), "every line of the lock file pins one exact version"
    return {canonicalize_name(name): version for name, version in pins}


def _closure(requirement: str) -> set[str]:
    """The names of every installed distribution ``requirement`` pulls in on this machine, itself
    included (markers evaluated for this Python, extras followed)."""
    environment = default_environment()
    names: set[str] = set()
    done: set[tuple[str, frozenset[str]]] = set()
    todo = [(Requirement(requirement), frozenset({""}))]  # (requirement, extras asked of its parent)
    while todo:
        req, extras = todo.pop()
        if req.marker and not any(req.marker.evaluate({**environment, "extra": e}) for e in extras):
            continue
        name = canonicalize_name(req.name)
        if (name, frozenset(req.extras)) in done:
            continue
        done.add((name, frozenset(req.extras)))
        names.add(name)
        todo += [
            (Requirement(sub), frozenset({"", *req.extras})) for sub in distribution(name).requires or []
        ]
    return names


def test_running_targets_need_the_run_install_and_development_targets_the_dev_install():
    prerequisites = _prerequisites()
    for target in RUN_TARGETS:
        assert prerequisites[target] == "$(RUN_STAMP)", target
    for target in DEV_TARGETS:
        assert prerequisites[target] == "$(DEV_STAMP)", target
    assert prerequisites["install"] == "$(RUN_STAMP)" and prerequisites["install-dev"] == "$(DEV_STAMP)"
    assert prerequisites["$(DEV_STAMP)"] == "$(RUN_STAMP)"
    assert set(prerequisites["$(RUN_STAMP)"].split()) >= {"pyproject.toml", "$(CONSTRAINTS)"}


def test_make_install_installs_nolkumuh_without_extras_and_install_dev_with_the_dev_extra():
    run, dev = _dry_run("install"), _dry_run("install-dev")
    assert "[dev]" not in run
    assert re.search(r"pip install --quiet -c requirements/constraints\.txt .*-e \.$", run, re.M)
    assert re.search(r"pip install --quiet -c requirements/constraints\.txt .*-e '\.\[dev\]'$", dev, re.M)
    for commands in (run, dev):
        installs = [line for line in commands.splitlines() if " -m pip install " in line]
        assert installs and all("-c requirements/constraints.txt" in line for line in installs), commands
        assert all("--build-constraint requirements/constraints.txt" in line for line in installs[1:])


def test_what_running_needs_pulls_in_none_of_the_development_tools():
    running = _closure("nolkumuh")
    assert not running & DEV_TOOLS, sorted(running & DEV_TOOLS)
    assert _closure("nolkumuh[dev]") >= DEV_TOOLS, "the dev extra brings the tools the dev targets run"


def test_the_lock_file_pins_every_dependency_pyproject_names_within_its_bounds():
    pins = _pins()
    named = [
        *PYPROJECT["build-system"]["requires"],
        *PYPROJECT["project"]["dependencies"],
        *PYPROJECT["project"]["optional-dependencies"]["dev"],
    ]
    for text in named:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{name} is not in requirements/constraints.txt: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), (text, pins[name])
    assert "pip" in pins and "psycopg-binary" in pins  # pip itself and an extra's package


def test_the_lock_file_pins_every_package_of_the_dev_install_and_this_venv_matches_it():
    pins = _pins()
    installed = _closure("nolkumuh[dev]") - {"nolkumuh"}
    missing = sorted(installed - pins.keys())
    assert not missing, f"not locked (transitive dependencies too): {missing}; run `make lock`"
    stale = {n: (distribution(n).version, pins[n]) for n in installed if distribution(n).version != pins[n]}
    assert not stale, f"installed (left) differs from the lock (right): {stale}; run `make install-dev`"


def test_the_licence_is_an_spdx_expression_with_its_file():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]
    licence = (ROOT / "LICENSE").read_text("utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) nolkumuh contributors" in licence
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]  # the first to read SPDX strings


def _install_copy(tmp_path: Path, pyproject: str) -> str:
    """Install a copy of the project (no dependencies) into a new venv through this venv's pip, with
    the lock file for the build too; returns everything pip and the build backend printed."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copy(ROOT / "README.md", source)
    shutil.copy(ROOT / "LICENSE", source)
    (source / "pyproject.toml").write_text(pyproject, "utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    locked = ["-c", str(CONSTRAINTS), "--build-constraint", str(CONSTRAINTS)]
    command = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    done = subprocess.run(
        [*command, "--no-deps", *locked, str(source)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.mark.slow
def test_a_real_install_prints_no_licence_warning_and_records_the_spdx_licence(tmp_path):
    """About 10 s with pip's cache; runs in CI (`make test` runs every test). The control install of
    the old TOML-table licence shows that the check would see setuptools' warning."""
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    output = _install_copy(tmp_path / "now", pyproject)
    assert not re.search(r"licen[cs]e", output, re.I), output
    site = next((tmp_path / "now" / "venv" / "lib").glob("python3.*/site-packages"))
    info = next(site.glob("nolkumuh-*.dist-info"))
    assert "License-Expression: MIT" in (info / "METADATA").read_text("utf-8")
    assert (info / "licenses" / "LICENSE").is_file()

    old = pyproject.replace('license = "MIT"\nlicense-files = ["LICENSE"]', 'license = { text = "MIT" }')
    assert old != pyproject
    assert "`project.license` as a TOML table is deprecated" in _install_copy(tmp_path / "old", old)


def test_the_package_version_comes_from_the_installed_metadata():
    from nolkumuh import __version__

    try:
        installed = distribution("nolkumuh").version
    except PackageNotFoundError:  # pragma: no cover - the test suite runs from `make install-dev`
        pytest.fail("nolkumuh is not installed: run `make install-dev`")
    assert __version__ == installed == PYPROJECT["project"]["version"]
