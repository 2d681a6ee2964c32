"""Starting outside demo mode: the secret key must be the operator's own, `nolkumuh demo` refuses,
and the production environment of deploy/production.env.example passes `check --deploy`."""

import os
import re
import secrets
import subprocess
from pathlib import Path

import pytest

from nolkumuh.site.secret_key import DEMO_SECRET_KEY, PLACEHOLDERS, secret_key_problem
from tests.test_cli import NOLKUMUH

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ROOT / "deploy" / "production.env.example"


def env_file(path):
    """The variables of an env file, as a service manager reads them."""
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", path.read_text("utf-8"), re.M))


def production_env(tmp_path, **changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOLKUMUH_", "DJANGO_", "DATABASE_"))}
    env.update(env_file(PRODUCTION))
    env.update(
        NOLKUMUH_SECRET_KEY=secrets.token_urlsafe(50),
        NOLKUMUH_DATA_DIR=str(tmp_path),
        DATABASE_URL="",  # SQLite: the check needs no database server
    )
    env.update(changes)
    return env


def nolkumuh(*args, env):
    return subprocess.run([NOLKUMUH, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_the_production_environment_passes_check_deploy(tmp_path):
    done = nolkumuh("manage", "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_every_production_variable_is_known_to_the_settings():
    known = set(env_file(ROOT / ".env.example"))
    assert set(env_file(PRODUCTION)) - known == set()


def test_every_variable_of_the_settings_is_in_the_production_file_set_or_commented():
    """An operator reading only the production file sees every setting there is."""
    text = PRODUCTION.read_text("utf-8")
    present = set(re.findall(r"^(?:# )?([A-Z_]+)=", text, re.M))
    assert set(env_file(ROOT / ".env.example")) - present == set()


def test_the_production_file_has_no_stray_lines():
    """Every line is a comment, blank, or NAME=value (a broken line is read as garbage or dropped)."""
    lines = PRODUCTION.read_text("utf-8").splitlines()
    stray = [line for line in lines if line.strip() and not re.match(r"^(#.*|[A-Z_]+=\S*( \S+)*)$", line)]
    assert stray == []
    values = env_file(PRODUCTION)
    assert values["NOLKUMUH_HSTS_SECONDS"] == "31536000"
    assert values["NOLKUMUH_PUBLIC_URL"] == "https://nolkumuh.example.go.id"
    assert values["NOLKUMUH_DEBUG"] == "0" and values["NOLKUMUH_DEMO"] == "0"


def test_the_example_keys_of_the_documentation_are_refused():
    examples = [env_file(ROOT / ".env.example"), env_file(PRODUCTION)]
    for example in examples:
        assert example["NOLKUMUH_SECRET_KEY"] in PLACEHOLDERS
        assert secret_key_problem(example["NOLKUMUH_SECRET_KEY"]) is not None


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "belum diisi"),
        ("   ", "belum diisi"),
        ("change-me", "contoh"),
        (DEMO_SECRET_KEY, "contoh"),
        (DEMO_SECRET_KEY + "tambahan", "contoh"),
        ("ganti-dengan-kunci-acak-sepanjang-minimal-50-karakter-dari-perintah-di-atas", "contoh"),
        ("a1b2c3d4e5" * 4 + "f6g7h8i9", "terlalu pendek"),  # 48 characters
        ("ab" * 30, "terlalu pendek atau seragam"),  # long but only two different characters
    ],
)
def test_a_weak_secret_key_is_refused_with_the_reason(key, says):
    assert says in secret_key_problem(key)


def test_a_random_key_of_50_characters_is_accepted():
    assert secret_key_problem(secrets.token_urlsafe(38)[:50]) is None


@pytest.mark.slow
@pytest.mark.parametrize("key", ["", "change-me", "pendek-sekali", DEMO_SECRET_KEY])
@pytest.mark.parametrize(
    "command", [["manage", "check"], ["serve", "--no-worker", "--port", "1"], ["worker", "--batch"]]
)
def test_outside_demo_mode_the_app_refuses_to_start_with_a_weak_key(tmp_path, key, command):
    done = nolkumuh(*command, env=production_env(tmp_path, NOLKUMUH_SECRET_KEY=key))
    assert done.returncode == 2
    assert "nolkumuh tidak bisa dijalankan: NOLKUMUH_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_the_production_file_as_it_stands_refuses_to_start_with_its_example_key(tmp_path):
    env = production_env(tmp_path, NOLKUMUH_SECRET_KEY=env_file(PRODUCTION)["NOLKUMUH_SECRET_KEY"])
    done = nolkumuh("serve", "--no-worker", "--port", "1", env=env)
    assert done.returncode == 2
    assert "NOLKUMUH_SECRET_KEY masih berisi contoh dari dokumentasi" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_check_deploy_reports_debug_turned_on_in_production(tmp_path):
    env = production_env(tmp_path, NOLKUMUH_DEBUG="1")
    done = nolkumuh("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert done.returncode != 0
    assert "security.W018" in done.stdout + done.stderr  # "You should not have DEBUG set to True"


@pytest.mark.slow
def test_debug_stays_off_unless_asked(tmp_path):
    env = production_env(tmp_path)
    env.pop("NOLKUMUH_DEBUG")
    show = ["manage", "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"]
    assert nolkumuh(*show, env=env).stdout.split()[-1] == "False"
    assert nolkumuh(*show, env={**env, "NOLKUMUH_DEBUG": "1"}).stdout.split()[-1] == "True"


@pytest.mark.slow
def test_demo_refuses_outside_demo_mode_and_creates_nothing(tmp_path):
    env = production_env(tmp_path)
    assert nolkumuh("manage", "migrate", "-v", "0", env=env).returncode == 0
    done = nolkumuh("demo", env=env)
    assert done.returncode == 2
    assert "hanya berjalan dalam mode demo (NOLKUMUH_DEMO=1)" in done.stderr
    users = "from django.contrib.auth.models import User; print(User.objects.count())"
    assert nolkumuh("manage", "shell", "-c", users, env=env).stdout.split()[-1] == "0"
    regions = "from nolkumuh.regions.models import Region; print(Region.objects.count())"
    assert nolkumuh("manage", "shell", "-c", regions, env=env).stdout.split()[-1] == "0"


@pytest.mark.slow
def test_migrate_makes_the_cache_tables_when_the_cache_is_in_the_database(tmp_path):
    """NOLKUMUH_CACHE=database (several machines): the one migrate step makes the cache's tables,
    and the cache works in them; a file cache makes none."""
    import sqlite3

    env = production_env(tmp_path, NOLKUMUH_CACHE="database")
    assert nolkumuh("manage", "migrate", "-v", "0", env=env).returncode == 0
    with sqlite3.connect(tmp_path / "nolkumuh.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"nolkumuh_cache", "nolkumuh_counters"} <= tables
    use = (
        "from django.core.cache import caches; caches['counters'].set('k', 7); "
        "caches['default'].set('k', 8); print(caches['counters'].get('k'), caches['default'].get('k'))"
    )
    assert nolkumuh("manage", "shell", "-c", use, env=env).stdout.split()[-2:] == ["7", "8"]
    with sqlite3.connect(tmp_path / "nolkumuh.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM nolkumuh_counters").fetchone()[0] == 1
    assert not (tmp_path / "cache").exists() and not (tmp_path / "counters").exists()

    file_cache = production_env(tmp_path / "file", NOLKUMUH_CACHE="file")
    assert nolkumuh("manage", "migrate", "-v", "0", env=file_cache).returncode == 0
    with sqlite3.connect(tmp_path / "file" / "nolkumuh.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not {"nolkumuh_cache", "nolkumuh_counters"} & tables


def test_an_unknown_cache_kind_is_refused_with_the_choices(tmp_path):
    done = nolkumuh("manage", "check", env=production_env(tmp_path, NOLKUMUH_CACHE="redis"))
    assert done.returncode == 2
    assert (
        "nolkumuh tidak bisa dijalankan: NOLKUMUH_CACHE harus 'file' atau 'database', bukan 'redis'"
        in done.stderr
    )
