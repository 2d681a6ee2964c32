"""Hostile files against every spreadsheet import of the web app: each is refused with a message
that says what is wrong, never a 500, and nothing is written (row counts before and after)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nolkumuh.baseline.models import RtRecord
from nolkumuh.core.models import AuditEntry
from nolkumuh.planning.models import PlanLine
from nolkumuh.regions.models import Rt
from nolkumuh.training import models as training
from tests.guard.hostile import REFUSED, odd_values
from tests.training.conftest import curriculum, event, people  # noqa: F401
from tests.web.conftest import PASSWORD, _fresh_cache, memorandum, round2024, tree, users  # noqa: F401

COUNTED = (
    RtRecord,
    Rt,
    PlanLine,
    training.Participant,
    training.TestScore,
    training.Person,
    training.NeedsRating,
    AuditEntry,
)

# import -> (who uploads, the import's own columns)
IMPORTS = {
    "rt": ("fasilitator", ["tahun", "kode_kelurahan", "rw", "rt", "luas", "jumlah_kk", "jumlah_jiwa"]),
    "plan_lines": ("korkot", ["tahun", "kode_kelurahan", "rw", "rt", "kegiatan", "volume", "sumber_dana"]),
    "participants": ("provinsi", ["kode"]),
    "scores": ("provinsi", ["nomor_peserta", "topik", "pra", "pasca"]),
    "persons": ("provinsi", ["kode", "nama", "peran", "jenis_kelamin", "kabkota", "telepon"]),
    "survey": ("provinsi", ["kode_personel", "penilai", "memorandum_susun"]),
}


@pytest.fixture
def import_urls(tree, users, round2024, event):
    plan = memorandum(users, tree, round2024)
    survey = training.NeedsSurvey.objects.create(title="TNA", region=tree["jateng"], year=2017)
    return {
        "rt": reverse("baseline:import", args=[2024]),
        "plan_lines": reverse("planning:import", args=[plan.pk]),
        "participants": reverse("training:participants_import", args=[event.pk]),
        "scores": reverse("training:scores", args=[event.pk]),
        "persons": reverse("training:persons_import") + "?wilayah=33",
        "survey": reverse("training:survey_import", args=[survey.pk]),
    }


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _upload(client, users, url: str, who: str, path):  # type: ignore[no-untyped-def]
    client.login(username=users[who].username, password=PASSWORD)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(url, {"file": upload})


@pytest.mark.parametrize("kind", sorted(IMPORTS))
@pytest.mark.parametrize("hostile", sorted(REFUSED))
def test_a_hostile_file_is_refused_with_its_reason_and_nothing_is_written(
    client, users, import_urls, tmp_path, kind, hostile
):
    builder, expected = REFUSED[hostile]
    path = builder(tmp_path)
    before = _counts()
    response = _upload(client, users, import_urls[kind], IMPORTS[kind][0], path)
    text = response.content.decode()
    assert response.status_code == 200, text[:400]
    assert expected in text, f"{hostile} at {kind}: {text[text.find('alert') :][:600]}"
    assert "Traceback" not in text and str(tmp_path) not in text
    assert _counts() == before


@pytest.mark.parametrize("kind", sorted(IMPORTS))
def test_odd_values_in_the_imports_own_columns_are_listed_not_crashed_on(
    client, users, import_urls, tmp_path, kind
):
    who, columns = IMPORTS[kind]
    path = odd_values(tmp_path, columns)
    before = _counts()
    response = _upload(client, users, import_urls[kind], who, path)
    text = response.content.decode()
    assert response.status_code == 200, text[:400]
    assert 'role="alert"' in text  # the dry run lists problems: none of these rows is acceptable
    assert "<script>alert(1)</script>" not in text  # shown as text, if at all
    assert _counts() == before


def test_a_user_without_a_data_entry_area_is_refused_before_the_upload_is_read(client, tree, round2024):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="tanpa_peran", password=PASSWORD)
    client.login(username="tanpa_peran", password=PASSWORD)
    url = reverse("baseline:import", args=[2024])
    page = client.get(url)
    assert page.status_code == 403 and "belum diberi peran pengisian data" in page.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", b"tahun\n2024\n")})
    assert response.status_code == 403 and 'type="file"' not in response.content.decode()
