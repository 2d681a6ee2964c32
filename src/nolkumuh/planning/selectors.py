"""Reading plans: the simulated state year by year, and the collaboration matrix of funders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from nolkumuh.baseline.models import RtRecord
from nolkumuh.baseline.scoring import record_values, ruleset_of, table_of
from nolkumuh.core.labels import field_label
from nolkumuh.planmath.activities import default_activities
from nolkumuh.planmath.simulate import PlanLine as EngineLine
from nolkumuh.planmath.simulate import simulate
from nolkumuh.planning.models import Plan, PlanLine
from nolkumuh.planning.realization import realized_volumes
from nolkumuh.regions.models import Rt
from nolkumuh.regions.selectors import within
from nolkumuh.scoring import Groups, aggregate, assess, catalogue, sanitation_access_hundredths, slum_area
from nolkumuh.scoring import water_access_hundredths as water_access
from nolkumuh.scoring.assess import Assessment
from nolkumuh.scoring.handling import apply_handling


@dataclass
class YearRow:
    year: int | str
    slum_rts: int
    slum_ha: float
    freed_rts: int
    water: float | None
    sanitation: float | None
    total: int
    class_code: str
    measured_slum_rts: int | None = None  # after approved realizations (completed activities)
    measured_slum_ha: float | None = None


@dataclass
class AspectRow:
    """One aspect before the plan (kumuh awal) and after its last year (projection)."""

    number: int
    name: str
    share_before: float  # the city's deficient share of the aspect, % (mean of its criteria)
    share_after: float
    score_before: int  # the aspect's scores summed over every RT
    score_after: int


# The kinds of line warnings (planmath's LineWarning.code) in the order the plan page shows them:
# a line in an RT that lacks nothing is wasted whole, one beyond what remains only in part.
WARNING_KINDS = ("not_lacking", "over_handling")
SHOWN_FIRST = 3  # lines of each kind listed before "show the others"


@dataclass
class WarningGroup:
    """The plan lines warned of one kind, each with the criteria concerned (in plan order)."""

    kind: str
    lines: list[tuple[PlanLine, list[str]]]

    @property
    def count(self) -> int:
        return len(self.lines)

    @property
    def first(self) -> list[tuple[PlanLine, list[str]]]:
        return self.lines[:SHOWN_FIRST]

    @property
    def rest(self) -> list[tuple[PlanLine, list[str]]]:
        return self.lines[SHOWN_FIRST:]


def warning_groups(warnings: list[tuple[PlanLine, str, str]]) -> list[WarningGroup]:
    """The warnings grouped by kind, one entry per plan line with its criteria; empty kinds left out."""
    by_kind: dict[str, dict[int, tuple[PlanLine, list[str]]]] = {kind: {} for kind in WARNING_KINDS}
    for line, kind, criterion in warnings:
        entry = by_kind.setdefault(kind, {}).setdefault(line.pk, (line, []))
        entry[1].append(criterion)
    return [WarningGroup(kind, list(lines.values())) for kind, lines in by_kind.items() if lines]


@dataclass
class PlanSimulation:
    rows: list[YearRow] = field(default_factory=list)
    # (line, kind "not_lacking" / "over_handling", the criterion in words: "6a Prasarana ...")
    warnings: list[tuple[PlanLine, str, str]] = field(default_factory=list)
    rts: list[Rt] = field(default_factory=list)
    n_rt: int = 0
    aspects: list[AspectRow] = field(default_factory=list)
    classes_before: dict[int, str] = field(default_factory=dict)  # RT id -> class code
    classes_after: dict[int, str] = field(default_factory=dict)

    @property
    def warning_groups(self) -> list[WarningGroup]:
        return warning_groups(self.warnings)


def base_table(plan: Plan) -> tuple[list[Rt], Any]:
    """The RTs of the plan's region with data in its base round, and their table (one query)."""
    records = list(
        RtRecord.objects.filter(within(plan.region.code, "rt__kelurahan__code"), round=plan.base_round)
        .select_related("rt", "rt__kelurahan")
        .order_by("rt__kelurahan__code", "rt__rw_key", "rt__rt_key")
    )
    ruleset = ruleset_of(plan.base_round.ruleset_id)
    return [r.rt for r in records], table_of([record_values(r) for r in records], ruleset)


def plan_simulation(plan: Plan) -> PlanSimulation:
    """Kumuh awal (the base round) and the projected state after each plan year."""
    rts, table = base_table(plan)
    result = PlanSimulation(rts=rts, n_rt=len(rts))
    if not rts:
        return result
    ruleset = ruleset_of(plan.base_round.ruleset_id)
    lines = list(plan.lines.select_related("rt", "rt__kelurahan", "kawasan"))
    engine_lines, origin = _engine_lines(lines, rts, table, ruleset.keys)
    years = list(range(plan.start_year, plan.end_year + 1))
    simulation = simulate(table, ruleset, engine_lines, default_activities(), years=years)
    whole = Groups.of([0] * len(rts))
    before_slum = simulation.before.is_slum()
    states = [("awal", table, simulation.before)] + [
        (s.year, s.table, s.assessment) for s in simulation.states
    ]
    cities = []
    for year, state_table, state in states:
        city = assess(aggregate(state_table, whole), ruleset)
        cities.append(city)
        water, sanitation = water_access(city), sanitation_access_hundredths(city)
        row = YearRow(
            year=year,
            slum_rts=int(state.is_slum().sum()),
            slum_ha=float(slum_area(table["luas"], state, whole).slum[0]),
            freed_rts=int((before_slum & ~state.is_slum()).sum()),
            water=None if water is None else int(water[0]) / 100,
            sanitation=None if sanitation is None else int(sanitation[0]) / 100,
            total=int(city.total[0]),
            class_code=str(city.class_codes()[0]),
        )
        if year != "awal":
            realized = realized_volumes(
                rts, ruleset.keys, after_year=plan.base_round.year, up_to_year=int(year)
            )
            measured = assess(apply_handling(table, realized), ruleset)
            row.measured_slum_rts = int(measured.is_slum().sum())
            row.measured_slum_ha = float(slum_area(table["luas"], measured, whole).slum[0])
        result.rows.append(row)
    result.aspects = _aspect_rows(simulation.before, simulation.final(), cities[0], cities[-1])
    result.classes_before = dict(zip([rt.pk for rt in rts], simulation.before.class_codes(), strict=True))
    result.classes_after = dict(zip([rt.pk for rt in rts], simulation.final().class_codes(), strict=True))
    seen = set()
    for warning in simulation.warnings:
        key = (origin[warning.line], warning.code, warning.criterion)
        if key not in seen:
            seen.add(key)
            words = field_label(warning.criterion, ruleset, unit=False)
            result.warnings.append((lines[origin[warning.line]], warning.code, words))
    return result


def _aspect_rows(
    before: Assessment, after: Assessment, city_before: Assessment, city_after: Assessment
) -> list[AspectRow]:
    ruleset = before.ruleset
    names = catalogue().aspects
    rows = []
    for number in ruleset.aspects:
        criteria = [j for j, key in enumerate(ruleset.keys) if catalogue().criteria[key].aspect == number]
        a = city_before.aspect_row(number)
        rows.append(
            AspectRow(
                number=number,
                name=names[number].name_id,
                share_before=int(city_before.aspect_hundredths[a, 0]) / 100,
                share_after=int(city_after.aspect_hundredths[a, 0]) / 100,
                score_before=int(before.scores[criteria].sum()),
                score_after=int(after.scores[criteria].sum()),
            )
        )
    return rows


def _engine_lines(
    lines: list[PlanLine], rts: list[Rt], table: Any, keys: tuple[str, ...]
) -> tuple[list[EngineLine], list[int]]:
    """Plan lines as engine lines on table rows (kawasan-wide lines shared among the kawasan's RTs,
    see :func:`kawasan_shares`). Also returns, per engine line, the index of the plan line it came
    from."""
    row_of = {rt.pk: i for i, rt in enumerate(rts)}
    engine: list[EngineLine] = []
    origin: list[int] = []
    for index, line in enumerate(lines):
        volume = float(line.volume)
        if line.rt_id is not None:
            if line.rt_id in row_of:
                engine.append(EngineLine(row_of[line.rt_id], line.activity, volume, line.year))
                origin.append(index)
            continue
        for r, share in kawasan_shares(line.kawasan_id, line.activity, rts, table, keys):
            engine.append(EngineLine(r, line.activity, volume * share, line.year))
            origin.append(index)
    return engine, origin


def kawasan_shares(
    kawasan_id: int, activity: str, rts: list[Rt], table: Any, keys: tuple[str, ...]
) -> list[tuple[int, float]]:
    """(table row, share) of each RT of the kawasan in a kawasan-wide activity: in proportion to its
    deficient volume of the activity's first criterion, equally if none lacks it (a nolkumuh
    decision)."""
    rows = [i for i, rt in enumerate(rts) if rt.kawasan_id == kawasan_id]
    primary = next((k for k in default_activities()[activity].handles if k in keys), None)
    deficits = [float(table[primary][r]) if primary else 0.0 for r in rows]
    total = sum(deficits)
    shares = [
        (r, deficit / total if total else 1 / len(rows)) for r, deficit in zip(rows, deficits, strict=True)
    ]
    return [(r, share) for r, share in shares if share > 0]


def collaboration_matrix(plan: Plan) -> dict[str, Any]:
    """Cost by funding source x aspect x year, with totals and shares."""
    activities = default_activities()
    aspects = catalogue().aspects
    cells: dict[tuple[str, int, int], float] = defaultdict(float)
    years = list(range(plan.start_year, plan.end_year + 1))
    for line in plan.lines.all():
        activity = activities.get(line.activity)
        aspect = catalogue().criteria[next(iter(activity.handles))].aspect if activity else 0
        cells[(line.source, aspect, line.year)] += float(line.cost)
    total = sum(cells.values()) or 1.0
    sources = [(code, label) for code, label in PlanLine.Source.choices if any(k[0] == code for k in cells)]
    rows = []
    for code, label in sources:
        by_year = [sum(v for (s, _a, y), v in cells.items() if s == code and y == year) for year in years]
        by_aspect = {
            a: sum(v for (s, asp, _y), v in cells.items() if s == code and asp == a) for a in aspects
        }
        rows.append(
            {
                "label": str(label),
                "by_year": by_year,
                "by_aspect": by_aspect,
                "total": sum(by_year),
                "share": sum(by_year) / total * 100,
            }
        )
    return {
        "years": years,
        "aspects": aspects,
        "rows": rows,
        "total": sum(cells.values()),
        "by_year": [sum(v for (_s, _a, y), v in cells.items() if y == year) for year in years],
    }


def plan_total(plan: Plan) -> float:
    return float(sum((line.cost for line in plan.lines.all()), start=0))


COMMITTED = {"agreed", "funded", "done"}


def commitments(plan: Plan) -> dict[str, Any]:
    """What the plan needs against what is committed (agreed, funded or done): per funding source
    with the kawasan it touches, and per implementing agency."""
    by_source: dict[str, dict[str, Any]] = {}
    by_agency: dict[str, dict[str, float]] = defaultdict(lambda: {"needed": 0.0, "committed": 0.0})
    labels = dict(PlanLine.Source.choices)
    for line in plan.lines.select_related("rt__kawasan", "kawasan"):
        cost = float(line.cost)
        entry = by_source.setdefault(
            line.source,
            {"label": str(labels[line.source]), "needed": 0.0, "committed": 0.0, "kawasan": set()},
        )
        entry["needed"] += cost
        agency = by_agency[line.agency or "–"]
        agency["needed"] += cost
        if line.status in COMMITTED:
            entry["committed"] += cost
            agency["committed"] += cost
        kawasan = line.kawasan if line.kawasan_id else line.rt.kawasan
        if kawasan is not None:
            entry["kawasan"].add(kawasan.name)
    sources = [
        {**v, "gap": v["needed"] - v["committed"], "kawasan": sorted(v["kawasan"])}
        for v in by_source.values()
    ]
    agencies = [{"agency": k, **v, "gap": v["needed"] - v["committed"]} for k, v in sorted(by_agency.items())]
    needed = sum(s["needed"] for s in sources)
    committed = sum(s["committed"] for s in sources)
    return {
        "sources": sources,
        "agencies": agencies,
        "needed": needed,
        "committed": committed,
        "gap": needed - committed,
    }
