"""What an askot (or korkot) checks before verifying or approving a kelurahan's data: per RT and
criterion, the values before and the values submitted now, with the changed cells marked.

"Before" is the RT's last approved data of an earlier round (the values the public and the KPIs
stand on); an RT without approved earlier data is new, and every submitted value counts as changed.
Load first (three queries for the kelurahan), then compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

from nolkumuh.baseline.models import DataRound, RtRecord, Submission
from nolkumuh.baseline.scoring import ruleset_of
from nolkumuh.regions.models import Region, Rt
from nolkumuh.scoring import HEADER_FIELDS, catalogue


@dataclass(frozen=True)
class Pair:
    """One value before and after; ``None`` where there was no value."""

    before: object
    after: object

    @property
    def changed(self) -> bool:
        return _number(self.before) != _number(self.after)


@dataclass(frozen=True)
class CriterionLine:
    """One criterion of one RT: volume, percentage and score, before and after."""

    code: str
    name: str
    unit: str
    volume: Pair
    percent: Pair
    score: Pair

    @property
    def changed(self) -> bool:
        return self.volume.changed or self.percent.changed or self.score.changed


@dataclass
class RtReview:
    """One RT's before/after: header fields, criteria, total and class."""

    rt: Rt
    before_year: int | None
    header: list[tuple[str, Pair, int]] = field(default_factory=list)  # label, values, decimals
    criteria: list[CriterionLine] = field(default_factory=list)
    total: Pair = Pair(None, None)
    class_code: Pair = Pair(None, None)

    @property
    def changed_criteria(self) -> int:
        return sum(1 for line in self.criteria if line.changed)

    @property
    def changed(self) -> bool:
        return (
            bool(self.changed_criteria)
            or any(p.changed for _l, p, _d in self.header)
            or self.total.changed
            or self.class_code.changed
        )


def _number(value: object) -> object:
    """Compare 12.50 and 12.5 as the same value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return value


def last_approved(*, kelurahan: Region, round: DataRound) -> dict[int, RtRecord]:
    """Per RT of the kelurahan: its record of the latest earlier round whose data was approved."""
    approved_years = Submission.objects.filter(
        kelurahan=kelurahan, round__year__lt=round.year, status=Submission.Status.APPROVED
    ).values("round__year")
    rows = (
        RtRecord.objects.filter(rt__kelurahan=kelurahan, round__year__in=approved_years)
        .select_related("round")
        .order_by("rt_id", "-round__year")
    )
    latest: dict[int, RtRecord] = {}
    for record in rows:
        latest.setdefault(record.rt_id, record)
    return latest


def _percent(record: RtRecord | None, key: str) -> float | None:
    value = record.hundredths.get(key) if record else None
    return None if value is None else int(value) / 10000  # a share, as the pct filter takes it


def _rt_review(rt: Rt, now: RtRecord | None, then: RtRecord | None, round: DataRound) -> RtReview:
    lang = get_language() or "id"
    header = catalogue().header
    review = RtReview(rt=rt, before_year=then.round.year if then else None)
    for name in HEADER_FIELDS:
        label = header[name].label(lang) if name in header else name
        places = 0 if name.startswith("jumlah_") else 2
        review.header.append(
            (label, Pair(getattr(then, name) if then else None, getattr(now, name) if now else None), places)
        )
    for item in ruleset_of(round.ruleset_id).criteria:
        key = item.key
        review.criteria.append(
            CriterionLine(
                code=item.code,
                name=item.criterion.name(lang),
                unit=item.criterion.unit,
                volume=Pair(then.volumes.get(key) if then else None, now.volumes.get(key) if now else None),
                percent=Pair(_percent(then, key), _percent(now, key)),
                score=Pair(then.scores.get(key) if then else None, now.scores.get(key) if now else None),
            )
        )
    review.total = Pair(then.total if then else None, now.total if now else None)
    review.class_code = Pair(then.class_code if then else None, now.class_code if now else None)
    return review


def kelurahan_review(*, kelurahan: Region, round: DataRound) -> list[RtReview]:
    """Every RT of the kelurahan with data in the round, before (last approved) and after."""
    now = {
        r.rt_id: r for r in RtRecord.objects.filter(round=round, rt__kelurahan=kelurahan).select_related("rt")
    }
    then = last_approved(kelurahan=kelurahan, round=round)
    rts = sorted((r.rt for r in now.values()), key=lambda rt: (rt.rw_key, rt.rt_key))
    return [_rt_review(rt, now[rt.pk], then.get(rt.pk), round) for rt in rts]
