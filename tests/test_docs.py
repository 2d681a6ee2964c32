"""The documents state what the code does."""

import re
import subprocess
from pathlib import Path

from nolkumuh.scoring.docs import generated_section

ROOT = Path(__file__).resolve().parent.parent


def test_scoring_doc_tables_equal_the_ruleset_data():
    text = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    assert generated_section() in text, "docs/scoring.md is out of date: run `make docs`"


def test_scoring_doc_says_which_rule_carries_which_mark_as_the_ruleset_data_does():
    from nolkumuh.scoring import all_rulesets

    text = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    table = text.split("### Which rule carries which mark", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    by_section = {where.strip("`[]"): mark for _, mark, where in rows if re.fullmatch(r"`\[\w+\]`", where)}
    for ruleset in all_rulesets():
        for section, note in ruleset.notes.items():
            assert by_section[section].startswith(note.confidence), (ruleset.id, section)
    classes = {rule.split(":")[0]: mark for rule, mark, where in rows if where == "ruleset `[[classes]]`"}
    assert classes == {
        "class bounds 14/2018": "REG",
        "class bounds 02/2016": "SECONDARY",
        "02/2016": "REG",
    }


def test_readme_shows_the_two_commands_and_make_help_lists_the_targets():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make run" in readme and "make test" in readme
    listed = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    targets = set(re.findall(r"make (\w+)", listed))
    assert {"run", "test", "lint", "bench", "docs", "help"} <= targets
    for target in re.findall(r"`make (\w+)`", readme):
        assert target in targets, f"README names make {target}, which make help does not list"


def test_security_doc_lists_every_bound_of_the_bounds_table():
    from nolkumuh.exchange.bounds import bounds

    text = (ROOT / "docs" / "security.md").read_text("utf-8")
    section = text.split("## Batas nilai", 1)[1].split("\n## ", 1)[0]
    for name in bounds():
        assert f"`{name}`" in section, f"docs/security.md (Batas nilai) does not list the bound {name}"
