"""The three-category overseas ledger (三类人员台账): which facts each category needs, and how a
person may move between categories.

Categories:
- returned (已回国): back in China; the facility needs to know where they are, how they came
  back and whether they are ill or under medical control.
- planning (计划回国): abroad, with a return planned and reported; testing and quarantine on
  arrival must be arranged.
- abroad (在外暂不回国): abroad with no return planned; a basic registration suffices.

Transitions (a person's category is the latest dated status row; rows are never edited):
- any category may be the first one;
- abroad → planning, abroad → returned (came back at short notice), abroad → abroad (new
  registration details);
- planning → returned, planning → abroad (plan cancelled), planning → planning (plan changed);
- returned → abroad (went abroad again). returned → planning is refused: someone at home plans no
  return, they must first be registered abroad; returned → returned is a duplicate.
A new status may not take effect before the current one, nor in the future.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

RETURNED = "returned"
PLANNING = "planning"
ABROAD = "abroad"
CATEGORIES = (RETURNED, PLANNING, ABROAD)

SELF = "self"
RELATIONS = (SELF, "spouse", "child", "parent", "sibling", "other")

# The facts each category must carry; every other category-specific field stays empty.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    RETURNED: ("return_date", "current_residence", "return_route", "fever_or_cough", "recent_medical_control"),
    PLANNING: ("planned_return_date", "planned_route", "reported_on", "testing_quarantine_arrangements"),
    ABROAD: ("residence_abroad", "reason_abroad", "contact_method"),
}
CATEGORY_FIELDS = tuple(name for names in REQUIRED_FIELDS.values() for name in names)

ALLOWED_NEXT: dict[str, frozenset[str]] = {
    ABROAD: frozenset({ABROAD, PLANNING, RETURNED}),
    PLANNING: frozenset({PLANNING, RETURNED, ABROAD}),
    RETURNED: frozenset({ABROAD}),
}

# Transition problems, as codes the service turns into sentences.
NOT_ALLOWED = "not_allowed"
BEFORE_CURRENT = "before_current"
IN_FUTURE = "in_future"


def is_blank(value) -> bool:
    """Missing: None or whitespace-only text. ``False`` (no fever) is an answer, not a gap."""
    return value is None or (isinstance(value, str) and not value.strip())


def missing_fields(category: str, values: dict) -> list[str]:
    """The required fields of ``category`` that ``values`` leaves blank, in form order."""
    return [name for name in REQUIRED_FIELDS[category] if is_blank(values.get(name))]


def foreign_fields(category: str) -> tuple[str, ...]:
    """Fields that belong to the other categories: a status row keeps them empty."""
    own = set(REQUIRED_FIELDS[category])
    return tuple(name for name in CATEGORY_FIELDS if name not in own)


def date_problems(
    category: str, values: dict, *, effective_date: datetime.date, today: datetime.date
) -> list[str]:
    """Fields whose dates contradict the status: a return in the future, a planned return in the past."""
    problems = []
    if category == RETURNED and values.get("return_date") and values["return_date"] > effective_date:
        problems.append("return_date")
    if category == PLANNING:
        if values.get("reported_on") and values["reported_on"] > today:
            problems.append("reported_on")
        if values.get("planned_return_date") and values["planned_return_date"] < effective_date:
            problems.append("planned_return_date")
    return problems


@dataclass(frozen=True)
class StatusPoint:
    """What the rules need of one status row: its category, when it took effect, its order of entry."""

    category: str
    effective_date: datetime.date
    sequence: int


def current_status(history: list[StatusPoint]) -> StatusPoint | None:
    """The status in force: the latest effective date, ties broken by the later entry."""
    if not history:
        return None
    return max(history, key=lambda point: (point.effective_date, point.sequence))


def transition_problem(
    current: StatusPoint | None, *, category: str, effective_date: datetime.date, today: datetime.date
) -> str | None:
    """Why moving to ``category`` on ``effective_date`` is refused, or None if it is allowed."""
    if effective_date > today:
        return IN_FUTURE
    if current is None:
        return None
    if category not in ALLOWED_NEXT[current.category]:
        return NOT_ALLOWED
    if effective_date < current.effective_date:
        return BEFORE_CURRENT
    return None
