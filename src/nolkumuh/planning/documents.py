"""The memorandum program as documents: a Word document for officials and an Excel workbook.

The Word document has a cover, a summary, the projected kumuh akhir per year, the change per
aspect (table and charts), the collaboration tables (by funder and year, by aspect and year), a
chart, the maps before and after the plan where RT polygons exist, and every plan line. The
workbook holds the same tables, one sheet each, plus the kelurahan investment table.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from nolkumuh.baseline.figures import region_headline
from nolkumuh.core.documents import add_table, new_document, number, rupiah
from nolkumuh.exchange.bounds import rw_rt
from nolkumuh.exchange.write import workbook
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.models import Plan
from nolkumuh.planning.pictures import aspect_chart, before_after_maps, cost_chart
from nolkumuh.planning.selectors import PlanSimulation, collaboration_matrix, plan_simulation, plan_total
from nolkumuh.scoring import catalogue


def memorandum_docx(plan: Plan) -> bytes:
    """The Word document of a plan."""
    simulation = plan_simulation(plan)
    matrix = collaboration_matrix(plan)
    total = plan_total(plan)
    document = new_document()
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.add_run("\n\n\n" + plan.get_kind_display().upper() + "\n").bold = True
    run = cover.add_run(plan.title + "\n")
    run.bold, run.font.size = True, Pt(20)
    cover.add_run(f"{plan.region.display_name}\nTahun {plan.start_year}–{plan.end_year}\n\n")
    cover.add_run(f"Disusun dengan nolkumuh, {date_format(timezone.localdate(), 'j F Y')}")
    document.add_page_break()
    document.add_heading("1. Ringkasan", level=1)
    _summary(document, plan, simulation, total)
    document.add_heading("2. Proyeksi kumuh akhir per tahun", level=1)
    add_table(
        document,
        ["Tahun", "RT kumuh", "Luas kumuh (ha)", "RT keluar dari kumuh", "Air minum (%)", "Sanitasi (%)"],
        [
            [
                str(r.year if r.year != "awal" else "kumuh awal"),
                str(r.slum_rts),
                number(r.slum_ha),
                str(r.freed_rts),
                number(r.water),
                number(r.sanitation),
            ]
            for r in simulation.rows
        ],
    )
    _aspects(document, simulation)
    _collaboration(document, plan, matrix)
    maps = before_after_maps(plan, simulation)
    if maps:
        document.add_heading("4. Peta tingkat kekumuhan: kumuh awal dan proyeksi", level=1)
        for title, picture in maps:
            document.add_paragraph(title + ":")
            document.add_picture(io.BytesIO(picture), width=Cm(15))
    document.add_heading("5. Daftar kegiatan", level=1)
    add_table(
        document, ["Tahun", "Lokasi", "Kegiatan", "Volume", "Biaya (Rp)", "Sumber dana"], _line_rows(plan), 3
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _collaboration(document: Document, plan: Plan, matrix: dict) -> None:
    """Cost by funder and year (table and chart), and by aspect and year."""
    document.add_heading("3. Kolaborasi pendanaan", level=1)
    document.add_paragraph("Biaya menurut sumber dana dan tahun (Rp):")
    add_table(
        document,
        ["Sumber dana", *[str(y) for y in matrix["years"]], "Jumlah", "%"],
        [
            [r["label"], *[number(v, 0) for v in r["by_year"]], number(r["total"], 0), number(r["share"], 1)]
            for r in matrix["rows"]
        ]
        + [["Jumlah", *[number(v, 0) for v in matrix["by_year"]], number(matrix["total"], 0), "100"]],
    )
    document.add_picture(io.BytesIO(cost_chart(matrix)), width=Cm(16))
    document.add_paragraph("Biaya menurut aspek dan tahun (Rp):")
    add_table(
        document, ["Aspek", *[str(y) for y in matrix["years"]], "Jumlah"], _aspect_rows(plan, matrix["years"])
    )


def _aspects(document: Document, simulation: PlanSimulation) -> None:
    """Before/after per aspect: a table and two charts (deficient share, summed scores)."""
    if not simulation.aspects:
        return
    document.add_paragraph(
        "Perubahan per aspek, kumuh awal terhadap proyeksi akhir rencana: kekurangan tingkat kota "
        "(rata-rata persentase kriteria aspek itu) dan jumlah nilai aspek di seluruh RT."
    )
    add_table(
        document,
        ["Aspek", "Kekurangan awal (%)", "Kekurangan akhir (%)", "Nilai awal", "Nilai akhir"],
        [
            [a.name, number(a.share_before), number(a.share_after), str(a.score_before), str(a.score_after)]
            for a in simulation.aspects
        ],
    )
    for share in (True, False):
        document.add_picture(io.BytesIO(aspect_chart(simulation.aspects, share=share)), width=Cm(15))


def _official(plan: Plan) -> str:
    """The plan projects all data of its base round; the official figure of that round (approved
    data, ADR 0009) is stated beside it, with its coverage."""
    official = region_headline(code=plan.region.code, year=plan.base_round.year)
    year = plan.base_round.year
    basis = f"Kumuh awal rencana memakai semua data RT tahun {year}, termasuk yang belum disetujui"
    if official is None:
        return f"{basis}; belum ada data yang disetujui untuk tahun itu."
    return (
        f"{basis}; luas kumuh resmi tahun itu: {number(official.slum_area)} ha ({official.coverage.text()})."
    )


def _summary(document: Document, plan: Plan, simulation: PlanSimulation, total: float) -> None:
    if not simulation.rows:
        document.add_paragraph("Belum ada data RT pada tahun data awal rencana ini.")
        return
    first, last = simulation.rows[0], simulation.rows[-1]
    region, year, n_rt = plan.region.display_name, plan.base_round.year, simulation.n_rt
    for text in (
        f"Wilayah: {region}; data awal (kumuh awal): tahun {year}, {n_rt} RT.",
        _official(plan),
        f"Total biaya rencana: {rupiah(total)} dalam {plan.lines.count()} kegiatan.",
        f"Luas kumuh: {number(first.slum_ha)} ha (kumuh awal) menjadi {number(last.slum_ha)} ha "
        f"pada {last.year} (proyeksi); {last.freed_rts} dari {first.slum_rts} RT kumuh keluar dari "
        "status kumuh.",
        f"Akses air minum aman: {number(first.water)} % menjadi {number(last.water)} %; akses "
        f"sanitasi layak: {number(first.sanitation)} % menjadi {number(last.sanitation)} %.",
        "Proyeksi menganggap setiap kegiatan selesai pada tahunnya; harga satuan (katalog, atau harga "
        "wilayah yang diisi administrator) adalah "
        "perkiraan yang dapat diubah, bukan ketentuan.",
    ):
        document.add_paragraph(text, style="List Bullet")


def _aspect_rows(plan: Plan, years: list[int]) -> list[list[str]]:
    activities = default_activities()
    aspects = catalogue().aspects
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(years))
    for line in plan.lines.all():
        activity = activities.get(line.activity)
        if activity is None:
            continue
        aspect = catalogue().criteria[next(iter(activity.handles))].aspect
        sums[aspect][years.index(line.year)] += float(line.cost)
    return [
        [aspects[a].name_id, *[number(v, 0) for v in values], number(sum(values), 0)]
        for a, values in sorted(sums.items())
    ]


def _line_rows(plan: Plan) -> list[list[str]]:
    activities = default_activities()
    rows = []
    for line in plan.lines.select_related("rt", "rt__kelurahan", "kawasan"):
        activity = activities.get(line.activity)
        name = activity.name_id if activity else line.activity
        unit = activity.unit if activity else ""
        rows.append(
            [
                str(line.year),
                line.location,
                name,
                f"{number(float(line.volume))} {unit}",
                number(float(line.cost), 0),
                line.get_source_display(),
            ]
        )
    return rows


def memorandum_xlsx(plan: Plan, path: Path) -> None:
    """The workbook: summary projection, lines, collaboration, and the kelurahan investment table."""
    simulation = plan_simulation(plan)
    matrix = collaboration_matrix(plan)
    book = workbook(path)
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1})
    money = book.add_format({"num_format": "#,##0"})
    two = book.add_format({"num_format": "0.00"})

    def sheet(
        name: str, header: list[str], rows: list[list[object]], formats: dict[int, object] | None = None
    ) -> None:
        ws = book.add_worksheet(name)
        for j, title in enumerate(header):
            ws.write(0, j, title, bold)
            ws.set_column(j, j, max(12, len(title) + 2), (formats or {}).get(j))
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                ws.write(i, j, value)
        ws.freeze_panes(1, 0)

    sheet(
        "proyeksi",
        ["tahun", "rt_kumuh", "luas_kumuh_ha", "rt_keluar_kumuh", "akses_air_minum", "akses_sanitasi"],
        [[str(r.year), r.slum_rts, r.slum_ha, r.freed_rts, r.water, r.sanitation] for r in simulation.rows],
        {2: two, 4: two, 5: two},
    )
    activities = default_activities()
    lines = list(plan.lines.select_related("rt", "rt__kelurahan", "kawasan"))
    sheet(
        "kegiatan",
        [
            "tahun",
            "kode_kelurahan",
            "kelurahan",
            "rw",
            "rt",
            "kegiatan",
            "volume",
            "satuan",
            "harga_satuan",
            "biaya",
            "sumber_dana",
            "pelaksana",
            "status",
            "kawasan",
        ],
        [
            [
                line.year,
                line.rt.kelurahan.code if line.rt_id else "",
                line.rt.kelurahan.name if line.rt_id else "",
                rw_rt(line.rt.rw) if line.rt_id else "",
                rw_rt(line.rt.rt) if line.rt_id else "",
                line.activity,
                float(line.volume),
                activities[line.activity].unit if line.activity in activities else "",
                float(line.unit_cost),
                float(line.cost),
                line.get_source_display(),
                line.agency,
                line.get_status_display(),
                line.kawasan.name if line.kawasan_id else "",
            ]
            for line in lines
        ],
        {8: money, 9: money},
    )
    sheet(
        "kolaborasi",
        ["sumber_dana", *[str(y) for y in matrix["years"]], "jumlah", "persen"],
        [[r["label"], *r["by_year"], r["total"], r["share"]] for r in matrix["rows"]],
        {j: money for j in range(1, len(matrix["years"]) + 2)},
    )
    per_kelurahan: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * len(matrix["years"]))
    for line in lines:
        # kawasan-wide lines are listed under the kawasan's name (they may span several kelurahan)
        place = (line.rt.kelurahan.code, line.rt.kelurahan.name) if line.rt_id else ("", line.kawasan.name)
        per_kelurahan[place][matrix["years"].index(line.year)] += float(line.cost)
    sheet(
        "investasi_kelurahan",
        ["kode_kelurahan", "kelurahan", *[str(y) for y in matrix["years"]], "jumlah"],
        [[code, name, *values, sum(values)] for (code, name), values in sorted(per_kelurahan.items())],
        {j: money for j in range(2, len(matrix["years"]) + 3)},
    )
    book.close()
