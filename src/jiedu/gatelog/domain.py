"""Gate control (把牢人口关): which passages through the gate are refused, and why. Pure.

The rules, as decided here:

- **Exits** are never refused; they are recorded.
- **Entries** under closed management (封闭管理) need an approval that has not expired (its
  ``valid_until`` is not before the moment of entry), a temperature taken, disinfection done and
  a security check done; and a temperature at or above the fever threshold is refused.
- **Entries** without closed management: only the fever rule applies. A fever is always refused,
  whatever the policy; missing checks and approvals are recorded but do not stop anyone.
- **Contact-free goods hand-over** (无接触交接): the goods are handed over at the gate and nobody
  enters, so only the approval counts, and only under closed management.

An approval is given whole (approver, purpose, valid until) or not at all; a partly filled one is
an input error for the officer to fix (``incomplete_approval``), not a refusal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

ENTRY = "entry"
EXIT = "exit"
HANDOVER = "handover"

# Refusal reasons, in the order they are listed to the officer.
APPROVAL_MISSING = "approval_missing"
APPROVAL_EXPIRED = "approval_expired"
TEMPERATURE_MISSING = "temperature_missing"
DISINFECTION_MISSING = "disinfection_missing"
SECURITY_CHECK_MISSING = "security_check_missing"
FEVER = "fever"
REASONS = (
    APPROVAL_MISSING,
    APPROVAL_EXPIRED,
    TEMPERATURE_MISSING,
    DISINFECTION_MISSING,
    SECURITY_CHECK_MISSING,
    FEVER,
)

# A body temperature outside this range is a typing or measuring error, not a reading.
TEMPERATURE_MIN_C = Decimal("34.0")
TEMPERATURE_MAX_C = Decimal("43.0")

APPROVAL_PARTS = ("approver", "approval_purpose", "approval_valid_until")


class GatePolicy(Protocol):
    """The two settings of ``epidemic.domain.Policy`` the gate reads."""

    closed_management: bool
    fever_threshold_c: Decimal


@dataclass(frozen=True)
class Passage:
    """What the officer observed at the gate. ``approval_valid_until`` is None without an approval."""

    event_kind: str
    approval_valid_until: datetime.datetime | None = None
    temperature_c: Decimal | None = None
    disinfected: bool = False
    security_checked: bool = False


def is_fever(temperature_c: Decimal | None, threshold_c: Decimal) -> bool:
    return temperature_c is not None and temperature_c >= threshold_c


def temperature_in_range(temperature_c: Decimal) -> bool:
    return TEMPERATURE_MIN_C <= temperature_c <= TEMPERATURE_MAX_C


def _approval_reasons(passage: Passage, now: datetime.datetime) -> list[str]:
    if passage.approval_valid_until is None:
        return [APPROVAL_MISSING]
    if passage.approval_valid_until < now:
        return [APPROVAL_EXPIRED]
    return []


def refusal_reasons(*, policy: GatePolicy, passage: Passage, now: datetime.datetime) -> list[str]:
    """The reasons to refuse ``passage`` at ``now`` under ``policy``; empty means let it through."""
    if passage.event_kind == EXIT:
        return []
    if passage.event_kind == HANDOVER:
        return _approval_reasons(passage, now) if policy.closed_management else []
    reasons = []
    if policy.closed_management:
        reasons += _approval_reasons(passage, now)
        if passage.temperature_c is None:
            reasons.append(TEMPERATURE_MISSING)
        if not passage.disinfected:
            reasons.append(DISINFECTION_MISSING)
        if not passage.security_checked:
            reasons.append(SECURITY_CHECK_MISSING)
    if is_fever(passage.temperature_c, policy.fever_threshold_c):
        reasons.append(FEVER)
    return reasons


def incomplete_approval(approver: str, purpose: str, valid_until) -> list[str]:
    """The approval parts left empty when some, but not all, were filled in."""
    given = {"approver": bool(approver.strip()), "approval_purpose": bool(purpose.strip()),
             "approval_valid_until": valid_until is not None}  # fmt: skip
    if not any(given.values()):
        return []
    return [part for part in APPROVAL_PARTS if not given[part]]
