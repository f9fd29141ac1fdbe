"""Standby isolation (隔离备勤): which standby rules apply, and whether a person may start duty. Pure.

The duty gate (no duty in the closed area without the required negative nucleic-acid tests):

- the shift window runs from ``SAMPLE_WINDOW`` (48 h) before the standby start to the moment duty
  starts; only tests sampled inside it count;
- one negative must be sampled for the standby start: within 48 h before the start of the first
  standby day or on that day itself (people are often swabbed on arrival at the standby area);
- one negative must be sampled before duty: within the 48 h before duty starts;
- the policy's number of negatives (2 by default) must be met by distinct tests in the window;
- any positive in the window blocks; pending results count for nothing;
- duty does not start before the planned duty day (standby start + the policy's standby days).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

SAMPLE_WINDOW = datetime.timedelta(hours=48)
START_DAY = datetime.timedelta(days=1)

NEGATIVE = "negative"
POSITIVE = "positive"
PENDING = "pending"

# Why a person is not cleared for duty, in the order a roster shows them.
STANDBY_NOT_OVER = "standby_not_over"
POSITIVE_RESULT = "positive_result"
NO_TEST_BEFORE_STANDBY = "no_test_before_standby"
NO_TEST_BEFORE_DUTY = "no_test_before_duty"
TOO_FEW_NEGATIVES = "too_few_negatives"


@dataclass(frozen=True)
class StandbyRules:
    standby_days: int = 14
    required_negative_tests: int = 2  # one before standby, one before duty


BUILT_IN = StandbyRules()


@dataclass(frozen=True)
class PolicyRow:
    """One stored row: facility_id None for the region's default."""

    facility_id: int | None
    effective_from: datetime.date
    standby_days: int
    required_negative_tests: int


def rules_in_force(rows: Iterable[PolicyRow], *, facility_id: int, day: datetime.date) -> StandbyRules:
    """The facility's latest row effective on ``day``, else the region's latest, else the built-in rules."""
    applicable = [r for r in rows if r.effective_from <= day]
    for layer in (facility_id, None):
        own = sorted((r for r in applicable if r.facility_id == layer), key=lambda r: r.effective_from)
        if own:
            return StandbyRules(own[-1].standby_days, own[-1].required_negative_tests)
    return BUILT_IN


@dataclass(frozen=True)
class Sample:
    sampled_at: datetime.datetime
    result: str


@dataclass(frozen=True)
class Clearance:
    cleared: bool
    reasons: tuple[str, ...]


def duty_clearance(
    *,
    standby_start: datetime.datetime,
    duty_due: datetime.datetime,
    duty_at: datetime.datetime,
    tests: Iterable[Sample],
    required: int = BUILT_IN.required_negative_tests,
) -> Clearance:
    """May a person of a standby shift starting ``standby_start`` go on duty at ``duty_at``?

    ``duty_due`` is the planned duty start (the first moment of the planned duty day).
    """
    window = [t for t in tests if standby_start - SAMPLE_WINDOW <= t.sampled_at <= duty_at]
    negatives = [t for t in window if t.result == NEGATIVE]
    reasons = []
    if duty_at < duty_due:
        reasons.append(STANDBY_NOT_OVER)
    if any(t.result == POSITIVE for t in window):
        reasons.append(POSITIVE_RESULT)
    if required >= 2 and not any(t.sampled_at < standby_start + START_DAY for t in negatives):
        reasons.append(NO_TEST_BEFORE_STANDBY)
    if not any(t.sampled_at >= duty_at - SAMPLE_WINDOW for t in negatives):
        reasons.append(NO_TEST_BEFORE_DUTY)
    if len(negatives) < required:
        reasons.append(TOO_FEW_NEGATIVES)
    return Clearance(cleared=not reasons, reasons=tuple(reasons))


def overlaps(
    first_start: datetime.date, first_days: int, second_start: datetime.date, second_days: int
) -> bool:
    """Do two standby periods [start, start + days) share a day?"""
    first_end = first_start + datetime.timedelta(days=first_days)
    second_end = second_start + datetime.timedelta(days=second_days)
    return first_start < second_end and second_start < first_end
