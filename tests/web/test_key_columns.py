"""The wide score tables put the key columns (class and total) right after the RT or region name,
so that on a phone they are on the screen before the table scrolls sideways."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from nolkumuh.demo import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


def _headers(path: str, username: str | None = None, table: int = 0) -> list[str]:
    """The header texts of the page's `table`-th table that has a header row, in order."""
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200, path
    heads = re.findall(r"<thead>(.*?)</thead>", response.content.decode(), re.S)
    cells = re.findall(r"<th[^>]*>(.*?)</th>", heads[table], re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_the_kelurahan_data_page_shows_class_and_total_right_after_the_rt(demo):
    headers = _headers("/data/33.74.02.1001/2023/", "fasilitator")
    assert headers[:4] == ["RW/RT", "Tingkat", "Total", "Kawasan"]


def test_a_kelurahan_profile_lists_its_rts_with_class_and_total_first(demo):
    page_tables = [_headers("/wilayah/33.74.02.1001/", None, i) for i in range(3)]
    rts = next(t for t in page_tables if t and t[0] == "Nama")
    assert rts[:3] == ["Nama", "Tingkat", "Total nilai"]


def test_a_kawasan_lists_its_rts_with_class_and_total_first(demo):
    from nolkumuh.regions.models import Kawasan

    kawasan = Kawasan.objects.filter(kabkota__code="33.74").first()
    page_tables = [_headers(f"/kawasan/{kawasan.pk}/", None, i) for i in range(3)]
    rts = next(t for t in page_tables if t and t[0] == "Nama")
    assert rts[:3] == ["Nama", "Tingkat", "Total nilai"]


def test_a_city_lists_its_areas_with_rts_per_class_first(demo):
    page_tables = [_headers("/wilayah/33.74/", None, i) for i in range(3)]
    areas = next(t for t in page_tables if t and t[0] == "Nama")
    assert areas[:3] == ["Nama", "RT per tingkat", "Luas kumuh (ha)"]
