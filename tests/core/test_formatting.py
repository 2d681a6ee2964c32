from django.utils import translation

from nolkumuh.core.templatetags.nk import num, severity


def test_numbers_are_rounded_half_up_and_grouped_the_indonesian_way():
    with translation.override("id"):
        assert num(3.1999999999999997) == "3,20"
        assert num(1234.5, 0) == "1.235"
        assert num(1.2399, 2) == "1,24"
        assert num(None) == "–"
    with translation.override("en"):
        assert num(1234.567) == "1,234.57"


def test_class_codes_sort_from_tidak_kumuh_to_kumuh_berat():
    codes = ["KS", "TK", "KB", "KR"]
    assert sorted(codes, key=severity) == ["TK", "KR", "KS", "KB"]
    assert severity("??") == ""  # unknown: an empty sort key, placed last by the table script


def test_documents_round_a_number_as_the_pages_do():
    """One rounding for pages and Word reports: 12.25 and 2.675 are stored as binary floats just
    below the half, which plain float formatting rounds down (12,2 and 2,67)."""
    from nolkumuh.core.documents import number

    with translation.override("id"):
        for value, places in ((12.25, 1), (2.675, 2), (1234.5, 0), (-0.005, 2), (10.0, 0)):
            assert number(value, places) == num(value, places)
    assert (number(12.25, 1), number(2.675, 2), number(1234.5, 0)) == ("12,3", "2,68", "1.235")
    assert number(None) == "–" and number(float("nan")) == "NaN"
