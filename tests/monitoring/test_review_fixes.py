"""Regressions found in review of the monitoring and planning additions: odd input answered with a
message (never a 500), photos that would take gigabytes to decode, text that must stay text in
Excel, future-dated assessments, contract dates, and the cache version on PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image

from nolkumuh.core.cache import data_version
from nolkumuh.core.services import audit_record
from nolkumuh.exchange.write import workbook
from nolkumuh.monitoring.institutions import kpp_assess, kpp_save
from nolkumuh.monitoring.models import Kpp
from nolkumuh.monitoring.photos import photo_add
from tests.monitoring.test_construction import line, start  # noqa: F401
from tests.web.conftest import PASSWORD


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_decompression_bomb_is_refused_as_not_a_photo(users, line, settings, tmp_path):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path
    activity = start(users, line)
    buffer = io.BytesIO()
    Image.new("1", (14000, 14000)).save(buffer, "PNG")  # a few KB, 196 megapixels
    buffer.seek(0)
    with pytest.raises(ValidationError):
        photo_add(
            user=users["fasilitator"], activity=activity, stage=0, name="x.png", size=100, stream=buffer
        )


def test_text_that_looks_like_a_formula_stays_text_in_excel(tmp_path):
    book = workbook(tmp_path / "t.xlsx")
    book.add_worksheet("a").write(0, 0, '=HYPERLINK("http://evil.example","klik")')
    book.close()
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx")["a"]["A1"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("0", "tulis tahun empat angka"),
        ("10000", "tulis tahun empat angka"),
        ("-3", "tulis tahun empat angka"),
        ("99999999999999999999", "tulis tahun empat angka"),
        ("²", "tulis tahun empat angka"),
        ("٢٠٢٤", "tulis tahun empat angka"),
        ("0001", "tahun harus antara 1990 dan 2100"),
        ("9999", "tahun harus antara 1990 dan 2100"),
    ],
)
def test_dashboard_with_an_odd_year_answers_a_clear_404(users, tree, round2024, year, message):
    page = signed_in(users["korkot"]).get(f"/dasbor/33.74/?tahun={year}")
    assert page.status_code == 404 and message in page.content.decode()


def test_a_future_dated_kpp_assessment_is_refused(users, tree):
    kpp = kpp_save(user=users["fasilitator"], kpp=Kpp(kelurahan=tree["bandarharjo"], name="KPP Uji"))
    with pytest.raises(ValidationError):
        kpp_assess(
            user=users["fasilitator"], kpp=kpp, assessed_on=date.today() + timedelta(days=400), answers={}
        )
    kpp_assess(user=users["fasilitator"], kpp=kpp, assessed_on=date.today(), answers={})
    kpp.refresh_from_db()
    assert kpp.last_assessed_on == date.today()


def test_contract_dates_over_ten_years_are_refused(users, line):
    with pytest.raises(ValidationError) as caught:
        start(users, line, start_date=date(1, 1, 1), end_date=date(9999, 12, 31))
    assert "10 tahun" in str(caught.value)


def test_odd_form_values_on_planning_and_monitoring_pages(users, line, tree):
    korkot = signed_in(users["korkot"])
    plan = line.plan
    page = korkot.post(
        f"/rencana/{plan.pk}/realisasi-kawasan/", {"plan_line": "²", "volume": "NaN", "tahun": "x"}
    )
    assert page.status_code == 302
    assert korkot.get("/rencana/harga/33.74/?tahun=²").status_code == 404
    assert korkot.post("/kpi/nilai/999999/submit/", {"back": "a/b"}).status_code in (302, 404)


def test_the_data_version_changes_with_every_audited_change(db):
    before = data_version()
    audit_record(user=None, action="test", object_type="x", object_id=1)
    assert data_version() != before
