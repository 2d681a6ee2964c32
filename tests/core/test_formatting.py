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
