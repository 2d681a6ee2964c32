"""Sortable tables in Debian's Chromium: a click (or the keyboard) on a header orders the rows,
numbers read in Indonesian format, totals stay at the bottom. Skipped with a reason where no
Chromium is installed, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

from nolkumuh.baseline.imports import import_apply, import_plan
from nolkumuh.baseline.models import Submission
from tests.exchange.conftest import write_xlsx
from tests.helpers import set_status
from tests.web.conftest import _fresh_cache, round2024, tree, users  # noqa: F401
from tests.web.test_browser import browser, page, pytestmark, shot  # noqa: F401
from tests.web.test_imports import rows_for

COLUMN = "t => Array.from(t.tBodies[0].rows).map(r => r.cells[{n}].textContent.trim())"


def indonesian(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_a_click_on_a_numeric_header_sorts_the_rows_and_keeps_the_total_last(
    page, live_server, users, round2024, tree, tmp_path
):
    path = write_xlsx(tmp_path / "b.xlsx", rows_for("33.74.02.1001"))
    import_apply(
        user=users["fasilitator"], plan=import_plan(user=users["fasilitator"], round=round2024, path=path)
    )
    set_status(Submission.objects, "approved")
    page.goto(f"{live_server.url}/wilayah/33.74.02.1001/")  # one row per RT, a total below
    table = page.locator("table:has(tfoot)").last
    header = table.locator("thead th").nth(4)
    assert header.inner_text().startswith("Luas (ha)")
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    values = [indonesian(v) for v in table.evaluate(COLUMN.format(n=4))]
    assert values == sorted(values) and len(values) >= 2
    header.locator("button").focus()
    page.keyboard.press("Enter")  # the header is a real button: the keyboard sorts too
    assert header.get_attribute("aria-sort") == "descending"
    values = [indonesian(v) for v in table.evaluate(COLUMN.format(n=4))]
    assert values == sorted(values, reverse=True)
    assert "Jumlah" in table.locator("tr").last.inner_text()
    shot(page, "tabel-urut")


TABLE = """
<table id="t"><thead><tr><th>Nama</th><th class="n">Nilai</th><th class="n">Bagian</th>
<th class="n">Biaya</th><th data-nosort>Aksi</th></tr></thead>
<tbody>
<tr><td>Émbong</td><td class="n">1.234,5</td><td class="n">87,5 %</td><td class="n">Rp 1.000</td>
<td></td></tr>
<tr><td>cempaka</td><td class="n">–</td><td class="n">9,0 %</td><td class="n">Rp 250</td><td></td></tr>
<tr><td>Bandarharjo</td><td class="n">99,25</td><td class="n">100,0 %</td><td class="n">Rp 12.000.000</td>
<td></td></tr>
<tr><td>dadap</td><td class="n">-3</td><td class="n">–</td><td class="n">–</td><td></td></tr>
</tbody><tfoot><tr><td>Jumlah</td><td class="n">1.330,75</td><td></td><td></td><td></td></tr></tfoot></table>
<table id="off" data-nosort><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
"""


def sorted_by(page, label, clicks=1):
    for _ in range(clicks):
        page.click(f"#t th:has-text('{label}') button")
    return page.eval_on_selector("#t", COLUMN.format(n=0))


def test_indonesian_numbers_percentages_rupiah_and_text_sort_with_empties_last(page, live_server):
    page.goto(f"{live_server.url}/bantuan/")
    page.evaluate(f"document.querySelector('main').innerHTML = `{TABLE}`")
    page.evaluate("import('/static/nolkumuh/table-sort.js').then(m => m.enhanceTables())")
    page.wait_for_selector("#t button.sort")
    assert sorted_by(page, "Nilai") == ["dadap", "Bandarharjo", "Émbong", "cempaka"]
    assert sorted_by(page, "Nilai") == ["Émbong", "Bandarharjo", "dadap", "cempaka"]
    assert sorted_by(page, "Bagian") == ["cempaka", "Émbong", "Bandarharjo", "dadap"]
    assert sorted_by(page, "Biaya") == ["cempaka", "Émbong", "Bandarharjo", "dadap"]
    assert sorted_by(page, "Nama") == ["Bandarharjo", "cempaka", "dadap", "Émbong"]
    assert page.locator("#t tr").last.inner_text().startswith("Jumlah")
    assert page.locator("#t th:has-text('Aksi') button").count() == 0
    assert page.locator("#off button").count() == 0
