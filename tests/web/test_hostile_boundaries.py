"""Boundary imports against hostile files and outside their scope, through the upload page and the
command line: a clear message, no 500, no server path, and nothing written (no boundary, no decree,
no audit entry)."""

import html
import json

import pytest
import shapely
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from shapely.geometry import box

from nolkumuh.cli import main
from nolkumuh.core.models import AuditEntry
from nolkumuh.portal.boundary_import import boundary_apply, boundary_plan
from nolkumuh.regions.models import Boundary, SkDecree
from tests.geo.hostile import CASES, LAT, LON, _collection, circle
from tests.web.conftest import PASSWORD

SK = "050/HOSTILE/2024"


def counts():
    return Boundary.objects.count(), SkDecree.objects.count(), AuditEntry.objects.count()


def uploads():
    folder = settings.NOLKUMUH_MEDIA_DIR / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def kawasan_file(path, name="Kawasan Bandarharjo"):
    geometry = box(LON, LAT, LON + 0.003, LAT + 0.002)
    feature = {
        "type": "Feature",
        "properties": {"nama": name},
        "geometry": shapely.geometry.mapping(geometry),
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    return path


def upload(client, path, kabkota="33.74", kind="kawasan"):
    with path.open("rb") as handle:
        data = {"file": handle, "kind": kind, "kabkota": kabkota, "sk_number": SK, "sk_year": 2024}
        return client.post(reverse("regions:boundary_import"), data)


def assert_no_server_path(text, tmp_path):
    for path in (str(tmp_path), str(settings.DATA_DIR), "/vsizip/", "pytest-of"):
        assert path not in text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_boundary_upload_gets_a_clear_message_and_writes_nothing(
    case, client, users, tree, tmp_path, monkeypatch
):
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    client.login(username="korkot", password=PASSWORD)
    before = counts()
    response = upload(client, case.build(tmp_path))
    assert response.status_code in (200, 302)
    page = response.content.decode()
    if response.status_code == 302:  # read, with problems in features: shown by the review page
        review = response["Location"]
        page = client.get(review).content.decode()
        assert client.post(review, {"simpan": "1"}).status_code == 200
        assert 'id="save-boundaries"' not in page
    assert case.expected in html.unescape(page)
    assert_no_server_path(html.unescape(page), tmp_path)
    assert counts() == before
    assert SK not in client.get(reverse("regions:decrees", args=["33.74"])).content.decode()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_boundary_file_on_the_command_line_exits_2_and_writes_nothing(
    case, users, tree, tmp_path, monkeypatch, capsys
):
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    before = counts()
    path = case.build(tmp_path)
    arguments = ["geo", "import", str(path), "--kind", "kawasan", "--kabkota", "33.74", "--sk", SK]
    assert main([*arguments, "--sk-year", "2024", "--user", "korkot"]) == 2
    err = capsys.readouterr().err
    assert case.expected in err and "masalah" in err
    assert_no_server_path(err.replace(str(path), path.name), tmp_path)
    assert counts() == before


def test_a_kawasan_delineation_outside_the_scope_is_refused_before_anything_is_written(
    client, users, tree, tmp_path
):
    client.login(username="korkot", password=PASSWORD)  # korkot of Kota Semarang
    before, waiting = counts(), uploads()
    response = upload(client, kawasan_file(tmp_path / "solo.geojson", "Kawasan Pajang"), kabkota="33.72")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "di luar wilayah kerja Anda" in page and "Kota Surakarta" in page
    assert counts() == before
    assert uploads() == waiting
    public = client.get(reverse("regions:decrees", args=["33.72"])).content.decode()
    assert SK not in public


def test_the_dry_run_creates_no_decree_and_the_confirmation_creates_it_with_the_boundaries(
    client, users, tree, tmp_path
):
    client.login(username="korkot", password=PASSWORD)
    before = counts()
    response = upload(client, kawasan_file(tmp_path / "kawasan.geojson"))
    review = response["Location"]
    page = client.get(review).content.decode()
    assert "1 cocok" in page and counts() == before
    assert SK not in client.get(reverse("regions:decrees", args=["33.74"])).content.decode()
    client.post(review, {"simpan": "1"})
    decree = SkDecree.objects.get(number=SK)
    assert decree.kabkota == tree["semarang"] and decree.year == 2024
    assert Boundary.objects.get(kind="kawasan").decree == decree


def test_a_kawasan_plan_outside_the_scope_is_not_ready_and_its_decree_never_made(users, tree, tmp_path):
    path = kawasan_file(tmp_path / "solo.geojson", "Kawasan Pajang")
    plan = boundary_plan(
        user=users["korkot"], path=path, kind="kawasan", kabkota=tree["pajang"].parent.parent, sk_number=SK
    )
    assert not plan.ok and [i.code for i in plan.issues] == ["region_outside_scope"]
    with pytest.raises(PermissionDenied):
        boundary_apply(user=users["korkot"], plan=plan)
    assert not SkDecree.objects.filter(number=SK).exists()


def test_a_plan_applied_by_someone_outside_its_city_creates_no_decree(users, tree, tmp_path):
    plan = boundary_plan(
        user=users["korkot"],
        path=kawasan_file(tmp_path / "kawasan.geojson"),
        kind="kawasan",
        kabkota=tree["semarang"],
        sk_number=SK,
        sk_year=2024,
    )
    assert plan.ok
    before = counts()
    with pytest.raises(PermissionDenied):
        boundary_apply(user=users["fasilitator_solo"], plan=plan)
    assert counts() == before


def test_the_command_line_dry_run_creates_no_decree(users, tree, tmp_path, capsys):
    path = kawasan_file(tmp_path / "kawasan.geojson")
    arguments = ["geo", "import", str(path), "--kind", "kawasan", "--kabkota", "33.74", "--sk", SK]
    before = counts()
    assert main([*arguments, "--sk-year", "2024", "--user", "korkot", "--dry-run"]) == 0
    assert "1 cocok" in capsys.readouterr().out and counts() == before
    assert main([*arguments, "--sk-year", "2024", "--user", "fasil_solo"]) == 2
    assert "di luar wilayah kerja Anda" in capsys.readouterr().err and counts() == before
    assert main([*arguments, "--sk-year", "2024", "--user", "korkot"]) == 0
    assert SkDecree.objects.filter(number=SK, kabkota=tree["semarang"]).count() == 1


def test_the_review_page_reads_the_checked_features_not_the_upload_again(client, users, tree, tmp_path):
    client.login(username="korkot", password=PASSWORD)
    response = upload(client, kawasan_file(tmp_path / "kawasan.geojson"))
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    kept = sorted(p.name for p in (settings.NOLKUMUH_MEDIA_DIR / "uploads").glob(f"{token}*"))
    assert kept == [f"{token}.checked.json"]  # the uploaded file itself is gone after one bounded read
    for _ in range(2):
        assert "1 cocok" in client.get(response["Location"]).content.decode()


@pytest.mark.slow
def test_a_reader_out_of_memory_is_a_message_on_the_page_and_exit_2_on_the_command_line(
    client, users, tree, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "rinci.geojson"
    path.write_text(_collection([circle(1_000, i * 0.01) for i in range(1_990)]), encoding="utf-8")
    monkeypatch.setenv("NOLKUMUH_PARSE_MEMORY_MB", "256")
    before = counts()
    client.login(username="korkot", password=PASSWORD)
    page = html.unescape(upload(client, path).content.decode())
    assert "berkas tidak bisa dibaca: membaca GIS ini butuh lebih dari 256 MB memori" in page
    arguments = ["geo", "import", str(path), "--kind", "kawasan", "--kabkota", "33.74", "--sk", SK]
    assert main([*arguments, "--user", "korkot"]) == 2
    assert "butuh lebih dari 256 MB memori" in capsys.readouterr().err
    assert counts() == before


@pytest.mark.parametrize(("year", "expected"), [(None, "isi tahun SK yang baru ini"), (9999, "1990")])
def test_a_new_decree_needs_a_year_within_the_bounds(users, tree, tmp_path, year, expected):
    plan = boundary_plan(
        user=users["korkot"],
        path=kawasan_file(tmp_path / "kawasan.geojson"),
        kind="kawasan",
        kabkota=tree["semarang"],
        sk_number=SK,
        sk_year=year,
    )
    assert not plan.ok and expected in " ".join(i.line() for i in plan.issues)
    assert not SkDecree.objects.filter(number=SK).exists()


def test_the_command_line_says_so_when_the_database_refuses_a_boundary(users, tree, tmp_path, capsys, refuse):
    refuse("regions_boundary", "NEW.kind = 'kawasan'")
    path = kawasan_file(tmp_path / "kawasan.geojson")
    arguments = ["geo", "import", str(path), "--kind", "kawasan", "--kabkota", "33.74", "--sk", SK]
    before = counts()
    assert main([*arguments, "--sk-year", "2024", "--user", "korkot"]) == 2
    err = capsys.readouterr().err
    assert "Data tidak tersimpan" in err and "Traceback" not in err
    assert counts() == before  # the decree made inside the same transaction is rolled back too
