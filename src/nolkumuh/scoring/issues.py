"""Problems found in input data or ruleset files, with messages in Indonesian and English.

An :class:`Issue` names where the problem is (spreadsheet row and column), the value found and what
is wrong, and renders itself as ``row <n>, column <name>: <what is wrong> (<value>)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nolkumuh.scoring.labels import Words

LANGUAGES = ("id", "en")

# code -> (Indonesian, English). Placeholders are named; every message says how to fix it.
MESSAGES: dict[str, tuple[str, str]] = {
    "negative": (
        "nilai negatif tidak diperbolehkan; isi 0 atau lebih",
        "negative values are not allowed; enter 0 or more",
    ),
    "not_finite": (
        "nilai tidak terhingga atau bukan angka; isi angka biasa",
        "the value is infinite or not a number; enter an ordinary number",
    ),
    "above_denominator": (
        "volume lebih besar dari {denominator} ({denominator_value}), persentase jadi di atas"
        " 100 %; periksa volume atau {denominator}",
        "the volume exceeds {denominator} ({denominator_value}), which makes the percentage"
        " above 100 %; check the volume or {denominator}",
    ),
    "zero_denominator": (
        "volume lebih dari 0 padahal {denominator} bernilai 0; isi {denominator} atau ubah volume menjadi 0",
        "the volume is above 0 while {denominator} is 0; fill in {denominator} or set the volume to 0",
    ),
    "not_a_number": (
        "bukan angka; isi angka seperti 12 atau 3.5",
        "not a number; enter a number such as 12 or 3.5",
    ),
    "decimal_comma": (
        "memakai koma desimal; tulis dengan titik (3.5) atau jalankan dengan --decimal-comma",
        "uses a decimal comma; write it with a point (3.5) or run with --decimal-comma",
    ),
    "decimal_point": (
        "dengan --decimal-comma, titik adalah pemisah ribuan (1.234,5); tulis desimalnya dengan koma (2,66)",
        "with --decimal-comma a point separates thousands (1.234,5); write the decimals with a comma (2,66)",
    ),
    "not_integer": (
        "harus bilangan bulat (tanpa pecahan)",
        "must be a whole number (no fraction)",
    ),
    "missing_value": (
        "wajib diisi",
        "a value is required",
    ),
    "bound_range": (
        "harus antara {low} dan {high}; periksa angkanya",
        "must be between {low} and {high}; check the number",
    ),
    "out_of_range": (
        "{what} harus antara {low} dan {high}; periksa angkanya",
        "the {what} must be between {low} and {high}; check the number",
    ),
    "bad_digits": (
        "tulis nomornya dengan 1 sampai {limit} angka 0-9, bukan 0, misalnya 2 atau 002",
        "write the number with 1 to {limit} digits 0-9, not 0, for example 2 or 002",
    ),
    "number_invalid": (
        "bukan angka; tulis angka seperti {example}",
        "not a number; write a number such as {example}",
    ),
    "number_ambiguous": (
        "penulisan angka tidak jelas: dalam bahasa Indonesia titik memisahkan ribuan dan koma"
        " memisahkan desimal ({example}){suggestion}",
        "the number is ambiguous: in English a comma separates thousands and a point the decimals"
        " ({example}){suggestion}",
    ),
    "number_ambiguous_cell": (
        "bisa dibaca sebagai ribuan atau sebagai pecahan; tulis ribuan tanpa titik atau koma, misalnya 1234",
        "could be read as thousands or as a fraction; write thousands without a point or comma, e.g. 1234",
    ),
    "number_unicode_digits": (
        "pakai angka 0-9 biasa; angka dari aksara atau lebar lain tidak diterima",
        "use the ordinary digits 0-9; digits of other scripts or widths are not accepted",
    ),
    "too_many_decimals": (
        "paling banyak {places} angka di belakang koma",
        "at most {places} decimal places",
    ),
    "rupiah_decimals": (
        "Rupiah ditulis tanpa sen (tanpa angka di belakang koma); bulatkan, misalnya {example}",
        "Rupiah are written without cents (no decimals); round the amount, for example {example}",
    ),
    "rupiah_ambiguous": (
        "penulisan Rupiah tidak jelas: titik memisahkan ribuan dan tidak ada desimal; tulis misalnya"
        " {example} (atau tanpa titik)",
        "the amount is ambiguous: in English a comma separates thousands and there are no decimals;"
        " write for example {example} (or without commas)",
    ),
    "number_too_long": (
        "angka terlalu panjang: paling banyak {limit} karakter",
        "the number is too long: at most {limit} characters",
    ),
    "missing_column": (
        "kolom wajib tidak ada; tambahkan kolom ini di baris judul{hint}",
        "required column is missing; add it to the header row{hint}",
    ),
    "missing_location": (
        "lokasi tidak ada: isi kolom kode_kelurahan, atau keempat kolom provinsi, kabkota,"
        " kecamatan dan kelurahan",
        "no location: add the column kode_kelurahan, or all four columns provinsi, kabkota,"
        " kecamatan and kelurahan",
    ),
    "duplicate_column": (
        "kolom ini muncul lebih dari sekali (juga di kolom ke-{other}); hapus salah satunya",
        "this column appears more than once (also column {other}); remove one of them",
    ),
    "mixed_spelling": (
        "kolom volume memakai dua cara penamaan sekaligus (v_<kunci> dan kode seperti {code});"
        " pakai salah satu saja",
        "volume columns are named in two ways at once (v_<key> and codes such as {code}); use only one",
    ),
    "codes_need_ruleset": (
        "kolom volume memakai kode ruleset (seperti {code}); sebutkan rulesetnya dengan"
        " --ruleset atau kolom ruleset",
        "volume columns use ruleset codes (such as {code}); state the ruleset with --ruleset"
        " or a ruleset column",
    ),
    "too_many_title_rows": (
        "baris judul kolom (yang memuat tahun dan rt) ada di baris {header}, di bawah {above} baris"
        " lain; paling banyak {limit} baris judul atau label boleh di atasnya: hapus baris yang lebih",
        "the header row (the one holding tahun and rt) is row {header}, below {above} other rows; at"
        " most {limit} title or label rows may stand above it: delete the extra rows",
    ),
    "empty_file": (
        "berkas kosong: tidak ada baris judul kolom",
        "the file is empty: there is no header row",
    ),
    "no_data_rows": (
        "tidak ada baris data di bawah baris judul",
        "there are no data rows below the header row",
    ),
    "no_sheet": (
        "lembar 'rt' tidak ditemukan dan lembar pertama '{sheet}' tidak berisi kolom data RT;"
        " beri nama lembar data 'rt'",
        "no sheet named 'rt' and the first sheet '{sheet}' holds no RT data columns; name the"
        " data sheet 'rt'",
    ),
    "unknown_ruleset": (
        "ruleset tidak dikenal; pilihan: {choices}",
        "unknown ruleset; choices: {choices}",
    ),
    "ruleset_conflict": (
        "ruleset berbeda dengan {expected}; satu berkas hanya boleh memakai satu ruleset",
        "the ruleset differs from {expected}; one file may use only one ruleset",
    ),
    "bad_kode_kelurahan": (
        "kode kelurahan harus berbentuk PP.KK.CC.DDDD, misalnya 33.74.01.1001",
        "the kelurahan code must look like PP.KK.CC.DDDD, for example 33.74.01.1001",
    ),
    "bad_year": (
        "tahun harus bilangan bulat antara {low} dan {high}",
        "the year must be a whole number between {low} and {high}",
    ),
    "duplicate_rt": (
        "RT ini sudah ada untuk tahun yang sama di baris {other}; hapus salah satu baris",
        "this RT already appears for the same year in row {other}; remove one of the rows",
    ),
    "unreadable_file": (
        "berkas tidak bisa dibaca sebagai {kind} ({detail}); simpan ulang dari Excel",
        "the file cannot be read as {kind} ({detail}); save it again from Excel",
    ),
    "not_utf8": (
        "berkas CSV bukan UTF-8; simpan ulang dari Excel sebagai 'CSV UTF-8'",
        "the CSV file is not UTF-8; save it again from Excel as 'CSV UTF-8'",
    ),
    "file_empty": (
        "berkas kosong (0 byte); simpan berkasnya lagi lalu unggah ulang",
        "the file is empty (0 bytes); save it again and upload it again",
    ),
    "file_too_large": (
        "berkas terlalu besar: {size} MB, batas untuk {kind} {limit} MB; bagi datanya menjadi"
        " beberapa berkas atau hapus isi yang tidak perlu",
        "the file is too large: {size} MB, the limit for {kind} is {limit} MB; split the data into"
        " several files or remove what is not needed",
    ),
    "file_kind": (
        "isi berkas bukan {expected}, terbaca sebagai {found}; simpan ulang sebagai {expected}"
        " dengan akhiran nama yang sesuai",
        "the file's content is not {expected}, it reads as {found}; save it again as {expected}"
        " with the matching file name ending",
    ),
    "file_kind_unknown": (
        "isi berkas tidak dikenali sebagai {expected} (rusak, terpotong, atau berkas jenis lain);"
        " simpan ulang sebagai {expected} lalu unggah lagi",
        "the file's content is not recognised as {expected} (damaged, cut off, or another kind of"
        " file); save it again as {expected} and upload it again",
    ),
    "archive_entries": (
        "arsip berisi {count} berkas, batasnya {limit}; sisakan hanya berkas yang diperlukan",
        "the archive holds {count} files, the limit is {limit}; keep only the files needed",
    ),
    "archive_name": (
        "arsip berisi nama berkas yang tidak aman (jalur absolut atau '..'); buat ulang arsipnya",
        "the archive holds an unsafe file name (an absolute path or '..'); make the archive again",
    ),
    "archive_unpacked": (
        "isi arsip setelah diurai lebih dari {limit} MB; bagi datanya menjadi beberapa berkas",
        "the archive unpacks to more than {limit} MB; split the data into several files",
    ),
    "archive_ratio": (
        "arsip dimampatkan secara tidak wajar ({ratio} kali, batas {limit} kali), seperti bom zip;"
        " simpan ulang berkasnya dari aplikasi aslinya",
        "the archive is compressed implausibly ({ratio} times, the limit is {limit}), like a zip"
        " bomb; save the file again from the program that made it",
    ),
    "sheet_rows": (
        "lembar {sheet} memakai baris di atas {limit}; hapus baris di bawah data (juga yang"
        " tampak kosong) atau bagi datanya menjadi beberapa berkas",
        "sheet {sheet} uses rows beyond {limit}; delete the rows below the data (also those that"
        " look empty) or split the data into several files",
    ),
    "sheet_columns": (
        "lembar {sheet} memakai kolom di kanan kolom {limit}; hapus isi dan format sel di kanan tabel",
        "sheet {sheet} uses columns to the right of column {limit}; clear the cells and formats to"
        " the right of the table",
    ),
    "parse_timeout": (
        "berkas tidak bisa dibaca: membaca {kind} ini memakan lebih dari {seconds} detik; bagi"
        " datanya menjadi beberapa berkas",
        "the file cannot be read: reading this {kind} takes more than {seconds} seconds; split the"
        " data into several files",
    ),
    "parse_memory": (
        "berkas tidak bisa dibaca: membaca {kind} ini butuh lebih dari {limit} MB memori; bagi"
        " datanya menjadi beberapa berkas",
        "the file cannot be read: reading this {kind} needs more than {limit} MB of memory; split"
        " the data into several files",
    ),
    "parse_crash": (
        "berkas tidak bisa dibaca: pembaca {kind} berhenti (berkas rusak, atau butuh lebih dari"
        " {limit} MB memori); simpan ulang berkasnya dari aplikasi aslinya",
        "the file cannot be read: the {kind} reader stopped (a damaged file, or one that needs more"
        " than {limit} MB of memory); save it again from the program that made it",
    ),
    "parse_failed": (
        "berkas tidak bisa dibaca sebagai {kind} ({detail}); simpan ulang berkasnya dari aplikasi aslinya",
        "the file cannot be read as {kind} ({detail}); save it again from the program that made it",
    ),
    "unsupported_format": (
        "format berkas tidak dikenal; gunakan .csv atau .xlsx",
        "unknown file format; use .csv or .xlsx",
    ),
    "unknown_kelurahan": (
        "kelurahan tidak ditemukan; periksa kode (PP.KK.CC.DDDD) atau nama wilayah",
        "kelurahan not found; check the code (PP.KK.CC.DDDD) or the region names",
    ),
    "outside_scope": (
        "Anda tidak berwenang mengubah data kelurahan ini; hapus baris ini atau minta askot/korkot",
        "you may not change data of this kelurahan; remove the row or ask the askot/korkot",
    ),
    "locked": (
        "data kelurahan ini untuk tahun {year} sudah {status}; minta pembukaan kunci dahulu",
        "this kelurahan's data for {year} is already {status}; ask for it to be unlocked first",
    ),
    "kawasan_not_allowed": (
        "hanya korkot/Pokja yang dapat membuat kawasan atau memindahkan RT antarkawasan; kosongkan"
        " sel ini atau tulis kawasan RT saat ini",
        "only the korkot/Pokja may create a kawasan or move an RT between kawasan; leave the cell"
        " empty or write the RT's current kawasan",
    ),
    "wrong_year": (
        "tahun berbeda dengan putaran data yang dipilih ({year}); pisahkan per tahun",
        "the year differs from the chosen data round ({year}); import one year at a time",
    ),
    "invalid_field": (
        "nilai tidak sah: {detail}",
        "invalid value: {detail}",
    ),
    "empty_geometry": (
        "fitur tanpa geometri (kosong); gambar poligonnya atau hapus fitur ini",
        "the feature has no geometry (empty); draw its polygon or remove the feature",
    ),
    "wrong_geometry_type": (
        "geometri harus poligon, bukan {kind}; simpan batas wilayah sebagai poligon",
        "the geometry must be a polygon, not {kind}; save the boundaries as polygons",
    ),
    "geometry_repaired": (
        "poligon tidak sah ({detail}) dan sudah diperbaiki otomatis; periksa hasilnya di peta",
        "invalid polygon ({detail}), repaired automatically; check the result on the map",
    ),
    "geometry_unrepairable": (
        "poligon tidak sah ({detail}) dan tidak bisa diperbaiki dengan aman; perbaiki di QGIS",
        "invalid polygon ({detail}) that cannot be repaired safely; fix it in QGIS",
    ),
    "outside_indonesia": (
        "letak poligon di luar Indonesia ({where}); sistem koordinat (CRS) berkas mungkin salah",
        "the polygon lies outside Indonesia ({where}); the file's coordinate system (CRS) may be wrong",
    ),
    "duplicate_geometry": (
        "poligon sama persis dengan fitur {other}; hapus salah satunya",
        "the polygon is identical to feature {other}; remove one of them",
    ),
    "no_crs": (
        "berkas tidak menyebut sistem koordinatnya (CRS, mis. berkas .prj hilang); simpan ulang dari QGIS",
        "the file does not state its coordinate system (CRS, e.g. the .prj file is missing); save it again"
        " from QGIS",
    ),
    "no_features": (
        "berkas tidak berisi fitur poligon",
        "the file holds no polygon features",
    ),
    "gis_unreadable": (
        "berkas tidak bisa dibaca: {detail}; buka di QGIS lalu simpan ulang sebagai GeoPackage atau GeoJSON",
        "the file cannot be read: {detail}; open it in QGIS and save it again as GeoPackage or GeoJSON",
    ),
    "gis_empty": (
        "berkas kosong (0 bita); pilih berkas GIS yang berisi poligon batas wilayah",
        "the file is empty (0 bytes); choose a GIS file that holds the boundary polygons",
    ),
    "gis_json_nested": (
        "berkas tidak bisa dibaca: JSON bersarang terlalu dalam (daftar di dalam daftar); simpan"
        " ulang dari QGIS sebagai GeoJSON",
        "the file cannot be read: the JSON is nested too deeply (lists within lists); save it again"
        " from QGIS as GeoJSON",
    ),
    "gis_archive_empty": (
        "berkas tidak bisa dibaca: arsip tidak berisi .shp, .gpkg, .geojson atau .kml; masukkan"
        " shapefile lengkap (.shp, .shx, .dbf, .prj) ke dalam .zip",
        "the file cannot be read: the archive holds no .shp, .gpkg, .geojson or .kml; put the whole"
        " shapefile (.shp, .shx, .dbf, .prj) into the .zip",
    ),
    "unknown_crs": (
        "sistem koordinat (CRS) berkas tidak dikenal ({crs}); simpan ulang dari QGIS dalam CRS yang"
        " dikenal, mis. EPSG:4326 (WGS 84) atau UTM (EPSG:32748-32750)",
        "the file's coordinate system (CRS) is unknown ({crs}); save it again from QGIS in a known CRS,"
        " e.g. EPSG:4326 (WGS 84) or UTM (EPSG:32748-32750)",
    ),
    "unprojectable": (
        "koordinat tidak bisa diubah dari {crs} ke WGS 84 ({detail}); periksa CRS berkas di QGIS",
        "the coordinates cannot be converted from {crs} to WGS 84 ({detail}); check the file's CRS in QGIS",
    ),
    "unprojectable_feature": (
        "titik ke-{position} tidak bisa diubah ke WGS 84; CRS berkas mungkin salah, periksa di QGIS",
        "point {position} cannot be converted to WGS 84; the file's CRS may be wrong, check it in QGIS",
    ),
    "coordinate_not_finite": (
        "titik ke-{position} berisi koordinat yang bukan angka (NaN atau tak hingga); perbaiki atau"
        " hapus fitur ini di QGIS",
        "point {position} has a coordinate that is not a number (NaN or infinite); fix or remove"
        " the feature in QGIS",
    ),
    "too_many_vertices": (
        "fitur ini punya {count} titik, lebih dari batas {limit}; sederhanakan poligonnya di QGIS"
        " (Vector > Geometry Tools > Simplify)",
        "the feature has {count} points, more than the limit of {limit}; simplify the polygon in QGIS"
        " (Vector > Geometry Tools > Simplify)",
    ),
    "too_many_vertices_file": (
        "berkas berisi {count} titik, lebih dari batas {limit} per berkas; bagi berkas per kecamatan"
        " atau sederhanakan poligonnya di QGIS",
        "the file holds {count} points, more than the limit of {limit} per file; split it by"
        " kecamatan or simplify the polygons in QGIS",
    ),
    "unknown_activity": (
        "kegiatan tidak dikenal; pakai kode dari lembar petunjuk (mis. sambungan_air)",
        "unknown activity; use a key from the instructions sheet (e.g. sambungan_air)",
    ),
    "unknown_source": (
        "sumber dana tidak dikenal; pilihan: {choices}",
        "unknown funding source; choices: {choices}",
    ),
    "unknown_rt": (
        "RT ini tidak ada di wilayah rencana; periksa kode kelurahan, RW dan RT",
        "this RT is not in the plan's region; check the kelurahan code, RW and RT",
    ),
    "rt_or_kawasan": (
        "isi lokasi RT (kode_kelurahan, rw, rt) atau kolom kawasan, tidak keduanya dan tidak kosong",
        "fill in the RT location (kode_kelurahan, rw, rt) or the kawasan column: one of them, not both",
    ),
    "unknown_kawasan": (
        "kawasan ini tidak ada di wilayah rencana; pakai nama dari lembar petunjuk",
        "this kawasan is not in the plan's region; use a name from the instructions sheet",
    ),
    "year_outside_plan": (
        "tahun di luar masa rencana ({start}–{end})",
        "the year is outside the plan's years ({start}–{end})",
    ),
    "ruleset_invalid": (
        "berkas ruleset tidak sah: {detail}",
        "the ruleset file is not valid: {detail}",
    ),
    "duplicate_code": (
        "kode ini sudah dipakai di baris {other}; setiap baris perlu kode sendiri",
        "this code is already used in row {other}; every row needs its own code",
    ),
    "unknown_choice": (
        "pilihan tidak dikenal; pilihan yang sah: {choices}",
        "unknown choice; valid choices: {choices}",
    ),
    "unknown_region": (
        "wilayah tidak dikenal; tulis kode Kemendagri (mis. 33.74) atau nama persis (Kota Semarang)",
        "unknown region; write the Kemendagri code (e.g. 33.74) or the exact name (Kota Semarang)",
    ),
    "region_outside_scope": (
        "wilayah ini di luar wilayah kerja Anda; minta pengelola wilayah itu untuk mengimpornya",
        "this region is outside your working area; ask that region's manager to import it",
    ),
    "bad_email": (
        "alamat surel tidak sah; tulis seperti nama@contoh.id atau kosongkan",
        "invalid e-mail address; write it like name@example.id or leave it empty",
    ),
    "unknown_person": (
        "kode personel tidak ada di daftar personel; daftarkan orangnya dulu atau periksa kodenya",
        "the personnel code is not in the registry; register the person first or check the code",
    ),
    "unknown_participant": (
        "nomor peserta tidak ada di kegiatan ini; pakai nomor dari daftar peserta (mis. P0012)",
        "no participant with this number in the event; use the number from the participant list (e.g. P0012)",
    ),
    "unknown_topic": (
        "kode topik tidak dikenal; pilihan: {choices}",
        "unknown topic code; choices: {choices}",
    ),
    "score_range": (
        "nilai tes harus antara 0 dan 100",
        "test scores must be between 0 and 100",
    ),
    "level_range": (
        "isi tingkat kompetensi dengan bilangan bulat 1 sampai 5, atau kosongkan",
        "enter the competency level as a whole number from 1 to 5, or leave it empty",
    ),
    "too_long": (
        "terlalu panjang: paling banyak {limit} karakter; singkatkan",
        "too long: at most {limit} characters; shorten it",
    ),
    "person_outside_scope": (
        "orang dengan kode ini bertugas di luar wilayah kerja Anda dan tidak bisa diubah dari sini;"
        " pakai kode lain atau minta pengelola wilayahnya",
        "the person with this code works outside your area and cannot be changed from here;"
        " use another code or ask that region's manager",
    ),
    "duplicate_score": (
        "nilai peserta ini untuk topik ini sudah ada di baris {other}; sisakan satu baris",
        "this participant's score for this topic is already in row {other}; keep one row",
    ),
    "not_asked": (
        "kompetensi ini tidak ditanyakan untuk peran {role}; kosongkan selnya",
        "this competency is not asked of the role {role}; leave the cell empty",
    ),
}


@dataclass(frozen=True)
class Issue:
    """One problem: where (row, column), what value, and which message."""

    code: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    label: Words | None = None  # the column in words ("1a Ketidakteraturan bangunan (unit)")

    def message(self, lang: str = "id") -> str:
        indonesian, english = MESSAGES[self.code]
        template = english if lang == "en" else indonesian
        words = {k: v.text(lang) if isinstance(v, Words) else v for k, v in self.params.items()}
        return template.format(**words)

    def line(self, lang: str = "id") -> str:
        """The one-line form: ``row 3, column luas (Luas verifikasi (ha)): <message> (<value>)``."""
        row_word, column_word = ("row", "column") if lang == "en" else ("baris", "kolom")
        where = []
        if self.row is not None:
            where.append(f"{row_word} {self.row}")
        if self.column is not None:
            named = self.label is not None and self.label.text(lang) != self.column
            label = f" ({self.label.text(lang)})" if named and self.label else ""
            where.append(f"{column_word} {self.column}{label}")
        text = self.message(lang)
        if self.value is not None:
            text = f"{text} ({self.value})"
        return f"{', '.join(where)}: {text}" if where else text


class InvalidInput(Exception):
    """Raised with every issue found, never with just the first."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} problem(s) in the input")
        self.issues = issues

    def lines(self, lang: str = "id") -> list[str]:
        return [issue.line(lang) for issue in self.issues]
