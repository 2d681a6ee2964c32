"""Files out of the system: the pre-filled entry template, region exports, and completeness rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count
from django.utils.translation import get_language

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import record_values, ruleset_of
from nolkumuh.baseline.selectors import visible_records
from nolkumuh.core.downloads import temporary_file
from nolkumuh.exchange import RawSheet, parse_sheet, score_input, write_table
from nolkumuh.exchange.bounds import rw_rt
from nolkumuh.exchange.template import output_label, template_columns, template_workbook
from nolkumuh.regions.models import Region, Rt
from nolkumuh.regions.selectors import within
from nolkumuh.scoring import HEADER_FIELDS

# What approved completed activities handled since a record: the deficient volume handled per
# criterion key and RT (in the order of the RTs given) by realizations completed after
# ``after_year`` and up to ``up_to_year``. Planning knows it (`planning.realization.realized_volumes`);
# it stands above the data rounds, so site/urls.py hands it to the template download
# (docs/adr/0008-floors.md).
HandledVolumes = Callable[..., dict[str, Any]]


def _identity(rt: Rt) -> dict[str, str]:
    kelurahan = rt.kelurahan
    kecamatan = kelurahan.parent
    kabkota = kecamatan.parent if kecamatan else None
    provinsi = kabkota.parent if kabkota else None
    return {
        "kode_kelurahan": kelurahan.code,
        "provinsi": provinsi.name if provinsi else "",
        "kabkota": kabkota.name if kabkota else "",
        "kecamatan": kecamatan.name if kecamatan else "",
        "kelurahan": kelurahan.name,
        "kawasan": rt.kawasan.name if rt.kawasan else "",
        "rw": rw_rt(rt.rw),
        "rt": rw_rt(rt.rt),
    }


def _row(record: RtRecord | None, rt: Rt, year: int) -> dict[str, Any]:
    row: dict[str, Any] = {"tahun": year, **_identity(rt)}
    if record is not None:
        values = record_values(record)
        row.update({f: float(values[f]) for f in HEADER_FIELDS})
        row.update({f"v_{k}": float(v) for k, v in record.volumes.items()})
    return row


def template_file(*, region: Region, round: DataRound, lang: str, handled: HandledVolumes) -> Path:
    """The exchange-format template for a region (a kelurahan, or a whole city) and round: its
    RTs with this round's values where they exist; otherwise the previous round's values less what
    approved completed activities (realization) have handled since, as a starting point."""
    below = within(region.code, "kelurahan__code")
    rts = list(Rt.objects.filter(below).select_related("kelurahan__parent__parent__parent", "kawasan"))
    in_region = within(region.code, "rt__kelurahan__code")
    records = {r.rt_id: r for r in RtRecord.objects.filter(in_region, round=round)}
    ruleset = ruleset_of(round.ruleset_id)
    rows = [_row(records.get(rt.pk), rt, round.year) for rt in rts]
    carried = _carried_forward([rt for rt in rts if rt.pk not in records], round, ruleset.keys, handled)
    for row, rt in zip(rows, rts, strict=True):
        row.update(carried.get(rt.pk, {}))
    path = temporary_file(".xlsx")
    template_workbook(path, rows, ruleset, lang=lang)
    return path


def _carried_forward(
    rts: Sequence[Rt], round: DataRound, keys: tuple[str, ...], handled_since: HandledVolumes
) -> dict[int, dict[str, Any]]:
    """Header and volumes of each RT's latest earlier record, with approved realizations completed
    after that record's year (up to this round's year) subtracted (never below zero)."""
    previous: dict[int, RtRecord] = {}
    for record in (
        RtRecord.objects.filter(rt__in=rts, round__year__lt=round.year)
        .select_related("round")
        .order_by("round__year")
    ):
        previous[record.rt_id] = record
    carried: dict[int, dict[str, Any]] = {}
    for year in sorted({r.round.year for r in previous.values()}):
        group = [rt for rt in rts if rt.pk in previous and previous[rt.pk].round.year == year]
        handled = handled_since(group, keys, after_year=year, up_to_year=round.year)
        for i, rt in enumerate(group):
            values = record_values(previous[rt.pk])
            row: dict[str, Any] = {f: float(values[f]) for f in HEADER_FIELDS}
            for key in keys:
                if key in values:
                    row[f"v_{key}"] = max(0.0, round_volume(float(values[key]) - float(handled[key][i])))
            carried[rt.pk] = row
    return carried


def round_volume(value: float) -> float:
    return round(value, 4)


def export_file(
    *, user: AbstractBaseUser | AnonymousUser, region: Region, year: int | None, fmt: str
) -> tuple[Path | None, DataRound | None]:
    """The visible records of a region and round, scored, in the exchange format."""
    rounds = list(DataRound.objects.order_by("year"))
    round = next((r for r in rounds if r.year == year), rounds[-1] if rounds else None)
    if round is None:
        return None, None
    records = list(
        visible_records(user=user)
        .filter(
            within(region.code, "rt__kelurahan__code"),
            round=round,
        )
        .select_related("rt__kelurahan__parent__parent__parent", "rt__kawasan")
        .order_by("rt__kelurahan__code", "rt__rw_key", "rt__rt_key")
    )
    if not records:
        return None, round
    ruleset = ruleset_of(round.ruleset_id)
    names = template_columns(ruleset)
    rows = [_row(r, r.rt, round.year) for r in records]
    sheet = RawSheet(
        names=names,
        rows=[[row.get(n, ruleset.id if n == "ruleset" else "") for n in names] for row in rows],
        row_numbers=list(range(2, len(rows) + 2)),
        kind="xlsx",
    )
    table = score_input(parse_sheet(sheet, ruleset_option=round.ruleset_id))
    path = temporary_file(f".{fmt}")
    lang = get_language() or "id"
    labels = [output_label(c.name, ruleset, lang) for c in table.columns]  # a workbook's words row
    write_table(path, table, labels=labels)
    return path, round


def completeness_rows(*, user: AbstractBaseUser, region: Region, round: DataRound) -> list[dict[str, Any]]:
    """Every program kelurahan (one with RTs) below the region that the user covers: how many RTs
    have data in the round, and where its workflow stands (empty: nothing entered yet)."""
    scope = user_scope(user)
    below = within(region.code, "kelurahan__code")
    program = set(Rt.objects.filter(below).values_list("kelurahan_id", flat=True).distinct())
    kelurahan = [k for k in Region.objects.filter(pk__in=program).order_by("code") if scope.covers(k.code)]
    counts = dict(
        RtRecord.objects.filter(round=round, rt__kelurahan_id__in=program)
        .values("rt__kelurahan_id")
        .annotate(n=Count("id"))
        .values_list("rt__kelurahan_id", "n")
    )
    statuses = dict(
        Submission.objects.filter(round=round, kelurahan_id__in=program).values_list("kelurahan_id", "status")
    )
    rows = []
    for k in kelurahan:
        status = statuses.get(k.pk, "")
        label = Submission.Status(status).label if status else ""
        rows.append({"region": k, "records": counts.get(k.pk, 0), "status": status, "label": label})
    return rows
