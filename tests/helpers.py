"""Shared builders for tests: RT rows as written in files, and engine tables from them."""

from __future__ import annotations

import numpy as np

from nolkumuh.scoring import HEADER_FIELDS, RtTable, load_ruleset

HEADER_DEFAULTS = {
    "luas": "2.66",
    "jumlah_bangunan": "33",
    "jumlah_penduduk": "150",
    "jumlah_kk": "42",
    "panjang_jalan": "400",
    "panjang_drainase": "0",
}

ALL_KEYS = load_ruleset("permen-pupr-02-2016").keys


def oracle_row() -> dict[str, str]:
    """The published RT of RULES.md section 10 (14/2018: total 24, kumuh ringan)."""
    row = dict(HEADER_DEFAULTS)
    row.update({f"v_{k}": "0" for k in ALL_KEYS})
    row.update(
        {
            "v_jalan_cakupan": "100",
            "v_jalan_permukaan_rusak": "300",
            "v_air_minum_akses": "1",
            "v_air_limbah_sistem": "7",
            "v_air_limbah_sarpras": "7",
            "v_sampah_sarpras": "42",
            "v_sampah_sistem": "42",
            "v_kebakaran_prasarana": "33",
            "v_kebakaran_sarana": "33",
        }
    )
    return row


def table_of(rows: list[dict[str, str]]) -> RtTable:
    """Engine table from rows written as strings (header fields and v_<key> volumes)."""
    columns = {f: np.array([float(r[f]) for r in rows]) for f in HEADER_FIELDS}
    for key in ALL_KEYS:
        columns[key] = np.array([float(r.get(f"v_{key}", "0")) for r in rows])
    return RtTable(columns)
