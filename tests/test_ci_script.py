"""The CI entry point (.ci/run): it runs the README's test command on both databases, and stops only
the processes it started (issue 12: it once stopped processes by name with `pkill -f`, which would
stop anyone's server on a shared machine)."""

import re
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
