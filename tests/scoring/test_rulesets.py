import tomllib

import pytest

from nolkumuh.scoring import InvalidInput, all_rulesets, load_ruleset, shipped_ids
from nolkumuh.scoring.rulesets import CONFIDENCE_MARKS, parse_ruleset

CUSTOM = """
id = "kota-contoh-2025"
title = "Ruleset uji kota contoh"
sources = ["test"]

[[classes]]
code = "KB"
label = "kumuh berat"
label_en = "heavy slum"
min_total = 10
confidence = "RECALL"

[[classes]]
code = "KS"
label = "kumuh sedang"
label_en = "medium slum"
min_total = 6
confidence = "RECALL"

[[classes]]
code = "KR"
label = "kumuh ringan"
label_en = "light slum"
min_total = 3
confidence = "RECALL"

[[classes]]
code = "TK"
label = "tidak kumuh"
label_en = "not a slum"
min_total = 0
confidence = "RECALL"

[[criteria]]
key = "air_minum_akses"
code = "A"
confidence = "RECALL"

[[criteria]]
key = "air_limbah_sistem"
code = "B"
confidence = "RECALL"

[exit_rule]
confidence = "RECALL"
note = "only water and sanitation"
aspects = [3, 5]
min_service_percent = "90"
"""


def test_shipped_rulesets_have_ids_titles_and_sizes():
    assert shipped_ids() == ("permen-pupr-02-2016", "permen-pupr-14-2018")
    by_id = {r.id: r for r in all_rulesets()}
    assert (len(by_id["permen-pupr-14-2018"].criteria), by_id["permen-pupr-14-2018"].max_total) == (16, 80)
    assert (len(by_id["permen-pupr-02-2016"].criteria), by_id["permen-pupr-02-2016"].max_total) == (19, 95)
    for ruleset in by_id.values():
        assert ruleset.title and ruleset.sources and ruleset.notes["nonphysical"].confidence == "RECALL"


def test_display_code_4c_means_different_criteria():
    assert load_ruleset("permen-pupr-14-2018").by_code()["4c"].key == "drainase_konstruksi_buruk"
    assert load_ruleset("permen-pupr-02-2016").by_code()["4c"].key == "drainase_tidak_terhubung"
    recall = load_ruleset("permen-pupr-02-2016").by_code()["6c"]
    assert recall.denominator == "jumlah_kk" and recall.denominator_confidence == "RECALL"


def test_custom_ruleset_file_loads_with_defaults_for_what_it_does_not_state(tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    ruleset = load_ruleset(str(path))
    assert ruleset.id == "kota-contoh-2025" and ruleset.keys == ("air_minum_akses", "air_limbah_sistem")
    assert ruleset.aspects == (3, 5) and ruleset.max_total == 10
    assert ruleset.exit_min_service_hundredths == 9000
    assert [b.min_hundredths for b in ruleset.bands] == [7600, 5100, 2500]  # from the defaults


def test_bad_custom_ruleset_lists_every_problem(tmp_path):
    text = CUSTOM.replace('key = "air_limbah_sistem"', 'key = "air_limbah_sistme"')
    text = text.replace("min_total = 6", 'min_total = "enam"').replace('code = "B"', 'code = "A"')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_ruleset(str(path))
    lines = caught.value.lines("en")
    assert any("unknown criterion 'air_limbah_sistme'" in line for line in lines)
    assert any("classes[1].min_total: expected a whole number" in line for line in lines)
    assert any("criteria code used twice: a" in line for line in lines)
    assert all(line.startswith("the ruleset file is not valid") for line in lines)


def test_unreadable_and_unknown_rulesets_are_clear_errors(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("id = [", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_ruleset(str(path))
    assert "berkas ruleset tidak sah" in caught.value.lines()[0]
    with pytest.raises(InvalidInput) as caught:
        load_ruleset("permen-pupr-99-2030")
    assert "permen-pupr-14-2018" in caught.value.lines("en")[0]


# The confidence marks RULES.md gives, rule by rule; a mark changed in the data fails here.
NOTE_MARKS = {
    "bands": "REG",
    "exit_rule": "REG",
    "nonphysical": "RECALL",
    "legality": "RECALL",
    "typology": "RECALL",
    "type_matrix": "RECALL",
    "priority": "SECONDARY",
    "handling_pattern": "REG",
}
CLASS_MARKS = {
    "permen-pupr-14-2018": {"KB": "REG", "KS": "REG", "KR": "REG", "TK": "REG"},
    "permen-pupr-02-2016": {"KB": "SECONDARY", "KS": "SECONDARY", "KR": "SECONDARY", "TK": "REG"},
}
DENOMINATOR_RECALL = {"permen-pupr-14-2018": set(), "permen-pupr-02-2016": {"4c", "4d", "6c"}}


@pytest.mark.parametrize("ruleset_id", ["permen-pupr-14-2018", "permen-pupr-02-2016"])
def test_every_mark_of_the_shipped_rulesets_is_the_one_the_rules_give(ruleset_id):
    ruleset = load_ruleset(ruleset_id)
    assert {name: note.confidence for name, note in ruleset.notes.items()} == NOTE_MARKS
    assert {c.code: c.confidence for c in ruleset.classes} == CLASS_MARKS[ruleset_id]
    assert {c.confidence for c in ruleset.criteria} == {"REG"}
    recall = {c.code for c in ruleset.criteria if c.denominator_confidence == "RECALL"}
    assert recall == DENOMINATOR_RECALL[ruleset_id]


def test_02_2016_class_bands_are_secondary_but_below_19_is_regulation():
    ruleset = load_ruleset("permen-pupr-02-2016")
    bands = {c.code: (c.min_total, c.confidence) for c in ruleset.classes}
    assert bands == {
        "KB": (71, "SECONDARY"),
        "KS": (45, "SECONDARY"),
        "KR": (19, "SECONDARY"),
        "TK": (0, "REG"),
    }
    assert any("KB 71-95, KS 45-70, KR 19-44 [SECONDARY" in s for s in ruleset.sources)
    assert any("'below 19 is no longer slum' [REG]" in s for s in ruleset.sources)


def test_a_custom_ruleset_may_mark_a_rule_secondary(tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text(
        CUSTOM.replace('min_total = 10\nconfidence = "RECALL"', 'min_total = 10\nconfidence = "SECONDARY"')
    )
    ruleset = load_ruleset(str(path))
    assert ruleset.slum_class("KB").confidence == "SECONDARY"
    assert CONFIDENCE_MARKS == ("REG", "PRACTICE", "SECONDARY", "RECALL")


@pytest.mark.parametrize("written", ['"SEKUNDER"', '"secondary"', '""', "3"])
def test_an_unknown_mark_is_refused_naming_the_field_and_the_marks_allowed(tmp_path, written):
    path = tmp_path / "custom.toml"
    path.write_text(
        CUSTOM.replace('min_total = 10\nconfidence = "RECALL"', f"min_total = 10\nconfidence = {written}")
    )
    with pytest.raises(InvalidInput) as caught:
        load_ruleset(str(path))
    lines = caught.value.lines("en")
    assert len(lines) == 1, lines
    assert "classes[0].confidence: unknown confidence mark" in lines[0]
    assert "write one of REG, PRACTICE, SECONDARY, RECALL" in lines[0]
    assert "berkas ruleset tidak sah: classes[0].confidence" in caught.value.lines()[0]


def test_a_missing_mark_is_reported_once():
    with pytest.raises(InvalidInput) as caught:
        parse_ruleset(
            tomllib.loads(CUSTOM.replace('min_total = 10\nconfidence = "RECALL"\n', "min_total = 10\n"))
        )
    assert [line for line in caught.value.lines("en") if "classes[0].confidence" in line] == [
        "the ruleset file is not valid: classes[0].confidence: expected text, missing"
    ]
