"""The epidemic-control panel: today's figures per facility, side by side, all from records.

Reads every epidemic app through its own selectors or with one grouped query per figure, so
the panel costs the same number of queries for one facility or ten (no N+1). Nothing here
writes, and nothing imports this module but the dashboard views. The facilities come from
``visible_to(user, VIEW_EPIDEMIC)``; the figures are counts, never names, so a gate officer sees
how many releases are due without seeing who.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from jiedu.common.localtime import local_day_bounds
from jiedu.environment.selectors import compliance_by_facility
from jiedu.gatelog.models import GateEvent
from jiedu.health.models import FeverAlert
from jiedu.health.selectors import facility_round_tallies
from jiedu.isolation.models import IsolationStay
from jiedu.organisation import roles
from jiedu.organisation.models import ISOLATION_ZONES, Facility, Room
from jiedu.people.models import Resident

RELEASE_HORIZON_DAYS = 30


@dataclass
class FacilityFigures:
    facility: Facility
    rounds_due: int = 0
    rounds_done: int = 0
    rounds_overdue: int = 0
    fevers_today: int = 0
    open_fever_alerts: int = 0
    isolation: dict = field(default_factory=dict)  # zone type → (occupied, capacity)
    gate_refusals_today: int = 0
    gate_entries_today: int = 0
    ventilation: float | None = None
    disinfection: float | None = None
    overdue_areas: int = 0
    releases_due: int = 0

    @property
    def round_compliance(self) -> float | None:
        return self.rounds_done / self.rounds_due if self.rounds_due else None

    @property
    def isolation_rows(self) -> list[tuple[str, int, int]]:
        return [(zone_type, *self.isolation.get(zone_type, (0, 0))) for zone_type in ISOLATION_ZONES]


def _grouped(queryset, **extra) -> dict[int, int]:
    return {row["facility_id"]: row["n"] for row in queryset.values("facility_id").annotate(n=Count("id", **extra))}


def epidemic_figures(user, facility_ids=None, *, now: datetime.datetime | None = None) -> list[FacilityFigures]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = local_day_bounds(today)
    facilities = Facility.objects.visible_to(user, action=roles.VIEW_EPIDEMIC).order_by("code")
    if facility_ids:
        facilities = facilities.filter(pk__in=facility_ids)
    facilities = list(facilities)
    ids = [f.pk for f in facilities]
    rows = {f.pk: FacilityFigures(facility=f) for f in facilities}

    for facility_id, tally in facility_round_tallies(facilities, today, now).items():
        rows[facility_id].rounds_due, rows[facility_id].rounds_done = tally.due, tally.done
        rows[facility_id].rounds_overdue = tally.overdue

    alerts = FeverAlert.objects.filter(facility_id__in=ids)
    for facility_id, n in _grouped(alerts.filter(raised_at__gte=start, raised_at__lt=end)).items():
        rows[facility_id].fevers_today = n
    for facility_id, n in _grouped(alerts.filter(status=FeverAlert.Status.OPEN)).items():
        rows[facility_id].open_fever_alerts = n

    capacity = defaultdict(int)
    for room in (
        Room.objects.filter(facility_id__in=ids, is_active=True, zone__zone_type__in=ISOLATION_ZONES)
        .values("facility_id", "zone__zone_type")
        .annotate(beds=Sum("capacity"))
    ):
        capacity[(room["facility_id"], room["zone__zone_type"])] = room["beds"]
    occupied = defaultdict(int)
    for stay in (
        IsolationStay.objects.filter(facility_id__in=ids, ended_at__isnull=True)
        .values("facility_id", "room__zone__zone_type")
        .annotate(n=Count("id"))
    ):
        occupied[(stay["facility_id"], stay["room__zone__zone_type"])] = stay["n"]
    for (facility_id, zone_type), beds in capacity.items():
        rows[facility_id].isolation[zone_type] = (occupied[(facility_id, zone_type)], beds)

    gate = GateEvent.objects.filter(facility_id__in=ids, occurred_at__gte=start, occurred_at__lt=end)
    for facility_id, n in _grouped(gate.filter(outcome=GateEvent.Outcome.REFUSED)).items():
        rows[facility_id].gate_refusals_today = n
    for facility_id, n in _grouped(gate.filter(event_kind=GateEvent.EventKind.ENTRY)).items():
        rows[facility_id].gate_entries_today = n

    for facility_id, figures in compliance_by_facility(user, today, now=now).items():
        if facility_id in rows:
            rows[facility_id].ventilation = figures["ventilation"]
            rows[facility_id].disinfection = figures["disinfection"]
            rows[facility_id].overdue_areas = figures["overdue_areas"]

    horizon = today + datetime.timedelta(days=RELEASE_HORIZON_DAYS)
    releases = Resident.objects.filter(
        facility_id__in=ids, status__in=Resident.PRESENT_STATUSES, term_end__lte=horizon
    )
    for facility_id, n in _grouped(releases).items():
        rows[facility_id].releases_due = n
    return [rows[pk] for pk in ids]


def chart_data(figures: list[FacilityFigures]) -> dict:
    """Grouped bars per facility: round, ventilation and disinfection compliance in percent."""

    def percent(value):
        return None if value is None else round(value * 100, 1)

    return {
        "categories": [f.facility.short_name for f in figures],
        "rounds": [percent(f.round_compliance) for f in figures],
        "ventilation": [percent(f.ventilation) for f in figures],
        "disinfection": [percent(f.disinfection) for f in figures],
    }
