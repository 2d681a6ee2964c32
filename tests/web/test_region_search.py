"""Searching regions across the whole country (91,599 regions): by code through the code's index,
by name with the best matches first, bounded."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import code_prefix, region_search
from nolkumuh.regions.services import regions_load_all


@pytest.fixture(scope="module")
def country(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Every province, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        regions_load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def search(country, db):
    def run(query: str, **kwargs: int) -> list[str]:
        regions, _ = region_search(query=query, **kwargs)
        return [r.code for r in regions]

    return run


def names(codes: list[str]) -> list[str]:
    by_code = {r.code: r.display_name for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes]


def test_a_name_finds_the_higher_levels_and_whole_words_first(search):
    assert names(search("jawa")[:3]) == ["Jawa Barat", "Jawa Tengah", "Jawa Timur"]
    found = search("semarang")
    assert names(found[:2]) == ["Kabupaten Semarang", "Kota Semarang"]
    assert names(found[2:4]) == ["Kecamatan Semarang Tengah", "Kecamatan Semarang Utara"]
    assert all("semarang" in n.lower() for n in names(found))
    # a word starting with the query before the same letters inside a word (Sumatera, Kalimantan)
    found = names(search("ma"))
    assert found[:3] == ["Maluku", "Maluku Utara", "Kabupaten Mandailing Natal"]
    assert "Sumatera Utara" not in found and "Kalimantan Barat" not in found


def test_case_and_extra_spaces_do_not_matter(search):
    assert search("  KOTA   semarang ") == search("kota semarang") == ["33.74"]


def test_a_code_finds_the_region_and_those_below_it_in_code_order(search):
    found = search("33.74")
    assert found[:3] == ["33.74", "33.74.01", "33.74.02"]
    assert all(c == "33.74" or c.startswith("33.74.") for c in found)
    assert search("33.74.02.1001") == ["33.74.02.1001"]
    assert search("94")[0] == "94"  # Papua Tengah, one of the newest provinces
    # the region a code names and the level below it, not the thousands of villages under it
    province = search("33", limit=100)
    assert province[0] == "33" and len(province) == 36 and all(len(c) == 5 for c in province[1:])
    assert {len(c) for c in search("33.74.02", limit=100)} == {8, 13}


def test_results_are_bounded_and_a_single_letter_finds_nothing(search):
    assert len(search("an")) == 20
    assert len(search("an", limit=5)) == 5
    assert search("a") == []


def test_a_search_is_two_queries(search, django_assert_num_queries):
    with django_assert_num_queries(2):  # regions with their parents, kawasan
        region_search(query="Bandarharjo")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan wording")
def test_a_code_prefix_is_answered_by_the_index_on_sqlite(country, db):
    plan = Region.objects.filter(code_prefix("33.74")).explain()
    assert "SEARCH" in plan and "USING INDEX" in plan and "code>? AND code<?" in plan


def test_the_search_page_lists_the_matches_with_their_parents(country, db, client):
    page = client.get("/cari/", {"q": "Bandarharjo"}).content.decode()
    assert "Kelurahan Bandarharjo" in page and "Kecamatan Semarang Utara" in page
    assert 'href="/wilayah/33.74.02.1001/"' in page
