"""Reads of isolation stays: the register, the rooms that can take a resident, the occupancy board."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from jiedu.isolation import domain
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.models import ZONE_ORDER, Facility, Room, Zone
from jiedu.organisation.selectors import with_occupancy
from jiedu.people.models import Resident

OPEN = "open"
ENDED = "ended"


def stays(user, *, facility_ids=None, state: str = "", reason: str = "", zone=None):
    """The isolation register, newest first, filtered as the register page and export ask."""
    rows = IsolationStay.objects.visible_to(user).select_related(
        "facility", "resident", "room__zone", "started_by", "ended_by", "previous_stay__room"
    )
    if facility_ids:
        rows = rows.filter(facility_id__in=facility_ids)
    if state == OPEN:
        rows = rows.filter(ended_at__isnull=True)
    elif state == ENDED:
        rows = rows.filter(ended_at__isnull=False)
    if reason:
        rows = rows.filter(reason=reason)
    if zone is not None:
        rows = rows.filter(room__zone=zone)
    return rows


def isolation_zones(user, *, facility_ids=None):
    zones = (
        Zone.objects.visible_to(user)
        .filter(zone_type__in=domain.ISOLATION_ZONE_TYPES)
        .select_related("facility")
    )
    return zones.filter(facility_id__in=facility_ids) if facility_ids else zones


def free_rooms(user, *, reason: str, facility_ids=None):
    """Active rooms of the isolation zones that take ``reason`` with a bed free: no open stay and
    no resident present beyond capacity."""
    rooms = (
        Room.objects.visible_to(user)
        .filter(
            is_active=True, zone__is_active=True, zone__zone_type__in=domain.REASON_ZONE_TYPES.get(reason, ())
        )
        .annotate(
            open_stays=Count(
                "isolation_stays", filter=Q(isolation_stays__ended_at__isnull=True), distinct=True
            ),
            present=Count(
                "residents", filter=Q(residents__status__in=Resident.PRESENT_STATUSES), distinct=True
            ),
        )
        .filter(open_stays__lt=F("capacity"), present__lt=F("capacity"))
        .select_related("zone", "facility")
        .order_by("facility_id", "zone__name", "number")
    )
    return rooms.filter(facility_id__in=facility_ids) if facility_ids else rooms


def residents_to_isolate(user, *, facility_ids=None):
    """Residents in custody without an open isolation stay."""
    residents = (
        Resident.objects.visible_to(user)
        .filter(status=Resident.Status.IN_CUSTODY)
        .exclude(pk__in=IsolationStay.objects.filter(ended_at__isnull=True).values("resident_id"))
        .select_related("facility")
        .order_by("facility_id", "name")
    )
    return residents.filter(facility_id__in=facility_ids) if facility_ids else residents


def transfer_chain(stay: IsolationStay) -> list[IsolationStay]:
    """The stay with the stays it continues and those continuing it, oldest first."""
    chain = [stay]
    while chain[0].previous_stay_id:
        chain.insert(
            0,
            IsolationStay.objects.select_related("room__zone", "started_by").get(
                pk=chain[0].previous_stay_id
            ),
        )
    following = (
        IsolationStay.objects.select_related("room__zone", "started_by")
        .filter(previous_stay=chain[-1])
        .first()
    )
    while following is not None:
        chain.append(following)
        following = (
            IsolationStay.objects.select_related("room__zone", "started_by")
            .filter(previous_stay=following)
            .first()
        )
    return chain


# --- The occupancy board ---------------------------------------------------------------------


@dataclass
class Tile:
    room: Room
    state: str
    stays: list[IsolationStay] = field(default_factory=list)  # the open stays in the room
    occupants: int = 0  # residents placed in the room (for rooms outside the isolation zones)


@dataclass
class ZoneRow:
    zone: Zone
    tiles: list[Tile]


@dataclass
class ZoneTypeGroup:
    zone_type: str
    label: str
    zones: list[ZoneRow]


BOARD_STATES = (domain.FREE, domain.OCCUPIED, domain.DUE_TO_END, domain.DEACTIVATED)


@dataclass
class FacilityBoard:
    facility: Facility
    groups: list[ZoneTypeGroup]
    counts: dict[str, int]

    @property
    def summary(self) -> list[tuple[str, int]]:
        return [(state, self.counts.get(state, 0)) for state in BOARD_STATES]


def occupancy_board(
    user, *, today: datetime.date, facility_ids=None, all_rooms: bool = False
) -> list[FacilityBoard]:
    """Rooms by facility, zone type and zone, each with its state and open stays."""
    zones = Zone.objects.visible_to(user).filter(is_active=True).select_related("facility")
    if not all_rooms:
        zones = zones.filter(zone_type__in=domain.ISOLATION_ZONE_TYPES)
    if facility_ids:
        zones = zones.filter(facility_id__in=facility_ids)
    zones = sorted(zones, key=lambda z: (z.facility.code, ZONE_ORDER.index(z.zone_type), z.name))
    rooms_by_zone = defaultdict(list)
    for room in (
        with_occupancy(Room.objects.visible_to(user).filter(zone__in=zones))
        .select_related("zone")
        .order_by("number")
    ):
        rooms_by_zone[room.zone_id].append(room)
    stays_by_room = defaultdict(list)
    for stay in (
        IsolationStay.objects.visible_to(user)
        .filter(ended_at__isnull=True, room__zone__in=zones)
        .select_related("resident")
    ):
        stays_by_room[stay.room_id].append(stay)
    boards: dict[int, FacilityBoard] = {}
    for zone in zones:
        board = boards.setdefault(zone.facility_id, FacilityBoard(zone.facility, [], defaultdict(int)))
        tiles = [_tile(room, stays_by_room[room.pk], today) for room in rooms_by_zone[zone.pk]]
        for tile in tiles:
            board.counts[tile.state] += 1
        if not board.groups or board.groups[-1].zone_type != zone.zone_type:
            board.groups.append(ZoneTypeGroup(zone.zone_type, zone.get_zone_type_display(), []))
        board.groups[-1].zones.append(ZoneRow(zone, tiles))
    return list(boards.values())


def _tile(room: Room, open_stays: list[IsolationStay], today: datetime.date) -> Tile:
    if open_stays or domain.is_isolation_zone(room.zone.zone_type):
        state = domain.room_state(
            is_active=room.is_active, planned_ends=[s.planned_end for s in open_stays], today=today
        )
    else:
        state = domain.OCCUPIED if room.occupants else (domain.FREE if room.is_active else domain.DEACTIVATED)
    return Tile(room, state, open_stays, room.occupants)
