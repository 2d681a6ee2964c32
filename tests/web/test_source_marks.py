"""The confidence marks of the class bounds and denominators on the profile pages (RULES.md §2, §4)."""

import re

import pytest
from django.urls import reverse

from nolkumuh.baseline.models import DataRound, Submission
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.regions.services import rt_get_or_create
from tests.helpers import set_status
from tests.web.conftest import rt_values


@pytest.fixture
def kelurahan_page(client, users, tree):
    """The profile page of Bandarharjo for a year whose round is scored by ``ruleset_id``."""

    def page(year: int, ruleset_id: str) -> str:
        data_round = DataRound.objects.create(year=year, ruleset_id=ruleset_id, name=f"Data {year}")
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
        rt_record_save(user=users["fasilitator"], round=data_round, rt=rt, values=rt_values())
        set_status(Submission.objects, "approved")
        url = reverse("regions:profile", args=[tree["bandarharjo"].code])
        return client.get(url, {"tahun": year}).content.decode()

    return page


def _class_row(page: str, code: str) -> str:
    """The first cell of the class's row in the table of slum area per class."""
    mark = r'(<span class="muted mark">[^<]*</span>)?'
    match = re.search(rf'<td data-sort="\d+"><span class="badge \w+">{code}</span>[^<]*' + mark, page)
    assert match, f"no row of class {code}"
    return match.group(0)


def test_02_2016_class_bounds_are_shown_as_secondary_with_what_that_means(kelurahan_page):
    page = kelurahan_page(2017, "permen-pupr-02-2016")
    for code in ("KB", "KS", "KR"):
        assert _class_row(page, code).endswith('<span class="muted mark">(sekunder)</span>')
    assert _class_row(page, "TK").endswith('<span class="muted mark">(regulasi)</span>')
    assert "Tanda sumber" in page
    assert "<strong>sekunder</strong> — tidak terlihat dalam teks regulasinya sendiri" in page
    assert "administrator dapat mengubahnya sebagai data ruleset" in page


def test_14_2018_class_bounds_from_the_regulation_carry_no_mark(kelurahan_page):
    page = kelurahan_page(2024, "permen-pupr-14-2018")
    assert _class_row(page, "KR").endswith("kumuh ringan")
    assert "sekunder" not in page and "Tanda sumber" not in page and "pembagi:" not in page


def test_02_2016_denominators_of_4c_4d_6c_are_shown_as_recall(kelurahan_page):
    page = kelurahan_page(2017, "permen-pupr-02-2016")
    rows = re.findall(r"<tr><td>(\w+)</td><td title=.*?</tr>", page)
    marked = re.findall(
        r"<tr><td>(\w+)</td><td title=[^\n]*?\(pembagi: RECALL\)", page.replace("</tr>", "</tr>\n")
    )
    assert len(rows) == 19 and marked == ["4c", "4d", "6c"]
    assert "<strong>RECALL</strong> — belum terkonfirmasi dari sumber primer" in page
