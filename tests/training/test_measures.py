"""Attendance, thresholds, test gains and training-needs gaps against hand-computed values."""

from __future__ import annotations

from fractions import Fraction

import pytest

from nolkumuh.training.measures import (
    PersonGap,
    combined_level,
    expected_at,
    gain,
    gap,
    meets_threshold,
    needs_matrix,
    normalized_gain,
    proposals,
)


@pytest.mark.parametrize(
    ("session_venue", "session_class", "venue", "klass", "expected"),
    [
        (None, None, 1, 10, True),  # event plenary: everyone
        (None, None, None, None, True),
        (1, None, 1, 10, True),  # venue plenary: that venue
        (1, None, 2, 20, False),
        (1, 10, 1, 10, True),  # class session: that class only
        (1, 10, 1, 11, False),
        (1, 10, None, None, False),
    ],
)
def test_who_is_expected_at_a_session(session_venue, session_class, venue, klass, expected):
    assert expected_at(session_venue, session_class, venue, klass) is expected


@pytest.mark.parametrize(
    ("present", "expected", "threshold", "meets"),
    [
        (4, 5, 80, True),
        (79, 100, 80, False),
        (8, 10, 80, True),
        (7, 9, 80, False),
        (0, 0, 80, False),
        (3, 3, 100, True),
    ],
)
def test_attendance_threshold_is_exact_at_the_edge(present, expected, threshold, meets):
    assert meets_threshold(present, expected, threshold) is meets


def test_gain_and_normalized_gain():
    assert gain(50, 70) == 20
    assert normalized_gain(50, 70) == pytest.approx(0.4)
    assert normalized_gain(100, 100) is None
    assert gain(None, 70) is None and normalized_gain(60, None) is None
    assert gain(80, 70) == -10  # a worse post-test is reported, not hidden


def test_combined_level_weights_self_and_supervisor():
    half = Fraction(1, 2)
    assert combined_level(4, 2, half) == 3
    assert combined_level(4, 2, Fraction(3, 4)) == Fraction(5, 2)
    assert combined_level(None, 2, half) == 2
    assert combined_level(3, None, half) == 3
    assert combined_level(None, None, half) is None


def test_gap_is_never_negative():
    assert gap(4, Fraction(5)) == 0
    assert gap(4, Fraction(5, 2)) == Fraction(3, 2)
    assert gap(4, None) is None


GAPS = [
    # person 1 (Semarang, askot): memorandum gap 2 (two competencies: 2 and 1 -> largest counts), kpp 0
    PersonGap(1, "Kota Semarang", "askot", "memorandum", Fraction(2)),
    PersonGap(1, "Kota Semarang", "askot", "memorandum", Fraction(1)),
    PersonGap(1, "Kota Semarang", "askot", "kpp", Fraction(0)),
    # person 2 (Semarang, fasilitator): memorandum 1.5, kpp 0.5
    PersonGap(2, "Kota Semarang", "fasilitator", "memorandum", Fraction(3, 2)),
    PersonGap(2, "Kota Semarang", "fasilitator", "kpp", Fraction(1, 2)),
    # person 3 (Surakarta, fasilitator): memorandum 0.5, kpp 1
    PersonGap(3, "Kota Surakarta", "fasilitator", "memorandum", Fraction(1, 2)),
    PersonGap(3, "Kota Surakarta", "fasilitator", "kpp", Fraction(1)),
]


def test_needs_matrix_by_region_and_by_role():
    by_region = needs_matrix(GAPS, "region", Fraction(1))
    semarang = by_region[("Kota Semarang", "memorandum")]
    assert (semarang.people, semarang.total, semarang.in_need) == (2, Fraction(7, 2), 2)
    assert semarang.average == pytest.approx(1.75)
    assert by_region[("Kota Surakarta", "kpp")].in_need == 1
    by_role = needs_matrix(GAPS, "role", Fraction(1))
    assert by_role[("fasilitator", "kpp")].total == Fraction(3, 2)
    assert by_role[("askot", "kpp")].in_need == 0


def test_proposals_rank_topics_by_total_gap_and_list_who_should_attend():
    proposed = proposals(GAPS, Fraction(1))
    assert [p.topic for p in proposed] == ["memorandum", "kpp"]
    memorandum = proposed[0]
    assert memorandum.total_gap == 4  # 2 + 1.5 + 0.5
    assert memorandum.attendees == [(1, Fraction(2)), (2, Fraction(3, 2))]
    assert memorandum.regions == [("Kota Semarang", 2)]
    assert proposed[1].attendees == [(3, Fraction(1))]


def test_no_proposal_without_a_gap():
    assert proposals([PersonGap(1, "A", "askot", "kpp", Fraction(0))], Fraction(1)) == []
