"""Data-quality flags in the pages: warnings in the entry form and the import dry run that never
stop saving, the askot's "sudah diperiksa" (audited, closing the flag while the values hold), and
the region's data-quality page."""

from __future__ import annotations

from django.urls import reverse

from nolkumuh.baseline.models import DataRound, FlagReview, RtRecord
from nolkumuh.baseline.quality import KIND_LABELS, flag_message, stored_flags
from nolkumuh.baseline.services import rt_record_save
from nolkumuh.core.models import AuditEntry
from nolkumuh.regions.services import rt_get_or_create
from nolkumuh.scoring import HEADER_FIELDS, load_ruleset
from nolkumuh.scoring.quality import KIND_PARAMS, Flag
from tests.exchange.conftest import sample_rows, write_xlsx
from tests.web.conftest import PASSWORD, rt_values

K = "33.74.02.1001"
CROWDED = "412"  # people in 42 KK: 9,8 per KK
MESSAGE = "Jumlah jiwa per KK 9,8 — di luar kisaran wajar 2–7; periksa jumlah KK atau jumlah penduduk."


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _rt(tree, rw="001", rt="002"):
    return rt_get_or_create(kelurahan=tree["bandarharjo"], rw=rw, rt=rt, user=None)[0]


def _crowded(users, tree, round2024):
    rt = _rt(tree)
    rt_record_save(
        user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(jumlah_penduduk=CROWDED)
    )
    return rt


def test_entry_form_warns_and_still_saves(client, users, tree, round2024):
    rt = _rt(tree)
    login(client, users["fasilitator"])
    url = f"/data/{K}/2024/rt/{rt.pk}/"
    response = client.post(url, rt_values(jumlah_penduduk=CROWDED, luas="2,66"), follow=True)
    assert RtRecord.objects.get(rt=rt).jumlah_penduduk == 412  # saved in spite of the warning
    text = response.content.decode()
    assert '<div class="ok" role="status">Data RT tersimpan.</div>' in text
    assert f'<div class="note" role="status">Perlu diperiksa: {MESSAGE}</div>' in text  # not green
    again = client.get(url).content.decode()  # the form shows the stored record's flags
    assert MESSAGE in again and "tidak menghalangi penyimpanan" in again
    assert f"pratinjau/?rt={rt.pk}" in again


def test_preview_warns_as_the_user_types(client, users, tree, round2024):
    rt = _rt(tree)
    login(client, users["fasilitator"])
    typed = rt_values(jumlah_penduduk=CROWDED, luas="2,66")
    text = client.post(
        f"/data/{K}/2024/pratinjau/?rt={rt.pk}", typed, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert MESSAGE in text and 'id="preview-total">24<' in text
    plain = client.post(f"/data/{K}/2024/pratinjau/?rt={rt.pk}", rt_values(luas="2,66")).content.decode()
    assert "perlu diperiksa" not in plain
    for hostile in ("abc", "9" * 30, "-1", ""):
        response = client.post(f"/data/{K}/2024/pratinjau/?rt={hostile}", typed)
        assert response.status_code == 200 and 'id="preview-total">24<' in response.content.decode()


def test_previous_round_jump_is_worded_with_the_fields_label(client, users, tree, round2024):
    round2023 = DataRound.objects.create(year=2023, ruleset_id="permen-pupr-14-2018")
    rt = _rt(tree)
    rt_record_save(user=users["fasilitator"], round=round2023, rt=rt, values=rt_values(jumlah_kk="42"))
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(jumlah_kk="70"))
    login(client, users["askot"])
    text = client.get(f"/data/{K}/2024/").content.decode()
    assert "Jumlah KK 70 (tahun 2023: 42) — di luar kisaran wajar 21–63; periksa isian ini." in text
    section = text.split('id="quality-flags"')[1].split("</table>")[0]
    assert "<td>jumlah_kk" not in section and "jumlah_kk 70" not in section


def test_import_dry_run_lists_warnings_by_row_and_column_and_still_saves(
    client, users, tree, round2024, tmp_path
):
    rows = [r for r in sample_rows(years=[2024]) if r["kode_kelurahan"] == K]
    rows[1]["jumlah_penduduk"] = int(rows[1]["jumlah_kk"]) * 12
    path = write_xlsx(tmp_path / "isian.xlsx", rows)
    login(client, users["fasilitator"])
    with path.open("rb") as handle:
        response = client.post("/impor/2024/", {"file": handle})
    text = response.content.decode()
    warnings = text.split('id="import-warnings"')[1].split("</table>")[0]
    assert "<td>3</td><td>jumlah_penduduk, jumlah_kk</td>" in warnings
    assert "Jumlah jiwa per KK 12 — di luar kisaran wajar 2–7" in warnings
    assert 'id="confirm-import"' in text  # not blocking "Simpan semua"
    token = text.split("/impor/konfirmasi/")[1].split("/")[0]
    assert client.post(f"/impor/konfirmasi/{token}/").status_code == 302
    assert RtRecord.objects.filter(rt__kelurahan=tree["bandarharjo"]).count() == len(rows)


def test_import_dry_run_with_problems_lists_the_warnings_beside_them(
    client, users, tree, round2024, tmp_path
):
    rows = [r for r in sample_rows(years=[2024]) if r["kode_kelurahan"] == K]
    rows[1]["jumlah_penduduk"] = int(rows[1]["jumlah_kk"]) * 12
    rows[3]["kode_kelurahan"] = "33.74.02.1999"  # a row problem (cell problems stop the reading)
    path = write_xlsx(tmp_path / "isian.xlsx", rows)
    login(client, users["fasilitator"])
    with path.open("rb") as handle:
        text = client.post("/impor/2024/", {"file": handle}).content.decode()
    assert "baris 5" in text.split('id="import-issues"')[1].split("</ul>")[0]
    warnings = text.split('id="import-warnings"')[1].split("</table>")[0]
    assert "<td>3</td><td>jumlah_penduduk, jumlah_kk</td>" in warnings
    assert 'id="confirm-import"' not in text  # the problems block saving, the warnings do not


def test_askot_marks_a_flag_reviewed_with_a_note_audited_and_closed_while_values_hold(
    client, users, tree, round2024
):
    rt = _crowded(users, tree, round2024)
    login(client, users["askot"])
    page = client.get(f"/data/{K}/2024/").content.decode()
    assert MESSAGE in page and "Tandai sudah diperiksa" in page
    post = {
        "rt": rt.pk,
        "kind": "ratio_range",
        "field": "jiwa_per_kk",
        "note": "Dicek di lapangan: rumah kos.",
    }
    response = client.post(f"/data/{K}/2024/kualitas/periksa/", post, follow=True)
    text = response.content.decode()
    assert "Ditandai sudah diperiksa" in text and "Dicek di lapangan: rumah kos." in text
    audit = AuditEntry.objects.get(object_type="flag_review")
    assert audit.user == users["askot"] and audit.before is None
    assert "Jumlah jiwa per KK" in audit.summary and "jiwa_per_kk" not in audit.summary  # words, not keys
    assert audit.after["note"] == "Dicek di lapangan: rumah kos." and audit.after["value"] == "9,8095"
    region = client.get("/kualitas/33.74/?tahun=2024").content.decode()
    assert "0 tanda terbuka, 1 sudah diperiksa." in region
    # a second note replaces the first, audited with before and after
    client.post(f"/data/{K}/2024/kualitas/periksa/", {**post, "note": "Dicek ulang."})
    second = AuditEntry.objects.filter(object_type="flag_review").latest("id")
    assert (second.before["note"], second.after["note"]) == ("Dicek di lapangan: rumah kos.", "Dicek ulang.")
    # the values behind the flag change: open again
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(jumlah_penduduk="420"))
    assert [f.open for f in stored_flags(round=round2024, code=K)] == [True]
    # unrelated changes keep the review
    rt_record_save(
        user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(jumlah_penduduk=CROWDED, luas="3")
    )
    client.post(f"/data/{K}/2024/kualitas/periksa/", post)
    rt_record_save(
        user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(jumlah_penduduk=CROWDED, luas="4")
    )
    assert [f.open for f in stored_flags(round=round2024, code=K)] == [False]


def test_a_review_needs_a_note_and_a_verifier(client, users, tree, round2024):
    rt = _crowded(users, tree, round2024)
    post = {"rt": rt.pk, "kind": "ratio_range", "field": "jiwa_per_kk", "note": "  "}
    login(client, users["askot"])
    text = client.post(f"/data/{K}/2024/kualitas/periksa/", post, follow=True).content.decode()
    assert "Tuliskan catatan pemeriksaannya" in text
    client.logout()
    login(client, users["fasilitator"])
    assert "Tandai sudah diperiksa" not in client.get(f"/data/{K}/2024/").content.decode()
    text = client.post(
        f"/data/{K}/2024/kualitas/periksa/", {**post, "note": "ok"}, follow=True
    ).content.decode()
    assert "Hanya askot, korkot atau admin wilayah ini" in text
    assert not FlagReview.objects.exists()
    gone = client.post(f"/data/{K}/2024/kualitas/periksa/", {**post, "kind": "all_max"}, follow=True)
    assert "sudah tidak ada" in gone.content.decode()
    for hostile in ("abc", "9" * 30):
        response = client.post(f"/data/{K}/2024/kualitas/periksa/", {**post, "rt": hostile}, follow=True)
        assert "sudah tidak ada" in response.content.decode()


def test_region_page_counts_open_flags_by_kind_and_kelurahan(client, users, tree, round2024):
    _crowded(users, tree, round2024)
    rt = _rt(tree, rt="003")
    zero = {k: "0" for k in rt_values() if k not in HEADER_FIELDS}
    rt_record_save(user=users["fasilitator"], round=round2024, rt=rt, values=rt_values(**zero))
    login(client, users["korkot"])
    text = client.get(reverse("baseline:quality", args=["33.74"]) + "?tahun=2024").content.decode()
    assert "2 tanda terbuka, 0 sudah diperiksa." in text
    kinds = text.split('id="quality-kinds"')[1].split("</table>")[0]
    assert '<td>Rasio di luar kisaran wajar</td><td class="n">1</td>' in kinds
    assert '<td>Semua kriteria bernilai 0</td><td class="n">1</td>' in kinds
    per_kelurahan = text.split('id="quality-kelurahan"')[1]
    assert f'href="/data/{K}/2024/#kualitas">Bandarharjo</a>' in per_kelurahan
    assert "Bulu Lor" not in per_kelurahan
    # the kelurahan page links to it, the completeness page too
    assert "/kualitas/33.74/?tahun=2024" in client.get(f"/data/{K}/2024/").content.decode()
    assert "/kualitas/33.74/?tahun=2024" in client.get("/kelengkapan/33.74/?tahun=2024").content.decode()


def test_region_page_is_only_for_the_users_own_regions(client, users, tree, round2024):
    assert client.get("/kualitas/33.74/").status_code == 302  # to the login page
    login(client, users["fasilitator_solo"])
    assert client.get("/kualitas/33.74/").status_code == 404
    assert client.get("/kualitas/33.72.01.1001/").status_code == 200
    assert "/kualitas/33.74/" not in client.get("/kelengkapan/33.74/").content.decode()
    client.logout()
    login(client, users["fasilitator"])
    assert f"/kualitas/{K}/?tahun=2024" in client.get(f"/data/{K}/2024/").content.decode()


def test_every_kind_is_worded_with_labels_not_keys():
    ruleset = load_ruleset("permen-pupr-14-2018")
    cases = {
        "header_jump": Flag("header_jump", 0, "luas", 4.0, 1.0, 3.0, "x", {"previous": 2.0}),
        "volume_jump": Flag("volume_jump", 0, "jalan_cakupan", 70.0, 0.0, 60.0, "x", {"previous": 10.0}),
        "ratio_range": Flag("ratio_range", 0, "bangunan_per_ha", 400.0, 1.0, 300.0, "x"),
        "area_polygon": Flag("area_polygon", 0, "luas", 1.31, 0.7, 1.3, "x", {"polygon": 1.0}),
        "same_as_previous": Flag("same_as_previous", 0, "", None, None, None, "x"),
        "all_zero": Flag("all_zero", 0, "", 0.0, None, None, "x"),
        "all_max": Flag("all_max", 0, "", 100.0, None, None, "x"),
        "city_outlier": Flag("city_outlier", 0, "jiwa_per_ha", 900.0, 0.0, 500.0, "x", {"median": 250.0}),
    }
    assert set(cases) == set(KIND_PARAMS) == set(KIND_LABELS)
    texts = {kind: flag_message(flag, ruleset, 2023) for kind, flag in cases.items()}
    assert texts["header_jump"].startswith("Luas verifikasi 4 (tahun 2023: 2) — di luar kisaran wajar 1–3")
    assert texts["volume_jump"].startswith(
        "Persentase 2a Jaringan jalan tidak melayani seluruh lingkungan 70 % (tahun 2023: 10 %)"
    )
    assert texts["ratio_range"] == (
        "Jumlah bangunan per hektare 400 — di luar kisaran wajar 1–300; periksa jumlah bangunan atau luas."
    )
    assert "(peta batas RT: 1 ha) — di luar kisaran wajar 0,7–1,3 ha" in texts["area_polygon"]
    assert "tahun 2023" in texts["same_as_previous"]
    assert "median 250" in texts["city_outlier"]
    for text in texts.values():
        assert "%(" not in text and "_" not in text


def test_the_background_dry_run_of_a_large_upload_lists_the_warnings_too(
    client, users, tree, round2024, tmp_path, settings, django_capture_on_commit_callbacks
):
    from nolkumuh.core.models import Job

    rows = [r for r in sample_rows(years=[2024]) if r["kode_kelurahan"] == K]
    rows[1]["jumlah_penduduk"] = int(rows[1]["jumlah_kk"]) * 12
    path = write_xlsx(tmp_path / "isian.xlsx", rows)
    settings.NOLKUMUH_TASK_ROWS = 2  # a large upload: checked in the background
    login(client, users["fasilitator"])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = client.post("/impor/2024/", {"file": handle})
    assert Job.objects.get().kind == "import-check"
    page = client.get(response.url).content.decode()
    assert "1 peringatan kualitas data. Ini tidak menghalangi penyimpanan" in page
    assert "Baris 3, kolom jumlah_penduduk, jumlah_kk [peringatan]: Jumlah jiwa per KK 12 — di luar" in page
    assert "Simpan semua" in page  # not blocking
