"""The ``nolkumuh`` command: score exchange files and show rulesets.

Exit status: 0 success, 2 bad input (every problem listed on stderr, no output file written).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from nolkumuh import __version__
from nolkumuh.exchange import LEVELS, read_rt_file, score_input, write_table
from nolkumuh.exchange.read import no_progress
from nolkumuh.exchange.write import text_values
from nolkumuh.scoring import DEFAULT_RULESET, InvalidInput, all_rulesets, load_ruleset
from nolkumuh.scoring.docs import ruleset_markdown

BAD_INPUT = 2
# Files above this size get a progress bar on stderr (when stderr is a terminal or --progress) while
# they are read row by row (CSV, and workbooks the columnar reader leaves to the cell reader).
PROGRESS_BYTES = 2_000_000


def progress_bar(rows: Iterable[Any], total: int | None) -> Iterable[Any]:
    """A progress bar on stderr while a large file is read (module level: it runs in the child
    process that parses the file)."""
    from tqdm import tqdm

    return tqdm(rows, total=total, unit=" baris", desc="membaca", file=sys.stderr, mininterval=0.5)


def _fail(issues_lines: list[str], lang: str) -> int:
    heading = (
        "Input has problems; no output was written:"
        if lang == "en"
        else ("Masukan bermasalah; tidak ada berkas hasil yang ditulis:")
    )
    print(heading, file=sys.stderr)
    for line in issues_lines:
        print(line, file=sys.stderr)
    count = len(issues_lines)
    print(f"{count} problem(s)." if lang == "en" else f"{count} masalah.", file=sys.stderr)
    return BAD_INPUT


def cmd_score(args: argparse.Namespace) -> int:
    source = Path(args.input)
    if not source.is_file():
        message = f"file not found: {source}" if args.lang == "en" else f"berkas tidak ditemukan: {source}"
        return _fail([message], args.lang)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    show = show and source.stat().st_size >= (0 if args.progress else PROGRESS_BYTES)
    try:
        progress = progress_bar if show else no_progress
        data = read_rt_file(source, ruleset=args.ruleset, decimal_comma=args.decimal_comma, progress=progress)
    except InvalidInput as exc:
        return _fail(exc.lines(args.lang), args.lang)
    table = score_input(data, level=args.level)
    if args.output is None:
        _print_table(table, args.decimal_comma)
        return 0
    write_table(Path(args.output), table, decimal_comma=args.decimal_comma)
    done = (
        f"{len(table)} rows written to {args.output}"
        if args.lang == "en"
        else (f"{len(table)} baris ditulis ke {args.output}")
    )
    print(done, file=sys.stderr)
    return 0


def _print_table(table: Any, decimal_comma: bool) -> None:
    """A compact table on stdout: location, year and the result columns."""
    wanted = [
        c
        for c in table.columns
        if c.name.lower()
        in {
            "tahun",
            "kelurahan",
            "kode_kelurahan",
            "kawasan",
            "rw",
            "rt",
            "jumlah_rt",
            "total_nilai",
            "tingkat",
        }
        or c.name.lower()
        in {"kode_kabkota", "kabkota", "kecamatan", "provinsi", "rata_sektoral", "luas_kumuh"}
    ]
    texts = [[c.name, *text_values(c, decimal_comma)] for c in wanted]
    widths = [max(len(t) for t in column) for column in texts]
    for row in zip(*texts, strict=True):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def cmd_rulesets(args: argparse.Namespace) -> int:
    if args.id:
        try:
            ruleset = load_ruleset(args.id)
        except InvalidInput as exc:
            return _fail(exc.lines(args.lang), args.lang)
        print(ruleset_markdown(ruleset, args.lang), end="")
        return 0
    for ruleset in all_rulesets():
        marker = " (default)" if ruleset.id == DEFAULT_RULESET else ""
        print(
            f"{ruleset.id}{marker}\n    {ruleset.short_title}: {len(ruleset.criteria)} kriteria, "
            f"nilai maksimum {ruleset.max_total}"
        )
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    """Score the bundled sample data and print the result (the first-run demo)."""
    sample = resources.files("nolkumuh").joinpath("sample/rt_contoh.csv")
    with resources.as_file(sample) as path:
        print(f"Contoh: {path.name} (Permen PUPR 14/2018), per RT lalu per kelurahan\n")
        for level in ("rt", "kelurahan"):
            data = read_rt_file(path)
            _print_table(score_input(data, level=level), decimal_comma=True)
            print()
    return 0


def _django() -> None:
    """Load the settings and apps; a configuration error (such as a missing or example secret key)
    ends the command with its message on stderr and exit status 2, without a traceback."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nolkumuh.site.settings")
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"nolkumuh tidak bisa dijalankan: {exc}", file=sys.stderr)
        raise SystemExit(BAD_INPUT) from None


def cmd_manage(args: argparse.Namespace) -> int:
    """Any Django management command: nolkumuh manage migrate, createsuperuser, db_worker ..."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nolkumuh manage", *args.rest])
    return 0


def cmd_summaries_rebuild(args: argparse.Namespace) -> int:
    """Make every region's stored figures again from the RT records (ADR 0011): after restoring
    records written outside nolkumuh's services, or to check them. Pages keep working meanwhile."""
    _django()
    import time

    from nolkumuh.baseline.summaries import rebuild

    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r{done} dari {total} kelurahan", end="", file=sys.stderr, flush=True)

    rows = rebuild(progress=None if args.quiet else progress)
    print(f"\n{rows} ringkasan wilayah dibuat dalam {time.perf_counter() - started:.1f} detik.")
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    _django()
    from nolkumuh.regions.services import UnknownProvince, regions_load, regions_load_all

    try:
        result = regions_load_all() if args.province == "all" else regions_load(province_code=args.province)
    except UnknownProvince:
        print(f"kode provinsi tidak dikenal: {args.province} (contoh: 33 untuk Jawa Tengah)", file=sys.stderr)
        return BAD_INPUT
    print(f"{result.total} wilayah: {result.created} baru, {result.updated} diperbarui")
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    """Generate the national-scale benchmark data set: RTs over the real kelurahan codes of every
    province (or one), scored records for several data rounds, every kelurahan's data approved.
    Reproducible by seed; a second run with the same seed adds nothing. Not for a real server's
    database: the data is invented (docs/benchmarks.md)."""
    _django()
    from nolkumuh.baseline.national import dataset_national
    from nolkumuh.regions.services import UnknownProvince

    if args.rts < 1 or args.per_kelurahan < 1:
        print("--rts dan --per-kelurahan harus paling sedikit 1", file=sys.stderr)
        return BAD_INPUT
    try:
        result = dataset_national(
            seed=args.seed,
            rts=args.rts,
            rounds=args.rounds,
            province=args.province,
            per_kelurahan=args.per_kelurahan,
            report=print,
        )
    except UnknownProvince:
        print(f"kode provinsi tidak dikenal: {args.province} (contoh: 33 untuk Jawa Tengah)", file=sys.stderr)
        return BAD_INPUT
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return BAD_INPUT
    total = sum(result.seconds.values())
    print(
        f"{result.kelurahan} kelurahan, {result.rts} RT, {result.records} data RT baru, "
        f"{result.submissions} pengajuan baru (disetujui), {result.boundaries} batas kelurahan baru "
        f"dalam {total:.1f} s"
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Load the demo data and accounts (with public passwords): only in demo mode."""
    _django()
    from django.conf import settings

    from nolkumuh.demo import demo_load, demo_logins

    if not settings.DEMO:
        print(
            "nolkumuh demo hanya berjalan dalam mode demo (NOLKUMUH_DEMO=1): akun demo memakai kata "
            "sandi yang tercetak di dokumentasi, jadi tidak dibuat pada server sungguhan. Tidak ada "
            "yang dibuat.",
            file=sys.stderr,
        )
        return BAD_INPUT

    result = demo_load()
    print(f"Demo siap ({result['records']} data RT, {result['boundaries']} poligon baru). Akun demo:")
    for username, password, role in demo_logins():
        print(f"  {username:14s} {password:16s} {role}")
    return 0


def cmd_geo_import(args: argparse.Namespace) -> int:
    """Import boundaries from a GIS file: a dry run always; stored only when every feature matches."""
    _django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import DatabaseError

    from nolkumuh.core.allornothing import not_saved_message
    from nolkumuh.portal.boundary_import import boundary_apply, boundary_plan
    from nolkumuh.regions.models import Region

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        return _fail([f"pengguna tidak dikenal: {args.user}"], "id")
    kabkota = Region.objects.filter(code=args.kabkota).first() if args.kabkota else None
    plan = boundary_plan(
        user=user,
        path=Path(args.file),
        kind=args.kind,
        kabkota=kabkota,
        sk_number=args.sk or "",
        sk_year=args.sk_year,
    )
    print(f"{plan.count_matched} cocok, {plan.count_ambiguous} ambigu, {plan.count_unmatched} tidak cocok")
    for warning in plan.warnings:
        print(f"peringatan: {warning.line()}")
    for match in plan.flagged():
        print(
            f"peringatan: {match.target}: {match.area_ha:.4f} ha di peta, {match.declared_ha} ha dilaporkan"
        )
    problems = [i.line() for i in plan.issues]
    problems += [
        f"fitur {m.feature.number}: {m.status} ({m.feature.properties})"
        for m in plan.matches
        if m.target is None
    ]
    if problems:
        return _fail(problems, "id")
    if args.dry_run:
        return 0
    try:
        saved = boundary_apply(user=user, plan=plan)
    except PermissionDenied:
        return _fail(["di luar wilayah kerja Anda; tidak ada yang disimpan"], "id")
    except ValidationError as exc:
        return _fail([f"tidak ada yang disimpan: {m}" for m in exc.messages], "id")
    except DatabaseError as exc:  # a row refused when saved: the whole import was rolled back
        return _fail([not_saved_message(exc, what="geo import")], "id")
    print(f"{saved} batas wilayah tersimpan")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write one backup archive (database, data folder files, manifest) while the app runs."""
    _django()
    from nolkumuh.core.backup import BackupRefused, backup_create

    try:
        done = backup_create(target=Path(args.path), keep=args.keep, fmt=args.format)
    except BackupRefused as exc:
        print(f"nolkumuh backup: {exc}", file=sys.stderr)
        return BAD_INPUT
    counts = done.manifest["row_counts"]
    print(
        f"Cadangan ditulis: {done.path} ({sum(counts.values())} baris, {len(done.manifest['files'])} berkas)"
    )
    for old in done.pruned:
        print(f"  dihapus (--keep {args.keep}): {old.name}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup archive into an empty data folder and an empty database."""
    _django()
    from nolkumuh.core.backup import BackupRefused, backup_restore

    try:
        done = backup_restore(archive=Path(args.archive))
    except BackupRefused as exc:
        print(f"nolkumuh restore: {exc}", file=sys.stderr)
        return BAD_INPUT
    manifest = done.manifest
    print(
        f"Dipulihkan: cadangan {manifest['created_at']} (nolkumuh {manifest['nolkumuh_version']}), "
        f"{sum(manifest['row_counts'].values())} baris sesuai manifes, {done.files} berkas."
    )
    if done.pending_migrations:
        print(
            f"{len(done.pending_migrations)} migrasi yang lebih baru dari cadangan belum dijalankan: "
            "jalankan `nolkumuh manage migrate`."
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web application with waitress on HOST:PORT (default 127.0.0.1:8000; static files
    by the app), with a background worker for large imports and exports (unless --no-worker)."""
    _django()
    from django.core.management import call_command

    # static files with content hashes in their names and compressed copies (docs/architecture.md
    # "Page weight"); before the application loads, since WhiteNoise lists them when it starts
    call_command("collectstatic", interactive=False, verbosity=0)
    from nolkumuh.site.wsgi import application

    port = args.port or int(os.environ.get("PORT", "8000"))
    # a service manager stops us with SIGTERM: leave through the finally below, stopping the worker
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    worker = None if args.no_worker else _start_worker()
    print(f"nolkumuh berjalan di http://{args.host}:{port}/ (Ctrl+C untuk berhenti)", flush=True)
    if hint := network_hint(args.host, port):
        print(hint, flush=True)
    try:
        _waitress(application, host=args.host, port=port)
    finally:
        if worker is not None:
            worker.stop()
    return 0


def lan_address() -> str | None:
    """This machine's address on the local network (the interface of its default route), or None.
    Connecting a UDP socket sends nothing: it only picks the interface."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, yet picks a route
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def network_hint(host: str, port: int) -> str | None:
    """When serving beyond this machine (HOST=0.0.0.0), how phones on the same Wi-Fi reach it and
    what NOLKUMUH_PUBLIC_URL to set so that QR codes and document links carry that address."""
    from django.conf import settings

    if host not in ("0.0.0.0", "::", ""):
        return None
    public = settings.NOLKUMUH_PUBLIC_URL
    if public:
        return f"Ponsel di jaringan yang sama membuka {public}/ (NOLKUMUH_PUBLIC_URL; juga di kode QR)."
    address = lan_address()
    if address is None:
        return (
            "Alamat jaringan lokal mesin ini tidak ditemukan: isi NOLKUMUH_PUBLIC_URL dengan "
            f"http://<alamat-IP-mesin-ini>:{port} agar ponsel bisa membuka halaman dan kode QR."
        )
    suggested = f"http://{address}:{port}"
    return (
        f"Ponsel di Wi-Fi yang sama membuka {suggested}/ setelah Anda menjalankan ulang dengan "
        f"NOLKUMUH_PUBLIC_URL={suggested} (misalnya: make run HOST=0.0.0.0 NOLKUMUH_PUBLIC_URL={suggested}); "
        "tanpa itu alamat ini ditolak dan kode QR memakai alamat lokal."
    )


def waitress_options() -> dict[str, Any]:
    """How waitress treats forwarded headers. Behind a reverse proxy (NOLKUMUH_BEHIND_PROXY=1) the
    client address and scheme come from the X-Forwarded-For/-Proto headers, but only on requests
    from the proxy's own address (NOLKUMUH_TRUSTED_PROXY) and only the entry the proxy added
    (trusted_proxy_count 1: a client cannot forge its address by sending the header itself).
    Without the flag every forwarded header is removed before the application sees it."""
    from django.conf import settings

    if not settings.NOLKUMUH_BEHIND_PROXY:
        return {"clear_untrusted_proxy_headers": True}
    return {
        "trusted_proxy": settings.NOLKUMUH_TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def request_body_limit() -> int:
    """The largest request body waitress accepts: the largest file the guard accepts of any kind,
    plus a margin for the form around it (a larger upload is cut off before Django stores it)."""
    from nolkumuh.guard import limits_from_env

    return max(limits_from_env().max_bytes.values()) + 2 * 1024 * 1024


def _waitress(application: Any, *, host: str, port: int) -> None:
    """Serve the application with waitress (8 threads) until stopped."""
    from waitress import serve

    options = waitress_options()
    serve(application, host=host, port=port, threads=8, max_request_body_size=request_body_limit(), **options)


def _start_worker() -> Any:
    """The background worker as a child process, when tasks are queued in the database; started
    again whenever it dies (nolkumuh.supervise)."""
    from django.conf import settings

    from nolkumuh.supervise import WorkerSupervisor

    if settings.TASKS["default"]["BACKEND"] != settings.TASK_BACKENDS["database"]:
        return None
    worker = WorkerSupervisor([sys.executable, "-m", "nolkumuh.cli", "worker"], preexec=_die_with_parent)
    worker.start()
    return worker


def _die_with_parent() -> None:
    """In the worker process (Linux): receive SIGTERM when `nolkumuh serve` ends, however it ends."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the finally in cmd_serve still stops it
        pass


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued background tasks (large imports and exports) until stopped; --batch: run what is
    queued, then stop. At start, jobs left running by a worker that died are failed (or queued
    again when that is safe). `nolkumuh serve` starts one itself."""
    _django()
    from django.core.management import call_command

    from nolkumuh.core.workers import worker_start

    worker_id = worker_start(heartbeat=not args.batch)  # first, the jobs of workers that died
    options = ["--interval", "1", "--no-reload", "--queue-name", "*", "--worker-id", worker_id]
    call_command("db_worker", *options, *(["--batch", "--no-startup-delay"] if args.batch else []))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nolkumuh",
        description="nolkumuh: sistem informasi penanganan permukiman kumuh (KOTAKU, 100-0-100).",
    )
    parser.add_argument("--version", action="version", version=f"nolkumuh {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    score = commands.add_parser(
        "score",
        help="score RT data in the exchange format (CSV/XLSX)",
        description="Score RT records (FORMAT.md) and write the result. Bad input: exit 2, every "
        "problem listed, no output file.",
    )
    score.add_argument("input", help="input file, .csv or .xlsx")
    score.add_argument("-o", "--output", help="output file, .csv or .xlsx (default: a table on stdout)")
    score.add_argument("--ruleset", help=f"ruleset id or ruleset file (default {DEFAULT_RULESET})")
    score.add_argument("--level", choices=LEVELS, default="rt", help="aggregate to this level (default rt)")
    score.add_argument("--lang", choices=("id", "en"), default="id", help="language of messages (default id)")
    score.add_argument(
        "--decimal-comma", action="store_true", help="CSV numbers use a decimal comma (1,5); output likewise"
    )
    score.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar on stderr"
    )
    score.set_defaults(handler=cmd_score)

    rulesets = commands.add_parser(
        "rulesets", help="list the rulesets, or show one", description="List rulesets, or show one in full."
    )
    rulesets.add_argument("id", nargs="?", help="ruleset id or ruleset file to show")
    rulesets.add_argument("--lang", choices=("id", "en"), default="id")
    rulesets.set_defaults(handler=cmd_rulesets)

    sample = commands.add_parser(
        "sample", help="score the bundled sample data", description=cmd_sample.__doc__
    )
    sample.set_defaults(handler=cmd_sample)

    serve = commands.add_parser("serve", help="serve the web application", description=cmd_serve.__doc__)
    serve.add_argument(
        "--host",
        default=os.environ.get("HOST") or "127.0.0.1",
        help="address to listen on (default $HOST or 127.0.0.1; 0.0.0.0: the local network too)",
    )
    serve.add_argument("--port", type=int, help="port (default $PORT or 8000)")
    serve.add_argument("--no-worker", action="store_true", help="do not start the background worker")
    serve.set_defaults(handler=cmd_serve)
    worker = commands.add_parser("worker", help="run background tasks", description=cmd_worker.__doc__)
    worker.add_argument("--batch", action="store_true", help="run what is queued, then stop")
    worker.set_defaults(handler=cmd_worker)

    demo = commands.add_parser(
        "demo",
        help="load the demo data and users (idempotent)",
        description="Load Jawa Tengah's regions, demo kawasan and RTs, data rounds 2017-2023 and demo users.",
    )
    demo.set_defaults(handler=cmd_demo)

    summaries = commands.add_parser(
        "summaries", help="stored figures per region", description="Stored figures per region (ADR 0011)."
    )
    summaries_commands = summaries.add_subparsers(dest="summaries_command", required=True, metavar="COMMAND")
    rebuild = summaries_commands.add_parser(
        "rebuild",
        help="make every region's figures again from the records",
        description=cmd_summaries_rebuild.__doc__,
    )
    rebuild.add_argument("--quiet", action="store_true", help="no progress on stderr")
    rebuild.set_defaults(handler=cmd_summaries_rebuild)

    regions = commands.add_parser("regions", help="load Kemendagri regions", description="Load regions.")
    regions_commands = regions.add_subparsers(dest="regions_command", required=True, metavar="COMMAND")
    load = regions_commands.add_parser(
        "load",
        help="load one province (e.g. 33 Jawa Tengah) or all",
        description="Load one province, or with 'all' the whole country (38 provinces, about 91,600 "
        "regions, each province in its own transaction). Running it again changes nothing.",
    )
    load.add_argument("province", help="province code, e.g. 33, or all for every province")
    load.set_defaults(handler=cmd_regions)

    dataset = commands.add_parser(
        "dataset", help="generated data sets for benchmarks", description="Generated data sets."
    )
    dataset_commands = dataset.add_subparsers(dest="dataset_command", required=True, metavar="COMMAND")
    national = dataset_commands.add_parser(
        "national",
        help="RTs and scored records over every province's real kelurahan (benchmarks)",
        description=cmd_dataset.__doc__,
    )
    national.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    national.add_argument("--rts", type=int, default=300_000, help="RTs in all (default 300000)")
    national.add_argument(
        "--rounds", type=int, default=5, help="data rounds: 2017 and the latest years (default 5, at most 7)"
    )
    national.add_argument("--province", help="one province only, e.g. 33 (small sets for tests)")
    national.add_argument(
        "--per-kelurahan", type=int, default=27, help="RTs per kelurahan on average (default 27)"
    )
    national.set_defaults(handler=cmd_dataset)

    geo = commands.add_parser(
        "geo", help="boundaries from GIS files", description="Boundaries from GIS files."
    )
    geo_commands = geo.add_subparsers(dest="geo_command", required=True, metavar="COMMAND")
    geo_import = geo_commands.add_parser(
        "import", help="import kelurahan, RT or kawasan polygons", description=cmd_geo_import.__doc__
    )
    geo_import.add_argument("file", help=".geojson, .gpkg, .zip (shapefile), .kml or .kmz")
    geo_import.add_argument("--kind", choices=("kelurahan", "rt", "kawasan"), required=True)
    geo_import.add_argument("--kabkota", help="kab/kota code, e.g. 33.74 (needed for kawasan)")
    geo_import.add_argument("--sk", help="decree number of a kawasan delineation")
    geo_import.add_argument("--sk-year", type=int, help="decree year")
    geo_import.add_argument("--user", required=True, help="user name the change is recorded under")
    geo_import.add_argument("--dry-run", action="store_true", help="check and match only")
    geo_import.set_defaults(handler=cmd_geo_import)

    backup = commands.add_parser(
        "backup", help="back up the database and files", description=cmd_backup.__doc__
    )
    backup.add_argument(
        "path", help="folder (a file named by the time is made in it) or .tar.gz/.tar/.zip file"
    )
    backup.add_argument("--keep", type=int, help="keep only the newest N backups in that folder")
    backup.add_argument(
        "--format", choices=("tar.gz", "zip"), default="tar.gz", help="for a folder (default tar.gz)"
    )
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore", help="restore a backup (empty target)", description=cmd_restore.__doc__
    )
    restore.add_argument("archive", help="a file written by `nolkumuh backup`")
    restore.set_defaults(handler=cmd_restore)

    manage = commands.add_parser(
        "manage", help="run a Django management command", description=cmd_manage.__doc__
    )
    manage.add_argument("rest", nargs=argparse.REMAINDER, help="the command and its arguments")
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
