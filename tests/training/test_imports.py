"""Excel imports of trainings: every problem with its row and column, all or nothing."""

from __future__ import annotations

import openpyxl
import pytest

from nolkumuh.core.models import AuditEntry
from nolkumuh.scoring.issues import InvalidInput
from nolkumuh.training import models
from nolkumuh.training.imports import (
    needs_apply,
    needs_check,
    needs_template,
    participants_apply,
    participants_check,
    persons_apply,
    persons_check,
    persons_template,
    scores_apply,
    scores_check,
)
from nolkumuh.training.models import NeedsRating, NeedsSurvey, Person
from tests.exchange.conftest import write_xlsx

GOOD = {
    "kode": "FAS-001",
    "nama": "Siti Aminah",
    "peran": "fasilitator",
    "jenis_kelamin": "P",
    "kabkota": "33.74",
    "kode_kelurahan": "33.74.02.1001",
    "telepon": "0812",
    "surel": "",
}


def test_persons_import_adds_and_updates_by_code(tmp_path, tree, users):
    path = write_xlsx(
        tmp_path / "p.xlsx",
        [
            GOOD,
            {
                **GOOD,
                "kode": "FAS-002",
                "nama": "Budi",
                "jenis_kelamin": "l",
                "kabkota": "Kota Semarang",
                "kode_kelurahan": "",
            },
        ],
    )
    checked = persons_check(user=users["provinsi"], path=path)
    assert checked.ok, checked.issues
    assert persons_apply(user=users["provinsi"], checked=checked) == 2
    assert Person.objects.get(code="FAS-002").gender == "L"
    path = write_xlsx(tmp_path / "p2.xlsx", [{**GOOD, "nama": "Siti Aminah Rahayu"}])
    persons_apply(user=users["provinsi"], checked=persons_check(user=users["provinsi"], path=path))
    assert Person.objects.get(code="FAS-001").name == "Siti Aminah Rahayu"
    assert AuditEntry.objects.filter(object_type="person", action="update").count() == 1


def test_persons_import_lists_every_problem_and_writes_nothing(tmp_path, tree, users):
    rows = [
        GOOD,
        {**GOOD, "kode": "FAS-001"},  # duplicate code
        {**GOOD, "kode": "X1", "peran": "lurah", "jenis_kelamin": "W", "surel": "bukan-surel"},
        {**GOOD, "kode": "X2", "kabkota": "Kota Atlantis", "kode_kelurahan": ""},
        {
            **GOOD,
            "kode": "X3",
            "kabkota": "33.72",
            "kode_kelurahan": "33.74.02.1001",
        },  # kelurahan of another city
        {**GOOD, "kode": "", "nama": ""},
    ]
    checked = persons_check(user=users["korkot"], path=write_xlsx(tmp_path / "bad.xlsx", rows))
    found = {(i.code, i.row, i.column) for i in checked.issues}
    assert ("duplicate_code", 3, "kode") in found
    assert ("unknown_choice", 4, "peran") in found and ("unknown_choice", 4, "jenis_kelamin") in found
    assert ("bad_email", 4, "surel") in found
    assert ("unknown_region", 5, "kabkota") in found
    assert ("region_outside_scope", 6, "kabkota") in found  # the Semarang korkot may not add Surakarta staff
    assert ("unknown_region", 6, "kode_kelurahan") in found
    assert ("missing_value", 7, "kode") in found and ("missing_value", 7, "nama") in found
    with pytest.raises(InvalidInput):
        persons_apply(user=users["korkot"], checked=checked)
    assert not Person.objects.exists()
    assert all(i.line("id") and i.line("en") for i in checked.issues)


def test_persons_template_reads_back(tmp_path):
    persons_template(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert [c.value for c in book["personel"][1]][:5] == ["kode", "nama", "peran", "jenis_kelamin", "kabkota"]
    assert "fasilitator" in [c.value for c in book["petunjuk"]["A"]]


def test_participants_import_registers_known_codes_only(tmp_path, event, users, tree):
    from tests.training.conftest import person

    person("NEW-1", tree["semarang"])
    bad = participants_check(
        event=event, path=write_xlsx(tmp_path / "a.xlsx", [{"kode": "NEW-1"}, {"kode": "NOPE"}])
    )
    assert [(i.code, i.row) for i in bad.issues] == [("unknown_person", 3)]
    good = participants_check(
        event=event, path=write_xlsx(tmp_path / "b.xlsx", [{"kode": "NEW-1"}, {"kode": "SMG-00"}])
    )
    assert (
        participants_apply(user=users["provinsi"], event=event, checked=good) == 1
    )  # SMG-00 already takes part


def test_scores_import(tmp_path, event, users):
    first = event.participants.order_by("number").first()
    rows = [
        {"nomor_peserta": first.code, "topik": "memorandum", "pra": "45,5", "pasca": 80},
        {"nomor_peserta": "P0999", "topik": "memorandum", "pra": 10, "pasca": 20},
        {"nomor_peserta": first.code, "topik": "sejarah", "pra": 10, "pasca": 120},
    ]
    checked = scores_check(event=event, path=write_xlsx(tmp_path / "s.xlsx", rows))
    assert {(i.code, i.row, i.column) for i in checked.issues} == {
        ("unknown_participant", 3, "nomor_peserta"),
        ("unknown_topic", 4, "topik"),
        ("score_range", 4, "pasca"),
    }
    with pytest.raises(InvalidInput):
        scores_apply(user=users["provinsi"], event=event, checked=checked)
    assert not models.TestScore.objects.exists()
    checked = scores_check(event=event, path=write_xlsx(tmp_path / "ok.xlsx", rows[:1]))
    assert scores_apply(user=users["provinsi"], event=event, checked=checked) == 1
    assert float(models.TestScore.objects.get().pre) == 45.5


def test_needs_questionnaire_template_and_import(tmp_path, tree, users, people):
    survey = NeedsSurvey.objects.create(title="TNA", region=tree["jateng"], year=2017)
    needs_template(tmp_path / "q.xlsx", survey, people)
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx")["kuesioner"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["kode_personel", "penilai", "nama", "peran"] and "memorandum_susun" in header
    assert sheet.max_row == 1 + 2 * len(people)
    fas = next(p for p in people if p.role == "fasilitator")
    rows = [
        {"kode_personel": fas.code, "penilai": "diri", "memorandum_susun": 2, "kpp_bentuk": 3},
        {"kode_personel": fas.code, "penilai": "Penilaian atasan", "memorandum_susun": 1},
        {"kode_personel": fas.code, "penilai": "teman", "memorandum_susun": 9, "dokumen_rp2kpkp": 3},
        {"kode_personel": "NOPE", "penilai": "diri"},
    ]
    keys = ["kode_personel", "penilai", "memorandum_susun", "kpp_bentuk", "dokumen_rp2kpkp"]
    rows = [{k: row.get(k, "") for k in keys} for row in rows]
    checked = needs_check(user=users["provinsi"], survey=survey, path=write_xlsx(tmp_path / "r.xlsx", rows))
    assert {(i.code, i.row, i.column) for i in checked.issues} == {
        ("unknown_choice", 4, "penilai"),
        ("level_range", 4, "memorandum_susun"),
        ("not_asked", 4, "dokumen_rp2kpkp"),  # asked of askot and above, not of a fasilitator
        ("unknown_person", 5, "kode_personel"),
    }
    with pytest.raises(InvalidInput):
        needs_apply(user=users["provinsi"], survey=survey, checked=checked)
    assert not NeedsRating.objects.exists()
    checked = needs_check(
        user=users["provinsi"], survey=survey, path=write_xlsx(tmp_path / "ok.xlsx", rows[:2])
    )
    assert needs_apply(user=users["provinsi"], survey=survey, checked=checked) == 2
    assert NeedsRating.objects.count() == 3
