"""The numbers of a training (pure: no Django): who is expected at a session, attendance rates and
the certificate threshold, pre/post-test gains, and the training-needs gaps and proposals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


def expected_at(
    session_venue: int | None, session_class: int | None, venue: int | None, klass: int | None
) -> bool:
    """A class session expects its class, a venue plenary the venue, an event plenary everyone."""
    if session_class is not None:
        return session_class == klass
    if session_venue is not None:
        return session_venue == venue
    return True


def attendance_rate(present: int, expected: int) -> float | None:
    return None if expected == 0 else present / expected


def meets_threshold(present: int, expected: int, threshold_percent: int) -> bool:
    """Exact: present/expected >= threshold % (no floating-point edge at exactly 80 %)."""
    return expected > 0 and present * 100 >= threshold_percent * expected


def gain(pre: float | None, post: float | None) -> float | None:
    """Points gained from pre- to post-test (0-100 scale); None unless both tests were taken."""
    if pre is None or post is None:
        return None
    return post - pre


def normalized_gain(pre: float | None, post: float | None) -> float | None:
    """Hake's normalized gain: the share of the possible improvement achieved; None when the pre-test
    was already 100 or a test is missing."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def combined_level(
    self_level: int | None, supervisor_level: int | None, supervisor_weight: Fraction
) -> Fraction | None:
    """The competency level used for the gap: the weighted mean of self and supervisor ratings, or the
    one that exists."""
    if self_level is None and supervisor_level is None:
        return None
    if supervisor_level is None:
        return Fraction(self_level)  # type: ignore[arg-type]
    if self_level is None:
        return Fraction(supervisor_level)
    return (1 - supervisor_weight) * self_level + supervisor_weight * supervisor_level


def gap(target: int, level: Fraction | None) -> Fraction | None:
    """How far below the needed level someone is (never negative)."""
    return None if level is None else max(Fraction(0), target - level)


@dataclass(frozen=True)
class PersonGap:
    person: int
    region: str
    role: str
    topic: str
    gap: Fraction


@dataclass
class Cell:
    people: int = 0
    total: Fraction = Fraction(0)
    in_need: int = 0

    @property
    def average(self) -> float:
        return float(self.total / self.people) if self.people else 0.0

    @property
    def intensity(self) -> str:
        """Colour strength for the matrix: a mean gap of 2 levels or more is full strength."""
        return f"{min(1.0, self.average / 2):.2f}"


def needs_matrix(gaps: Sequence[PersonGap], by: str, threshold: Fraction) -> dict[tuple[str, str], Cell]:
    """Mean gap per (region or role, topic), people counted once per topic with their largest gap."""
    worst: dict[tuple[int, str], PersonGap] = {}
    for g in gaps:
        key = (g.person, g.topic)
        if key not in worst or g.gap > worst[key].gap:
            worst[key] = g
    cells: dict[tuple[str, str], Cell] = defaultdict(Cell)
    for g in worst.values():
        cell = cells[(getattr(g, by), g.topic)]
        cell.people += 1
        cell.total += g.gap
        cell.in_need += g.gap > 0 and g.gap >= threshold
    return dict(cells)


@dataclass
class Proposal:
    """A proposed next training: a topic, the regions where the need is largest, who should attend."""

    topic: str
    total_gap: Fraction
    regions: list[tuple[str, int]] = field(default_factory=list)
    attendees: list[tuple[int, Fraction]] = field(default_factory=list)


def proposals(gaps: Sequence[PersonGap], threshold: Fraction, limit: int = 5) -> list[Proposal]:
    """The topics with the largest total gap (sum over people of their gap), each with its regions
    ordered by the number of people in need, and the people whose gap reaches the threshold, largest
    gap first. Ties are broken by name so the list is deterministic."""
    worst: dict[tuple[int, str], PersonGap] = {}
    for g in gaps:
        key = (g.person, g.topic)
        if key not in worst or g.gap > worst[key].gap:
            worst[key] = g
    by_topic: dict[str, list[PersonGap]] = defaultdict(list)
    for g in worst.values():
        by_topic[g.topic].append(g)
    result = []
    for topic, items in by_topic.items():
        total = sum((g.gap for g in items), Fraction(0))
        if total == 0:
            continue
        in_need = [g for g in items if g.gap > 0 and g.gap >= threshold]
        regions: dict[str, int] = defaultdict(int)
        for g in in_need:
            regions[g.region] += 1
        result.append(
            Proposal(
                topic=topic,
                total_gap=total,
                regions=sorted(regions.items(), key=lambda kv: (-kv[1], kv[0])),
                attendees=[(g.person, g.gap) for g in sorted(in_need, key=lambda g: (-g.gap, g.person))],
            )
        )
    result.sort(key=lambda p: (-p.total_gap, p.topic))
    return result[:limit]
