"""The permission matrix as data: for every URL pattern, a concrete address on the demo and the
answer of every identity to GET and to POST (used by tests/web/test_permission_matrix.py).

Answers: O 200, L redirect to the login page, R another redirect, F 403 (a role that may see the
thing but not do this), N 404, M 405 (method not allowed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Order of the answer strings in the table (spaces in them are only for reading).
IDENTITIES = (
    "anonim",
    "tanpa_peran",
    "admin",
    "provinsi",
    "provinsi_luar",
    "korkot",
    "korkot_luar",
    "askot",
    "askot_luar",
    "fasilitator",
    "fasilitator_luar",
)
OUTSIDE = frozenset(
    {"anonim", "tanpa_peran", "provinsi_luar", "korkot_luar", "askot_luar", "fasilitator_luar"}
)


@dataclass(frozen=True)
class Entry:
    """How to reach one URL pattern and what each identity gets (GET, POST)."""

    build: Callable[[dict[str, Any]], str]
    get: str
    post: str
    # a download or a read-only page that is slow to make: signed-in POSTs from inside are left out
    # ("-"), they would do what the GET does; POSTs from outside are always made
    heavy: bool = False


K, C = "33.74.02.1001", "33.74"  # Bandarharjo, Kota Semarang
TOKEN = "token-of-another-session"

# fmt: off
# anonim tanpa_peran | admin | provinsi luar | korkot luar | askot luar | fasilitator luar
TABLE: dict[str, Entry] = {
    "core:home": Entry(
        lambda w: "/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "core:search": Entry(
        lambda w: "/cari/?q=Semarang",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "core:help": Entry(
        lambda w: "/bantuan/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "core:help_image": Entry(
        lambda w: "/bantuan/img/beranda.png",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "core:favicon": Entry(
        lambda w: "/favicon.ico",
        "RR R RR RR RR RR", "RR R RR RR RR RR"),
    "core:job": Entry(
        lambda w: f"/tugas/{w['job'].pk}/",
        "NN N NN ON NN NN", "NN N NN ON NN NN"),
    "core:job_download": Entry(
        lambda w: f"/tugas/{w['job'].pk}/unduh/",
        "NN N NN NN NN NN", "NN N NN NN NN NN"),
    "core:my_tasks": Entry(
        lambda w: "/tugas-saya/",
        "LR O OO OO OO OO", "LR O OO OO OO OO"),
    "core:bulk_step": Entry(
        lambda w: "/tugas-saya/langkah/",
        "LM M MM MM MM MM", "LR R RR RR RR RR"),
    "core:health": Entry(
        lambda w: "/sehat/",
        "OO O OO OO OO OO", "MM M MM MM MM MM"),
    "accounts:login": Entry(
        lambda w: "/akun/masuk/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "accounts:logout": Entry(
        lambda w: "/akun/keluar/",
        "MM M MM MM MM MM", "RR R RR RR RR RR"),
    "accounts:home": Entry(
        lambda w: "/akun/saya/",
        "LO R RR RR RR RR", "LO R RR RR RR RR"),
    "accounts:password_change": Entry(
        lambda w: "/akun/sandi/",
        "LO O OO OO OO OO", "LO O OO OO OO OO"),
    # the reset by e-mail: open to everyone when mail is configured (the tests run in demo mode)
    "accounts:password_reset": Entry(
        lambda w: "/akun/lupa-sandi/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "accounts:password_reset_done": Entry(
        lambda w: "/akun/lupa-sandi/terkirim/",
        "OO O OO OO OO OO", "MM M MM MM MM MM"),
    "accounts:password_reset_confirm": Entry(
        lambda w: "/akun/lupa-sandi/MQ/tautan-lama/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "accounts:password_reset_complete": Entry(
        lambda w: "/akun/lupa-sandi/selesai/",
        "OO O OO OO OO OO", "MM M MM MM MM MM"),
    # the user pages: administrators and provincial managers (a manager of another province sees its
    # own, empty list; the demo's fasilitator lies outside it); the other roles are told why (403)
    "users:list": Entry(
        lambda w: "/pengguna/",
        "LF O OO FF FF FF", "LF O OO FF FF FF"),
    "users:new": Entry(
        lambda w: "/pengguna/baru/",
        "LF O OO FF FF FF", "LF O OO FF FF FF"),
    "users:edit": Entry(
        lambda w: f"/pengguna/{w['managed'].pk}/",
        "LF O ON FF FF FF", "LF O ON FF FF FF"),
    "users:active": Entry(
        lambda w: f"/pengguna/{w['managed'].pk}/aktif/",
        "MM M MM MM MM MM", "LF R RN FF FF FF"),
    "users:reset": Entry(
        lambda w: f"/pengguna/{w['managed'].pk}/sandi/",
        "MM M MM MM MM MM", "LF O ON FF FF FF"),
    "users:import": Entry(
        lambda w: "/pengguna/impor/",
        "LF O OO FF FF FF", "LF O OO FF FF FF"),
    "users:template": Entry(
        lambda w: "/pengguna/impor/templat.xlsx",
        "LF O OO FF FF FF", "LF - -O -F -F -F", heavy=True),
    "users:passwords": Entry(
        lambda w: "/pengguna/impor/kata-sandi.xlsx",
        "LF R RR FF FF FF", "LF R RR FF FF FF"),
    "regions:nation": Entry(
        lambda w: "/indonesia/",
        "OO O OO OO OO OO", "OO - -O -O -O -O", heavy=True),
    "regions:profile": Entry(
        lambda w: f"/wilayah/{K}/",
        "OO O OO OO OO OO", "OO - -O -O -O -O", heavy=True),
    "regions:kawasan": Entry(
        lambda w: f"/kawasan/{w['kawasan'].pk}/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:rt": Entry(
        lambda w: f"/rt/{w['rt'].pk}/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:kawasan_new": Entry(
        lambda w: f"/wilayah/{C}/kawasan-baru/",
        "LN O ON ON NN NN", "LN O ON ON NN NN"),
    "regions:map": Entry(
        lambda w: f"/peta/{K}/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:map_geojson": Entry(
        lambda w: f"/peta/{K}/lapisan.geojson",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:map_export": Entry(
        lambda w: f"/peta/{K}/unduh.geojson",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:map_image": Entry(
        lambda w: f"/peta/{K}/peta.png",
        "OO O OO OO OO OO", "OO - -O -O -O -O", heavy=True),
    "regions:boundary_import": Entry(
        lambda w: "/batas/impor/",
        "LN O OO OO OO OO", "LN O OO OO OO OO"),
    "regions:decrees": Entry(
        lambda w: f"/wilayah/{C}/sk/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:decree_layer": Entry(
        lambda w: f"/wilayah/{C}/sk/lapisan.geojson",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "regions:boundary_review": Entry(
        lambda w: f"/batas/uji/{TOKEN}/",
        "LN N NN NN NN NN", "LN N NN NN NN NN"),
    "regions:kawasan_edit": Entry(
        lambda w: f"/wilayah/{C}/kawasan/{w['kawasan'].pk}/ubah/",
        "LN O ON ON NN NN", "LN O ON ON NN NN"),
    "baseline:kelurahan": Entry(
        lambda w: f"/data/{K}/2023/",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "baseline:rt_new": Entry(
        lambda w: f"/data/{K}/2023/rt-baru/",
        "LM M MM MM MM MM", "LN R RN RN RN RN"),
    "baseline:rt_edit": Entry(
        lambda w: f"/data/{K}/2023/rt/{w['rt'].pk}/",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "baseline:rt_preview": Entry(
        lambda w: f"/data/{K}/2023/pratinjau/",
        "LM M MM MM MM MM", "LN O ON ON ON ON"),
    "baseline:template": Entry(
        lambda w: f"/data/{K}/2023/templat.xlsx",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "baseline:transition": Entry(
        lambda w: f"/data/{K}/2023/submit/",
        "LM M MM MM MM MM", "LN R RN RN RN RN"),
    "baseline:import": Entry(
        lambda w: "/impor/2023/",  # refused before any upload is read without a data-entry role
        "LF O FF OO FF OO", "LF O FF OO FF OO"),
    "baseline:import_confirm": Entry(
        lambda w: f"/impor/konfirmasi/{TOKEN}/",
        "LM M MM MM MM MM", "LN N NN NN NN NN"),
    "baseline:import_marked": Entry(
        lambda w: f"/impor/tandai/{TOKEN}/",
        "LN N NN NN NN NN", "LN N NN NN NN NN"),
    "baseline:export": Entry(
        lambda w: f"/unduh/{K}/?tahun=2022&format=csv",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "baseline:completeness": Entry(
        lambda w: f"/kelengkapan/{C}/",
        "LO O OO OO OO OO", "LO O OO OO OO OO"),
    "baseline:quality": Entry(
        lambda w: f"/kualitas/{K}/?tahun=2023",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "baseline:flag_review": Entry(
        lambda w: f"/data/{K}/2023/kualitas/periksa/",
        "LM M MM MM MM MM", "LN R RN RN RN RN"),
    "baseline:review": Entry(
        lambda w: f"/tinjau/{K}/2023/",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "baseline:unlock_request": Entry(
        lambda w: f"/buka-kunci/{K}/2023/",
        "LM M MM MM MM MM", "LN R RN RN RN RN"),
    "baseline:unlock_withdraw": Entry(
        lambda w: f"/buka-kunci/{K}/2023/999999/tarik/",
        "LM M MM MM MM MM", "LN N NN NN NN NN"),
    "planning:list": Entry(
        lambda w: f"/rencana/wilayah/{C}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "planning:plan": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "planning:optimize": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/optimasi/",
        "LN O ON ON NN NN", "LN O ON ON NN NN"),
    "planning:docx": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/memorandum.docx",
        "LN O ON ON ON NN", "LN - -N -N -N -N", heavy=True),
    "planning:template": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/templat.xlsx",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "planning:import": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/impor/",
        "LN O ON ON NN NN", "LN O ON ON NN NN"),
    "planning:realization_new": Entry(
        lambda w: f"/realisasi/{K}/2023/baru/",
        "LM M MM MM MM MM", "LN N NN NN NN NN"),
    "planning:realization_action": Entry(
        lambda w: f"/realisasi/{w['realization'].pk}/submit/",
        "LM M MM MM MM MM", "LN R RN RN RN RN"),
    "planning:xlsx": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/memorandum.xlsx",
        "LN O ON ON ON NN", "LN - -N -N -N -N", heavy=True),
    "planning:unit_costs": Entry(
        lambda w: f"/rencana/harga/{C}/",
        "LN O ON ON ON NN", "LN R ON ON ON NN"),
    "planning:realization_kawasan": Entry(
        lambda w: f"/rencana/{w['plan'].pk}/realisasi-kawasan/",
        "LM M MM MM MM MM", "LN R RN RN RN NN"),
    "training:home": Entry(
        lambda w: "/pelatihan/",
        "LO O OO OO OO OO", "LO O OO OO OO OO"),
    "training:programme": Entry(
        lambda w: f"/pelatihan/program/{w['programme'].pk}/",
        "LN O ON OO OO OO", "LN - -N -O -O -O", heavy=True),
    "training:event": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/",
        "LN O ON OO OO OO", "LN - -N -O -O -O", heavy=True),
    "training:allocate": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/bagi/",
        "LM M MM MM MM MM", "LN R RN FF FF FF"),
    "training:participants": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/peserta/",
        "LN O ON OO OO OO", "LN O ON OO OO OO"),
    "training:participants_import": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/peserta/impor/",
        "LN O ON FF FF FF", "LN O ON FF FF FF"),
    "training:lists": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/peserta.xlsx",
        "LN O ON FF FF FF", "LN - -N -F -F -F", heavy=True),
    "training:venue_print": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/tempat/{w['venue'].pk}/cetak/",
        "LN O ON FF FF FF", "LN O ON FF FF FF"),
    "training:scores": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/nilai/",
        "LN O ON FF FF FF", "LN O ON FF FF FF"),
    "training:scores_entry": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/nilai/isi/",
        "LN O ON FF FF FF", "LN O ON FF FF FF"),
    "training:report": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/laporan/",
        "LN O ON OO OO OO", "LN - -N -O -O -O", heavy=True),
    "training:certificates": Entry(
        lambda w: f"/pelatihan/kegiatan/{w['event'].pk}/sertifikat.docx",
        "LM M MM MM MM MM", "LN O ON FF FF FF"),
    "training:move": Entry(
        lambda w: f"/pelatihan/peserta/{w['participant'].pk}/pindah/",
        "LM M MM MM MM MM", "LN N NN NN NN NN"),
    "training:session": Entry(
        lambda w: f"/pelatihan/sesi/{w['session'].pk}/",
        "LN O ON NN NN NN", "LN R RN NN NN NN"),
    "training:session_qr": Entry(
        lambda w: f"/pelatihan/sesi/{w['session'].pk}/qr.svg",
        "LN O ON NN NN NN", "LN O ON NN NN NN"),
    "training:checkin_code": Entry(
        lambda w: "/pelatihan/hadir/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "training:checkin": Entry(
        lambda w: f"/pelatihan/hadir/{w['session'].checkin_token}/",
        "OO O OO OO OO OO", "OO O OO OO OO OO"),
    "training:persons": Entry(
        lambda w: "/pelatihan/personel/",
        "LN O OO OO OO OO", "LN O OO OO OO OO"),
    "training:persons_import": Entry(
        lambda w: "/pelatihan/personel/impor/",
        "LN O OO OO NN NN", "LN O OO OO NN NN"),
    "training:person": Entry(
        lambda w: f"/pelatihan/personel/{w['person'].pk}/",
        "LN O ON ON ON ON", "LN - -N -N -N -N", heavy=True),
    "training:survey": Entry(
        lambda w: f"/pelatihan/kebutuhan/{w['survey'].pk}/",
        "LN O ON OO OO OO", "LN - -N -O -O -O", heavy=True),
    "training:survey_import": Entry(
        lambda w: f"/pelatihan/kebutuhan/{w['survey'].pk}/impor/",
        "LN O ON NN NN NN", "LN O ON NN NN NN"),
    "training:survey_fill": Entry(
        lambda w: f"/pelatihan/kebutuhan/{w['survey'].pk}/isi/{w['person'].pk}/",
        "LN O ON ON NN NN", "LN R RN RN NN NN"),
    "training:curriculum": Entry(
        lambda w: "/pelatihan/kurikulum/",
        "LO O OO OO OO OO", "LO O OO OO OO OO"),
    "training:cascade": Entry(
        lambda w: f"/pelatihan/kaskade/{C}/",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "training:cascade_geojson": Entry(
        lambda w: f"/pelatihan/kaskade/{C}/lapisan.geojson",
        "LN O ON ON ON ON", "LN O ON ON ON ON"),
    "monitoring:nation_dashboard": Entry(  # the country: administrators only
        lambda w: "/dasbor/",
        "LN O NN NN NN NN", "LN - -N -N -N -N", heavy=True),
    "monitoring:dashboard": Entry(
        lambda w: f"/dasbor/{C}/",
        "LN O ON ON ON NN", "LN - -N -N -N -N", heavy=True),
    "monitoring:kpi": Entry(
        lambda w: f"/kpi/{C}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:kpi_action": Entry(
        lambda w: f"/kpi/nilai/{w['kpi_value'].pk}/submit/",
        "LM M MM MM MM MM", "LN R RN RN RN NN"),
    "monitoring:institutions": Entry(
        lambda w: f"/kelembagaan/{C}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:institution": Entry(
        lambda w: f"/kelembagaan/lembaga/{w['institution'].pk}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:report": Entry(
        lambda w: f"/laporan-kemajuan/{C}/laporan.xlsx?bulan=2023-05",
        "LN O ON ON ON NN", "LN - -N -N -N -N", heavy=True),
    "monitoring:activities": Entry(
        lambda w: f"/konstruksi/wilayah/{C}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:activity": Entry(
        lambda w: f"/konstruksi/{w['activity'].pk}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:photo": Entry(
        lambda w: f"/konstruksi/foto/{w['photo'].pk}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:photo_small": Entry(
        lambda w: f"/konstruksi/foto/{w['photo'].pk}/kecil/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:kpp_list": Entry(
        lambda w: f"/kpp/wilayah/{C}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:kpp": Entry(
        lambda w: f"/kpp/{w['kpp'].pk}/",
        "LN O ON ON ON NN", "LN O ON ON ON NN"),
    "monitoring:activity_edit": Entry(
        lambda w: f"/konstruksi/{w['activity'].pk}/ubah/",
        "LN O RN ON RN NN", "LN O RN ON RN NN"),
    "monitoring:kpp_edit": Entry(
        lambda w: f"/kpp/{w['kpp'].pk}/ubah/",
        "LN O RN ON RN NN", "LN O RN ON RN NN"),
    "set_language": Entry(
        lambda w: "/i18n/setlang/",
        "RR R RR RR RR RR", "RR R RR RR RR RR"),
}
# fmt: on


# Pages below a training event: who may see the event may be refused an organiser's page (403).
PARENT = {
    name: "training:event"
    for name in (
        "training:allocate", "training:lists", "training:venue_print", "training:scores",
        "training:scores_entry", "training:certificates", "training:participants_import",
    )
}  # fmt: skip
# The RT import page of a round: the round is public (the portal lists its years); a signed-in user
# without a data-entry role is told why it cannot import (403), before any upload is read.
PARENT["baseline:import"] = "core:home"
# The user pages: every signed-in user knows they exist (the guide names them); a role that may not
# manage users is told so in words (403); a user outside a manager's province answers 404.
PARENT.update({name: "core:home" for name in (
    "users:list", "users:new", "users:edit", "users:active", "users:reset", "users:import", "users:template",
    "users:passwords",
)})  # fmt: skip
