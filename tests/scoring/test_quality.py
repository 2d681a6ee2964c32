"""The data-quality checks on small hand-made rounds: each check flags just beyond its threshold
and stays quiet just inside it."""

from __future__ import annotations

import numpy as np
import pytest

from nolkumuh.scoring import load_ruleset
from nolkumuh.scoring.quality import (
    KIND_PARAMS,
    Check,
    QualityData,
    QualityRules,
    check_quality,
    load_quality_rules,
    parse_quality_rules,
)

CRITERIA = [("bangunan_tidak_teratur", "jumlah_bangunan"), ("jalan_cakupan", "panjang_jalan")]
# a plausible RT: 2 ha, 100 buildings (50/ha), 400 people in 100 KK (4 per KK), 10 % and 10 % deficient
GOOD = {
    "luas": 2.0,
    "jumlah_bangunan": 100,
    "jumlah_penduduk": 400,
    "jumlah_kk": 100,
    "panjang_jalan": 500,
    "panjang_drainase": 500,
    "bangunan_tidak_teratur": 10,
    "jalan_cakupan": 50,
}


def rows(*changes: dict[str, float]) -> dict[str, np.ndarray]:
    """Columns of RTs that are GOOD except for the given changes (one dict per RT)."""
    return {k: np.array([c.get(k, v) for c in changes], dtype=np.float64) for k, v in GOOD.items()}


def only(kind: str, **params: object) -> QualityRules:
    return QualityRules(checks=(Check(kind, "perlu_diperiksa", params),))


def flags_of(data: QualityData, rules: QualityRules) -> list[tuple[int, str, str]]:
    return [(f.row, f.kind, f.field) for f in check_quality(data, rules)]


def test_shipped_rules_load_and_name_every_kind():
    rules = load_quality_rules()
    assert {c.kind for c in rules.checks} == set(KIND_PARAMS)
    assert {c.severity for c in rules.checks} == {"peringatan", "perlu_diperiksa"}


def test_rules_file_problems_are_all_named(tmp_path):
    path = tmp_path / "q.toml"
    path.write_text(
        '[[checks]]\nkind = "ratio_range"\nratio = "kk_per_rt"\nlow = 2\nhigh = 7\nseverity = "x"\n'
        '[[checks]]\nkind = "nonsense"\nseverity = "peringatan"\n'
        '[[checks]]\nkind = "header_jump"\nfields = ["luass"]\nseverity = "peringatan"\n'
    )
    with pytest.raises(ValueError) as exc:
        load_quality_rules(path)
    text = str(exc.value)
    assert "unknown ratio 'kk_per_rt'" in text
    assert "severity must be one of" in text
    assert "unknown kind 'nonsense'" in text
    assert "unknown field 'luass'" in text
    assert "max_change is missing" in text


def test_a_disabled_check_does_not_run():
    rules = parse_quality_rules(
        {"checks": [{"kind": "all_zero", "severity": "peringatan", "enabled": False}]}
    )
    assert rules.checks == ()


def test_header_jump_beyond_the_change_and_the_absolute_minimum():
    rules = only("header_jump", fields=["jumlah_kk"], max_change=0.5, min_absolute=5)
    now = rows({"jumlah_kk": 150}, {"jumlah_kk": 151}, {"jumlah_kk": 6}, {"jumlah_kk": 100})
    before = rows({"jumlah_kk": 100}, {"jumlah_kk": 100}, {"jumlah_kk": 2}, {"jumlah_kk": np.nan})
    data = QualityData(now, CRITERIA, previous=before)
    # 150 is exactly +50 %: allowed; 6 after 2 is +200 % but only 4 KK more; no previous record
    assert flags_of(data, rules) == [(1, "header_jump", "jumlah_kk")]
    flag = check_quality(data, rules)[0]
    assert (flag.value, flag.low, flag.high) == (151, 50, 150)
    assert flag.params["previous"] == 100


def test_volume_jump_in_percentage_points():
    rules = only("volume_jump", max_points=50)
    now = rows({"bangunan_tidak_teratur": 60}, {"bangunan_tidak_teratur": 61})
    data = QualityData(now, CRITERIA, previous=rows({}, {}))  # before: 10 %
    assert flags_of(data, rules) == [(1, "volume_jump", "bangunan_tidak_teratur")]
    flag = check_quality(data, rules)[0]
    assert (flag.value, flag.params["previous"], flag.high) == (61, 10, 60)


def test_volume_jump_skips_criteria_the_previous_round_did_not_have():
    before = rows({})
    del before["jalan_cakupan"]
    data = QualityData(rows({"jalan_cakupan": 500}), CRITERIA, previous=before)
    assert flags_of(data, only("volume_jump", max_points=50)) == []


def test_people_per_kk_outside_the_plausible_range():
    rules = only("ratio_range", ratio="jiwa_per_kk", low=2, high=7)
    data = QualityData(
        rows(
            {"jumlah_penduduk": 700},  # 7.0: inside
            {"jumlah_penduduk": 701},  # 7.01
            {"jumlah_penduduk": 199},  # 1.99
            {"jumlah_penduduk": 200},  # 2.0: inside
            {"jumlah_kk": 0},  # no KK: no ratio (the form checks zero denominators)
        ),
        CRITERIA,
    )
    assert flags_of(data, rules) == [(1, "ratio_range", "jiwa_per_kk"), (2, "ratio_range", "jiwa_per_kk")]
    assert check_quality(data, rules)[0].value == pytest.approx(7.01)


def test_buildings_per_hectare_outside_the_plausible_range():
    rules = only("ratio_range", ratio="bangunan_per_ha", low=1, high=300)
    data = QualityData(rows({"jumlah_bangunan": 600}, {"jumlah_bangunan": 601}, {"luas": 0}), CRITERIA)
    assert flags_of(data, rules) == [(1, "ratio_range", "bangunan_per_ha")]


def test_declared_area_against_the_polygon():
    rules = only("area_polygon", max_difference=0.3)
    data = QualityData(
        rows({"luas": 1.3}, {"luas": 1.31}, {"luas": 0.69}, {"luas": 9}),
        CRITERIA,
        polygon_ha=np.array([1.0, 1.0, 1.0, np.nan]),  # the last RT has no polygon
    )
    assert flags_of(data, rules) == [(1, "area_polygon", "luas"), (2, "area_polygon", "luas")]
    assert check_quality(data, rules)[0].params["polygon"] == 1.0


def test_a_row_identical_to_the_previous_year():
    rules = only("same_as_previous")
    data = QualityData(
        rows({}, {"jalan_cakupan": 51}, {}),
        CRITERIA,
        previous=rows({}, {}, {"luas": np.nan}),  # the third RT has no previous record
    )
    assert flags_of(data, rules) == [(0, "same_as_previous", "")]


def test_every_criterion_at_zero():
    rules = only("all_zero")
    data = QualityData(
        rows({"bangunan_tidak_teratur": 0, "jalan_cakupan": 0}, {"bangunan_tidak_teratur": 0}), CRITERIA
    )
    assert flags_of(data, rules) == [(0, "all_zero", "")]


def test_every_criterion_at_its_maximum():
    rules = only("all_max")
    data = QualityData(
        rows(
            {"bangunan_tidak_teratur": 100, "jalan_cakupan": 500},
            {"bangunan_tidak_teratur": 100, "jalan_cakupan": 499},
            {"bangunan_tidak_teratur": 100, "jalan_cakupan": 0, "panjang_jalan": 0},  # no road: not counted
            {"bangunan_tidak_teratur": 0, "jumlah_bangunan": 0, "jalan_cakupan": 0, "panjang_jalan": 0},
        ),
        CRITERIA,
    )
    assert flags_of(data, rules) == [(0, "all_max", ""), (2, "all_max", "")]


def _city(values: list[float]) -> dict[str, np.ndarray]:
    return rows(*({"jumlah_penduduk": 100 * v} for v in values))


def test_city_outlier_by_median_and_mad():
    rules = only("city_outlier", ratios=["jiwa_per_kk"], max_score=3.5, min_rts=10)
    # median 4, MAD 0.5 -> robust sd 0.7413, reach 2.5946: 6.59 is inside, 6.6 and 1.4 are not
    values = [3.5, 4.5, 3.5, 4.5, 3.5, 4.5, 4.0, 4.0, 4.0, 6.59, 6.6, 1.4]
    flags = check_quality(QualityData(_city(values), CRITERIA), rules)
    assert [(f.row, f.field) for f in flags] == [(10, "jiwa_per_kk"), (11, "jiwa_per_kk")]
    assert flags[0].params["median"] == 4.0
    assert flags[0].high == pytest.approx(4 + 3.5 * 1.4826 * 0.5)


def test_city_outlier_compares_within_each_city_and_needs_enough_rts():
    rules = only("city_outlier", ratios=["jiwa_per_kk"], max_score=3.5, min_rts=10)
    values = [3.5, 4.5, 3.5, 4.5, 3.5, 4.5, 4.0, 4.0, 4.0, 6.6]
    small = [3.5, 4.5, 3.5, 4.5, 3.5, 4.5, 4.0, 4.0, 20.0]  # 9 RTs: not checked
    city = np.array(["a"] * 10 + ["b"] * 9)
    data = QualityData(_city(values + small), CRITERIA, city=city)
    assert flags_of(data, rules) == [(9, "city_outlier", "jiwa_per_kk")]
    # the same numbers as one city: 20.0 is far from the median too
    assert (18, "city_outlier", "jiwa_per_kk") in flags_of(
        QualityData(_city(values + small), CRITERIA), rules
    )


def test_only_reported_rows_are_flagged_but_all_make_the_distribution():
    rules = only("city_outlier", ratios=["jiwa_per_kk"], max_score=3.5, min_rts=10)
    values = [3.5, 4.5, 3.5, 4.5, 3.5, 4.5, 4.0, 4.0, 4.0, 6.6, 1.4]
    report = np.zeros(len(values), dtype=bool)
    report[10] = True
    data = QualityData(_city(values), CRITERIA, report=report)
    assert flags_of(data, rules) == [(10, "city_outlier", "jiwa_per_kk")]


def test_fingerprint_follows_the_rts_own_values():
    rules = only("ratio_range", ratio="jiwa_per_kk", low=2, high=7)
    first = check_quality(QualityData(rows({"jumlah_penduduk": 800}), CRITERIA), rules)[0]
    again = check_quality(QualityData(rows({"jumlah_penduduk": 800, "luas": 3}), CRITERIA), rules)[0]
    other = check_quality(QualityData(rows({"jumlah_penduduk": 801}), CRITERIA), rules)[0]
    assert first.fingerprint == again.fingerprint != other.fingerprint


def test_a_plausible_rt_raises_no_flag_under_the_shipped_rules():
    ruleset = load_ruleset("permen-pupr-14-2018")
    criteria = [(c.key, c.denominator) for c in ruleset.criteria]
    columns = {
        k: np.array([v]) for k, v in GOOD.items() if k not in ("bangunan_tidak_teratur", "jalan_cakupan")
    }
    for key, denominator in criteria:
        columns[key] = columns[denominator] * 0.2
    previous = {k: v * 1.1 for k, v in columns.items()}
    data = QualityData(columns, criteria, previous=previous, polygon_ha=np.array([2.1]))
    assert check_quality(data) == []


def test_many_rts_are_checked_at_once():
    n = 5000
    rng = np.random.default_rng(1)
    columns = {k: np.full(n, float(v)) for k, v in GOOD.items()}
    columns["jumlah_penduduk"] = rng.normal(400, 30, n).round()
    columns["jumlah_penduduk"][[7, 4000]] = [2000, 50]
    flags = check_quality(QualityData(columns, CRITERIA, city=np.repeat([1, 2], n // 2)))
    rows_flagged = {f.row for f in flags if f.field == "jiwa_per_kk"}
    assert {7, 4000} <= rows_flagged


def test_docs_describe_every_shipped_check_and_say_it_is_not_regulation():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "quality.md").read_text("utf-8")
    assert "not regulation" in text
    for check in load_quality_rules().checks:
        assert f"`{check.kind}`" in text, f"docs/quality.md does not describe {check.kind}"
        for name, value in check.params.items():
            if isinstance(value, int | float) and name not in ("low", "high"):
                assert f"`{name} = {value}`" in text, f"docs/quality.md: {check.kind} {name} = {value}"


def test_the_rules_file_says_it_is_not_regulation():
    from importlib import resources

    text = resources.files("nolkumuh.scoring").joinpath("data/quality.toml").read_text("utf-8")
    assert "NOT regulation" in text
