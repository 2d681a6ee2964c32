from decimal import Decimal

import numpy as np
import pytest

from nolkumuh.scoring import assess, load_ruleset
from tests import reference_impl
from tests.helpers import oracle_row, table_of

RULESETS = ["permen-pupr-14-2018", "permen-pupr-02-2016"]


def _single(volume: str, denominator: str, ruleset_id: str) -> tuple[int, int]:
    """Hundredths and score of bangunan_tidak_teratur for one volume over jumlah_bangunan."""
    row = oracle_row()
    row["jumlah_bangunan"] = denominator
    row["v_bangunan_tidak_teratur"] = volume
    result = assess(table_of([row]), load_ruleset(ruleset_id))
    return int(result.hundredths[0, 0]), int(result.scores[0, 0])


@pytest.mark.parametrize("ruleset_id", RULESETS)
@pytest.mark.parametrize(
    ("volume", "denominator", "percent", "score"),
    [
        ("0", "100", 0, 0),
        ("24.99", "100", 2499, 0),
        ("24.994", "100", 2499, 0),
        ("24.995", "100", 2500, 1),
        ("25", "100", 2500, 1),
        ("50.99", "100", 5099, 1),
        ("51", "100", 5100, 3),
        ("75.9", "100", 7590, 3),
        ("75.99", "100", 7599, 3),
        ("75.994", "100", 7599, 3),
        ("75.995", "100", 7600, 5),
        ("76", "100", 7600, 5),
        ("100", "100", 10000, 5),
        ("0", "0", 0, 0),
        ("326", "430", 7581, 3),
        ("1", "42", 238, 0),
        ("7", "42", 1667, 0),
    ],
)
def test_band_edges_score_as_the_regulation_says(ruleset_id, volume, denominator, percent, score):
    assert _single(volume, denominator, ruleset_id) == (percent, score)


@pytest.mark.parametrize(
    ("volume", "denominator"),
    # exact half-way quotients whose binary float lands just below the half (7599.499999999999):
    # a plain float computation would give 75.99 -> 3 instead of 76.00 -> 5
    [
        ("0.024995", "0.1"),
        ("0.075995", "0.1"),
        ("0.071393", "0.14"),
        ("0.136791", "0.18"),
        ("0.15199", "0.2"),
        ("0.112189", "0.22"),
    ],
)
def test_rounding_edges_are_settled_in_exact_decimal(volume, denominator):
    row = {**oracle_row(), "luas": denominator, "v_bangunan_kepadatan": volume}
    exact = reference_impl.score_row(row, "permen-pupr-02-2016")
    result = assess(table_of([row]), load_ruleset("permen-pupr-02-2016"))
    index = result.ruleset.keys.index("bangunan_kepadatan")
    assert Decimal(int(result.hundredths[index, 0])) / 100 == exact["persen"]["bangunan_kepadatan"]
    assert result.hundredths[index, 0] % 100 == 0  # 25.00, 51.00 or 76.00: rounded up


def test_published_rt_profile_scores_24_kumuh_ringan():
    result = assess(table_of([oracle_row()]), load_ruleset("permen-pupr-14-2018"))
    ruleset = result.ruleset
    scores = dict(zip(ruleset.keys, result.scores[:, 0].tolist(), strict=True))
    assert scores["jalan_cakupan"] == 1
    assert scores["jalan_permukaan_rusak"] == 3
    assert scores["air_minum_akses"] == 0
    assert scores["air_limbah_sistem"] == scores["air_limbah_sarpras"] == 0
    assert scores["sampah_sarpras"] == scores["sampah_sistem"] == 5
    assert scores["kebakaran_prasarana"] == scores["kebakaran_sarana"] == 5
    assert int(result.total[0]) == 24
    assert result.class_codes().tolist() == ["KR"]
    assert result.hundredths[ruleset.keys.index("air_minum_akses"), 0] == 238


@pytest.mark.parametrize(
    ("ruleset_id", "total", "code"),
    [
        ("permen-pupr-14-2018", 80, "KB"),
        ("permen-pupr-14-2018", 60, "KB"),
        ("permen-pupr-14-2018", 59, "KS"),
        ("permen-pupr-14-2018", 38, "KS"),
        ("permen-pupr-14-2018", 37, "KR"),
        ("permen-pupr-14-2018", 16, "KR"),
        ("permen-pupr-14-2018", 15, "TK"),
        ("permen-pupr-14-2018", 0, "TK"),
        ("permen-pupr-02-2016", 95, "KB"),
        ("permen-pupr-02-2016", 71, "KB"),
        ("permen-pupr-02-2016", 70, "KS"),
        ("permen-pupr-02-2016", 45, "KS"),
        ("permen-pupr-02-2016", 44, "KR"),
        ("permen-pupr-02-2016", 19, "KR"),
        ("permen-pupr-02-2016", 18, "TK"),
    ],
)
def test_class_bounds(ruleset_id, total, code):
    assert load_ruleset(ruleset_id).classify(total).code == code
    assert reference_impl.classify(total, ruleset_id) == code


def test_classes_of_assessed_rows_follow_the_totals():
    ruleset = load_ruleset("permen-pupr-14-2018")
    rows = []
    for share in ("0", "0.3", "0.55", "0.8", "1"):
        row = oracle_row()
        for key in ruleset.keys:
            denominator_field = ruleset.criterion(key).denominator
            denominator = row[denominator_field] if row[denominator_field] != "0" else "0"
            row[f"v_{key}"] = str(Decimal(denominator) * Decimal(share))
        rows.append(row)
    result = assess(table_of(rows), ruleset)
    expected = [reference_impl.score_row(r, ruleset.id)["tingkat"] for r in rows]
    assert result.class_codes().tolist() == expected
    assert result.total.tolist() == [reference_impl.score_row(r, ruleset.id)["total"] for r in rows]


def test_aspect_and_sectoral_averages_match_the_oracle():
    row = oracle_row()
    result = assess(table_of([row]), load_ruleset("permen-pupr-14-2018"))
    expected = reference_impl.score_row(row, "permen-pupr-14-2018")
    aspects = [Decimal(int(v)) / 100 for v in result.aspect_hundredths[:, 0]]
    assert aspects == [expected["rata_aspek"][n] for n in range(1, 8)]
    assert Decimal(int(result.sectoral_hundredths[0])) / 100 == expected["rata_sektoral"] == Decimal("38.27")


def test_the_same_volumes_score_under_either_ruleset():
    row = oracle_row()
    newer = assess(table_of([row]), load_ruleset("permen-pupr-14-2018"))
    older = assess(table_of([row]), load_ruleset("permen-pupr-02-2016"))
    assert newer.hundredths.shape[0] == 16 and older.hundredths.shape[0] == 19
    assert int(older.total[0]) == reference_impl.score_row(row, "permen-pupr-02-2016")["total"]


def test_zero_denominator_with_zero_volume_scores_zero():
    row = oracle_row()
    row["panjang_drainase"] = "0"
    result = assess(table_of([row]), load_ruleset("permen-pupr-14-2018"))
    index = result.ruleset.keys.index("drainase_tidak_tersedia")
    assert result.hundredths[index, 0] == 0 and result.scores[index, 0] == 0


def test_empty_table_gives_empty_assessment():
    table = table_of([oracle_row()])
    table.columns = {k: v[:0] for k, v in table.columns.items()}
    result = assess(table, load_ruleset("permen-pupr-14-2018"))
    assert len(result) == 0 and result.hundredths.shape == (16, 0)
    assert np.asarray(result.class_codes()).size == 0
