from decimal import Decimal

import numpy as np
import pytest

from nolkumuh.scoring import apply_handling, assess, handling_contribution, load_ruleset, no_longer_slum
from tests import reference_impl
from tests.helpers import oracle_row, table_of

RULESET = "permen-pupr-14-2018"


def test_handled_volumes_reduce_the_deficit_and_never_below_zero():
    row = oracle_row()
    table = table_of([row])
    handled = {"sampah_sarpras": np.array([42.0]), "jalan_permukaan_rusak": np.array([500.0])}
    after = apply_handling(table, handled)
    assert after["sampah_sarpras"][0] == 0
    assert after["jalan_permukaan_rusak"][0] == 0  # 300 - 500 is clipped at 0
    assert after["jalan_cakupan"][0] == 100  # untouched
    expected = reference_impl.apply_handling(row, {"sampah_sarpras": "42", "jalan_permukaan_rusak": "500"})
    result = assess(after, load_ruleset(RULESET))
    assert int(result.total[0]) == reference_impl.score_row(expected, RULESET)["total"] == 24 - 5 - 3


def test_kumuh_akhir_after_full_handling_leaves_slum_status():
    row = oracle_row()
    ruleset = load_ruleset(RULESET)
    table = table_of([row])
    handled = {key: table[key].copy() for key in ruleset.keys}
    before, after = assess(table, ruleset), assess(apply_handling(table, handled), ruleset)
    assert before.class_codes().tolist() == ["KR"] and not no_longer_slum(before)[0]
    assert after.class_codes().tolist() == ["TK"] and int(after.total[0]) == 0
    assert no_longer_slum(after)[0]
    assert handling_contribution(before, after)[0] == pytest.approx(1.0)


def test_exit_rule_needs_80_percent_service_in_each_infrastructure_aspect():
    # total below the TK bound but drinking water service only 75 %: still counted as slum (KOTAKU)
    row = {**oracle_row(), **{f"v_{k}": "0" for k in load_ruleset(RULESET).keys}}
    row["jumlah_kk"] = "100"
    row["v_air_minum_akses"] = "50"  # 50 % -> score 1
    result = assess(table_of([row]), load_ruleset(RULESET))
    assert result.class_codes().tolist() == ["TK"]
    assert not no_longer_slum(result)[0]
    assert reference_impl.no_longer_slum(reference_impl.score_row(row, RULESET), RULESET) is False
    row["v_air_minum_akses"] = "40"  # aspect average 20 % -> service 80 %: enough
    result = assess(table_of([row]), load_ruleset(RULESET))
    assert no_longer_slum(result)[0]
    assert reference_impl.no_longer_slum(reference_impl.score_row(row, RULESET), RULESET) is True


def test_handling_contribution_is_capped_and_can_be_negative():
    ruleset = load_ruleset(RULESET)
    better, worse = oracle_row(), oracle_row()
    better["v_jalan_permukaan_rusak"] = "0"
    worse["v_jalan_cakupan"] = "400"
    start = assess(table_of([oracle_row(), oracle_row()]), ruleset)
    later = assess(table_of([better, worse]), ruleset)
    got = handling_contribution(start, later)
    for i, row in enumerate((better, worse)):
        expected = reference_impl.contribution(
            reference_impl.score_row(oracle_row(), RULESET)["rata_sektoral"],
            reference_impl.score_row(row, RULESET)["rata_sektoral"],
        )
        assert Decimal(str(round(got[i], 4))) == expected
    assert got[0] > 0 > got[1]


def test_handling_contribution_is_undefined_for_a_clean_start():
    row = {**oracle_row(), **{f"v_{k}": "0" for k in load_ruleset(RULESET).keys}}
    result = assess(table_of([row]), load_ruleset(RULESET))
    assert np.isnan(handling_contribution(result, result)[0])


def test_handled_edges_are_exact():
    # 0.3 - 0.1 is 0.19999999999999998 in floats; the exact value 0.2 over 0.8 ha is 25.00 %
    row = {**oracle_row(), "luas": "0.8", "v_bangunan_kepadatan": "0.3"}
    after = apply_handling(table_of([row]), {"bangunan_kepadatan": np.array([0.1])})
    result = assess(after, load_ruleset(RULESET))
    index = result.ruleset.keys.index("bangunan_kepadatan")
    assert result.hundredths[index, 0] == 2500 and result.scores[index, 0] == 1
