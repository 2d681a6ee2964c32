"""Monitoring pages through the test client: KPP registry and assessment, institutions, KPI entry
and approval, and the progress report as Word and Excel read back."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import docx
import openpyxl
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH

from nolkumuh.monitoring.models import Institution, KpiValue, Kpp
from tests.web.conftest import make_user


def test_kpp_is_registered_in_a_kelurahan_and_assessed_with_the_checklist(client, users, tree):
    client.force_login(users["fasilitator"])
    url = reverse("monitoring:kpp_list", args=[tree["bandarharjo"].code])
    response = client.post(
        url, {"name": "KPP Sejahtera", "members_male": "5", "members_female": "3", "om_fund": "1500000"}
    )
    kpp = Kpp.objects.get(name="KPP Sejahtera")
    assert response.status_code == 302 and kpp.kelurahan == tree["bandarharjo"]
    page = reverse("monitoring:kpp", args=[kpp.pk])
    answers = {
        f"k_{key}": "1"
        for key in (
            "pengurus_aktif",
            "aturan",
            "rencana_op",
            "iuran",
            "pembukuan",
            "aset_berfungsi",
            "perempuan",
        )
    }
    assert client.post(page, {"assessed_on": date.today().isoformat(), **answers}).status_code == 302
    kpp.refresh_from_db()
    # 7 of 9 items: 77.78 %, at least the 70 % threshold
    assert (kpp.last_score, kpp.last_functioning, kpp.last_assessed_on) == (
        Decimal("77.78"),
        True,
        date.today(),
    )
    assert "78 %" in client.get(page).content.decode()
    listing = client.get(reverse("monitoring:kpp_list", args=[tree["bandarharjo"].code])).content.decode()
    # assessed today: functioning (an assessment older than 12 months would read "belum dinilai")
    assert "KPP Sejahtera" in listing and "light green" in listing
    client.force_login(users["fasilitator_solo"])
    assert client.get(page).status_code == 404


def test_institutions_are_registered_per_region(client, users, tree):
    client.force_login(users["korkot"])
    url = reverse("monitoring:institutions", args=["33.74"])
    data = {
        "kind": "pokja_pkp",
        "name": "Pokja PKP Kota Semarang",
        "members_male": "9",
        "members_female": "4",
        "status": "aktif",
    }
    assert client.post(url, data).status_code == 302
    assert Institution.objects.get(kind="pokja_pkp").region == tree["semarang"]
    assert "Pokja PKP Kota Semarang" in client.get(url).content.decode()
    response = client.post(url, {**data, "members_male": "-1"})
    assert response.status_code == 200 and "error" in response.content.decode().lower()


def test_kpi_values_are_entered_and_approved_through_the_page(client, users, tree):
    client.force_login(users["korkot"])
    url = reverse("monitoring:kpi", args=["33.74"])
    response = client.post(
        url,
        {
            "form": "value",
            "indicator": "perempuan_rapat",
            "year": "2024",
            "value": "35",
            "evidence": "daftar hadir",
        },
    )
    assert response.status_code == 302
    value = KpiValue.objects.get(indicator="perempuan_rapat")
    client.post(reverse("monitoring:kpi_action", args=[value.pk, "submit"]), {"back": "33.74"})
    client.force_login(users["askot"])
    client.post(reverse("monitoring:kpi_action", args=[value.pk, "verify"]), {"back": "33.74"})
    client.force_login(users["askot"])
    response = client.post(
        reverse("monitoring:kpi_action", args=[value.pk, "approve"]), {"back": "33.74"}, follow=True
    )
    assert "tidak berwenang" in response.content.decode()
    client.force_login(users["korkot"])
    client.post(reverse("monitoring:kpi_action", args=[value.pk, "approve"]), {"back": "33.74"})
    value.refresh_from_db()
    assert value.status == "approved"
    response = client.post(
        url, {"form": "value", "indicator": "perempuan_rapat", "year": "2024", "value": "150"}
    )
    assert response.status_code == 200 and "antara 0 dan 100" in response.content.decode()


def test_targets_can_only_be_set_by_an_administrator_on_the_page(client, users, tree):
    url = reverse("monitoring:kpi", args=["33.74"])
    client.force_login(users["korkot"])
    assert 'id="target-form"' not in client.get(url).content.decode()
    client.force_login(make_user("boss", "admin"))
    data = {
        "form": "target",
        "indicator": "kpp_berfungsi",
        "year": "2024",
        "target": "70",
        "reason": "kesepakatan Pokja",
    }
    assert client.post(url, data).status_code == 302
    assert "kesepakatan Pokja" in client.get(url).content.decode()


def test_progress_report_in_word_and_excel(client, users, tree):
    Kpp.objects.create(kelurahan=tree["bandarharjo"], name="KPP Laporan", members_male=4, members_female=2)
    client.force_login(users["korkot"])
    base = reverse("monitoring:report", args=["33.74", "docx"])
    response = client.get(base + "?bulan=2024-05")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "LAPORAN KEMAJUAN" in text and "Mei 2024" in text and "Kota Semarang" in text
    kpp_table = document.tables[2]
    assert [c.text for c in kpp_table.rows[1].cells][:4] == ["Bandarharjo", "KPP Laporan", "4", "2"]
    kpis = {row.cells[0].text: row.cells for row in document.tables[1].rows[1:]}
    trained = kpis["Fasilitator yang dilatih"]  # a count of people: no decimals, as on the dashboard
    assert (trained[1].text, trained[3].text) == ("orang", "10")
    water = kpis["Akses air minum layak (100-0-100)"]
    assert re.fullmatch(r"\d+,\d", water[3].text)  # a percentage: one decimal
    assert {trained[3].paragraphs[0].alignment, water[3].paragraphs[0].alignment} == {
        WD_ALIGN_PARAGRAPH.RIGHT
    }
    response = client.get(reverse("monitoring:report", args=["33.74", "xlsx"]) + "?triwulan=2024-2")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["ringkasan", "konstruksi", "kpi", "kpp", "perlu_perhatian"]
    assert book["ringkasan"]["B2"].value == "Triwulan 2 2024"
    assert book["kpi"].max_row == 12  # header and the 11 indicators
    bad = client.get(base + "?bulan=2024-13", follow=True)
    assert "Pilih periode" in bad.content.decode()
    assert (
        client.get(
            reverse("monitoring:report", args=["33.74.02.1001", "docx"]) + "?bulan=2024-05"
        ).status_code
        == 404
    )


def test_institution_members_are_listed_and_the_counts_follow_the_list(client, users, tree):
    bkm = Institution.objects.create(
        region=tree["bandarharjo"], kind="bkm", name="BKM Bandarharjo", members_male=9
    )
    client.force_login(users["fasilitator"])
    url = reverse("monitoring:institution", args=[bkm.pk])
    client.post(url, {"name": "Ibu Sri", "gender": "P", "position": "ketua"})
    client.post(url, {"name": "Bp. Agus", "gender": "L", "position": "sekretaris"})
    bkm.refresh_from_db()
    assert (bkm.members_male, bkm.members_female) == (1, 1)
    agus = bkm.members.get(name="Bp. Agus")
    client.post(url, {"member": str(agus.pk), "active": "0"})
    bkm.refresh_from_db()
    assert (bkm.members_male, bkm.members_female) == (0, 1)
    page = client.get(url).content.decode()
    assert "Ibu Sri" in page and "tidak aktif lagi" in page
    client.force_login(users["fasilitator_solo"])
    assert client.get(url).status_code == 404
