"""Boundaries from GIS files, map layers with scores, GIS exports (regions.boundaries, portal.maps)."""

import gzip
import json
import re

import numpy as np
import pytest
import shapely
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pyogrio import raw
from pyproj import Transformer
from shapely.geometry import box

from nolkumuh.baseline.models import Submission
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.models import AuditEntry
from nolkumuh.geo import geodesic_area_ha, read_features
from nolkumuh.geo.display import CLASS_COLOURS, NO_DATA
from nolkumuh.portal.boundary_import import boundary_apply, boundary_plan
from nolkumuh.portal.maps import MapRequest, geojson_bytes, map_layer
from nolkumuh.regions.models import Boundary, Region
from nolkumuh.regions.services import rt_get_or_create
from tests.helpers import set_status
from tests.web.conftest import PASSWORD, rt_values

LON, LAT = 110.42, -6.95


def cell(i, size=0.002):
    return box(LON + i * size, LAT, LON + (i + 1) * size, LAT + size)


def write_geojson(path, features):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geometry)}
            for geometry, props in features
        ],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


@pytest.fixture
def rts(users, round2024, tree):
    made = []
    for n, luas in (("001", "4.9"), ("002", "2.66")):
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="001", rt=n)[0]
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(luas=luas))
        made.append(rt)
    return made


def test_rt_polygons_in_a_projected_crs_match_by_code_rw_rt_and_store_geodesic_areas(users, rts, tmp_path):
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32749", always_xy=True)
    shapes = [
        shapely.transform(cell(i), lambda xy: np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1])))
        for i in range(2)
    ]
    path = tmp_path / "rt.gpkg"
    raw.write(
        str(path),
        np.array([shapely.to_wkb(s) for s in shapes], dtype=object),
        [
            np.array(["3374021001", "3374021001"], dtype=object),
            np.array(["1", "1"], dtype=object),
            np.array(["1", "2"], dtype=object),
        ],
        ["KODE_DESA", "RW", "RT"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:32749",
    )
    plan = boundary_plan(user=users["fasilitator"], path=path, kind="rt")
    assert plan.ok and [m.target for m in plan.matches] == rts
    # RT 001 declared 4.9 ha but its polygon is 4.9 ha: fine; RT 002 declared 2.66 ha: flagged (> 20 %)
    assert [m.target for m in plan.flagged()] == [rts[1]]
    assert boundary_apply(user=users["fasilitator"], plan=plan) == 2
    stored = Boundary.objects.get(rt=rts[0])
    assert stored.area_ha == pytest.approx(geodesic_area_ha(cell(0)), rel=1e-5)
    assert shapely.from_wkb(stored.wkb).equals_exact(cell(0), tolerance=1e-8)
    assert AuditEntry.objects.filter(object_type="boundary").count() == 2
    # importing again replaces, never duplicates
    boundary_apply(
        user=users["fasilitator"], plan=boundary_plan(user=users["fasilitator"], path=path, kind="rt")
    )
    assert Boundary.objects.filter(kind="rt").count() == 2


def test_kelurahan_by_name_with_a_review_of_ambiguous_names(users, tree, tmp_path):
    laweyan = Region.objects.get(code="33.72.01")
    Region.objects.create(code="33.72.01.1009", name="Bandarharjo", level="kelurahan", parent=laweyan)
    path = write_geojson(
        tmp_path / "kel.geojson",
        [(cell(0, 0.01), {"NAMOBJ": "Bandarharjo"}), (cell(1, 0.01), {"NAMOBJ": "Tidak Ada"})],
    )
    plan = boundary_plan(user=users["provinsi"], path=path, kind="kelurahan")
    assert [m.status for m in plan.matches] == ["ambiguous", "unmatched"] and not plan.ok
    chosen = boundary_plan(
        user=users["provinsi"], path=path, kind="kelurahan", choices={1: tree["bandarharjo"].pk}
    )
    assert chosen.matches[0].target == tree["bandarharjo"] and not chosen.ok  # the second still unmatched
    within_city = boundary_plan(user=users["provinsi"], path=path, kind="kelurahan", kabkota=tree["semarang"])
    assert within_city.matches[0].target == tree["bandarharjo"]


def test_a_fasilitator_cannot_load_boundaries_of_another_kelurahan(users, tree, tmp_path):
    path = write_geojson(tmp_path / "kel.geojson", [(cell(0, 0.01), {"kode": "33.72.01.1001"})])
    plan = boundary_plan(user=users["fasilitator"], path=path, kind="kelurahan")
    assert [i.code for i in plan.issues] == ["outside_scope"]


def test_map_layer_colours_by_class_and_hides_unapproved_from_the_public(users, rts, tree, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    for i, rt in enumerate(rts):
        _store("rt", cell(i), rt.kelurahan.code, rt=rt)
    public = map_layer(user=AnonymousUser(), region=tree["semarang"], request=MapRequest())
    assert [f["properties"]["color"] for f in public["features"]] == [NO_DATA, NO_DATA]
    set_status(Submission.objects, "approved")
    layer = map_layer(user=AnonymousUser(), region=tree["semarang"], request=MapRequest())
    assert [f["properties"]["class"] for f in layer["features"]] == ["KR", "KR"]
    assert layer["features"][0]["properties"]["color"] == CLASS_COLOURS["KR"]
    assert layer["features"][0]["properties"]["url"] == reverse("regions:rt", args=[rts[0].pk])
    by_score = map_layer(
        user=AnonymousUser(),
        region=tree["semarang"],
        request=MapRequest(metric="score:jalan_permukaan_rusak"),
    )
    assert by_score["features"][0]["properties"]["color"] == "#e67e22"  # score 3


def test_geojson_endpoint_is_gzipped_and_its_query_count_does_not_grow(client, users, rts, tree, round2024):
    def add(i, rt):
        _store("rt", cell(i), rt.kelurahan.code, rt=rt)

    for i, rt in enumerate(rts):
        add(i, rt)
    url = reverse("regions:map_geojson", args=["33.74"])
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    for n in range(3, 25):
        rt = rt_get_or_create(kelurahan=tree["bandarharjo"], rw="003", rt=str(n))[0]
        rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values())
        add(n, rt)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).json()["features"]) == 24
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "kml"])
def test_map_exports_open_in_qgis_with_the_scores(client, users, rts, tree, tmp_path, fmt):
    set_status(Submission.objects, "approved")
    for i, rt in enumerate(rts):
        _store("rt", cell(i), rt.kelurahan.code, rt=rt)
    response = client.get(reverse("regions:map_export", args=["33.74", fmt]))
    path = tmp_path / f"peta.{fmt}"
    path.write_bytes(b"".join(response.streaming_content))
    back = read_features(path)
    assert back.ok and len(back.features) == 2
    assert back.features[0].get("class") == "KR"
    if fmt != "kml":
        assert back.features[0].get("total") == "24"


def test_map_page_and_boundary_import_page_render(client, users, tree):
    assert client.get(reverse("regions:map", args=["33.74"])).status_code == 200
    assert client.get(reverse("regions:boundary_import")).status_code == 302  # sign in first
    client.login(username="korkot", password=PASSWORD)
    page = client.get(reverse("regions:boundary_import")).content.decode()
    assert "GeoPackage" in page or ".gpkg" in page


def test_boundary_import_through_the_pages(client, users, rts, tmp_path):
    client.login(username="fasil", password=PASSWORD)
    path = write_geojson(
        tmp_path / "rt.geojson", [(cell(0), {"kode": "33.74.02.1001", "rw": "001", "rt": "001"})]
    )
    with path.open("rb") as handle:
        response = client.post(reverse("regions:boundary_import"), {"file": handle, "kind": "rt"})
    review = response["Location"]
    assert "1 cocok, 0 perlu dipilih, 0 tidak cocok" in client.get(review).content.decode()
    client.post(review, {"simpan": "1"})
    assert Boundary.objects.filter(rt=rts[0]).exists()


def _store(kind, geometry, code, **target):
    from nolkumuh.geo import geodesic_area_ha

    Boundary.objects.create(
        kind=kind,
        code=code,
        wkb=shapely.to_wkb(geometry),
        display=json.dumps(shapely.geometry.mapping(geometry)),
        min_lon=0,
        min_lat=0,
        max_lon=0,
        max_lat=0,
        area_ha=geodesic_area_ha(geometry),
        **target,
    )


def test_two_decrees_compared_in_hectares(tree, client):
    from nolkumuh.regions.decrees import decree_comparison
    from nolkumuh.regions.models import Kawasan, SkDecree

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    old = SkDecree.objects.create(kabkota=tree["semarang"], number="1/2016", year=2016)
    new = SkDecree.objects.create(kabkota=tree["semarang"], number="2/2024", year=2024)
    _store("kawasan", box(LON, LAT, LON + 0.004, LAT + 0.002), "33.74", kawasan=kawasan, decree=old)
    _store("kawasan", box(LON + 0.002, LAT, LON + 0.006, LAT + 0.002), "33.74", kawasan=kawasan, decree=new)
    result = decree_comparison(kabkota=tree["semarang"], old=old, new=new)
    half = geodesic_area_ha(box(LON, LAT, LON + 0.002, LAT + 0.002))
    assert result["added_ha"] == pytest.approx(
        geodesic_area_ha(box(LON + 0.004, LAT, LON + 0.006, LAT + 0.002)), rel=1e-4
    )
    assert result["removed_ha"] == pytest.approx(half, rel=1e-4)
    assert result["kept_ha"] == pytest.approx(
        geodesic_area_ha(box(LON + 0.002, LAT, LON + 0.004, LAT + 0.002)), rel=1e-4
    )
    assert [f["properties"]["color"] for f in result["layer"]["features"]] == [
        "#969696",
        "#1a9850",
        "#d73027",
    ]
    page = client.get(reverse("regions:decrees", args=["33.74"])).content.decode()
    assert "Dikeluarkan" in page and "SK 1/2016 (2016)" in page


def test_kawasan_area_from_its_delineation_and_rt_shares(users, rts, tree, client):
    from nolkumuh.regions.models import Kawasan, SkDecree

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    kawasan.kelurahan.add(tree["bandarharjo"])
    decree = SkDecree.objects.create(kabkota=tree["semarang"], number="1/2016", year=2016)
    for i, rt in enumerate(rts):
        _store("rt", cell(i), rt.kelurahan.code, rt=rt)
    _store("kawasan", box(LON, LAT, LON + 0.003, LAT + 0.002), "33.74", kawasan=kawasan, decree=decree)
    page = client.get(reverse("regions:kawasan", args=[kawasan.pk])).content.decode()
    assert "Deliniasi SK" in page
    assert "100,0" in page and "50,0" in page  # RT 001 wholly inside, RT 002 half


def test_slum_area_comes_from_polygons_where_they_exist(users, rts, tree, client):
    set_status(Submission.objects, "approved")
    _store("rt", cell(0), "33.74.02.1001", rt=rts[0])  # 4.89 ha on the map; 4.9 declared
    page = client.get(reverse("regions:profile", args=["33.74.02.1001"])).content.decode()
    assert "Luas dari peta (ha)" in page and "untuk 1 dari 2 RT" in page
    expected = geodesic_area_ha(cell(0)) + 2.66
    assert f"{expected:.2f}".replace(".", ",") in page


def test_map_picture_endpoint(client, users, rts):
    _store("rt", cell(0), "33.74.02.1001", rt=rts[0])
    response = client.get(reverse("regions:map_image", args=["33.74"]))
    assert response["Content-Type"] == "image/png" and response.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_misspelt_kelurahan_name_is_offered_for_review_not_taken(users, tree, tmp_path):
    path = write_geojson(tmp_path / "kel.geojson", [(cell(0, 0.01), {"NAMOBJ": "Bandar Harjo"})])
    plan = boundary_plan(user=users["provinsi"], path=path, kind="kelurahan", kabkota=tree["semarang"])
    assert plan.matches[0].status == "ambiguous" and plan.matches[0].candidates == [tree["bandarharjo"]]
    assert not plan.ok


def test_kawasan_delineation_is_compared_with_the_sk_table_area(tree, client):
    from decimal import Decimal

    from nolkumuh.regions.models import Kawasan, SkDecree

    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    kawasan.declared_ha = Decimal("20")
    kawasan.save()
    decree = SkDecree.objects.create(kabkota=tree["semarang"], number="1/2016", year=2016)
    _store(
        "kawasan", box(LON, LAT, LON + 0.003, LAT + 0.002), "33.74", kawasan=kawasan, decree=decree
    )  # 7.3 ha
    page = client.get(reverse("regions:kawasan", args=[kawasan.pk])).content.decode()
    assert "Luas menurut tabel SK: 20,00 ha" in page and "berbeda jauh" in page


def test_the_country_map_shows_every_province_s_kelurahan_from_the_stored_figures(client, users, rts, tree):
    _store("kelurahan", cell(0, 0.01), "33.74.02.1001", region=tree["bandarharjo"])
    _store("kelurahan", cell(1, 0.01), "33.72.01.1001", region=tree["pajang"])
    set_status(Submission.objects, "approved")
    page = client.get("/indonesia/").content.decode()
    assert 'href="/peta/indonesia/?tingkat=kelurahan"' in page
    map_page = client.get("/peta/indonesia/?tingkat=rt").content.decode()
    assert "Peta · Indonesia" in map_page and 'href="/indonesia/">Indonesia</a>' in map_page
    # the country offers only its kelurahan: RTs or kawasan of the whole country would read every record
    assert '<option value="kelurahan" selected>' in map_page and 'value="rt"' not in map_page
    layer = client.get("/peta/indonesia/lapisan.geojson?tingkat=rt").json()
    by_name = {f["properties"]["name"]: f["properties"] for f in layer["features"]}
    assert set(by_name) == {"Bandarharjo", "Pajang"}
    assert by_name["Bandarharjo"]["color"] == CLASS_COLOURS["KR"]  # its RTs are KR, approved
    assert by_name["Pajang"]["color"] == NO_DATA
    assert "luas kumuh 7,56 ha" in by_name["Bandarharjo"]["tooltip"]
    export = client.get("/peta/indonesia/unduh.geojson")
    assert 'filename="nolkumuh_indonesia_2024.geojson"' in export["Content-Disposition"]


def test_the_stored_geometries_spliced_into_the_layer_read_as_the_layer_itself():
    """geojson_bytes puts the stored GeoJSON text in place; a name that spells a geometry key (a
    kawasan name is typed by users) stays a name."""
    hostile = 'Kampung "geometry": 0, {"x": 1}'
    layer = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.dumps(shapely.geometry.mapping(cell(i))), "properties": p}
            for i, p in enumerate(
                [{"name": hostile, "total": 3}, {"name": "Tegal\u00e9 \\ 1", "total": None}]
            )
        ],
        "legend": [("#fff", "semua RT tidak kumuh")],
        "year": 2024,
    }
    spliced = json.loads(geojson_bytes(layer))
    assert spliced["features"][0]["properties"]["name"] == hostile
    assert spliced == {
        **json.loads(json.dumps(layer)),
        "features": [{**f, "geometry": json.loads(f["geometry"])} for f in layer["features"]],
    }


@pytest.mark.parametrize("level", ["rt", "kelurahan", "kawasan"])
def test_the_served_layer_is_the_computed_one_compressed_or_not_with_each_link_its_page(
    client, users, rts, tree, level
):
    from nolkumuh.regions.models import Kawasan, SkDecree

    set_status(Submission.objects, "approved")
    for i, rt in enumerate(rts):
        _store("rt", cell(i), rt.kelurahan.code, rt=rt)
    _store("kelurahan", box(LON, LAT, LON + 0.004, LAT + 0.002), "33.74.01.1001", region=tree["bandarharjo"])
    decree = SkDecree.objects.create(kabkota=tree["semarang"], number="1/2016", year=2016)
    kawasan = Kawasan.objects.get(name="Kawasan Bandarharjo")
    _store("kawasan", box(LON, LAT, LON + 0.004, LAT + 0.002), "33.74", kawasan=kawasan, decree=decree)
    url = reverse("regions:map_geojson", args=["33.74"]) + f"?tingkat={level}"
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    layer = map_layer(user=AnonymousUser(), region=tree["semarang"], request=MapRequest(level=level))
    assert plain.json() == json.loads(json.dumps(layer))
    pages = {
        "rt": {reverse("regions:rt", args=[rt.pk]) for rt in rts},
        "kelurahan": {reverse("regions:profile", args=[tree["bandarharjo"].code])},
        "kawasan": {reverse("regions:kawasan", args=[kawasan.pk])},
    }[level]
    assert {f["properties"]["url"] for f in layer["features"]} == pages
    if level == "rt":  # in the order the polygons were stored, on every database
        assert [f["properties"]["url"] for f in layer["features"]] == [
            reverse("regions:rt", args=[rt.pk]) for rt in rts
        ]


def test_the_year_chooser_shows_the_year_the_layer_shows(client, tree, round2024):
    """Without a year the layer is the latest round's: the chooser must say so, not the first year."""
    from nolkumuh.baseline.models import DataRound

    DataRound.objects.create(year=2017, ruleset_id="permen-pupr-02-2016", is_baseline=True, name="Data 2017")
    chooser = re.compile(r'<select id="tahun" name="tahun">(.*?)</select>')
    page = client.get(reverse("regions:map", args=["33.74"])).content.decode()
    assert chooser.search(page).group(1) == "<option>2017</option><option selected>2024</option>"
    page = client.get(reverse("regions:map", args=["33.74"]) + "?tahun=2017").content.decode()
    assert chooser.search(page).group(1) == "<option selected>2017</option><option>2024</option>"
    page = client.get(reverse("regions:map", args=["33.74"]) + "?tahun=2019").content.decode()
    assert chooser.search(page).group(1) == "<option>2017</option><option selected>2024</option>"
