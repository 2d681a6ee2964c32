"""The headline figures of a region, kawasan or RT in a data round, defined once (ADR 0009).

Slum area (luas kumuh) is the sum of the declared luas of the RTs classed KR, KS or KB in the
round; the RT counts per class, the hectares per class and the access to drinking water and
sanitation come with it. The public pages, the program dashboard, the KPI framework, the
documents and the exports all take these figures from :func:`headline`, on approved data; another
basis (an officer's view including data not yet approved) is only shown labelled as such. Every
figure carries its :class:`Coverage`: how many of the unit's RTs have data in the round, and on
which basis, so that a round still being entered reads "sebagian: 8 dari 48 RT" and not as a drop.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from nolkumuh.accounts.services import user_scope
from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.baseline.selectors import Summary, summaries_from, summary_from
from nolkumuh.baseline.summaries import (
    ANY_ROUND,
    Figures,
    StoredUnit,
    ViewBasis,
    figures_of,
    grouped_figures,
    known_figures,
    rt_classes,
    view_basis,
)

APPROVED = "approved"  # the public's and the KPIs' basis: data of approved submissions only
VISIBLE = "visible"  # what a signed-in officer sees: also the unapproved data of their regions


def _count(value: int) -> str:
    """A count with the language's thousands separator (20.000 in Indonesian, 20,000 in English)."""
    return number_format(value, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Coverage:
    """How many RTs a figure stands on: ``rts`` with data in the round out of the ``known`` RTs of
    the unit (those with data, on the same basis, in any round), ``unapproved`` of them not yet
    approved (only on the visible basis)."""

    rts: int
    known: int
    basis: str = APPROVED
    unapproved: int = 0

    @property
    def partial(self) -> bool:
        return self.rts < self.known

    def text(self) -> str:
        """ "8 dari 48 RT, data disetujui", in the user's language (counts grouped: "20.000")."""
        rts, known = _count(self.rts), _count(self.known)
        if self.unapproved:
            return _("%(rts)s dari %(known)s RT, termasuk %(unapproved)s RT yang belum disetujui") % {
                "rts": rts,
                "known": known,
                "unapproved": _count(self.unapproved),
            }
        return _("%(rts)s dari %(known)s RT, data disetujui") % {"rts": rts, "known": known}

    def partial_text(self) -> str:
        """The mark of a partial round in a trend chart: "sebagian: 8 dari 48 RT"."""
        return _("sebagian: %(rts)s dari %(known)s RT") % {
            "rts": _count(self.rts),
            "known": _count(self.known),
        }

    def __str__(self) -> str:
        return self.text()


def on_basis(records: Sequence[dict[str, Any]], basis: str) -> list[dict[str, Any]]:
    """The records a figure on ``basis`` stands on (records as loaded by ``load_records``)."""
    if basis == APPROVED:
        return [r for r in records if r["approved"]]
    return list(records)


class Unit(Protocol):
    """Where a unit's figures come from, per round and basis (``visible``: what the viewer sees,
    else approved data only): its records (:class:`RecordUnit`) or the stored summaries
    (:class:`~nolkumuh.baseline.summaries.StoredUnit`). Pages build their figures from either
    through :func:`headline_of`, so both read the same."""

    def round_keys(self, visible: bool) -> set[int]: ...

    def figures(self, round_key: int, visible: bool) -> Figures: ...

    def children(self, round_key: int, visible: bool) -> list[tuple[Hashable, Figures]]: ...


class RecordUnit:
    """A unit's figures from its records (all rounds, as ``load_records`` gives them)."""

    def __init__(
        self,
        records: Sequence[dict[str, Any]],
        child_key: Callable[[dict[str, Any]], Hashable] | None = None,
        polygon_areas: dict[int, float] | None = None,
    ) -> None:
        self.records = records
        self.child_key = child_key
        self.polygons = polygon_areas
        self._classes: dict[int, tuple[list[dict[str, Any]], list[str], tuple[str, ...]]] = {}

    def _round(self, round_key: int) -> tuple[list[dict[str, Any]], list[str], tuple[str, ...]]:
        if round_key not in self._classes:
            mine = [r for r in self.records if r["round_id"] == round_key]
            data_round = DataRound.objects.get(pk=round_key) if mine else None
            classes = rt_classes(mine, data_round) if data_round else []
            keys = ruleset_of(data_round.ruleset_id).keys if data_round else ()
            self._classes[round_key] = (mine, classes, keys)
        return self._classes[round_key]

    def _chosen(
        self, round_key: int, visible: bool
    ) -> tuple[list[dict[str, Any]], list[str], tuple[str, ...]]:
        mine, classes, keys = self._round(round_key)
        if visible:
            return mine, classes, keys
        pairs = [(r, c) for r, c in zip(mine, classes, strict=True) if r["approved"]]
        return [r for r, _ in pairs], [c for _, c in pairs], keys

    def round_keys(self, visible: bool) -> set[int]:
        return {r["round_id"] for r in self.records if visible or r["approved"]}

    def figures(self, round_key: int, visible: bool) -> Figures:
        if round_key == ANY_ROUND:
            return known_figures([r for r in self.records if visible or r["approved"]])
        records, classes, keys = self._chosen(round_key, visible)
        return figures_of(records, classes, keys, self.polygons)

    def children(self, round_key: int, visible: bool) -> list[tuple[Hashable, Figures]]:
        if self.child_key is None:
            return []
        records, classes, keys = self._chosen(round_key, visible)
        if not records:
            return []
        return grouped_figures(records, classes, keys, self.polygons, [self.child_key(r) for r in records])


def region_unit(user: Any, code: str) -> StoredUnit:
    """A region's stored figures (and its children's) as this viewer sees them."""
    scope = user_scope(user)
    return StoredUnit(code, view_basis(scope.prefixes, code, is_admin=scope.is_admin))


def headline_of(unit: Unit, data_round: DataRound, *, basis: str = APPROVED, rows: bool = False) -> Summary:
    """The unit's figures in one round, on ``basis``, with their coverage (and a row per child
    unit when ``rows``). The RTs known to the unit are those with data on the same basis in any
    round, so that a partial round is told from a smaller unit."""
    visible = basis == VISIBLE
    figures = unit.figures(data_round.pk, visible)
    children = unit.children(data_round.pk, visible) if rows else None
    summary = summary_from(figures, data_round, children)
    summary.coverage = _coverage(unit, data_round, figures, basis)
    return summary


def headlines_of(units: Sequence[Unit], data_round: DataRound, *, basis: str = APPROVED) -> list[Summary]:
    """:func:`headline_of` of each unit in one round, the units scored together."""
    visible = basis == VISIBLE
    parts = [unit.figures(data_round.pk, visible) for unit in units]
    summaries = summaries_from(parts, data_round)
    for unit, figures, summary in zip(units, parts, summaries, strict=True):
        summary.coverage = _coverage(unit, data_round, figures, basis)
    return summaries


def _coverage(unit: Unit, data_round: DataRound, figures: Figures, basis: str) -> Coverage:
    """The RTs a unit's figures stand on, against the RTs known to it on the same basis."""
    visible = basis == VISIBLE
    approved_rts = unit.figures(data_round.pk, False).n_rt if visible else figures.n_rt
    return Coverage(
        rts=figures.n_rt,
        known=unit.figures(ANY_ROUND, visible).n_rt,
        basis=basis,
        unapproved=figures.n_rt - approved_rts,
    )


def headline(
    records: Sequence[dict[str, Any]],
    data_round: DataRound,
    *,
    basis: str = APPROVED,
    child_key: Callable[[dict[str, Any]], Any] | None = None,
    polygon_areas: dict[int, float] | None = None,
) -> Summary:
    """:func:`headline_of` the unit made of these records (each with its ``approved`` flag)."""
    unit = RecordUnit(records, child_key, polygon_areas)
    return headline_of(unit, data_round, basis=basis, rows=child_key is not None)


def has_unapproved(unit: Unit, all_rounds: Sequence[DataRound]) -> bool:
    """Whether the viewer sees data not yet approved in some round of the unit."""
    return any(
        unit.figures(rnd.pk, True).n_rt != unit.figures(rnd.pk, False).n_rt
        for rnd in all_rounds
        if rnd.pk in unit.round_keys(True)
    )


def headline_trend(unit: Unit, all_rounds: Sequence[DataRound], *, basis: str = APPROVED) -> list[Summary]:
    """The unit's figures in every round that has data on ``basis`` (oldest first)."""
    present = unit.round_keys(basis == VISIBLE)
    return [headline_of(unit, rnd, basis=basis) for rnd in all_rounds if rnd.pk in present]


def round_up_to(year: int, all_rounds: Sequence[DataRound]) -> DataRound | None:
    """The round a year's figures come from: that year's, else the latest before it."""
    earlier = [r for r in all_rounds if r.year <= year]
    return earlier[-1] if earlier else None


def region_headline(*, code: str, year: int) -> Summary | None:
    """The public (approved) figures of the region with this code in the round of ``year`` (the
    latest round up to it); None where the region has no approved data in that round."""
    all_rounds = list(DataRound.objects.order_by("year"))
    chosen = round_up_to(year, all_rounds)
    if chosen is None:
        return None
    summary = headline_of(StoredUnit(code, ViewBasis(full=False)), chosen)
    return summary if summary.n_rt else None


@dataclass(frozen=True)
class TrendBar:
    year: int
    x: int
    height: float
    y: float
    value: float
    class_code: str
    total: int
    partial: bool = False
    coverage: str = ""


def trend_chart(
    summaries: Sequence[Summary], *, classed: bool, height: int = 160
) -> tuple[list[TrendBar], float]:
    """Bars of slum area per round, scaled to the largest; a round with data for only part of the
    unit's RTs is marked partial (drawn hatched and labelled in the template) rather than read as
    a drop. Bars carry the unit's class only where the regulation gives one (RT, kawasan)."""
    largest = max((s.slum_area for s in summaries), default=0.0) or 1.0
    bars = []
    for i, s in enumerate(summaries):
        h = round(s.slum_area / largest * (height - 40), 1)
        partial = bool(s.coverage and s.coverage.partial)
        bars.append(
            TrendBar(
                s.round.year,
                40 + i * 80,
                h,
                height - 20 - h,
                s.slum_area,
                s.class_code if classed else "",
                s.total,
                partial,
                s.coverage.partial_text() if partial else "",
            )
        )
    return bars, largest
