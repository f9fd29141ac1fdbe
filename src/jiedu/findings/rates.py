"""Rectification figures (排查出问题隐患N个, 完成整改M个, 整改率R) as pure functions of finding rows.

Definitions (the bureau's report reads "221 found, 203 rectified, 91.9%"):
- found: every finding except those withdrawn as recorded in error;
- rectified: found, and its rectification passed verification (status verified or closed);
- rectification rate: rectified / found;
- on time: rectified, and the accepted rectification was submitted on or before the deadline;
  on-time rate: on time / rectified;
- overdue: found, not rectified, and the deadline has passed (``as_of`` is after it).

Nothing here reads the database: selectors turn rows into ``FindingFacts`` and group them, so the
same function serves the panel, the API, the Excel export and the property tests.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WITHDRAWN = "withdrawn"
RECTIFIED_STATUSES = frozenset({"verified", "closed"})


@dataclass(frozen=True)
class FindingFacts:
    status: str
    deadline: datetime.date
    rectified_on: datetime.date | None = None


def counts_as_found(facts: FindingFacts) -> bool:
    return facts.status != WITHDRAWN


def is_rectified(facts: FindingFacts) -> bool:
    return facts.status in RECTIFIED_STATUSES


def is_overdue(facts: FindingFacts, as_of: datetime.date) -> bool:
    return counts_as_found(facts) and not is_rectified(facts) and as_of > facts.deadline


def is_on_time(facts: FindingFacts) -> bool:
    return is_rectified(facts) and facts.rectified_on is not None and facts.rectified_on <= facts.deadline


def percent(part: int, whole: int) -> Decimal | None:
    """One decimal, rounded half up as the reports print it (203/221 → 91.9); None when nothing to divide."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rates:
    found: int
    rectified: int
    on_time: int
    overdue: int

    @property
    def open(self) -> int:
        return self.found - self.rectified

    @property
    def rectification_rate(self) -> Decimal | None:
        return percent(self.rectified, self.found)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.rectified)


def rates(findings: Iterable[FindingFacts], as_of: datetime.date) -> Rates:
    found = rectified = on_time = overdue = 0
    for facts in findings:
        if not counts_as_found(facts):
            continue
        found += 1
        if is_rectified(facts):
            rectified += 1
            on_time += is_on_time(facts)
        elif as_of > facts.deadline:
            overdue += 1
    return Rates(found=found, rectified=rectified, on_time=on_time, overdue=overdue)


def rates_by(
    rows: Iterable[tuple[Hashable, FindingFacts]], as_of: datetime.date, keys: Iterable[Hashable] = ()
) -> dict[Hashable, Rates]:
    """Rates per group key (facility, area, team, month …); ``keys`` lists groups to show even when empty."""
    grouped: dict[Hashable, list[FindingFacts]] = defaultdict(list)
    for key in keys:
        grouped[key]
    for key, facts in rows:
        grouped[key].append(facts)
    return {key: rates(items, as_of) for key, items in grouped.items()}


def total(groups: Iterable[Rates]) -> Rates:
    groups = list(groups)
    return Rates(
        found=sum(g.found for g in groups),
        rectified=sum(g.rectified for g in groups),
        on_time=sum(g.on_time for g in groups),
        overdue=sum(g.overdue for g in groups),
    )


