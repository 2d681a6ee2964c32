"""The plan page groups its warnings by kind: a count per kind, the first lines, the rest behind a
<details> that opens without a script."""

import re

from django.urls import reverse

from nolkumuh.planning.selectors import SHOWN_FIRST, plan_simulation
from nolkumuh.planning.services import plan_line_add
from tests.planning.conftest import line
from tests.web.conftest import PASSWORD

YEARS = (2025, 2026, 2027)


def _far_too_much(users, plan, rts) -> None:  # type: ignore[no-untyped-def]
    """Six lines each handling far more fire protection than any RT lacks."""
    for rt in rts:
        for year in YEARS:
            plan_line_add(user=users["korkot"], plan=plan, line=line(rt, "apar", "999", year, "csr"))


def _group(page: str, kind: str) -> str:
    match = re.search(rf'<div class="warning-group" data-kind="{kind}">(.*?)</div>', page, re.S)
    assert match, f"no group {kind}"
    return match[1]


def test_warnings_are_grouped_by_kind_with_a_count_and_the_rest_behind_details(client, users, plan, rts):
    _far_too_much(users, plan, rts)
    kinds = {kind for _, kind, _ in plan_simulation(plan).warnings}
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert page.count('class="warning-group"') == len(kinds)
    over = _group(page, "over_handling")
    heading = re.search(r"<strong>(\d+) kegiatan melebihi sisa kekurangan</strong>", over)
    count = int(heading[1])
    shown, hidden = over.split("<details>")
    assert shown.count("<li>") == SHOWN_FIRST
    assert f"<summary>Tampilkan {count - SHOWN_FIRST} kegiatan lainnya</summary>" in hidden
    assert hidden.count("<li>") == count - SHOWN_FIRST
    assert "RT 002 / RW 001, apar 2027" in page  # each line once, with its criteria


def test_each_line_is_counted_once_per_kind_however_many_criteria_it_exceeds(users, plan, rts):
    _far_too_much(users, plan, rts)
    simulation = plan_simulation(plan)
    for group in simulation.warning_groups:
        warned = {w_line.pk for w_line, kind, _ in simulation.warnings if kind == group.kind}
        assert group.count == len(warned) == len(group.first) + len(group.rest)


def test_a_few_warnings_need_no_details(client, users, plan, rts):
    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "999", 2025, "csr"))
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "1 kegiatan melebihi sisa kekurangan" in page and "<details><summary>Tampilkan" not in page


def test_a_plan_without_warnings_shows_no_warning_box(client, users, plan, rts):
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "warning-group" not in page and "Peringatan" not in page
