import numpy as np
import pytest

from nolkumuh.scoring import (
    Groups,
    aggregate,
    assess,
    group_counts,
    load_ruleset,
    sanitation_access_hundredths,
    slum_area,
    water_access_hundredths,
)
from tests.helpers import oracle_row, table_of

RULESET = "permen-pupr-14-2018"


def test_kawasan_is_scored_from_summed_volumes_not_averaged_scores():
    # RULES.md section 5: 430 buildings of which 326 irregular -> 75.81 % -> score 3,
    # although one of the two RTs alone is at 100 % (score 5) and the other at 52 % (score 3).
    rows = []
    for buildings, irregular in (("230", "230"), ("200", "96")):
        row = oracle_row()
        row.update({"jumlah_bangunan": buildings, "v_bangunan_tidak_teratur": irregular})
        row.update({"v_kebakaran_prasarana": "0", "v_kebakaran_sarana": "0"})
        rows.append(row)
    summed = aggregate(table_of(rows), Groups.of(["kawasan A", "kawasan A"]))
    result = assess(summed, load_ruleset(RULESET))
    assert summed["jumlah_bangunan"].tolist() == [430]
    assert result.hundredths[0, 0] == 7581 and result.scores[0, 0] == 3


def test_groups_keep_first_appearance_order_and_count_members():
    groups = Groups.of(["b", "a", "b", "c", "a"])
    assert groups.keys == ["b", "a", "c"]
    assert groups.codes.tolist() == [0, 1, 0, 2, 1]
    assert group_counts(groups).tolist() == [2, 2, 1]
    by_int = Groups.of_integers(np.array([7, 3, 7, 9, 3]))
    assert by_int.keys == [7, 3, 9] and by_int.codes.tolist() == [0, 1, 0, 2, 1]


def test_slum_area_sums_luas_of_slum_rts_per_class():
    ruleset = load_ruleset(RULESET)
    slum = oracle_row()  # KR, 2.66 ha
    clean = {**oracle_row(), **{f"v_{k}": "0" for k in ruleset.keys}, "luas": "1.5"}
    heavy = {**oracle_row(), "luas": "0.75"}
    for key in ruleset.keys:
        heavy[f"v_{key}"] = heavy[ruleset.criterion(key).denominator]
    rows = [slum, clean, heavy, slum]
    result = assess(table_of(rows), ruleset)
    assert result.class_codes().tolist() == ["KR", "TK", "KB", "KR"]
    groups = Groups.of(["x", "x", "x", "y"])
    area = slum_area(table_of(rows)["luas"], result, groups)
    assert area.of("KR").tolist() == pytest.approx([2.66, 2.66])
    assert area.of("KB").tolist() == pytest.approx([0.75, 0])
    assert area.of("TK").tolist() == pytest.approx([1.5, 0])
    assert area.slum.tolist() == pytest.approx([3.41, 2.66])


def test_100_0_100_access_is_100_minus_the_household_percentages():
    row = oracle_row()  # air_minum_akses 1 of 42 KK (2.38 %), air_limbah_sistem 7 of 42 (16.67 %)
    result = assess(table_of([row]), load_ruleset(RULESET))
    assert water_access_hundredths(result).tolist() == [9762]
    assert sanitation_access_hundredths(result).tolist() == [8333]


def _numbered_by_dict(keys):
    numbering = {}
    codes = [numbering.setdefault(k, len(numbering)) for k in keys]
    return codes, list(numbering)


@pytest.mark.parametrize("spread", [50, 10**12])  # a lookup table, and ids too far apart for one
def test_integer_groups_number_ids_by_first_appearance_like_a_dict(spread):
    rng = np.random.default_rng(3)
    ids = rng.integers(-spread, spread, 5_000)
    groups = Groups.of_integers(ids)
    codes, keys = _numbered_by_dict(ids.tolist())
    assert groups.codes.tolist() == codes and groups.keys == keys
    assert groups.first_rows().tolist() == [ids.tolist().index(k) for k in keys]


@pytest.mark.parametrize("spread", [30, 10**9])
def test_groups_of_several_integer_columns_are_keyed_by_tuples_in_order_of_appearance(spread):
    rng = np.random.default_rng(4)
    kelurahan, years = rng.integers(0, spread, 3_000), rng.integers(2019, 2024, 3_000)
    groups = Groups.of_columns(kelurahan, years)
    codes, keys = _numbered_by_dict(list(zip(kelurahan.tolist(), years.tolist(), strict=True)))
    assert groups.codes.tolist() == codes and groups.keys == keys
