"""Plan lines from Excel: a template, a dry run listing every problem, then all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from nolkumuh.exchange.bounds import range_params, range_problem
from nolkumuh.exchange.numbers import NumberError, parse_number
from nolkumuh.exchange.parse import cell_text
from nolkumuh.exchange.read import normalize_name, read_sheet
from nolkumuh.exchange.write import template_sheet, workbook
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planning.costs import activities_for
from nolkumuh.planning.models import Plan, PlanLine
from nolkumuh.planning.services import ensure_planner, plan_line_add, within_code
from nolkumuh.regions.models import Kawasan, Rt, number_key
from nolkumuh.regions.selectors import within
from nolkumuh.scoring.issues import InvalidInput, Issue

SHEET = "kegiatan"  # the sheet of the template; another workbook may use its first sheet
COLUMNS = (
    "tahun",
    "kode_kelurahan",
    "rw",
    "rt",
    "kegiatan",
    "volume",
    "harga_satuan",
    "sumber_dana",
    "pelaksana",
    "status",
    "kawasan",
)
REQUIRED = ("tahun", "kegiatan", "volume", "sumber_dana")
RT_COLUMNS = ("kode_kelurahan", "rw", "rt")
BOUNDED = {"tahun": "year", "volume": "volume", "harga_satuan": "money"}  # column -> bounds.toml


@dataclass
class LinesPlan:
    lines: list[PlanLine] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheet: str = ""  # the sheet read (Excel), for the messages

    @property
    def ok(self) -> bool:
        return not self.issues


def template_lines(path: Path, plan: Plan) -> None:
    """An empty plan-lines sheet and an instructions sheet with every activity and funding source."""
    book = workbook(path)
    _sheet, bold = template_sheet(book, SHEET, COLUMNS, width=16, text_columns=("kode_kelurahan", "rw", "rt"))
    help_sheet = book.add_worksheet("petunjuk")
    help_sheet.write_row(0, 0, ["kegiatan", "nama", "satuan", "harga satuan perkiraan (Rp)"], bold)
    for i, activity in enumerate(activities_for(region=plan.region, year=plan.start_year).values(), start=1):
        help_sheet.write_row(i, 0, [activity.key, activity.name_id, activity.unit, activity.unit_cost])
    row = len(default_activities()) + 3
    help_sheet.write_row(row, 0, ["sumber_dana", "arti"], bold)
    for i, (code, label) in enumerate(PlanLine.Source.choices, start=row + 1):
        help_sheet.write_row(i, 0, [code, str(label)])
    help_sheet.write(
        i + 2, 0, f"Tahun {plan.start_year}-{plan.end_year}; status: proposed, agreed, funded, done."
    )
    help_sheet.write(
        i + 3,
        0,
        "Lokasi: isi kode_kelurahan, rw dan rt untuk kegiatan di satu RT, atau hanya kolom kawasan "
        "(nama kawasan di bawah) untuk kegiatan skala kawasan yang dibagi ke RT-nya.",
    )
    help_sheet.write(i + 5, 0, "kawasan", bold)
    for k, kawasan in enumerate(plan_kawasan(plan), start=i + 6):
        help_sheet.write(k, 0, kawasan.name)
    help_sheet.set_column(0, 1, 40)
    book.close()


def plan_lines_plan(*, user: AbstractBaseUser, plan: Plan, path: Path) -> LinesPlan:
    """Read and check every row; nothing is written."""
    ensure_planner(user, plan)
    result = LinesPlan()
    try:
        sheet = read_sheet(path, sheet=SHEET, rt_data=False)
    except InvalidInput as exc:
        result.issues = exc.issues
        return result
    result.sheet = sheet.sheet_name
    position = {normalize_name(n): j for j, n in enumerate(sheet.names)}
    missing = [c for c in REQUIRED if c not in position]
    if "kawasan" not in position:
        missing += [c for c in RT_COLUMNS if c not in position]
    if missing or not sheet.rows:
        result.issues = [Issue("missing_column", column=c, params={"hint": ""}) for c in missing]
        result.issues += [] if sheet.rows else [Issue("no_data_rows")]
        return result
    checker = _RowChecker(plan, position)
    for row, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        line, issues = checker.line(row, number)
        result.issues += issues
        if line is not None:
            result.lines.append(line)
    return result


class _RowChecker:
    """Checks one row of the lines sheet against the plan: numbers, activity, funder, location."""

    def __init__(self, plan: Plan, position: dict[str, int]) -> None:
        self.plan, self.position = plan, position
        self.sources = {code: code for code, _ in PlanLine.Source.choices} | {
            str(label).lower(): code for code, label in PlanLine.Source.choices
        }
        rts = Rt.objects.filter(within(plan.region.code, "kelurahan__code")).select_related("kelurahan")
        self.rts = {(rt.kelurahan.code, rt.rw_key, rt.rt_key): rt for rt in rts}
        self.kawasan = {k.name.strip().lower(): k for k in plan_kawasan(plan)}
        self.costs = {
            y: activities_for(region=plan.region, year=y) for y in range(plan.start_year, plan.end_year + 1)
        }

    def line(self, row: list, number: int) -> tuple[PlanLine | None, list[Issue]]:
        def get(name: str) -> str:
            return cell_text(row[self.position[name]]) if name in self.position else ""

        values, issues = self._numbers(get, number)
        activities = self.costs[self.plan.start_year]
        activity = get("kegiatan")
        if activity not in activities:
            issues.append(Issue("unknown_activity", number, "kegiatan", activity or None))
        source = self.sources.get(get("sumber_dana").lower())
        if source is None:
            choices = ", ".join(code for code, _ in PlanLine.Source.choices)
            issues.append(
                Issue(
                    "unknown_source", number, "sumber_dana", get("sumber_dana") or None, {"choices": choices}
                )
            )
        rt, kawasan = self._location(get, number, issues)
        if issues:
            return None, issues
        year = int(values["tahun"])
        status = get("status") or PlanLine.Status.PROPOSED
        line = PlanLine(
            rt=rt,
            kawasan=kawasan,
            activity=activity,
            volume=values["volume"],
            unit_cost=values.get("harga_satuan", Decimal(str(self.costs[year][activity].unit_cost))),
            source=source,
            agency=get("pelaksana"),
            year=year,
            status=status if status in PlanLine.Status.values else PlanLine.Status.PROPOSED,
        )
        return line, []

    def _numbers(self, get: Callable[[str], str], number: int) -> tuple[dict[str, Decimal], list[Issue]]:
        issues = []
        values: dict[str, Decimal] = {}
        for name, bounded in BOUNDED.items():
            text = get(name)
            if not text:
                if name != "harga_satuan":
                    issues.append(Issue("missing_value", number, name))
                continue
            try:
                value = parse_number(text, lang="cell")
            except NumberError as exc:
                issues.append(Issue(exc.problem.code, number, name, text[:40], exc.problem.params))
                continue
            problem = range_problem(bounded, value) if value is not None and value > 0 else None
            if problem is not None:
                issues.append(Issue("bound_range", number, name, text[:40], range_params(bounded)))
            elif value is not None:
                values[name] = value
        plan = self.plan
        if "tahun" in values and not plan.start_year <= values["tahun"] <= plan.end_year:
            years = {"start": plan.start_year, "end": plan.end_year}
            issues.append(Issue("year_outside_plan", number, "tahun", str(values["tahun"]), years))
        if "tahun" in values and values["tahun"] != int(values["tahun"]):
            issues.append(Issue("not_integer", number, "tahun", str(values["tahun"])))
        if "volume" in values and values["volume"] <= 0:
            issues.append(Issue("negative", number, "volume", str(values["volume"])))
        if "harga_satuan" in values and values["harga_satuan"] < 0:
            issues.append(Issue("negative", number, "harga_satuan", str(values["harga_satuan"])))
        return values, issues

    def _location(
        self, get: Callable[[str], str], number: int, issues: list[Issue]
    ) -> tuple[Rt | None, Kawasan | None]:
        """The row's RT, or its kawasan (exactly one of the two is given)."""
        at_rt = any(get(c) for c in RT_COLUMNS)
        if at_rt == bool(get("kawasan")):
            issues.append(Issue("rt_or_kawasan", number, "kawasan" if at_rt else "rt"))
            return None, None
        if at_rt:
            rt = self.rts.get((get("kode_kelurahan"), number_key(get("rw")), number_key(get("rt"))))
            if rt is None:
                where = f"{get('kode_kelurahan')} {get('rw')}/{get('rt')}"
                issues.append(Issue("unknown_rt", number, "rt", where))
            return rt, None
        kawasan = self.kawasan.get(get("kawasan").strip().lower())
        if kawasan is None:
            issues.append(Issue("unknown_kawasan", number, "kawasan", get("kawasan")))
        return None, kawasan


def plan_kawasan(plan: Plan) -> list[Kawasan]:
    """The kawasan a line of this plan may be placed at: in its city, or in its province."""
    code = plan.region.code
    return [
        k
        for k in Kawasan.objects.filter(kabkota__code__startswith=code[:2]).select_related("kabkota")
        if within_code(k.kabkota.code, code) or within_code(code, k.kabkota.code)
    ]


@transaction.atomic
def plan_lines_apply(*, user: AbstractBaseUser, plan: Plan, checked: LinesPlan) -> int:
    """Add every checked line, or none."""
    if not checked.ok:
        raise InvalidInput(checked.issues)
    for line in checked.lines:
        plan_line_add(user=user, plan=plan, line=line)
    return len(checked.lines)
