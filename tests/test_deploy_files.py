"""The files of deploy/ and the guide docs/deploy.md agree with the application: the services run
commands the CLI has, the proxies pass to the port and with the headers and body size the app
expects, and every command and make target the guide names exists."""

import configparser
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from nolkumuh.cli import build_parser, cmd_serve, cmd_worker, request_body_limit
from nolkumuh.guard.limits import Limits
from tests.test_cli import NOLKUMUH
from tests.test_deploy_settings import env_file

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GUIDE = ROOT / "docs" / "deploy.md"
UNITS = {"nolkumuh-web.service": cmd_serve, "nolkumuh-worker.service": cmd_worker}
ENV_FILE = "/etc/nolkumuh/production.env"
ADMIN = DEPLOY / "bin" / "nolkumuh"
INSTALLED = "/opt/nolkumuh/.venv/bin/nolkumuh"
# Commands other branches of issue 16 add; the guide names them already (emptied at the merge).
COMING_COMMANDS: set[str] = set()
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "ReadWritePaths": "/var/lib/nolkumuh",
}


def production():
    return env_file(DEPLOY / "production.env.example")


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=True, empty_lines_in_values=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text("utf-8"))
    return parser


def nginx_conf():
    return (DEPLOY / "nginx" / "nolkumuh.conf").read_text("utf-8")


def caddyfile():
    return (DEPLOY / "Caddyfile").read_text("utf-8")


@pytest.mark.parametrize("name", UNITS)
def test_a_service_runs_an_existing_command_with_the_production_settings_as_its_own_user(name):
    service = unit(name)["Service"]
    program, *arguments = shlex.split(service["ExecStart"])
    assert program == INSTALLED
    args = build_parser().parse_args(arguments)
    assert args.handler is UNITS[name]
    assert service["EnvironmentFile"] == ENV_FILE
    assert service["User"] == service["Group"] == "nolkumuh"
    assert service["Restart"] == "on-failure"
    assert {key: service.get(key) for key in HARDENING} == HARDENING
    assert service["ReadWritePaths"] == production()["NOLKUMUH_DATA_DIR"]
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def test_the_web_service_leaves_the_worker_to_its_own_service():
    arguments = shlex.split(unit("nolkumuh-web.service")["Service"]["ExecStart"])[1:]
    assert build_parser().parse_args(arguments).no_worker is True


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_finds_nothing_wrong_in_a_unit(tmp_path, name):
    text = (DEPLOY / "systemd" / name).read_text("utf-8").replace(INSTALLED, str(Path(NOLKUMUH).resolve()))
    (tmp_path / name).write_text(text, "utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(tmp_path / name)], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def test_the_proxies_pass_to_the_port_and_address_the_app_listens_on_and_trusts():
    env = production()
    assert env["NOLKUMUH_BEHIND_PROXY"] == "1"
    upstream = f"{env['NOLKUMUH_TRUSTED_PROXY']}:{env['PORT']}"
    serve = build_parser()._subparsers._group_actions[0].choices["serve"]
    port_help = next(action.help for action in serve._actions if action.dest == "port")
    assert port_help == f"port (default $PORT or {env['PORT']})"
    assert re.findall(r"proxy_pass http://([\d.:]+);", nginx_conf()) == [upstream]
    assert re.findall(r"reverse_proxy ([\d.:]+)", caddyfile()) == [upstream]


def test_nginx_sends_the_client_address_and_scheme_the_app_reads():
    conf = nginx_conf()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header Host $host;" in conf


def test_the_proxies_accept_the_largest_upload_the_app_accepts_and_wait_for_a_file_check():
    largest_mb = request_body_limit() // (1024 * 1024)
    assert re.findall(r"client_max_body_size (\d+)m;", nginx_conf()) == [str(largest_mb)]
    assert re.findall(r"max_size (\d+)MB", caddyfile()) == [str(largest_mb)]
    for timeout in re.findall(r"proxy_read_timeout (\d+)s;", nginx_conf()) + re.findall(
        r"read_timeout (\d+)s", caddyfile()
    ):
        assert int(timeout) > Limits().child_seconds


def self_signed(folder):
    """A certificate and key for a day, as cert.pem and key.pem in folder."""
    key, cert = str(folder / "key.pem"), str(folder / "cert.pem")
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test"]
    subprocess.run(
        [*request, "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    self_signed(tmp_path)
    conf = nginx_conf()
    conf = re.sub(r"ssl_certificate /\S+;", f"ssl_certificate {tmp_path}/cert.pem;", conf)
    conf = re.sub(r"ssl_certificate_key /\S+;", f"ssl_certificate_key {tmp_path}/key.pem;", conf)
    (tmp_path / "site.conf").write_text(conf, "utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n",
        "utf-8",
    )
    test = ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    done = subprocess.run(test, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


@pytest.mark.skipif(not shutil.which("caddy"), reason="caddy is not installed")
def test_caddy_accepts_the_configuration():
    done = subprocess.run(
        ["caddy", "validate", "--adapter", "caddyfile", "--config", str(DEPLOY / "Caddyfile")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "Valid configuration" in done.stdout + done.stderr, done.stderr


def guide_commands():
    """Every `nolkumuh ...` command line of the guide, as its arguments."""
    text = GUIDE.read_text("utf-8")
    lines = re.findall(r"^\s*(?:sudo )?(nolkumuh [^\n#]*)", text, re.M)
    lines += re.findall(r"`(?:sudo )?(nolkumuh [^`]*)`", text)
    # a shell substitution such as $(date +%F) is one word of the command line
    lines = [re.sub(r"\$\([^)]*\)", "DATE", line) for line in lines]
    return sorted({tuple(shlex.split(line.strip().rstrip("\\")))[1:] for line in lines})


@pytest.mark.parametrize("arguments", guide_commands(), ids=" ".join)
def test_every_command_of_the_guide_exists(arguments):
    from django.core.management import get_commands

    if arguments[0] in COMING_COMMANDS:
        pytest.skip(f"nolkumuh {arguments[0]} comes with another branch of issue 16")
    args = build_parser().parse_args(arguments)
    if args.command == "manage":
        assert args.rest[0] in get_commands(), f"no management command {args.rest[0]}"


def test_the_guide_names_existing_files_make_targets_and_the_env_file_of_the_services():
    text = GUIDE.read_text("utf-8")
    listed = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True)
    targets = set(re.findall(r"make ([\w-]+)", listed.stdout))
    for target in re.findall(r"(?:^|`)make ([a-z][\w-]*)", text, re.M):
        assert target in targets, f"docs/deploy.md names make {target}, which make help does not list"
    for path in re.findall(r"\bdeploy/[\w./-]+\w", text):
        assert (ROOT / path).exists(), f"docs/deploy.md names {path}, which is missing"
    assert ENV_FILE in text
    assert f"ENV_FILE:-{ENV_FILE}" in ADMIN.read_text("utf-8")
    assert f"COMMAND:-{INSTALLED}" in ADMIN.read_text("utf-8")


def admin_env(env_file):
    """The environment of the administrator's command, run as the current user, reading env_file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOLKUMUH_", "DJANGO_", "DATABASE_"))}
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    return {**env, "NOLKUMUH_ENV_FILE": str(env_file), "NOLKUMUH_COMMAND": NOLKUMUH, "NOLKUMUH_USER": user}


@pytest.mark.skipif(not shutil.which("runuser"), reason="runuser is not installed")
def test_the_admin_command_runs_with_the_settings_of_the_env_file(tmp_path):
    (tmp_path / "production.env").write_text(
        "# comment\nNOLKUMUH_DEMO=1\n\n"
        f"NOLKUMUH_DATA_DIR={tmp_path}\nNOLKUMUH_CONTACT=Satker PKP Provinsi / askot setempat",
        "utf-8",
    )
    shell = "from django.conf import settings; print(settings.NOLKUMUH_CONTACT, settings.DATA_DIR)"
    done = subprocess.run(
        [ADMIN, "manage", "shell", "-v", "0", "-c", shell],
        env=admin_env(tmp_path / "production.env"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Satker PKP Provinsi / askot setempat {tmp_path}"


def test_the_admin_command_says_which_env_file_it_cannot_read(tmp_path):
    env = admin_env(tmp_path / "missing.env")
    done = subprocess.run([ADMIN, "manage", "check"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert f"berkas pengaturan {tmp_path}/missing.env tidak terbaca" in done.stderr
