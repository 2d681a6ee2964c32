"""Training documents: participant and rooming lists per venue (Excel), the event report (Word and
Excel), and the certificates (Word, one page each)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from nolkumuh.core.documents import add_table, bar_chart_png, new_document, number, percent
from nolkumuh.exchange.write import workbook
from nolkumuh.training.models import Certificate, Event, Participant
from nolkumuh.training.selectors import ParticipantRow

LIST_COLUMNS = ["No. peserta", "Nama", "L/P", "Peran", "Kabupaten/kota", "Kelas", "Telepon", "PIN presensi"]


def _dates(event: Event) -> str:
    return f"{date_format(event.start_date, 'j F Y')} – {date_format(event.end_date, 'j F Y')}"


def sheet_names(names: list[str]) -> dict[str, str]:
    """Excel sheet names for these names: without the characters Excel forbids, at most 31
    characters, and unique regardless of case."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = re.sub(r"[\[\]:*?/\\']", "-", name).strip() or "tempat"
        candidate, n = base[:31], 1
        while candidate.lower() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        taken.add(candidate.lower())
        result[name] = candidate
    return result


def participant_lists_xlsx(path: Path, event: Event) -> None:
    """One sheet per venue (and one for those not yet placed), sorted by class and name: the list a
    hotel and a class secretary need, with each participant's check-in PIN for the name tags."""
    book = workbook(path)
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1})
    title = book.add_format({"bold": True, "font_size": 13})
    people = list(event.participants.select_related("person__kabkota", "klass__venue"))
    venues: dict[str, list[Participant]] = {}
    for p in people:
        venues.setdefault(p.klass.venue.name if p.klass else "Belum dibagi", []).append(p)
    safe = sheet_names(sorted(venues))
    for name in sorted(venues):
        sheet = book.add_worksheet(safe[name])
        members = sorted(venues[name], key=lambda p: (p.klass.name if p.klass else "", p.person.name))
        sheet.write(0, 0, f"{event.title} · {name} · {len(members)} peserta", title)
        sheet.write_row(2, 0, LIST_COLUMNS, bold)
        for r, p in enumerate(members, start=3):
            sheet.write_row(
                r,
                0,
                [
                    p.code,
                    p.person.name,
                    p.person.gender,
                    p.person.get_role_display(),
                    p.person.kabkota.name,
                    p.klass.name if p.klass else "",
                    p.person.phone,
                    p.pin,
                ],
            )
        sheet.set_column(0, 0, 11)
        sheet.set_column(1, 1, 30)
        sheet.set_column(3, 4, 28)
        sheet.set_column(5, 7, 14)
        sheet.autofilter(2, 0, 2 + len(members), len(LIST_COLUMNS) - 1)
        sheet.freeze_panes(3, 0)
        sheet.repeat_rows(2)
    if not venues:
        book.add_worksheet("peserta").write(0, 0, "Belum ada peserta.")
    book.close()


def _breakdown_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            str(r["label"]),
            str(r["count"]),
            str(r["men"]),
            str(r["women"]),
            percent(r["attendance"]),
            number(r["pre"], 1),
            number(r["post"], 1),
            number(r["gain"], 1),
        ]
        for r in items
    ]


BREAKDOWN_HEADER = ["", "Peserta", "L", "P", "Kehadiran", "Pra-tes", "Pasca-tes", "Kenaikan"]


def event_report_docx(event: Event, report: dict[str, Any]) -> bytes:
    """The event report for the programme's officials."""
    document = new_document()
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run("LAPORAN KEGIATAN PELATIHAN\n")
    run.bold = True
    run = head.add_run(event.title + "\n")
    run.bold, run.font.size = True, Pt(16)
    head.add_run(f"{event.programme.title}\n{event.city.name}, {_dates(event)}")
    document.add_heading("1. Ringkasan", level=1)
    venues = ", ".join(v.name for v in event.venues.all())
    for text in (
        f"Peserta: {report['count']} orang ({report['men']} laki-laki, {report['women']} perempuan) "
        f"di {venues}.",
        f"Jadwal: {report['days']} hari, {report['sessions']} sesi.",
        f"Kehadiran rata-rata: {percent(report['attendance'])}; {report['eligible']} peserta memenuhi batas "
        f"kehadiran {event.attendance_threshold} % untuk sertifikat "
        f"({report['certificates']} sertifikat terbit).",
        f"Nilai tes rata-rata: pra-tes {number(report['pre'], 1)}, pasca-tes {number(report['post'], 1)}, "
        f"kenaikan {number(report['gain'], 1)} poin.",
        f"Evaluasi: materi {number(report['evaluation']['overall_content'], 2)}, pelatih "
        f"{number(report['evaluation']['overall_trainer'], 2)} "
        f"(skala 1–5, {report['evaluation']['count']} penilaian).",
    ):
        document.add_paragraph(text, style="List Bullet")
    sections = [
        ("2. Peserta menurut kabupaten/kota", "by_city"),
        ("3. Peserta menurut peran", "by_role"),
        ("4. Menurut tempat", "by_venue"),
        ("5. Menurut kelas", "by_class"),
    ]
    for heading, key in sections:
        document.add_heading(heading, level=1)
        add_table(document, BREAKDOWN_HEADER, _breakdown_rows(report[key]))
    document.add_picture(
        io.BytesIO(
            bar_chart_png("Peserta menurut peran", [(str(r["label"]), r["count"]) for r in report["by_role"]])
        ),
        width=Cm(16),
    )
    document.add_heading("6. Hasil tes per topik", level=1)
    add_table(
        document,
        ["Topik", "Peserta", "Pra-tes", "Pasca-tes", "Kenaikan", "Kenaikan ternormalisasi"],
        [
            [
                t["label"],
                str(t["count"]),
                number(t["pre"], 1),
                number(t["post"], 1),
                number(t["gain"], 1),
                number(t["normalized"], 2),
            ]
            for t in report["by_topic"]
        ],
    )
    if report["by_topic"]:
        document.add_picture(
            io.BytesIO(
                bar_chart_png(
                    "Kenaikan nilai per topik (poin)",
                    [(t["label"], t["gain"] or 0) for t in report["by_topic"]],
                )
            ),
            width=Cm(16),
        )
    document.add_heading("7. Evaluasi sesi dan pelatih", level=1)
    add_table(
        document,
        ["Pelatih", "Penilaian", "Nilai (1–5)"],
        [[t["name"], str(t["n"]), number(t["rating"], 2)] for t in report["evaluation"]["trainers"]],
    )
    if report["evaluation"]["comments"]:
        document.add_paragraph("Komentar peserta (terbaru):")
        for e in report["evaluation"]["comments"][:15]:
            document.add_paragraph(f"{e.session}: {e.comment}", style="List Bullet")
    document.add_paragraph(f"Disusun dengan nolkumuh, {date_format(timezone.localdate(), 'j F Y')}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def event_report_xlsx(path: Path, event: Event, report: dict[str, Any]) -> None:
    """The same report as a workbook: one sheet per table, and every participant."""
    book = workbook(path)
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5"})
    pct = book.add_format({"num_format": "0.0%"})
    one = book.add_format({"num_format": "0.0"})
    for name, key in (
        ("kabkota", "by_city"),
        ("peran", "by_role"),
        ("tempat", "by_venue"),
        ("kelas", "by_class"),
    ):
        sheet = book.add_worksheet(name)
        sheet.write_row(
            0,
            0,
            [
                name,
                "peserta",
                "laki-laki",
                "perempuan",
                "kehadiran",
                "pra",
                "pasca",
                "kenaikan",
                "memenuhi syarat",
            ],
            bold,
        )
        for r, row in enumerate(report[key], start=1):
            sheet.write_row(r, 0, [str(row["label"]), row["count"], row["men"], row["women"]])
            sheet.write(r, 4, row["attendance"], pct)
            for j, k in enumerate(("pre", "post", "gain"), start=5):
                sheet.write(r, j, row[k], one)
            sheet.write(r, 8, row["eligible"])
        sheet.set_column(0, 0, 34)
    sheet = book.add_worksheet("topik")
    sheet.write_row(0, 0, ["topik", "peserta", "pra", "pasca", "kenaikan", "kenaikan ternormalisasi"], bold)
    for r, t in enumerate(report["by_topic"], start=1):
        sheet.write_row(r, 0, [t["label"], t["count"], t["pre"], t["post"], t["gain"], t["normalized"]])
    sheet.set_column(0, 0, 50)
    sheet = book.add_worksheet("peserta")
    sheet.write_row(
        0,
        0,
        [
            "nomor",
            "nama",
            "L/P",
            "peran",
            "kabkota",
            "kelas",
            "sesi wajib",
            "hadir",
            "kehadiran",
            "pra",
            "pasca",
            "kenaikan",
            "sertifikat",
        ],
        bold,
    )
    rows: list[ParticipantRow] = report["rows"]
    for r, row in enumerate(rows, start=1):
        p = row.participant
        sheet.write_row(
            r,
            0,
            [
                p.code,
                p.person.name,
                p.person.gender,
                p.person.role,
                p.person.kabkota.name,
                str(p.klass or ""),
                row.expected,
                row.present,
            ],
        )
        sheet.write(r, 8, row.rate, pct)
        sheet.write_row(r, 9, [row.pre, row.post, row.gain, "ya" if row.eligible else "tidak"])
    sheet.set_column(1, 1, 30)
    sheet.set_column(4, 5, 26)
    book.close()


def certificates_docx(
    event: Event, certificates: list[Certificate], rows: dict[int, ParticipantRow]
) -> bytes:
    """One landscape page per certificate."""
    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for i, certificate in enumerate(certificates):
        if i:
            document.add_page_break()
        p = certificate.participant
        row = rows[p.pk]
        body = document.add_paragraph()
        body.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = body.add_run("\nSERTIFIKAT\n")
        run.bold, run.font.size = True, Pt(32)
        body.add_run(f"Nomor: {certificate.number}\n\ndiberikan kepada\n")
        run = body.add_run(p.person.name + "\n")
        run.bold, run.font.size = True, Pt(24)
        body.add_run(f"{p.person.get_role_display()} · {p.person.kabkota.name}\n\n")
        body.add_run(f"atas keikutsertaannya dalam\n{event.title}\n")
        body.add_run(f"{event.programme.title}\n{event.city.name}, {_dates(event)}\n")
        body.add_run(
            f"dengan kehadiran {percent(row.rate, 0)} ({row.present} dari {row.expected} sesi).\n\n\n"
        )
        body.add_run(
            f"{event.city.name}, {date_format(event.end_date, 'j F Y')}\n"
            "Penyelenggara\n\n\n\n(________________________)"
        )
    if not certificates:
        document.add_paragraph("Belum ada peserta yang memenuhi batas kehadiran.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
