"""Province and city pages are computed once per data version and visibility: never stale after a
change, never showing one viewer what only another may see."""

from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from nolkumuh.baseline.models import Submission
from nolkumuh.baseline.services import rt_record_save, submission_transition
from nolkumuh.regions.services import rt_get_or_create
from tests.helpers import set_status
from tests.web.conftest import PASSWORD, rt_values


def test_a_change_shows_at_once_on_the_cached_province_page(users, round2024, tree):
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    set_status(Submission.objects.filter(kelurahan=tree["bandarharjo"]), "approved")
    public = Client()
    url = reverse("regions:profile", args=["33"])
    first = public.get(url).content.decode()
    assert "2,66" in first  # one RT of kumuh ringan, 2.66 ha
    assert "2,66" in public.get(url).content.decode()  # served from the cache
    # unlock, change and approve again: every step is audited, so the page follows
    submission_transition(
        user=users["provinsi"],
        kelurahan=tree["bandarharjo"],
        round=round2024,
        action="unlock",
        reason="ralat luas",
    )
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(luas="3.21"))
    assert "2,66" not in public.get(url).content.decode()  # unapproved again: the public no longer sees it


def test_viewers_with_different_rights_get_different_cached_pages(users, round2024, tree):
    secret = rt_get_or_create(kelurahan=tree["pajang"], rw="007", rt="009")[0]
    rt_record_save(user=users["fasilitator_solo"], round=round2024, rt=secret, values=rt_values(luas="9.87"))
    url = reverse("regions:profile", args=["33.72"])
    assert "9,87" not in Client().get(url).content.decode()
    solo = Client()
    assert solo.login(username=users["fasilitator_solo"].username, password=PASSWORD)
    assert "9,87" in solo.get(url).content.decode()  # their own unapproved data
    assert "9,87" not in Client().get(url).content.decode()  # and the public still not


def test_a_kelurahan_page_is_cached_until_its_own_data_changes_and_not_by_a_change_elsewhere(
    users, round2024, tree
):
    rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    fasil = Client()
    assert fasil.login(username=users["fasilitator"].username, password=PASSWORD)
    url = reverse("regions:profile", args=["33.74.02.1001"])
    assert "2,66" in fasil.get(url).content.decode()  # their own draft
    cached = len(caches["default"]._list_cache_files())
    pajang = rt_get_or_create(kelurahan=tree["pajang"], rw="001", rt="001")[0]
    rt_record_save(user=users["fasilitator_solo"], round=round2024, rt=pajang, values=rt_values(luas="5.55"))
    assert "2,66" in fasil.get(url).content.decode()
    assert len(caches["default"]._list_cache_files()) == cached  # served from the same entry
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(luas="3.21"))
    page = fasil.get(url).content.decode()
    assert "3,21" in page and "2,66" not in page  # its own change: computed again
