"""Reads for temperature rounds: round sheets, compliance, overdue lists, alerts, the ledger.

Compliance is computed by ``health.domain`` from the residents' custody periods and the readings
of the window, with each day's round interval from the policy in force that day (PolicyBook).
Residents now receiving care outside the facility (outside_medical) are left out: they are not on
the facility's rounds, and no history of their time outside is kept.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from jiedu.common.localtime import local_day_bounds
from jiedu.epidemic.selectors import PolicyBook
from jiedu.health import domain
from jiedu.health.day_counts import HeldThroughout, residents_in_window
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.organisation import roles
from jiedu.organisation.models import ZONE_ORDER, Facility, Room, Zone, ZoneType
from jiedu.people.models import Resident

ON_ROUNDS = Resident.Status.IN_CUSTODY


# --- Fever isolation proposals ---------------------------------------------------------------


def free_fever_rooms(facility_ids) -> list[Room]:
    """Active single rooms of the fever isolation zones with no open stay and nobody in them."""
    return list(
        Room.objects.filter(
            facility_id__in=facility_ids,
            zone__zone_type=ZoneType.FEVER_ISOLATION,
            zone__is_active=True,
            is_active=True,
            is_single_occupancy=True,
        )
        .annotate(
            open_stays=Count(
                "isolation_stays", filter=Q(isolation_stays__ended_at__isnull=True), distinct=True
            ),
            occupants=Count(
                "residents", filter=Q(residents__status__in=Resident.PRESENT_STATUSES), distinct=True
            ),
        )
        .filter(open_stays=0, occupants=0)
        .select_related("zone")
        .order_by("zone__name", "number")
    )


def propose_fever_room(facility) -> Room | None:
    rooms = free_fever_rooms([getattr(facility, "pk", facility)])
    return rooms[0] if rooms else None


def fever_room_proposals(alerts) -> dict[int, Room | None]:
    """A different free room for each open alert of a facility, oldest alert first."""
    open_alerts = sorted((a for a in alerts if a.is_open), key=lambda a: (a.raised_at, a.pk))
    free: dict[int, list[Room]] = defaultdict(list)
    for room in free_fever_rooms({a.facility_id for a in open_alerts}):
        free[room.facility_id].append(room)
    return {a.pk: (free[a.facility_id].pop(0) if free[a.facility_id] else None) for a in open_alerts}


# --- Rounds and compliance -------------------------------------------------------------------


@dataclass
class WindowRounds:
    """Every resident's rounds in one window, with the residents and the zone each counts under."""

    rounds: dict[int, domain.ResidentRounds]
    residents: dict[int, Resident]
    zone_of: dict[int, int | None]
    facility_of: dict[int, int]


def rounds_in_window(
    facility_ids,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    *,
    zone_id=None,
    only: Q | None = None,
    book: PolicyBook | None = None,
) -> WindowRounds:
    """A resident counts under the zone of their last reading in the window, else their current zone.

    ``only`` narrows the residents (a filter on residents), their readings with them.
    """
    tz = timezone.get_current_timezone()
    facility_ids = list(facility_ids)
    residents_qs = residents_in_window(facility_ids, start, end, now).select_related(
        "facility", "current_zone", "current_room"
    )
    readings_qs = TemperatureReading.objects.filter(
        facility_id__in=facility_ids, measured_at__gte=start, measured_at__lt=end
    )
    if zone_id is not None:
        residents_qs = residents_qs.filter(current_zone_id=zone_id)
        readings_qs = readings_qs.filter(resident__current_zone_id=zone_id)
    if only is not None:
        residents_qs = residents_qs.filter(only)
        readings_qs = readings_qs.filter(resident__in=residents_qs.values("pk"))
    residents = {r.pk: r for r in residents_qs}
    readings = defaultdict(list)
    zone_of = {pk: r.current_zone_id for pk, r in residents.items()}
    for resident_id, measured_at, zone in readings_qs.order_by("measured_at").values_list(
        "resident_id", "measured_at", "zone_id"
    ):
        readings[resident_id].append(measured_at)
        if zone is not None and resident_id in zone_of:
            zone_of[resident_id] = zone
    book = book or PolicyBook(facility_ids)
    days = domain.local_days(start, end, tz)
    intervals = {
        fid: {d: book.policy(fid, d).temperature_interval_minutes for d in days} for fid in facility_ids
    }
    rounds = {
        pk: domain.resident_rounds(
            domain.Custody(pk, r.admitted_at, r.left_at),
            readings.get(pk, ()),
            intervals=intervals[r.facility_id],
            start=start,
            end=end,
            now=now,
            tz=tz,
        )
        for pk, r in residents.items()
    }
    return WindowRounds(rounds, residents, zone_of, {pk: r.facility_id for pk, r in residents.items()})


def round_facilities(user, facility_ids=None):
    """Facilities whose rounds ``user`` may see (optionally narrowed), in code order."""
    facilities = Facility.objects.visible_to(user, action=roles.VIEW_RESIDENTS)
    if facility_ids:
        facilities = facilities.filter(pk__in=facility_ids)
    return list(facilities.order_by("code"))


@dataclass
class ComplianceReport:
    """Each facility carries .tally, .zones (each zone with .tally) and .unzoned (a Tally or None)."""

    day: datetime.date
    facilities: list[Facility]

    @property
    def total(self) -> domain.Tally:
        return domain.combine(f.tally for f in self.facilities)


def compliance_report(
    facilities, day: datetime.date, now: datetime.datetime | None = None
) -> ComplianceReport:
    """Round compliance per facility and per zone for one local day."""
    now = now or timezone.now()
    start, end = local_day_bounds(day)
    window = rounds_in_window([f.pk for f in facilities], start, end, now)
    rounds = window.rounds.values()
    by_facility = domain.tally_by(rounds, window.facility_of.get)
    by_zone = domain.tally_by(rounds, lambda pk: (window.facility_of[pk], window.zone_of[pk]))
    zone_ids = [zone_id for _, zone_id in by_zone if zone_id is not None]
    zones_of_facility = defaultdict(list)
    for zone in Zone.objects.filter(pk__in=zone_ids).order_by("zone_type", "name"):
        zone.tally = by_zone[(zone.facility_id, zone.pk)]
        zones_of_facility[zone.facility_id].append(zone)
    for facility in facilities:
        facility.tally = by_facility.get(facility.pk, domain.Tally())
        facility.zones = zones_of_facility[facility.pk]
        facility.unzoned = by_zone.get((facility.pk, None))
    return ComplianceReport(day, facilities)


def facility_round_tallies(facilities, day: datetime.date, now: datetime.datetime | None = None):
    """Round compliance per facility for one local day, as ``compliance_report`` counts it, without
    each resident's slots: the database counts those held all day; the rest go slot by slot."""
    now = now or timezone.now()
    ids = [f.pk for f in facilities]
    held = HeldThroughout(ids, day, now)
    others = rounds_in_window(ids, held.start, held.end, now, only=held.others(), book=held.book)
    counted = held.facility_tallies()
    by_facility = domain.tally_by(others.rounds.values(), others.facility_of.get)
    return {
        pk: domain.combine([counted.get(pk, domain.Tally()), by_facility.get(pk, domain.Tally())]) for pk in ids
    }


@dataclass
class OverdueRow:
    resident: Resident
    rounds: domain.ResidentRounds


def overdue_today(
    facilities, now: datetime.datetime | None = None
) -> tuple[list[OverdueRow], list[OverdueRow]]:
    """(overdue now, with a missed slot today): residents in custody, today's rounds so far.

    The database picks, among residents held all day, those overdue or with a missed slot; only
    they and the residents admitted or gone today are worked out slot by slot.
    """
    now = now or timezone.now()
    ids = [f.pk for f in facilities]
    held = HeldThroughout(ids, timezone.localdate(now), now)
    listed = Q(pk__in=held.to_list()) | held.others()
    window = rounds_in_window(ids, held.start, held.end, now, only=listed, book=held.book)
    rows = [OverdueRow(window.residents[pk], r) for pk, r in window.rounds.items()]
    rows.sort(
        key=lambda row: (
            row.resident.facility_id,
            row.resident.current_zone_id or 0,
            row.resident.file_number,
        )
    )
    overdue = [row for row in rows if row.rounds.overdue_since is not None]
    missed = [row for row in rows if row.rounds.missed]
    return overdue, missed


# --- Round entry -----------------------------------------------------------------------------


def zones_for_rounds(user, facility_ids=None) -> list[Zone]:
    """Active zones where ``user`` may record, each with .on_rounds (residents in custody there)."""
    zones = (
        Zone.objects.visible_to(user, action=roles.RECORD_TEMPERATURE)
        .filter(is_active=True)
        .annotate(on_rounds=Count("residents", filter=Q(residents__status=ON_ROUNDS)))
        .filter(on_rounds__gt=0)
        .select_related("facility")
    )
    if facility_ids:
        zones = zones.filter(facility_id__in=facility_ids)
    # The order residents pass through the zones (four-zone model first), as on the facility page.
    return sorted(zones, key=lambda z: (z.facility.code, ZONE_ORDER.index(z.zone_type), z.name))


def residents_on_round(zone) -> list[Resident]:
    """The zone's residents in custody, room by room, each with today's .rounds, .last_reading
    (or None) and .measured_this_slot (a reading in the current slot)."""
    now = timezone.now()
    start, end = local_day_bounds(timezone.localdate(now))
    window = rounds_in_window([zone.facility_id], start, end, now, zone_id=zone.pk)
    residents = [r for r in window.residents.values() if r.status == ON_ROUNDS]
    last = {
        reading.resident_id: reading
        for reading in TemperatureReading.objects.filter(
            resident__in=residents, measured_at__gte=start, measured_at__lte=now
        ).order_by("measured_at", "id")
    }
    for resident in residents:
        resident.rounds = window.rounds[resident.pk]
        resident.last_reading = last.get(resident.pk)
        slots = resident.rounds.slots
        resident.measured_this_slot = bool(slots) and slots[-1].state == domain.DONE
    return sorted(residents, key=lambda r: (r.current_room.number if r.current_room else "", r.file_number))


# --- Alerts and the ledger -------------------------------------------------------------------


def alerts_for(user, facility_ids=None, *, since: datetime.datetime | None = None):
    """Open alerts, and those settled since ``since``; newest first."""
    alerts = FeverAlert.objects.visible_to(user).select_related(
        "resident", "resident__current_zone", "resident__current_room", "reading", "reading__zone",
        "isolation_stay__room", "resolved_by",
    )  # fmt: skip
    if facility_ids:
        alerts = alerts.filter(facility_id__in=facility_ids)
    if since is not None:
        alerts = alerts.filter(Q(status=FeverAlert.Status.OPEN) | Q(resolved_at__gte=since))
    return alerts.order_by("-raised_at", "-id")


def latest_rechecks(alerts) -> dict[int, TemperatureReading]:
    """For each open alert, the resident's latest reading since the one that raised it."""
    open_alerts = [a for a in alerts if a.is_open]
    if not open_alerts:
        return {}
    readings = TemperatureReading.objects.filter(
        resident_id__in={a.resident_id for a in open_alerts},
        measured_at__gte=min(a.reading.measured_at for a in open_alerts),
    ).order_by("measured_at", "id")
    latest = {}
    for alert in open_alerts:
        for reading in readings:
            if (
                reading.resident_id == alert.resident_id
                and reading.pk != alert.reading_id
                and reading.measured_at >= alert.reading.measured_at
            ):
                latest[alert.pk] = reading
    return latest


def reading_log(user, facility_ids=None):
    readings = TemperatureReading.objects.visible_to(user).select_related(
        "facility", "resident", "zone", "measured_by", "corrects", "corrected_by", "fever_alert"
    )
    if facility_ids:
        readings = readings.filter(facility_id__in=facility_ids)
    return readings
