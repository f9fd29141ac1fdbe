"""Epidemic-control policy: which rules were in force for a facility on a given day. Pure.

The region sets defaults; a facility may override any single setting from a date on. For each
setting, the facility's latest override effective on that day wins, else the region's latest
default. Compliance for a past day is judged by the policy in force that day, not today's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal


@dataclass(frozen=True)
class Policy:
    temperature_interval_minutes: int = 120  # 每2小时测量体温1次
    fever_threshold_c: Decimal = Decimal("37.3")
    ventilations_per_day: int = 5  # 重点部位每天通风5次
    disinfections_per_day: int = 3  # 每天消毒3次
    pre_release_observation_days: int = 14  # 解戒前14天医学观察
    closed_management: bool = True


SETTINGS = tuple(f.name for f in fields(Policy))
BUILT_IN = Policy()


@dataclass(frozen=True)
class PolicyRow:
    """One stored row: facility_id None for a region default; None values inherit."""

    facility_id: int | None
    effective_from: datetime.date
    values: dict


def policy_in_force(rows: Iterable[PolicyRow], *, facility_id: int, day: datetime.date) -> Policy:
    applicable = sorted(
        (r for r in rows if r.effective_from <= day and r.facility_id in (None, facility_id)),
        key=lambda r: r.effective_from,
    )
    resolved = {setting: getattr(BUILT_IN, setting) for setting in SETTINGS}
    for setting in SETTINGS:
        for layer in (facility_id, None):  # the facility's own override first, then the region
            values = [r.values[setting] for r in applicable if r.facility_id == layer and r.values.get(setting) is not None]
            if values:
                resolved[setting] = values[-1]
                break
    return Policy(**resolved)
