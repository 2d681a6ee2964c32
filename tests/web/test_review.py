"""The review of submitted data (issue 13, item 3): per RT and criterion the last approved values
before and the submitted values after (volumes, percentages, scores, total, class), the changed
cells marked, the data-quality flags; refused outside the viewer's scope like every kelurahan page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from nolkumuh.baseline.models import DataRound, RtRecord
from nolkumuh.baseline.review import Pair, kelurahan_review
from nolkumuh.baseline.scoring import record_values, ruleset_of
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.regions.models import Region

pytestmark = pytest.mark.django_db
BANDARHARJO = "33.74.02.1001"  # the demo: 2022 approved, 2023 a draft


def user(name: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=name)


@pytest.fixture
def one_change(demo):  # type: ignore[no-untyped-def]
    """RT 001/002 of Bandarharjo in 2023 given exactly its approved 2022 values except the first
    criterion's volume (all deficient now), then submitted; returns the RT and the criterion."""
    rnd = DataRound.objects.get(year=2023)
    before = RtRecord.objects.get(
        round__year=2022, rt__kelurahan__code=BANDARHARJO, rt__rw="001", rt__rt="002"
    )
    criterion = ruleset_of(rnd.ruleset_id).criteria[0]
    values = {k: str(v) for k, v in record_values(before).items()}
    values[criterion.key] = values["jumlah_bangunan"]  # every building irregular
    assert Decimal(values[criterion.key]) != Decimal(str(before.volumes[criterion.key]))
    rt_record_save(user=user("fasilitator"), round=rnd, rt=before.rt, values=values)
    kelurahan = Region.objects.get(code=BANDARHARJO)
    submission_transition(user=user("fasilitator"), kelurahan=kelurahan, round=rnd, action="submit")
    return before, criterion


def test_the_review_compares_with_the_last_approved_values_and_marks_only_the_changed_criterion(one_change):
    before, criterion = one_change
    review = next(
        r
        for r in kelurahan_review(kelurahan=before.rt.kelurahan, round=DataRound.objects.get(year=2023))
        if r.rt == before.rt
    )
    assert review.before_year == 2022
    changed = [line.code for line in review.criteria if line.changed]
    assert changed == [criterion.code]
    line = review.criteria[0]
    assert Decimal(str(line.volume.before)) == Decimal(str(before.volumes[criterion.key]))
    assert line.percent.after == 1.0 and line.score.after == 5
    assert not any(p.changed for _label, p, _places in review.header)


def test_equal_numbers_written_differently_are_not_a_change():
    assert not Pair("12.50", "12.5").changed and not Pair(3, Decimal("3.0")).changed
    assert Pair(None, "0").changed and Pair("1", "2").changed


def test_the_review_page_shows_before_and_after_with_the_change_marked(one_change):
    before, criterion = one_change
    client = Client()
    client.force_login(user("askot"))
    page = client.get(f"/tinjau/{BANDARHARJO}/2023/").content.decode()
    assert "Tinjau perubahan" in page and "diajukan" in page
    block = re.search(
        rf'<details class="review-rt" data-rt-id="{before.rt.pk}"[^>]*>(.*?)</details>', page, re.S
    )
    block = block.group(1)
    assert "sebelum: data disetujui 2022" in block and "1 kriteria berubah" in block
    rows = re.findall(r'<tr data-criterion="([^"]+)"( class="changed")?>', block)
    assert [code for code, mark in rows if mark] == [criterion.code]
    assert len(rows) == len(ruleset_of("permen-pupr-14-2018").criteria)
    assert "<mark>100,00 %</mark>" in block  # the new percentage, in Indonesian numbers
    # the flags of the kelurahan and the reviewer's steps are on the same page
    assert 'id="kualitas"' in page and 'formaction="/data/33.74.02.1001/2023/verify/"' in page
    # the data page leads here while a decision waits
    data_page = client.get(f"/data/{BANDARHARJO}/2023/").content.decode()
    assert f'href="/tinjau/{BANDARHARJO}/2023/"' in data_page


def test_a_flag_marked_on_the_review_page_returns_to_it_reviewed(one_change):
    from nolkumuh.baseline.quality import stored_flags

    before, _criterion = one_change
    flags = stored_flags(round=DataRound.objects.get(year=2023), code=BANDARHARJO)
    flag = next(f for f in flags if f.rt_id == before.rt.pk)  # the jump of the changed volume
    client = Client()
    client.force_login(user("askot"))
    post = {
        "rt": str(flag.rt_id),
        "kind": flag.kind,
        "field": flag.field,
        "note": "Dicek di lapangan.",
        "back": "review",
    }
    response = client.post(f"/data/{BANDARHARJO}/2023/kualitas/periksa/", post)
    assert response["Location"] == f"/tinjau/{BANDARHARJO}/2023/"
    page = client.get(response["Location"]).content.decode()
    assert "sudah diperiksa · askot" in page and "Dicek di lapangan." in page


@pytest.mark.parametrize(("name", "answer"), [("fasilitator2", 404), ("korkot", 200), ("provinsi", 200)])
def test_the_review_is_refused_outside_the_viewers_scope(demo, name, answer):
    client = Client()
    client.force_login(user(name))
    assert client.get(f"/tinjau/{BANDARHARJO}/2023/").status_code == answer
    assert Client().get(f"/tinjau/{BANDARHARJO}/2023/")["Location"].startswith("/akun/masuk/")
    assert client.get("/tinjau/33.74/2023/").status_code == 404  # a city is no kelurahan
