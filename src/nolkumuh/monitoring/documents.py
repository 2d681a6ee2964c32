"""The monthly or quarterly progress report of a city (or province) for the ministry, as a Word
document and an Excel workbook: construction progress against plan, works behind schedule, KPP
functioning, KPI status against target, and kelurahan whose data of the round is missing."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from nolkumuh.core.documents import add_table, number, rupiah
from nolkumuh.exchange.write import workbook
from nolkumuh.monitoring.framework import default_settings
from nolkumuh.monitoring.kpi import kpi_status
from nolkumuh.monitoring.models import WeeklyReport
from nolkumuh.monitoring.scurve import planned_at, schedule_status, week_of
from nolkumuh.monitoring.selectors import activities_in, kpps_in, missing_data
from nolkumuh.regions.models import Region
from nolkumuh.regions.selectors import within

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
LIGHTS = {
    "green": "hijau (sesuai target)",
    "yellow": "kuning (tertinggal)",
    "red": "merah (di bawah target)",
    "grey": "abu-abu (belum ada data)",
}
SCHEDULE = {"behind": "terlambat", "on_track": "sesuai rencana", "ahead": "lebih cepat", "done": "selesai"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    slug: str

    @property
    def year(self) -> int:
        return self.end.year

    @classmethod
    def parse(cls, *, month: str | None = None, quarter: str | None = None) -> Period:
        """'2024-05' (a month) or '2024-2' (a quarter); a ValueError otherwise."""
        if month and re.fullmatch(r"\d{4}-\d{1,2}", month):
            year, m = (int(x) for x in month.split("-"))
            if 1 <= m <= 12:
                last = calendar.monthrange(year, m)[1]
                return cls(
                    date(year, m, 1), date(year, m, last), f"{MONTHS[m - 1]} {year}", f"{year}-{m:02d}"
                )
        if quarter and re.fullmatch(r"\d{4}-[1-4]", quarter):
            year, q = (int(x) for x in quarter.split("-"))
            first, last_month = 3 * q - 2, 3 * q
            last = calendar.monthrange(year, last_month)[1]
            return cls(
                date(year, first, 1), date(year, last_month, last), f"Triwulan {q} {year}", f"{year}-T{q}"
            )
        raise ValueError("period")


def _as_of(activities: list[dict[str, Any]], region: Region, end: date) -> None:
    """Set each activity's progress and disbursement to the last report up to the period's end."""
    latest: dict[int, tuple[int, float, float]] = {}
    start_of = {a["id"]: a["start_date"] for a in activities}
    reports = WeeklyReport.objects.filter(within(region.code, "activity__kelurahan__code")).values_list(
        "activity_id", "week", "physical", "disbursed"
    )
    for activity_id, week, physical, disbursed in reports:
        if activity_id not in start_of or week > week_of(start_of[activity_id], end):
            continue
        if activity_id not in latest or latest[activity_id][0] < week:
            latest[activity_id] = (week, float(physical), float(disbursed))
    margin = default_settings().alert_margin
    for a in activities:
        week, physical, disbursed = latest.get(a["id"], (0, 0.0, 0.0))
        now = week_of(a["start_date"], end)
        a["actual"], a["disbursed"] = physical, disbursed
        a["planned_now"] = planned_at(a["planned"], now)
        a["deviation"] = round(physical - a["planned_now"], 2) if now else None
        if a["schedule"] != "done":
            a["schedule"] = schedule_status(a["deviation"], margin)


def progress_report(*, user: AbstractBaseUser, region: Region, period: Period) -> dict[str, Any]:
    activities = [
        a for a in activities_in(code=region.code, today=period.end) if a["start_date"] <= period.end
    ]
    _as_of(activities, region, period.end)
    kpps = kpps_in(code=region.code, today=period.end)
    status = kpi_status([region.code], period.year)[region.code]
    latest, missing = missing_data(region=region)
    return {
        "region": region,
        "period": period,
        "made": timezone.localdate(),
        "activities": activities,
        "behind": [a for a in activities if a["schedule"] == "behind"],
        "kpps": kpps,
        "kpis": status,
        "round": latest,
        "missing": missing,
        "contract": sum(float(a["contract_value"]) for a in activities),
        "disbursed": sum(float(a["disbursed"]) for a in activities),
    }


def _activity_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            a["kelurahan__name"],
            a["name"],
            a["implementer"],
            float(a["contract_value"]),
            a["planned_now"],
            float(a["actual"]),
            a["deviation"],
            float(a["disbursed"]),
            SCHEDULE.get(a["schedule"], a["schedule"]),
        ]
        for a in report["activities"]
    ]


class _Places(float):
    """A number the Word report writes with its own decimals (still a number: right-aligned)."""

    places: int


def _kpi_rows(report: dict[str, Any], *, as_text: bool = False) -> list[list[Any]]:
    """One row per KPI; with ``as_text`` its baseline, target and value carry the indicator's own
    decimals (a count of people has none), which ``_text`` writes as the dashboard shows them."""

    def shown(value: float | None, decimals: int) -> Any:
        if not as_text or value is None:
            return value
        kept = _Places(value)
        kept.places = decimals
        return kept

    return [
        [
            s.indicator.name_id,
            s.indicator.unit,
            shown(s.baseline, s.indicator.decimals),
            shown(s.target, s.indicator.decimals),
            shown(s.value, s.indicator.decimals),
            s.achievement,
            LIGHTS[s.light],
            s.reading.note,
        ]
        for s in report["kpis"]
    ]


def _kpp_rows(report: dict[str, Any]) -> list[list[Any]]:
    states = {
        "functioning": "berfungsi",
        "not_functioning": "tidak berfungsi",
        "not_assessed": "belum dinilai",
    }
    return [
        [
            k["kelurahan__name"],
            k["name"],
            k["members_male"],
            k["members_female"],
            float(k["om_fund"]),
            k["last_assessed_on"].isoformat() if k["last_assessed_on"] else "",
            float(k["last_score"]) if k["last_score"] is not None else None,
            states[k["state"]],
        ]
        for k in report["kpps"]
    ]


ACTIVITY_HEADER = [
    "Kelurahan",
    "Pekerjaan",
    "Pelaksana",
    "Nilai kontrak (Rp)",
    "Rencana (%)",
    "Realisasi (%)",
    "Deviasi (%)",
    "Pencairan (Rp)",
    "Status",
]
KPI_HEADER = [
    "Indikator",
    "Satuan",
    "Baseline",
    "Target",
    "Capaian",
    "Capaian thd target (%)",
    "Status",
    "Keterangan",
]
KPP_HEADER = [
    "Kelurahan",
    "KPP",
    "Anggota L",
    "Anggota P",
    "Dana O&P (Rp)",
    "Penilaian terakhir",
    "Nilai (%)",
    "Status",
]


def _text(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, _Places):
        return number(value, value.places)
    if isinstance(value, float):
        return number(value) if abs(value) < 1000 else number(value, 0)
    return str(value)


def progress_docx(report: dict[str, Any], path: Path) -> None:
    region, period = report["region"], report["period"]
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(1.8)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"LAPORAN KEMAJUAN PROGRAM KOTAKU\n{region.display_name}\n{period.label}")
    run.bold, run.font.size = True, Pt(14)
    document.add_paragraph(
        f"Periode {period.start:%d-%m-%Y} s.d. {period.end:%d-%m-%Y}; "
        f"disusun dengan nolkumuh pada {report['made']:%d-%m-%Y}."
    )
    document.add_heading("1. Ringkasan", level=1)
    behind, count = len(report["behind"]), len(report["activities"])
    working = sum(1 for k in report["kpps"] if k["state"] == "functioning")
    for line in (
        f"Kegiatan konstruksi: {count}, di antaranya {behind} terlambat lebih dari "
        f"{number(default_settings().alert_margin, 0)} poin persen dari rencana.",
        f"Nilai kontrak {rupiah(report['contract'])}; pencairan {rupiah(report['disbursed'])}.",
        f"KPP berfungsi: {working} dari {len(report['kpps'])}.",
        f"Kelurahan yang data putaran {report['round'].year if report['round'] else '–'}-nya "
        f"belum disetujui: {len(report['missing'])}.",
    ):
        document.add_paragraph(line, style="List Bullet")
    document.add_heading("2. Kemajuan konstruksi (kurva S: rencana dan realisasi)", level=1)
    add_table(document, ACTIVITY_HEADER, _activity_rows(report), numeric_from=None, text=_text)
    document.add_heading("3. KPI terhadap target tahun " + str(period.year), level=1)
    add_table(document, KPI_HEADER, _kpi_rows(report, as_text=True), numeric_from=None, text=_text)
    document.add_paragraph(
        "Target adalah nilai bawaan program atau target wilayah yang ditetapkan administrator, "
        "bukan ketentuan."
    )
    document.add_heading("4. KPP dan fungsinya", level=1)
    add_table(document, KPP_HEADER, _kpp_rows(report), numeric_from=None, text=_text)
    document.add_heading("5. Perlu perhatian", level=1)
    for a in report["behind"]:
        document.add_paragraph(
            f"{a['name']} ({a['kelurahan__name']}): deviasi {number(a['deviation'])} poin persen",
            style="List Bullet",
        )
    for m in report["missing"]:
        document.add_paragraph(
            f"Kelurahan {m['name']}: data putaran terakhir belum disetujui ({m['word']})",
            style="List Bullet",
        )
    document.save(str(path))


class Workbook:
    """An xlsxwriter workbook with the house formats and a one-call table sheet."""

    def __init__(self, path: Path) -> None:
        self.book = workbook(path)
        self.bold = self.book.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1})
        self.formats = {
            "money": self.book.add_format({"num_format": "#,##0"}),
            "two": self.book.add_format({"num_format": "0.00"}),
        }

    def sheet(self, name: str, header: list[str], rows: list[list[Any]], kinds: dict[int, str]) -> None:
        ws = self.book.add_worksheet(name)
        for j, title in enumerate(header):
            ws.write(0, j, title, self.bold)
            ws.set_column(j, j, max(12, len(title) + 2), self.formats.get(kinds.get(j, "")))
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                ws.write(i, j, value)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)


ACTIVITY_KINDS = {3: "money", 4: "two", 5: "two", 6: "two", 7: "money"}
KPP_KINDS = {4: "money", 6: "two"}


def activities_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    """The activity list of a region as a workbook (one click from the page)."""
    workbook = Workbook(path)
    workbook.sheet("konstruksi", ACTIVITY_HEADER, _activity_rows({"activities": rows}), ACTIVITY_KINDS)
    workbook.book.close()


def kpps_xlsx(rows: list[dict[str, Any]], path: Path) -> None:
    workbook = Workbook(path)
    workbook.sheet("kpp", KPP_HEADER, _kpp_rows({"kpps": rows}), KPP_KINDS)
    workbook.book.close()


def progress_xlsx(report: dict[str, Any], path: Path) -> None:
    workbook = Workbook(path)
    book, bold, sheet = workbook.book, workbook.bold, workbook.sheet

    region, period = report["region"], report["period"]
    info = book.add_worksheet("ringkasan")
    for i, (label, value) in enumerate(
        [
            ("Wilayah", f"{region.display_name} ({region.code})"),
            ("Periode", period.label),
            ("Kegiatan konstruksi", len(report["activities"])),
            ("Terlambat", len(report["behind"])),
            ("Nilai kontrak (Rp)", report["contract"]),
            ("Pencairan (Rp)", report["disbursed"]),
            ("KPP", len(report["kpps"])),
            ("KPP berfungsi", sum(1 for k in report["kpps"] if k["state"] == "functioning")),
            ("Kelurahan data belum disetujui", len(report["missing"])),
        ]
    ):
        info.write(i, 0, label, bold)
        info.write(i, 1, value)
    info.set_column(0, 0, 32)
    info.set_column(1, 1, 40)
    sheet(
        "konstruksi",
        ACTIVITY_HEADER,
        _activity_rows(report),
        {3: "money", 4: "two", 5: "two", 6: "two", 7: "money"},
    )
    sheet("kpi", KPI_HEADER, _kpi_rows(report), {2: "two", 3: "two", 4: "two", 5: "two"})
    sheet("kpp", KPP_HEADER, _kpp_rows(report), KPP_KINDS)
    sheet(
        "perlu_perhatian",
        ["Kode", "Kelurahan", "Status data"],
        [[m["code"], m["name"], m["word"]] for m in report["missing"]],
        {},
    )
    book.close()
