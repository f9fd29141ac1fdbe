"""Reading the gate log: by local day, kind and outcome, always within what the user may see."""

from __future__ import annotations

import datetime

from jiedu.common.localtime import local_day_bounds
from jiedu.gatelog.models import GateEvent

RECENT_ON_THE_GATE_PAGE = 12


def gate_log(
    user,
    *,
    facility_ids=None,
    day: datetime.date | None = None,
    event_kind: str = "",
    subject_kind: str = "",
    outcome: str = "",
):
    """The user's visible gate events, newest first, narrowed by whichever filters are given."""
    events = GateEvent.objects.visible_to(user).select_related(
        "facility", "registered_by", "staff", "correction"
    )
    if facility_ids is not None:
        events = events.filter(facility_id__in=facility_ids)
    if day is not None:
        start, end = local_day_bounds(day)
        events = events.filter(occurred_at__gte=start, occurred_at__lt=end)
    if event_kind:
        events = events.filter(event_kind=event_kind)
    if subject_kind:
        events = events.filter(subject_kind=subject_kind)
    if outcome:
        events = events.filter(outcome=outcome)
    return events


def recent_at_the_gate(user, *, facility_ids, today: datetime.date, limit: int = RECENT_ON_THE_GATE_PAGE):
    """Today's last passages at the given facilities' gates, for the officer's page."""
    return list(gate_log(user, facility_ids=facility_ids, day=today)[:limit])
