"""`nolkumuh backup` and `nolkumuh restore` as an administrator runs them: a real installation (the
demo on SQLite; migrations, regions and a user on PostgreSQL) backed up while another connection
is open, restored into an empty data folder and database, then counted and used. The refusals
are matched by their message: a target that is not empty, an archive from a newer version or
with unknown migrations, from the other database engine, broken or hostile."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.test_cli import NOLKUMUH

pytestmark = pytest.mark.slow
DEMO_PASSWORD = "nolkumuh-demo"


def site_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """The environment of a command run against one installation (a data folder, a database)."""
    env = {
        **os.environ,
        "NOLKUMUH_DEMO": "1",
        "NOLKUMUH_DATA_DIR": str(data_dir),
        "NOLKUMUH_TASKS": "immediate",
        "NOLKUMUH_ALLOWED_HOSTS": "testserver",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def nolkumuh(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NOLKUMUH, *args], env=env, capture_output=True, text=True, timeout=300)


def succeeds(env: dict[str, str], *args: str) -> str:
    done = nolkumuh(env, *args)
    assert done.returncode == 0, f"nolkumuh {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def refused(env: dict[str, str], *args: str) -> str:
    done = nolkumuh(env, *args)
    assert done.returncode == 2, f"nolkumuh {' '.join(args)} was not refused:\n{done.stdout}{done.stderr}"
    assert "Traceback" not in done.stderr
    return " ".join(done.stderr.split())


def archive_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in tables
            if not t.startswith("sqlite_")
        }
    finally:
        db.close()


def applied_migrations(path: Path, app: str) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in db.execute("SELECT name FROM django_migrations WHERE app = ?", (app,)))
    finally:
        db.close()


def shell(env: dict[str, str], code: str) -> str:
    return succeeds(env, "manage", "shell", "--no-imports", "-c", code)


LOGIN_AND_HOME = f"""
from django.test import Client
client = Client()
print("login", client.login(username="admin", password="{DEMO_PASSWORD}"))
page = client.get("/").content.decode()
print("home", "Luas kumuh" in page, "dari 160 RT" in page)
from django.contrib.auth.models import Group
print("groups", sorted(Group.objects.filter(name__startswith="cadangan").values_list("name", flat=True)))
"""


# --- SQLite ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> dict[str, str]:
    """An SQLite installation with the demo loaded (regions, records, plans, photos, users)."""
    env = site_env(tmp_path_factory.mktemp("source"))
    succeeds(env, "manage", "migrate", "-v", "0")
    succeeds(env, "demo")
    return env


@pytest.fixture(scope="module")
def demo_archive(demo_site, tmp_path_factory) -> Path:
    """A backup of the demo taken while another connection holds one committed row that SQLite has
    not yet copied from its write-ahead log and one row in a transaction that is still open."""
    database = Path(demo_site["NOLKUMUH_DATA_DIR"]) / "nolkumuh.sqlite3"
    writer = sqlite3.connect(database, isolation_level=None)
    try:
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        writer.execute("INSERT INTO auth_group (name) VALUES ('cadangan-tersimpan')")
        writer.execute("BEGIN IMMEDIATE")  # the writer holds the write lock during the backup
        writer.execute("INSERT INTO auth_group (name) VALUES ('cadangan-belum-selesai')")
        out = tmp_path_factory.mktemp("backups")
        said = succeeds(demo_site, "backup", str(out))
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    (archive,) = out.glob("nolkumuh-backup-*.tar.gz")
    assert f"Cadangan ditulis: {archive}" in said
    return archive


def test_an_sqlite_backup_taken_while_the_app_writes_restores_into_a_fresh_folder(
    demo_site, demo_archive, tmp_path
):
    source = Path(demo_site["NOLKUMUH_DATA_DIR"])
    manifest = archive_manifest(demo_archive)
    assert manifest["database_engine"] == "sqlite"
    assert manifest["migrations"]["core"] == applied_migrations(source / "nolkumuh.sqlite3", "core")
    assert manifest["row_counts"] == sqlite_counts(source / "nolkumuh.sqlite3")  # the open row not in it
    # the photos are kept; the cache, counters and static files are made again by the app
    assert set(manifest["files"]) == {f"files/photos/{name}" for name in files_of(source / "photos")}

    target = site_env(tmp_path / "restored")
    said = succeeds(target, "restore", str(demo_archive))

    restored = Path(target["NOLKUMUH_DATA_DIR"])
    assert "baris sesuai manifes" in said
    assert sqlite_counts(restored / "nolkumuh.sqlite3") == manifest["row_counts"]
    assert files_of(restored / "photos") == files_of(source / "photos")
    assert shell(target, LOGIN_AND_HOME).split("\n")[:3] == [
        "login True", "home True True", "groups ['cadangan-tersimpan']"
    ]  # fmt: skip


def test_the_shared_files_folder_is_backed_up_and_restored_into_its_place(demo_site, demo_archive, tmp_path):
    """With NOLKUMUH_MEDIA_DIR (several machines) the photos live there, not in the data folder:
    a restore puts them there, a backup takes them from there, under the same member names."""
    photos = files_of(Path(demo_site["NOLKUMUH_DATA_DIR"]) / "photos")
    several = {**site_env(tmp_path / "machine"), "NOLKUMUH_MEDIA_DIR": str(tmp_path / "shared")}
    succeeds(several, "restore", str(demo_archive))
    assert files_of(tmp_path / "shared" / "photos") == photos
    assert not (tmp_path / "machine" / "photos").exists()
    assert "Folder berkas bersama" in refused(
        {**site_env(tmp_path / "other"), "NOLKUMUH_MEDIA_DIR": str(tmp_path / "shared")},
        "restore",
        str(demo_archive),
    )  # a second restore would mix two installations' photos

    archive = tmp_path / "dari-bersama.tar"
    succeeds(several, "backup", str(archive))
    assert set(archive_manifest(archive)["files"]) == {f"files/photos/{name}" for name in photos}
    single = site_env(tmp_path / "one-machine")
    succeeds(single, "restore", str(archive))
    assert files_of(tmp_path / "one-machine" / "photos") == photos


def test_a_zip_backup_with_keep_leaves_the_newest_and_restores(demo_site, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    (folder / "catatan.txt").write_text("bukan cadangan")
    for _ in range(3):
        said = succeeds(demo_site, "backup", str(folder), "--format", "zip", "--keep", "2")
    kept = sorted(p.name for p in folder.glob("nolkumuh-backup-*.zip"))
    assert len(kept) == 2 and "dihapus (--keep 2)" in said
    assert (folder / "catatan.txt").exists()
    with zipfile.ZipFile(folder / kept[-1]) as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}

    target = site_env(tmp_path / "restored")
    succeeds(target, "restore", str(folder / kept[-1]))
    assert "login True" in shell(target, LOGIN_AND_HOME)


def test_a_backup_named_tar_is_an_uncompressed_tar_that_restores(demo_site, tmp_path):
    archive = tmp_path / "sebelum-pembaruan.tar"
    succeeds(demo_site, "backup", str(archive))
    with tarfile.open(archive, "r:") as tar:  # "r:": fails on a compressed file
        assert tar.getnames()[0] == "database/nolkumuh.sqlite3"
    target = site_env(tmp_path / "restored")
    succeeds(target, "restore", str(archive))
    assert "home True True" in shell(target, LOGIN_AND_HOME)


def test_a_restore_into_a_folder_that_holds_data_is_refused(demo_site, demo_archive):
    message = refused(demo_site, "restore", str(demo_archive))
    assert f"Folder data {demo_site['NOLKUMUH_DATA_DIR']} tidak kosong (berisi photos)" in message
    assert "Setel NOLKUMUH_DATA_DIR ke folder baru yang kosong" in message


def test_a_restore_into_a_database_with_tables_is_refused(demo_archive, tmp_path):
    target = site_env(tmp_path / "migrated")
    (tmp_path / "migrated").mkdir()
    with sqlite3.connect(tmp_path / "migrated" / "nolkumuh.sqlite3") as db:  # another app's table
        db.execute("CREATE TABLE catatan (id INTEGER PRIMARY KEY)")
    message = refused(target, "restore", str(demo_archive))
    assert f"Basis data {tmp_path / 'migrated' / 'nolkumuh.sqlite3'} tidak kosong" in message
    assert "pemulihan hanya mengisi basis data yang kosong" in message


def rewritten(archive: Path, folder: Path, **changes) -> Path:
    """A copy of the archive whose manifest has ``changes``."""
    copy = folder / "changed.tar.gz"
    manifest = {**archive_manifest(archive), **changes}
    with tarfile.open(archive) as source, tarfile.open(copy, "w:gz") as out:
        for info in source:
            if info.name != "manifest.json":
                out.addfile(info, source.extractfile(info))
        raw = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        out.addfile(info, io.BytesIO(raw))
    return copy


def test_an_archive_from_a_newer_version_is_refused(demo_archive, tmp_path):
    archive = rewritten(demo_archive, tmp_path, nolkumuh_version="99.0.0")
    target = site_env(tmp_path / "empty")
    message = refused(target, "restore", str(archive))
    assert "dibuat oleh nolkumuh 99.0.0, lebih baru dari versi terpasang" in message
    assert "Pasang nolkumuh 99.0.0 atau yang lebih baru" in message
    assert not (tmp_path / "empty" / "photos").exists()


def test_an_archive_with_migrations_this_code_does_not_know_is_refused(demo_archive, tmp_path):
    migrations = archive_manifest(demo_archive)["migrations"]
    migrations["core"] = [*migrations["core"], "9999_dari_masa_depan"]
    archive = rewritten(demo_archive, tmp_path, migrations=migrations)
    message = refused(site_env(tmp_path / "empty"), "restore", str(archive))
    assert "memuat migrasi yang tidak dikenal kode nolkumuh" in message
    assert "core.9999_dari_masa_depan" in message


def test_an_archive_from_the_other_engine_is_refused(demo_archive, tmp_path):
    archive = rewritten(demo_archive, tmp_path, database_engine="postgresql")
    message = refused(site_env(tmp_path / "empty"), "restore", str(archive))
    assert "berisi basis data PostgreSQL, sedangkan nolkumuh ini memakai SQLite" in message
    assert "setel DATABASE_URL=postgres://" in message


def hostile_tar(path: Path, members: list[tarfile.TarInfo | tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tar.addfile(member)
            else:
                info = tarfile.TarInfo(member[0])
                info.size = len(member[1])
                tar.addfile(info, io.BytesIO(member[1]))
    return path


def link(name: str, to: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = tarfile.SYMTYPE, to
    return info


def huge(name: str) -> tarfile.TarInfo:
    """A header that claims a member of a petabyte (the data never follows)."""
    info = tarfile.TarInfo(name)
    info.size = 2**50
    return info


MANIFEST = ("manifest.json", b"{}")
HOSTILE = {
    "traversal": ([MANIFEST, ("files/../../lolos.txt", b"x")], "menunjuk ke luar folder tujuan"),
    "absolute": ([MANIFEST, ("/tmp/lolos.txt", b"x")], "menunjuk ke luar folder tujuan"),
    "symlink": ([MANIFEST, link("files/photos/kunci", "/etc/passwd")], "adalah tautan atau berkas khusus"),
    "hard link": ([MANIFEST, link("files/a", "../../lolos.txt")], "adalah tautan atau berkas khusus"),
    "huge member": ([huge("database/nolkumuh.sqlite3")], "lebih dari ruang kosong di folder data"),
    "no manifest": ([("database/nolkumuh.sqlite3", b"SQLite")], "tidak ada manifest.json"),
    "unknown place": ([MANIFEST, ("lolos.txt", b"x")], "anggota 'lolos.txt' tidak dikenal"),
    "bad manifest": ([("manifest.json", b"[]")], "manifest.json bukan objek JSON"),
}
HOSTILE["hard link"][0][1].type = tarfile.LNKTYPE


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_archive_is_refused_without_writing_anything(case, tmp_path):
    members, expected = HOSTILE[case]
    archive = hostile_tar(tmp_path / "cadangan.tar.gz", members)
    target = site_env(tmp_path / "data" / "here")
    message = refused(target, "restore", str(archive))
    assert f"Arsip {archive} bukan cadangan nolkumuh yang utuh" in message or "ruang kosong" in message
    assert expected in message
    assert not (tmp_path / "lolos.txt").exists() and not (tmp_path / "data" / "lolos.txt").exists()
    assert sorted(p.name for p in (tmp_path / "data" / "here").iterdir()) == ["static"]


def test_a_zip_member_outside_the_target_and_a_member_the_manifest_does_not_list_are_refused(
    demo_archive, tmp_path
):
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("manifest.json", "{}")
        archive.writestr("files/../../lolos.txt", "x")
    target = site_env(tmp_path / "data")
    assert "'files/../../lolos.txt' menunjuk ke luar folder tujuan" in refused(target, "restore", str(evil))

    manifest = archive_manifest(demo_archive)
    manifest["database"]["bytes"] = 10
    smaller = rewritten(demo_archive, tmp_path, database=manifest["database"])
    message = refused(target, "restore", str(smaller))
    assert "ukuran 'database/nolkumuh.sqlite3'" in message and "berbeda dari manifes (10)" in message


def test_a_missing_or_foreign_file_is_refused(tmp_path):
    target = site_env(tmp_path / "data")
    assert f"Arsip {tmp_path / 'tidak-ada.tar.gz'} tidak ditemukan" in refused(
        target, "restore", str(tmp_path / "tidak-ada.tar.gz")
    )
    text = tmp_path / "catatan.tar.gz"
    text.write_text("bukan arsip")
    assert "bukan berkas tar.gz, tar atau zip" in refused(target, "restore", str(text))


def test_backup_refuses_to_overwrite_a_file_or_to_write_into_the_data_folder(demo_site, demo_archive):
    message = refused(demo_site, "backup", str(demo_archive))
    assert f"Berkas {demo_archive} sudah ada; cadangan tidak menimpa berkas" in message
    data = demo_site["NOLKUMUH_DATA_DIR"]
    assert f"{data} adalah folder data itu sendiri" in refused(demo_site, "backup", data)


def test_a_database_that_differs_from_its_fingerprint_is_refused_and_nothing_is_left(demo_archive, tmp_path):
    manifest = archive_manifest(demo_archive)
    manifest["database"]["sha256"] = "0" * 64
    archive = rewritten(demo_archive, tmp_path, database=manifest["database"])
    message = refused(site_env(tmp_path / "empty"), "restore", str(archive))
    assert "isi basis data tidak cocok dengan sidik SHA-256 di manifes" in message
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == ["static"]


# --- PostgreSQL ------------------------------------------------------------------------------------


@pytest.fixture
def postgres_urls():
    """Two new databases beside the one of DATABASE_URL (source and restore target), dropped after."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL round trip runs when DATABASE_URL names a PostgreSQL database (CI does)")
    if not shutil.which("pg_dump") and not os.environ.get("NOLKUMUH_PG_BIN"):
        pytest.skip("pg_dump is not installed (apt install postgresql-client)")
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    base, name = url.rsplit("/", 1)[0], settings["NAME"]
    names = [f"{name}_cadangan_asal", f"{name}_cadangan_tujuan"]
    admin = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"], dbname="postgres", autocommit=True,
    )  # fmt: skip
    try:
        for database in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{database}"')
        yield [f"{base}/{database}" for database in names]
    finally:
        for database in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def postgres_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_postgresql_backup_restores_into_an_empty_database(postgres_urls, demo_archive, tmp_path):
    import psycopg

    source_url, target_url = postgres_urls
    source = site_env(tmp_path / "source", source_url)
    succeeds(source, "manage", "migrate", "-v", "0")
    succeeds(source, "regions", "load", "33")
    shell(
        source,
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser('admin', password='{DEMO_PASSWORD}')",
    )
    (tmp_path / "source" / "photos" / "7").mkdir(parents=True)
    (tmp_path / "source" / "photos" / "7" / "foto.jpg").write_bytes(b"\xff\xd8 foto")
    with psycopg.connect(source_url) as open_connection:  # the app is running: a transaction is open
        open_connection.execute("INSERT INTO auth_group (name) VALUES ('cadangan-belum-selesai')")
        said = succeeds(source, "backup", str(tmp_path / "backups"))
        open_connection.rollback()
    (archive,) = (tmp_path / "backups").glob("*.tar.gz")
    manifest = archive_manifest(archive)
    assert "Cadangan ditulis" in said and manifest["database_engine"] == "postgresql"
    assert (
        manifest["row_counts"] == postgres_counts(source_url)
        and manifest["row_counts"]["regions_region"] > 9000
    )
    assert manifest["files"] == {"files/photos/7/foto.jpg": 7}

    target = site_env(tmp_path / "restored", target_url)
    assert "baris sesuai manifes" in succeeds(target, "restore", str(archive))
    assert postgres_counts(target_url) == manifest["row_counts"]
    assert (tmp_path / "restored" / "photos" / "7" / "foto.jpg").read_bytes() == b"\xff\xd8 foto"
    assert "login True" in shell(target, LOGIN_AND_HOME)

    again = site_env(tmp_path / "again", target_url)
    assert f"Basis data PostgreSQL {target_url.rsplit('/', 1)[1]} tidak kosong" in refused(
        again, "restore", str(archive)
    )
    assert "Buat basis data baru yang kosong (createdb)" in refused(again, "restore", str(archive))
    # the other engine, both ways
    sqlite = site_env(tmp_path / "sqlite")
    assert "berisi basis data PostgreSQL, sedangkan nolkumuh ini memakai SQLite" in refused(
        sqlite, "restore", str(archive)
    )
    assert "berisi basis data SQLite, sedangkan nolkumuh ini memakai PostgreSQL" in refused(
        site_env(tmp_path / "pg", source_url), "restore", str(demo_archive)
    )


def test_a_postgresql_backup_without_pg_dump_says_how_to_get_it(postgres_urls, tmp_path):
    source = site_env(tmp_path / "source", postgres_urls[0])
    succeeds(source, "manage", "migrate", "-v", "0")
    no_tools = {**source, "PATH": str(tmp_path)}
    message = refused(no_tools, "backup", str(tmp_path / "backups"))
    assert "pg_dump tidak ditemukan di PATH" in message and "apt install postgresql-client" in message
    elsewhere = {**source, "NOLKUMUH_PG_BIN": str(tmp_path)}
    assert f"pg_dump tidak ada di NOLKUMUH_PG_BIN ({tmp_path})" in refused(
        elsewhere, "backup", str(tmp_path / "b")
    )
    assert not list(tmp_path.glob("backups/*.tar.gz"))


def test_a_refusal_names_the_first_five_and_counts_the_rest():
    from nolkumuh.core.backup.problems import first_few

    assert first_few(["a", "b"]) == "a, b"
    assert first_few([str(i) for i in range(8)]) == "0, 1, 2, 3, 4 dan 3 lainnya"
