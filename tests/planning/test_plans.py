"""Plans on the real database: lines, simulation of kumuh akhir, collaboration, optimizer adoption."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nolkumuh.core.models import AuditEntry
from nolkumuh.planning.models import PlanLine
from nolkumuh.planning.selectors import collaboration_matrix, plan_simulation
from nolkumuh.planning.services import plan_line_add
from nolkumuh.regions.services import rt_get_or_create
from tests.planning.conftest import LINE_ROW, line
from tests.web.conftest import PASSWORD


def test_plan_lines_project_kumuh_akhir_year_by_year(client, users, plan, rts):
    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "gerobak_sampah", "1", 2025))
    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "7", 2026, "csr"))
    simulation = plan_simulation(plan)
    client.login(username="korkot", password=PASSWORD)
    assert [r.year for r in simulation.rows] == ["awal", 2025, 2026, 2027]
    assert [r.slum_rts for r in simulation.rows] == [2, 2, 1, 1]  # RT 001: 24 -> 19 -> 14 (TK)
    assert simulation.rows[-1].freed_rts == 1
    assert simulation.rows[0].slum_ha == pytest.approx(5.32) and simulation.rows[-1].slum_ha == pytest.approx(
        2.66
    )
    # one cart serves 75 KK where 42 lack it; 7 extinguishers serve 35 buildings where 33 lack them
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    group = page.split('data-kind="over_handling"')[1].split("</div>")[0]
    assert "2 kegiatan melebihi sisa kekurangan" in group
    assert "(6a Prasarana dan sarana persampahan tidak sesuai persyaratan teknis)</li>" in group
    assert "sampah_sarpras" not in page and "kebakaran_sarana" not in page
    assert [(w[1], w[2]) for w in simulation.warnings] == [
        ("over_handling", "6a Prasarana dan sarana persampahan tidak sesuai persyaratan teknis"),
        ("over_handling", "7b Ketidaktersediaan sarana proteksi kebakaran"),
    ]
    assert AuditEntry.objects.filter(object_type="plan_line").count() == 2


def test_catalogue_cost_is_used_and_collaboration_sums_by_funder_and_year(users, plan, rts):
    first = plan_line_add(
        user=users["korkot"], plan=plan, line=line(rts[0], "sambungan_air", "10", 2025, "apbn")
    )
    assert first.unit_cost == Decimal("2500000") and first.cost == Decimal("25000000")
    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[1], "apar", "4", 2027, "swadaya"))
    matrix = collaboration_matrix(plan)
    rows = {r["label"]: r for r in matrix["rows"]}
    assert rows["APBN"]["by_year"] == [25_000_000, 0, 0]
    assert rows["Swadaya masyarakat"]["total"] == 6_000_000
    assert matrix["total"] == 31_000_000
    assert sum(r["share"] for r in matrix["rows"]) == pytest.approx(100)


def test_lines_outside_the_plan_are_refused(users, plan, rts, tree):
    other = rt_get_or_create(kelurahan=tree["pajang"], rw="001", rt="001")[0]
    with pytest.raises(ValidationError) as caught:
        plan_line_add(user=users["korkot"], plan=plan, line=line(other, "apar", "1", 2030))
    assert {"rt", "year"} <= set(caught.value.message_dict)
    with pytest.raises(PermissionDenied):
        plan_line_add(user=users["fasilitator"], plan=plan, line=line(rts[0], "apar", "1", 2025))


def test_plan_pages_and_optimizer_adoption(client, users, plan, rts):
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "Proyeksi kumuh akhir per tahun" in page
    url = reverse("planning:optimize", args=[plan.pk])
    query = {"budget": "200000000", "objective": "hectares", "year": "2025"}
    proposal = client.get(url, query).content.decode()
    assert "Terbukti optimal" in proposal and "RT keluar dari status kumuh" in proposal
    reasons = re.findall(r"([^<>;]+): nilai \d → \d", proposal)
    assert reasons and all(re.match(r"\s*[1-7][a-e] [A-Z]", r) for r in reasons), reasons  # "6a Prasarana …"
    assert not any("_" in r for r in reasons)  # never the key (sampah_sarpras)
    client.post(url, {**query, "adopt": "1"})
    assert plan.lines.exists()
    assert plan_simulation(plan).rows[-1].freed_rts >= 1


def test_plans_are_not_visible_outside_the_users_regions(client, users, plan):
    client.login(username="fasil_solo", password=PASSWORD)
    assert client.get(reverse("planning:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("planning:list", args=["33.74"])).status_code == 404
    client.logout()
    assert client.get(reverse("planning:plan", args=[plan.pk])).status_code == 302


def test_word_and_excel_documents_read_back(client, users, plan, rts):
    import io

    import docx
    import openpyxl

    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "gerobak_sampah", "1", 2025, "csr"))
    client.login(username="korkot", password=PASSWORD)
    document = docx.Document(io.BytesIO(client.get(reverse("planning:docx", args=[plan.pk])).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "Memorandum Program Kota Semarang 2025-2027" in text and "Total biaya rencana: Rp 15.000.000" in text
    )
    assert "1 dari 2 RT kumuh" not in text and "0 dari 2 RT kumuh" in text  # 24 -> 19: still KR
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Sumber dana", "2025", "2026", "2027", "Jumlah", "%"] in headers
    assert len(document.inline_shapes) >= 1  # the cost chart
    response = client.get(reverse("planning:xlsx", args=[plan.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["proyeksi", "kegiatan", "kolaborasi", "investasi_kelurahan"]
    assert [c.value for c in book["investasi_kelurahan"][2]] == [
        "33.74.02.1001",
        "Bandarharjo",
        15_000_000,
        0,
        0,
        15_000_000,
    ]
    assert book["kegiatan"]["J2"].value == 15_000_000


def test_plan_lines_from_excel_dry_run_then_all_or_nothing(client, users, plan, rts, tmp_path):
    from tests.exchange.conftest import write_xlsx

    good = dict(LINE_ROW)
    bad = [
        {**good, "kegiatan": "roket"},
        {**good, "tahun": 2031, "sumber_dana": "bank dunia"},
        {**good, "rt": "099"},
        {**good, "volume": "banyak"},
        {**good, "volume": "nan", "tahun": "2025.5", "harga_satuan": "-1"},
    ]
    client.login(username="korkot", password=PASSWORD)
    url = reverse("planning:import", args=[plan.pk])
    with write_xlsx(tmp_path / "salah.xlsx", [good, *bad]).open("rb") as handle:
        page = client.post(url, {"file": handle}).content.decode()
    for expected in (
        "baris 3, kolom kegiatan",
        "baris 4, kolom tahun",
        "baris 4, kolom sumber_dana",
        "baris 5, kolom rt",
        "baris 6, kolom volume",
        "baris 7, kolom volume",
        "baris 7, kolom tahun",
        "baris 7, kolom harga_satuan",
    ):
        assert expected in page
    client.post(url, {"confirm": "1"})
    assert not plan.lines.exists()  # all or nothing
    with write_xlsx(
        tmp_path / "benar.xlsx", [good, {**good, "rt": "2", "kegiatan": "gerobak_sampah", "volume": 1}]
    ).open("rb") as handle:
        assert "2 baris siap ditambahkan" in client.post(url, {"file": handle}).content.decode()
    client.post(url, {"confirm": "1"})
    lines = list(plan.lines.order_by("id"))
    assert [(x.activity, x.source, x.status, x.unit_cost) for x in lines] == [
        ("apar", "csr", "agreed", Decimal("1500000")),
        ("gerobak_sampah", "csr", "agreed", Decimal("15000000")),
    ]
    template = client.get(reverse("planning:template", args=[plan.pk]))
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert book.sheetnames == ["kegiatan", "petunjuk"] and book["kegiatan"]["E1"].value == "kegiatan"


def test_needed_against_committed_per_funder_and_agency(users, plan, rts, tree):
    from nolkumuh.planning.selectors import commitments
    from nolkumuh.regions.models import Kawasan

    rts[0].kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    rts[0].save()
    first = line(rts[0], "apar", "2", 2025, "csr")
    first.status, first.agency = "funded", "PT Baik"
    plan_line_add(user=users["korkot"], plan=plan, line=first)  # Rp 3.000.000 committed
    second = line(rts[1], "apar", "4", 2026, "csr")
    second.agency = "PT Baik"
    plan_line_add(user=users["korkot"], plan=plan, line=second)  # Rp 6.000.000 only proposed
    result = commitments(plan)
    assert result["sources"] == [
        {
            "label": "CSR",
            "needed": 9_000_000,
            "committed": 3_000_000,
            "gap": 6_000_000,
            "kawasan": ["Kawasan Bandarharjo"],
        }
    ]
    assert result["agencies"] == [
        {"agency": "PT Baik", "needed": 9_000_000, "committed": 3_000_000, "gap": 6_000_000}
    ]


def test_a_kawasan_wide_line_is_shared_among_its_rts_by_deficit(users, plan, rts, tree):
    from nolkumuh.regions.models import Kawasan

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    for rt in rts:
        rt.kawasan = kawasan
        rt.save()
    wide = PlanLine(
        kawasan=kawasan,
        activity="gerobak_sampah",
        volume=Decimal("1"),
        unit_cost=None,
        source="apbn",
        year=2025,
    )
    plan_line_add(user=users["korkot"], plan=plan, line=wide)
    # both RTs lack 42 KK of 6a: the 75 KK of one cart are shared 37.5 / 37.5; 6a stays at 10.7 % -> 0
    simulation = plan_simulation(plan)
    assert [r.slum_rts for r in simulation.rows] == [2, 2, 2, 2]
    assert not simulation.warnings
    assert "Kawasan Bandarharjo" in [line.location for line in plan.lines.all()]
    with pytest.raises(ValidationError):
        both = PlanLine(
            rt=rts[0],
            kawasan=kawasan,
            activity="apar",
            volume=Decimal("1"),
            unit_cost=None,
            source="apbn",
            year=2025,
        )
        plan_line_add(user=users["korkot"], plan=plan, line=both)


def test_approved_realizations_give_measured_kumuh_akhir_and_carry_into_the_next_template(
    client, users, plan, rts
):
    import io

    import openpyxl

    from nolkumuh.baseline.models import DataRound
    from nolkumuh.planning.models import Realization

    client.login(username="fasil", password=PASSWORD)
    url = reverse("planning:realization_new", args=["33.74.02.1001", 2024])
    client.post(url, {"rt": rts[0].pk, "activity": "gerobak_sampah", "volume": "1", "tahun": "2025"})
    client.post(url, {"rt": rts[0].pk, "activity": "apar", "volume": "7", "tahun": "2026"})
    done = list(Realization.objects.order_by("id"))
    assert [z.status for z in done] == ["draft", "draft"]
    assert plan_simulation(plan).rows[-1].measured_slum_rts == 2  # nothing approved yet
    for z in done:
        action = reverse("planning:realization_action", args=[z.pk, "submit"])
        client.post(action, {"tahun": "2024"})
    client.logout()
    client.login(username="askot", password=PASSWORD)
    for z in done:
        client.post(reverse("planning:realization_action", args=[z.pk, "verify"]), {"tahun": "2024"})
    client.logout()
    client.login(username="korkot", password=PASSWORD)
    for z in done:
        client.post(reverse("planning:realization_action", args=[z.pk, "approve"]), {"tahun": "2024"})
    assert {z.status for z in Realization.objects.all()} == {"approved"}
    rows = plan_simulation(plan).rows
    assert [r.measured_slum_rts for r in rows[1:]] == [2, 1, 1]  # RT 001: 24 -> 19 (2025) -> 14 (2026)
    # the 2026 template starts from the 2024 values less what was built
    DataRound.objects.create(year=2026, ruleset_id="permen-pupr-14-2018")
    response = client.get(reverse("baseline:template", args=["33.74.02.1001", 2026]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["rt"]
    header = [c.value for c in sheet[2]]  # row 1 holds the words, row 2 the keys
    first = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert (
        first["v_sampah_sarpras"] == 0
        and first["v_kebakaran_sarana"] == 0
        and first["v_jalan_permukaan_rusak"] == 300
    )
    second = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert second["v_sampah_sarpras"] == 42


def test_realization_needs_a_second_person_and_stays_in_scope(client, users, rts, tree):
    from nolkumuh.planning.models import Realization

    client.login(username="fasil_solo", password=PASSWORD)
    url = reverse("planning:realization_new", args=["33.74.02.1001", 2024])
    assert (
        client.post(url, {"rt": rts[0].pk, "activity": "apar", "volume": "1", "tahun": "2025"}).status_code
        == 404
    )
    assert not Realization.objects.exists()


def test_whoever_submitted_a_realization_cannot_verify_it(users, rts):
    from nolkumuh.accounts.services import WorkflowError
    from nolkumuh.planning.models import Realization
    from nolkumuh.planning.realization import realization_add, realization_transition

    done = realization_add(
        user=users["korkot"],
        realization=Realization(rt=rts[0], activity="apar", volume=Decimal("1"), year=2025),
    )
    realization_transition(user=users["korkot"], realization=done, action="submit")
    with pytest.raises(WorkflowError) as caught:
        realization_transition(user=users["korkot"], realization=done, action="verify")
    assert caught.value.code == "same_person"
    with pytest.raises(WorkflowError):
        realization_transition(user=users["askot"], realization=done, action="reject")  # no reason
    realization_transition(user=users["askot"], realization=done, action="verify")
    assert done.status == "verified"


def test_optimizer_with_caps_per_year_and_funder_adopts_lines_with_their_year_and_funder(
    client, users, plan, rts
):
    client.login(username="korkot", password=PASSWORD)
    url = reverse("planning:optimize", args=[plan.pk])
    query = {
        "budget": "200000000",
        "objective": "hectares",
        "funder": "apbd_kabkota",
        "cap_year_2025": "10000000",
        "cap_2026_apbd_kabkota": "5000000",
        "cap_funder_csr": "8000000",
    }
    page = client.get(url, query).content.decode()
    assert "Terbukti optimal" in page and 'id="caps"' in page and 'id="spent"' in page
    client.post(url, {**query, "adopt": "1"})
    lines = list(plan.lines.all())
    assert lines
    money: dict[tuple[int, str], Decimal] = {}
    for x in lines:
        money[(x.year, x.source)] = money.get((x.year, x.source), Decimal(0)) + x.cost
    assert set(money) <= {(y, s) for y in (2025, 2026, 2027) for s in ("apbd_kabkota", "csr")}
    rounding = sum(x.unit_cost for x in lines) / 2000  # volumes are stored to 0.001 unit
    assert sum(v for (y, _s), v in money.items() if y == 2025) <= 10_000_000 + rounding
    assert money.get((2026, "apbd_kabkota"), 0) <= 5_000_000 + rounding
    assert sum(v for (_y, s), v in money.items() if s == "csr") <= 8_000_000 + rounding
    assert {x.year for x in lines} != {2025}  # the 2025 cap pushes work into later years
    bad = client.get(url, {**query, "cap_year_2025": "-5"}).content.decode()
    assert "Terbukti optimal" not in bad
    plan.lines.all().delete()
    client.post(url, {**query, "whole": "on", "adopt": "1"})  # each RT from one funder in one year
    cells: dict[int, set] = {}
    for x in plan.lines.all():
        cells.setdefault(x.rt_id, set()).add((x.year, x.source))
    assert cells and all(len(v) == 1 for v in cells.values())


def test_word_document_has_aspect_change_and_before_after_maps(client, users, plan, rts):
    import io

    import docx
    from shapely.geometry import box

    from nolkumuh.regions.boundaries import boundary_values
    from nolkumuh.regions.models import Boundary

    for i, rt in enumerate(rts):
        shape = box(110.42 + i * 0.002, -6.95, 110.422 + i * 0.002, -6.948)
        Boundary.objects.create(kind="rt", rt=rt, **boundary_values(shape, 4.9, "test", "33.74.02.1001"))
    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "gerobak_sampah", "1", 2025))
    plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "7", 2026))
    simulation = plan_simulation(plan)
    sampah = next(a for a in simulation.aspects if a.name == "Kondisi pengelolaan persampahan")
    assert sampah.score_after < sampah.score_before and sampah.share_after < sampah.share_before
    assert simulation.classes_before[rts[0].pk] == "KR" and simulation.classes_after[rts[0].pk] == "TK"
    client.login(username="korkot", password=PASSWORD)
    document = docx.Document(io.BytesIO(client.get(reverse("planning:docx", args=[plan.pk])).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kumuh awal 2024:" in text and "Proyeksi kumuh akhir 2027:" in text
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Aspek", "Kekurangan awal (%)", "Kekurangan akhir (%)", "Nilai awal", "Nilai akhir"] in headers
    assert len(document.inline_shapes) == 5  # cost chart, two aspect charts, two maps


def test_kawasan_wide_lines_from_excel_with_every_location_problem_listed(client, users, plan, rts, tmp_path):
    from nolkumuh.regions.models import Kawasan
    from tests.exchange.conftest import write_xlsx

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    at_rt = {
        "tahun": 2025,
        "kode_kelurahan": "33.74.02.1001",
        "rw": "001",
        "rt": "001",
        "kegiatan": "apar",
        "volume": 3,
        "sumber_dana": "csr",
        "kawasan": "",
    }
    at_kawasan = {**at_rt, "kode_kelurahan": "", "rw": "", "rt": "", "kegiatan": "tps3r", "volume": 1}
    at_kawasan["kawasan"] = "kawasan bandarharjo"  # names match without regard to case
    bad = [
        {**at_rt, "kawasan": "Kawasan Bandarharjo"},  # both
        {**at_kawasan, "kawasan": ""},  # neither
        {**at_kawasan, "kawasan": "Kawasan Atlantis"},
    ]
    client.login(username="korkot", password=PASSWORD)
    url = reverse("planning:import", args=[plan.pk])
    with write_xlsx(tmp_path / "salah.xlsx", [at_rt, at_kawasan, *bad]).open("rb") as handle:
        page = client.post(url, {"file": handle}).content.decode()
    for expected in ("baris 4, kolom kawasan", "baris 5, kolom rt", "baris 6, kolom kawasan", "lembar "):
        assert expected in page
    assert "baris 2," not in page and "baris 3," not in page
    client.post(url, {"confirm": "1"})
    assert not plan.lines.exists()
    with write_xlsx(tmp_path / "benar.xlsx", [at_rt, at_kawasan]).open("rb") as handle:
        assert "2 baris siap ditambahkan" in client.post(url, {"file": handle}).content.decode()
    client.post(url, {"confirm": "1"})
    lines = list(plan.lines.order_by("id"))
    assert [(x.rt_id, x.kawasan_id, x.activity) for x in lines] == [
        (rts[0].pk, None, "apar"),
        (None, kawasan.pk, "tps3r"),
    ]
    template = client.get(reverse("planning:template", args=[plan.pk]))
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert book["kegiatan"]["K1"].value == "kawasan"
    assert "Kawasan Bandarharjo" in [c.value for c in book["petunjuk"]["A"]]


def test_a_realization_carries_out_its_plan_line_and_the_plan_shows_what_is_realized(
    client, users, plan, rts, tree
):
    from nolkumuh.planning.models import Realization
    from nolkumuh.regions.models import Kawasan

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    rts[1].kawasan = kawasan
    rts[1].save()
    at_rt = plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "7", 2025))
    wide = PlanLine(
        kawasan=kawasan, activity="tps3r", volume=Decimal("1"), unit_cost=None, source="apbn", year=2026
    )
    wide = plan_line_add(user=users["korkot"], plan=plan, line=wide)
    client.login(username="fasil", password=PASSWORD)
    page = client.get(reverse("baseline:kelurahan", args=["33.74.02.1001", 2024])).content.decode()
    assert f'<option value="{at_rt.pk}">' in page and f'<option value="{wide.pk}">' in page
    url = reverse("planning:realization_new", args=["33.74.02.1001", 2024])
    post = {"rt": rts[0].pk, "activity": "apar", "volume": "4", "tahun": "2025"}
    client.post(url, {**post, "plan_line": at_rt.pk})
    client.post(url, {**post, "activity": "tps3r", "plan_line": at_rt.pk})  # another activity
    client.post(url, {**post, "activity": "tps3r", "plan_line": wide.pk})  # RT 001 is outside the kawasan
    client.post(url, {**post, "rt": rts[1].pk, "activity": "tps3r", "volume": "1", "plan_line": wide.pk})
    client.post(url, {**post, "plan_line": "x"})  # not a line: recorded without one
    done = list(Realization.objects.order_by("id"))
    assert [(z.rt_id, z.activity, z.plan_line_id) for z in done] == [
        (rts[0].pk, "apar", at_rt.pk),
        (rts[1].pk, "tps3r", wide.pk),
        (rts[0].pk, "apar", None),
    ]
    page = client.get(reverse("baseline:kelurahan", args=["33.74.02.1001", 2024])).content.decode()
    assert "Memorandum Program Kota Semarang 2025-2027" in page  # the realization names its plan
    for step, who in (("submit", "fasil"), ("verify", "askot"), ("approve", "korkot")):
        client.login(username=who, password=PASSWORD)
        client.post(reverse("planning:realization_action", args=[done[0].pk, step]), {"tahun": "2024"})
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "Realisasi disetujui" in page and "1 dalam proses" in page
    from nolkumuh.planning.realization import realized_by_line

    assert realized_by_line([at_rt, wide]) == {
        at_rt.pk: {"approved": 4.0, "pending": 0},
        wide.pk: {"approved": 0.0, "pending": 1},
    }


def test_a_completed_kawasan_line_is_shared_into_draft_realizations_of_its_rts(client, users, plan, rts):
    from nolkumuh.planning.models import Realization
    from nolkumuh.regions.models import Kawasan

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    for rt in rts:
        rt.kawasan = kawasan
        rt.save()
    wide = PlanLine(
        kawasan=kawasan, activity="tps3r", volume=Decimal("1"), unit_cost=None, source="apbn", year=2026
    )
    wide = plan_line_add(user=users["korkot"], plan=plan, line=wide)
    at_rt = plan_line_add(user=users["korkot"], plan=plan, line=line(rts[0], "apar", "7", 2025))
    url = reverse("planning:realization_kawasan", args=[plan.pk])
    client.login(username="korkot", password=PASSWORD)
    assert 'id="kawasan-realization"' in client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    client.post(url, {"plan_line": wide.pk, "volume": "1", "tahun": "2026"})
    made = list(Realization.objects.order_by("rt__rt_key"))
    assert [(z.rt_id, z.volume, z.status, z.plan_line_id) for z in made] == [
        (rts[0].pk, Decimal("0.500"), "draft", wide.pk),  # equal deficits: equal parts
        (rts[1].pk, Decimal("0.500"), "draft", wide.pk),
    ]
    assert client.post(url, {"plan_line": at_rt.pk, "volume": "1", "tahun": "2026"}).status_code == 404
    page = client.post(url, {"plan_line": wide.pk, "volume": "banyak", "tahun": "2026"}, follow=True)
    assert "Realisasi tidak dicatat: bukan angka; tulis angka seperti 1.234,5" in page.content.decode()
    assert Realization.objects.count() == 2
    client.logout()
    client.login(username="askot", password=PASSWORD)  # sees the plan, may not enter data
    page = client.post(url, {"plan_line": wide.pk, "volume": "1", "tahun": "2026"}, follow=True)
    assert "tidak berwenang" in page.content.decode() and Realization.objects.count() == 2
    client.logout()
    client.login(username="fasil", password=PASSWORD)
    assert client.post(url, {"plan_line": wide.pk, "volume": "1", "tahun": "2026"}).status_code == 404
