"""Numbers on the pages: Rupiah typed and shown with thousands separators (5.000.000.000, in
English 5,000,000,000), a saved form re-submitted as the browser shows it changes nothing, and RW/RT
shown with three digits on the profile, the data page and the export."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from nolkumuh.accounts.models import Role
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.monitoring.models import Activity
from nolkumuh.planning.models import UnitCost
from nolkumuh.regions.models import Rt
from tests.monitoring.test_construction import line, start  # noqa: F401
from tests.web.conftest import PASSWORD, make_user, rt_values

COSTS = reverse("planning:unit_costs", args=["33.74"])


class _Boxes(HTMLParser):
    """The values a browser would send for one form: its inputs, selected options and texts."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio", "submit"):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def boxes(page: str, form_id: str) -> dict[str, str]:
    parser = _Boxes(form_id)
    parser.feed(page)
    return parser.values


def signed_in(username: str, lang: str = "id") -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    if lang == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def admin(tree):
    return make_user("admin", Role.ADMIN)


def test_a_unit_price_with_thousands_separators_is_saved_and_shown_with_them(admin, users):
    client = signed_in("admin")
    client.post(COSTS, {"tahun": "2025", "cost_apar": "5.000.000.000", "note": "SSH"})
    assert UnitCost.objects.get().unit_cost == Decimal("5000000000")
    page = client.get(COSTS, {"tahun": "2025"}).content.decode()
    assert 'name="cost_apar" value="5.000.000.000"' in page
    assert 'inputmode="numeric"' in page
    client.post(COSTS, {"tahun": "2025", "cost_apar": "Rp 5.000.000.000"})  # as pasted from a letter
    assert UnitCost.objects.get().unit_cost == Decimal("5000000000")
    reader = signed_in("korkot")
    assert "5.000.000.000" in reader.get(COSTS, {"tahun": "2025"}).content.decode()


def test_a_unit_price_with_sen_or_commas_for_thousands_is_refused_by_message(admin):
    client = signed_in("admin")
    page = client.post(COSTS, {"tahun": "2025", "cost_apar": "5.000.000,50"}).content.decode()
    assert "Rupiah ditulis tanpa sen (tanpa angka di belakang koma); bulatkan, misalnya 5.000.001" in page
    page = client.post(COSTS, {"tahun": "2025", "cost_apar": "5,000,000"}).content.decode()
    assert "penulisan Rupiah tidak jelas: titik memisahkan ribuan" in page and "5.000.000" in page
    assert 'value="5,000,000"' in page  # what was typed stays in the box
    assert not UnitCost.objects.exists()


def test_in_the_english_interface_a_comma_separates_thousands(admin):
    client = signed_in("admin", "en")
    client.post(COSTS, {"tahun": "2025", "cost_apar": "5,000,000,000"})
    assert UnitCost.objects.get().unit_cost == Decimal("5000000000")
    assert 'value="5,000,000,000"' in client.get(COSTS, {"tahun": "2025"}).content.decode()
    page = client.post(COSTS, {"tahun": "2025", "cost_apar": "5.000.000.000"}).content.decode()
    assert "the amount is ambiguous: in English a comma separates thousands" in page
    assert UnitCost.objects.get().unit_cost == Decimal("5000000000")


@pytest.mark.parametrize(
    ("lang", "typed", "shown"),
    [("id", "Rp 5.000.000.000", "5.000.000.000"), ("en", "5,000,000,000", "5,000,000,000")],
)
def test_a_contract_value_is_shown_with_separators_and_a_saved_form_resubmits_unchanged(
    users, line, lang, typed, shown
):
    activity = start(users, line)
    client = signed_in("korkot", lang)
    edit = reverse("monitoring:activity_edit", args=[activity.pk])
    sent = boxes(client.get(edit).content.decode(), "edit-form")
    assert sent["contract_value"] == ("10.000.000" if lang == "id" else "10,000,000")
    assert sent["latitude"] == ("-6,95" if lang == "id" else "-6.95")
    client.post(edit, {**sent, "contract_value": typed})
    activity.refresh_from_db()
    assert activity.contract_value == Decimal("5000000000")
    assert f"Rp {shown}" in client.get(reverse("monitoring:activity", args=[activity.pk])).content.decode()
    again = boxes(client.get(edit).content.decode(), "edit-form")
    assert again["contract_value"] == shown
    stored = Activity.objects.values().get(pk=activity.pk)
    page = client.post(edit, again)
    assert page.status_code == 302, page.content.decode()
    assert Activity.objects.values().get(pk=activity.pk) == stored


def test_an_rt_typed_as_1_is_shown_as_001_on_the_profile_the_data_page_and_the_export(users, round2024, tree):
    client = signed_in("fasil")
    client.post(reverse("baseline:rt_new", args=["33.74.02.1001", 2024]), {"rw": "2", "rt": "1"})
    rt = Rt.objects.get()
    assert (rt.rw, rt.rt) == ("002", "001")
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    profile = client.get(reverse("regions:rt", args=[rt.pk])).content.decode()
    assert "RT 001 / RW 002" in profile
    data = client.get(reverse("baseline:kelurahan", args=["33.74.02.1001", 2024])).content.decode()
    assert "002/001" in data
    export = client.get(reverse("baseline:export", args=["33.74"]) + "?tahun=2024&format=csv")
    row = b"".join(export.streaming_content).decode().splitlines()[1]
    assert ",002,001," in row or ";002;001;" in row


def test_an_rt_stored_without_its_zeros_is_still_shown_with_three_digits(users, round2024, tree):
    """Rows written before the padding migration or by hand: the display pads, the key still matches."""
    client = signed_in("fasil")
    client.post(reverse("baseline:rt_new", args=["33.74.02.1001", 2024]), {"rw": "2", "rt": "1"})
    Rt.objects.update(rw="2", rt="1")
    rt = Rt.objects.get()
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
    assert "RT 001 / RW 002" in client.get(reverse("regions:rt", args=[rt.pk])).content.decode()
    data = client.get(reverse("baseline:kelurahan", args=["33.74.02.1001", 2024])).content.decode()
    assert "002/001" in data
    export = client.get(reverse("baseline:export", args=["33.74"]) + "?tahun=2024&format=csv")
    assert "002" in b"".join(export.streaming_content).decode().splitlines()[1]
