import pytest

from nolkumuh.scoring import (
    assess_nonphysical,
    handling_pattern,
    is_legal,
    kawasan_type,
    load_ruleset,
    nonphysical_level,
    priority_rank,
)
from nolkumuh.scoring.nonphysical import density_score
from tests import reference_impl

RULESET = load_ruleset("permen-pupr-14-2018")
CLASSES = ["KB", "KS", "KR"]
LEVELS = ["tinggi", "sedang", "rendah"]


@pytest.mark.parametrize(
    ("density", "score"),
    [
        ("0", 1),
        ("149.9", 1),
        ("150", 1),
        ("150.5", 1),
        ("151", 3),
        ("200", 3),
        ("200.5", 3),
        ("201", 4),
        ("400", 4),
        ("400.01", 5),
        ("1200", 5),
    ],
)
def test_density_bands(density, score):
    assert density_score(RULESET, density) == score
    assert reference_impl.density_score(reference_impl.Decimal(density)) == score


@pytest.mark.parametrize("strategis", [True, False])
@pytest.mark.parametrize("potensi", [True, False])
@pytest.mark.parametrize("density", ["100", "180", "300", "500"])
def test_nonphysical_sum_and_level_match_the_reference(strategis, potensi, density):
    result = assess_nonphysical(RULESET, strategis=strategis, density=density, potensi=potensi)
    expected = reference_impl.pertimbangan_lain(strategis, reference_impl.Decimal(density), potensi)
    assert (result.total, nonphysical_level(RULESET, result.total)) == expected


def test_level_bounds():
    assert [nonphysical_level(RULESET, s) for s in (15, 11, 10, 6, 5, 3)] == [
        "tinggi",
        "tinggi",
        "sedang",
        "sedang",
        "rendah",
        "rendah",
    ]


@pytest.mark.parametrize("class_code", CLASSES)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("legal", [True, False])
def test_type_priority_and_pattern_cover_the_whole_matrix(class_code, level, legal):
    assert kawasan_type(RULESET, class_code, level, legal) == reference_impl.tipe(class_code, level, legal)
    assert priority_rank(RULESET, class_code, level) == reference_impl.priority_rank(level, class_code)
    assert handling_pattern(RULESET, class_code, legal) == reference_impl.pola_penanganan(class_code, legal)


def test_known_cells_of_the_matrices():
    assert kawasan_type(RULESET, "KB", "tinggi", True) == "A1"
    assert kawasan_type(RULESET, "KR", "rendah", False) == "C6"
    assert kawasan_type(RULESET, "TK", "tinggi", True) is None
    assert priority_rank(RULESET, "KB", "tinggi") == 1 and priority_rank(RULESET, "KR", "rendah") == 9
    assert priority_rank(RULESET, "KR", "tinggi") < priority_rank(RULESET, "KB", "sedang")
    assert handling_pattern(RULESET, "KR", True) == "pemugaran"
    assert handling_pattern(RULESET, "KB", True) == "peremajaan"
    assert handling_pattern(RULESET, "KS", False) == "pemukiman kembali"
    assert handling_pattern(RULESET, "TK", True) is None


def test_legal_only_when_both_checks_are_positive():
    assert is_legal(status_lahan=True, sesuai_tata_ruang=True)
    assert not is_legal(status_lahan=True, sesuai_tata_ruang=False)
    assert not is_legal(status_lahan=False, sesuai_tata_ruang=True)


@pytest.mark.parametrize("ruleset_id", ["permen-pupr-14-2018", "permen-pupr-02-2016"])
def test_priority_of_the_types_a1_to_c6_is_the_order_the_rules_list(ruleset_id):
    # RULES.md §8 [SECONDARY]: a city regulation's appendix ranks A1...C6 as listed here;
    # legality (the odd and even numbers) does not change the priority
    ruleset = load_ruleset(ruleset_id)
    cell = {number: key for key, number in ruleset.type_numbers.items()}
    ranks = {}
    for class_code in CLASSES:
        for number in range(1, 7):
            level, legal = cell[number]
            ranks[kawasan_type(ruleset, class_code, level, legal)] = priority_rank(ruleset, class_code, level)
    assert list(ranks) == [f"{letter}{n}" for letter in "ABC" for n in range(1, 7)]
    assert list(ranks.values()) == [1, 1, 4, 4, 7, 7, 2, 2, 5, 5, 8, 8, 3, 3, 6, 6, 9, 9]
    assert ruleset.notes["priority"].confidence == "SECONDARY"
