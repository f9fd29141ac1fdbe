"""Reads of the organisation tree for pages, the API and reports."""

from django.db.models import Count, Q

# Statuses of residents who hold a bed (= people.domain.PRESENT; not imported: people depends on us).
PRESENT = ("in_custody", "outside_medical")


def with_occupancy(rooms):
    """Annotate each room with the number of residents present in it (one query, no N+1)."""
    return rooms.annotate(occupants=Count("residents", filter=Q(residents__status__in=PRESENT)))


def occupancy(room) -> int:
    """Residents present in one room: the annotation when the room came from ``with_occupancy``."""
    annotated = getattr(room, "occupants", None)
    return annotated if annotated is not None else room.residents.filter(status__in=PRESENT).count()


def zones_with_rooms(facility, user):
    """Zones in the order a resident passes through them (four-zone model first), with their rooms."""
    from jiedu.organisation.models import ZONE_ORDER, Room, Zone

    zones = sorted(
        Zone.objects.visible_to(user).filter(facility=facility),
        key=lambda zone: (ZONE_ORDER.index(zone.zone_type), zone.name),
    )
    rooms = with_occupancy(Room.objects.visible_to(user).filter(facility=facility)).order_by("number")
    by_zone = {}
    for room in rooms:
        by_zone.setdefault(room.zone_id, []).append(room)
    for zone in zones:
        zone.room_list = by_zone.get(zone.pk, [])
        zone.capacity_total = sum(r.capacity for r in zone.room_list if r.is_active)
        zone.occupants_total = sum(r.occupants for r in zone.room_list)
    return zones
