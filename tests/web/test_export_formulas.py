"""The web export in CSV: a kawasan name that a spreadsheet would run arrives as text."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from nolkumuh.regions.models import Kawasan, Rt
from tests.web.test_pages import data  # noqa: F401


def test_export_csv_writes_a_formula_name_as_text(client, data, tree):
    kawasan = Kawasan.objects.create(kabkota=tree["semarang"], name='=HYPERLINK("http://x.example","klik")')
    Rt.objects.filter(kelurahan=tree["bandarharjo"]).update(kawasan=kawasan)
    response = client.get(reverse("baseline:export", args=["33.74"]) + "?tahun=2024&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["kawasan"] for r in rows} == {'\'=HYPERLINK("http://x.example","klik")'}
    assert rows[0]["total_nilai"] == "24"
