"""Projected kumuh akhir of a plan, checked against hand-computed cases."""

import pytest

from nolkumuh.planmath.activities import default_activities, parse_activities
from nolkumuh.planmath.simulate import PlanLine, handled_volumes, simulate
from nolkumuh.scoring import load_ruleset, no_longer_slum
from nolkumuh.scoring.issues import InvalidInput
from tests import reference_impl
from tests.helpers import oracle_row, table_of

RULESET = "permen-pupr-14-2018"


def test_catalogue_ties_every_activity_to_known_criteria_with_estimated_costs():
    activities = default_activities()
    assert {"jalan_paving", "sambungan_air", "septik_individual", "tps3r", "hidran", "apar"} <= set(
        activities
    )
    assert activities["sambungan_air"].handles == {"air_minum_akses": 1.0, "air_minum_kebutuhan": 1.0}
    assert all(a.unit_cost > 0 for a in activities.values())


def test_a_bad_catalogue_is_refused():
    with pytest.raises(InvalidInput):
        parse_activities(
            {
                "activities": [
                    {"key": "x", "name_id": "x", "unit": "m", "unit_cost": 1, "handles": {"tidak_ada": 1}}
                ]
            }
        )


def test_year_by_year_state_matches_a_hand_computation():
    # the published RT (total 24, KR): a waste cart in 2024 removes 6a (5 points), extinguishers in
    # 2025 remove 7b (5 points): 24 -> 19 (KR) -> 14 (TK)
    table = table_of([oracle_row()])
    ruleset = load_ruleset(RULESET)
    lines = [PlanLine(0, "gerobak_sampah", 1, 2024), PlanLine(0, "apar", 7, 2025)]
    result = simulate(table, ruleset, lines, default_activities())
    assert [s.year for s in result.states] == [2024, 2025]
    assert [int(s.assessment.total[0]) for s in result.states] == [19, 14]
    assert [s.assessment.class_codes()[0] for s in result.states] == ["KR", "TK"]
    handled = reference_impl.apply_handling(oracle_row(), {"sampah_sarpras": "75", "kebakaran_sarana": "35"})
    assert reference_impl.score_row(handled, RULESET)["total"] == 14
    assert (
        result.states[-1].table["kebakaran_sarana"][0] == 0
        and result.states[-1].table["sampah_sarpras"][0] == 0
    )
    assert not no_longer_slum(result.final())[0]  # jalan still 75 % deficient: service level below 80 %


def test_warnings_for_wasted_volume():
    table = table_of([oracle_row()])
    lines = [
        PlanLine(0, "apar", 7, 2024),  # 35 buildings handled, 33 lack extinguishers
        PlanLine(0, "drainase_baru", 10, 2024),  # no ideal drains, no deficit
        PlanLine(0, "jalan_paving", 100, 2024),  # fine: 300 m damaged
    ]
    result = simulate(table, load_ruleset(RULESET), lines, default_activities())
    found = [(w.line, w.code, w.criterion) for w in result.warnings]
    assert (0, "over_handling", "kebakaran_sarana") in found
    assert (1, "not_lacking", "drainase_tidak_tersedia") in found
    assert all(line != 2 for line, _, _ in found)


def test_handled_volumes_add_up_per_rt_and_criterion():
    lines = [
        PlanLine(1, "sumur_bor", 2, 2024),
        PlanLine(1, "sambungan_air", 5, 2025),
        PlanLine(0, "sambungan_air", 3, 2024),
    ]
    handled = handled_volumes(lines, default_activities(), 2, ["air_minum_akses", "air_limbah_sistem"])
    assert handled["air_minum_akses"].tolist() == [3, 85]
    assert handled["air_limbah_sistem"].tolist() == [0, 0]
