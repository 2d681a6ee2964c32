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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from nolkumuh.baseline.models import DataRound
from nolkumuh.baseline.selectors import Summary, load_records, summarize

APPROVED = "approved"  # the public's and the KPIs' basis: data of approved submissions only
VISIBLE = "visible"  # what a signed-in officer sees: also the unapproved data of their regions


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
        """ "8 dari 48 RT, data disetujui", in the user's language."""
        if self.unapproved:
            return _("%(rts)s dari %(known)s RT, termasuk %(unapproved)s RT yang belum disetujui") % {
                "rts": self.rts,
                "known": self.known,
                "unapproved": self.unapproved,
            }
        return _("%(rts)s dari %(known)s RT, data disetujui") % {"rts": self.rts, "known": self.known}

    def partial_text(self) -> str:
        """The mark of a partial round in a trend chart: "sebagian: 8 dari 48 RT"."""
        return _("sebagian: %(rts)s dari %(known)s RT") % {"rts": self.rts, "known": self.known}

    def __str__(self) -> str:
        return self.text()


def on_basis(records: Sequence[dict[str, Any]], basis: str) -> list[dict[str, Any]]:
    """The records a figure on ``basis`` stands on (records as loaded by ``load_records``)."""
    if basis == APPROVED:
        return [r for r in records if r["approved"]]
    return list(records)


def headline(
    records: Sequence[dict[str, Any]],
    data_round: DataRound,
    *,
    basis: str = APPROVED,
    child_key: Callable[[dict[str, Any]], Any] | None = None,
    polygon_areas: dict[int, float] | None = None,
) -> Summary:
    """The unit's figures in one round, on ``basis``, with their coverage.

    ``records`` are the unit's records of every round (as ``load_records`` gives them, each with
    its ``approved`` flag): the RTs known to the unit are those with data on the same basis in any
    round, so that a partial round is told from a smaller unit."""
    chosen = on_basis(records, basis)
    summary = summarize(chosen, data_round, child_key, polygon_areas)
    mine = [r for r in chosen if r["round_id"] == data_round.pk]
    summary.coverage = Coverage(
        rts=len(mine),
        known=len({r["rt_id"] for r in chosen}),
        basis=basis,
        unapproved=sum(1 for r in mine if not r["approved"]),
    )
    return summary


def headline_trend(
    records: Sequence[dict[str, Any]], all_rounds: Sequence[DataRound], *, basis: str = APPROVED
) -> list[Summary]:
    """The unit's figures in every round that has data on ``basis`` (oldest first)."""
    present = {r["round_id"] for r in on_basis(records, basis)}
    return [headline(records, rnd, basis=basis) for rnd in all_rounds if rnd.pk in present]


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
    summary = headline(load_records(user=AnonymousUser(), code=code), chosen)
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
