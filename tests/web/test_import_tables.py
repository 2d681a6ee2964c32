"""The dry run keeps its checked table beside the upload; the confirmation takes it instead of
reading and checking the file again (in the file guard's child process), and reads the file again
when the kept table is missing, unreadable, or belongs to other bytes or options."""

import contextlib
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.urls import reverse

from nolkumuh.baseline.import_tables import SUFFIX, checked_upload, kept_path
from nolkumuh.baseline.models import RtRecord
from nolkumuh.core.downloads import upload_folder
from nolkumuh.exchange import read as read_module
from nolkumuh.exchange import read_rt_file
from nolkumuh.scoring import InvalidInput
from tests.exchange.conftest import write_csv, write_xlsx
from tests.web.conftest import PASSWORD
from tests.web.test_imports import rows_for

BANDARHARJO = "33.74.02.1001"
RULESET = "permen-pupr-14-2018"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.NOLKUMUH_MEDIA_DIR = tmp_path / "media"
    return upload_folder()


@pytest.fixture
def reads(monkeypatch):
    """The files read in the guard's child process (the real reader runs; each call is noted)."""
    calls = []
    real = read_module.run_isolated

    def counted(function, path, **options):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(function, path, **options)

    monkeypatch.setattr(read_module, "run_isolated", counted)
    return calls


def dry_run(client, path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        response = client.post(reverse("baseline:import", args=[2024]), {"file": handle})
    assert 'id="confirm-import"' in response.content.decode()
    token = next(k for k, _v in client.session.items() if k.startswith("import-")).removeprefix("import-")
    return token, Path(client.session[f"import-{token}"]["path"])


def confirm(client, token):  # type: ignore[no-untyped-def]
    response = client.post(reverse("baseline:import_confirm", args=[token]), follow=True)
    return [str(m) for m in response.context["messages"]]


def test_the_confirmation_takes_the_kept_table_and_reads_the_file_only_once(
    client, users, round2024, uploads, reads, tmp_path
):
    client.login(username="fasil", password=PASSWORD)
    token, stored = dry_run(client, write_xlsx(tmp_path / "bandarharjo.xlsx", rows_for(BANDARHARJO)))
    assert reads == [stored] and kept_path(stored).is_file()
    assert confirm(client, token) == ["Impor selesai: 6 baru, 0 berubah, 0 tetap."]
    assert reads == [stored]  # not read again
    assert RtRecord.objects.count() == 6
    assert not stored.exists() and not kept_path(stored).exists()  # both removed once written


@pytest.mark.parametrize("damage", ["missing", "unreadable"])
def test_without_a_usable_kept_table_the_confirmation_reads_the_file_again(
    client, users, round2024, uploads, reads, tmp_path, damage
):
    client.login(username="fasil", password=PASSWORD)
    token, stored = dry_run(client, write_xlsx(tmp_path / "bandarharjo.xlsx", rows_for(BANDARHARJO)))
    if damage == "missing":
        kept_path(stored).unlink()
    else:
        kept_path(stored).write_bytes(b"PK\x03\x04 not a table")
    assert confirm(client, token) == ["Impor selesai: 6 baru, 0 berubah, 0 tetap."]
    assert reads == [stored, stored]
    assert RtRecord.objects.count() == 6


def test_a_kept_table_of_other_bytes_is_not_used(client, users, round2024, uploads, reads, tmp_path):
    client.login(username="fasil", password=PASSWORD)
    rows = rows_for(BANDARHARJO)
    token, stored = dry_run(client, write_xlsx(tmp_path / "a.xlsx", rows))
    rows[0] = {**rows[0], "jumlah_bangunan": int(rows[0]["jumlah_bangunan"]) + 5}
    shutil.copyfile(write_xlsx(tmp_path / "b.xlsx", rows), stored)  # the upload replaced
    assert confirm(client, token) == ["Impor selesai: 6 baru, 0 berubah, 0 tetap."]
    assert len(reads) == 2
    record = RtRecord.objects.get(rt__rw=rows[0]["rw"], rt__rt=rows[0]["rt"])
    assert record.jumlah_bangunan == rows[0]["jumlah_bangunan"]  # the file's bytes, as before


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_kept_table_restores_exactly_what_reading_the_file_gives(uploads, reads, tmp_path, kind):
    rows = rows_for(BANDARHARJO)
    rows[1] = {**rows[1], "kawasan": "Kampung Tambak Lorok \u2013 Ngemplak", "v_jalan_cakupan": 12.75}
    writer = write_xlsx if kind == "xlsx" else write_csv
    path = writer(uploads / f"u.{kind}", rows)
    read = read_rt_file(path, ruleset=RULESET)
    first = checked_upload(path, ruleset=RULESET, decimal_comma=False)  # read, then kept
    kept = checked_upload(path, ruleset=RULESET, decimal_comma=False)
    assert len(reads) == 2  # read_rt_file, then the first checked_upload; the second read nothing
    for data in (first, kept):
        assert data.columns == read.columns and data.ruleset == read.ruleset and data.text == read.text
        assert data.table.columns.keys() == read.table.columns.keys()
        for key, values in read.table.columns.items():
            assert np.array_equal(data.table.columns[key], values) and data.table[key].dtype == values.dtype
        assert data.numbers.keys() == read.numbers.keys()
        assert all(np.array_equal(data.numbers[p], v) for p, v in read.numbers.items())
        assert np.array_equal(data.years, read.years) and data.years.dtype == read.years.dtype
        assert data.row_numbers.tolist() == read.row_numbers.tolist()
    assert kept.sheet is None  # the raw cells are not kept


def test_a_table_kept_for_other_options_is_not_used(uploads, reads, tmp_path):
    path = write_csv(uploads / "u.csv", rows_for(BANDARHARJO))
    checked_upload(path, ruleset=RULESET, decimal_comma=False)
    with contextlib.suppress(InvalidInput):  # the numbers' points may be refused with that option
        checked_upload(path, ruleset=RULESET, decimal_comma=True)
    assert len(reads) == 2


def test_no_table_is_kept_beside_a_file_outside_the_upload_folder(uploads, reads, tmp_path):
    path = write_csv(tmp_path / "u.csv", rows_for(BANDARHARJO))
    checked_upload(path, ruleset=RULESET, decimal_comma=False)
    checked_upload(path, ruleset=RULESET, decimal_comma=False)
    assert len(reads) == 2 and not list(tmp_path.glob(f"*{SUFFIX}"))
