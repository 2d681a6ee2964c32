"""The CI entry point (.ci/run): it runs the README's test command on both databases, and stops only
the processes it started (issue 12: it once stopped processes by name with `pkill -f`, which would
stop anyone's server on a shared machine)."""

import re
import subprocess
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / ".ci" / "run"


def _commands() -> list[str]:
    lines = [line.split("#", 1)[0].strip() for line in RUN.read_text("utf-8").splitlines()]
    return [line for line in lines if line]


def test_ci_runs_the_readme_test_command_on_sqlite_and_postgresql():
    commands = _commands()
    assert "make test" in commands
    assert any(re.search(r"DATABASE_URL=postgres://\S+ make test$", c) for c in commands)


def test_ci_never_stops_processes_by_name():
    for command in _commands():
        assert not re.search(r"\b(pkill|killall)\b", command), command


def test_ci_stops_only_the_process_group_it_started():
    commands = _commands()
    kills = [c for c in commands if re.search(r"\bkill\b", c)]
    assert kills, "the smoke test's server must be stopped"
    started = {m[1] for c in commands if (m := re.match(r"(\w+)=\$!$", c))}
    assert started, "the smoke test records the process it started ($!)"
    for command in kills:
        targets = re.findall(r'kill(?: --)? -?"?\$(\w+)"?', command)
        assert targets and set(targets) <= started, command


def test_ci_installs_the_locked_development_tools_before_the_tests_and_checks_the_install_log():
    commands = _commands()
    installs = [i for i, c in enumerate(commands) if re.match(r"make install-dev 2>&1 \| tee ", c)]
    assert installs, "CI must install with `make install-dev` and keep its output"
    assert installs[0] < commands.index("make test"), "the install is checked before the tests run"
    checks = [c for c in commands if re.match(r'if grep -iE "\$licence_warning" "\$install_log"', c)]
    assert checks, "CI must search the install output for a licence warning"
    after_check = commands[commands.index(checks[0]) :]
    assert after_check[2] == "exit 1", "a licence warning must fail the run"


# What setuptools printed before the licence metadata was an SPDX string (issue 16), and what it
# prints for licence classifiers; and what a clean install prints.
SETUPTOOLS_WARNINGS = [
    "BuildBackendWarning: `project.license` as a TOML table is deprecated",
    "SetuptoolsDeprecationWarning: License classifiers are deprecated.",
]
CLEAN_INSTALL = [
    ".venv/bin/python -m pip install --quiet -c requirements/constraints.txt --upgrade pip",
    ".venv/bin/python -m pip install --quiet -c requirements/constraints.txt "
    "--build-constraint requirements/constraints.txt -e '.[dev]'",
]


def test_ci_licence_pattern_finds_setuptools_licence_warnings_and_nothing_in_a_clean_install(tmp_path):
    pattern = next(m[1] for c in _commands() if (m := re.match(r"licence_warning='([^']+)'$", c)))
    for lines, found in ((SETUPTOOLS_WARNINGS, True), (CLEAN_INSTALL, False)):
        log = tmp_path / "install.log"
        log.write_text("\n".join(lines) + "\n", "utf-8")
        grep = subprocess.run(["grep", "-iE", pattern, str(log)], capture_output=True, text=True)
        assert (grep.returncode == 0) is found, (lines, grep.stdout)
        if found:
            assert grep.stdout.splitlines() == lines


def test_ci_stops_a_cascade_of_failures_early_and_says_what_the_machine_had():
    """Stop 24's PostgreSQL run failed every test after the backup tests until the time limit, and
    printed no traceback: CI stops after a few dozen failures (pytest prints them) and reports the
    free disk, memory and open-file limit before each suite and when a step fails."""
    commands = _commands()
    assert 'export PYTEST_ADDOPTS="--maxfail=25"' in commands
    machine = [i for i, c in enumerate(commands) if c == "machine"]
    suites = [i for i, c in enumerate(commands) if c.endswith("make test")]
    assert len(machine) >= 2 and all(i + 1 in suites for i in machine[:2])
    assert any(c.startswith("trap ") and "machine" in c and c.endswith(" ERR") for c in commands)
    report = subprocess.run(
        ["bash", "-c", 'eval "$(sed -n "/^machine()/,/^}/p" "$0")"; machine', str(RUN)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert re.search(r"free on disk .*MB memory available; open files up to \d+", report.stdout)
