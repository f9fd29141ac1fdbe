"""Placing residents in isolation rooms, moving them between rooms and ending their stays."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.isolation import domain
from jiedu.isolation.models import IsolationStay
from jiedu.organisation import roles
from jiedu.organisation.models import Room
from jiedu.organisation.scoping import require
from jiedu.people.models import Resident
from jiedu.people.services import place_resident


def _open_stays_in(room: Room):
    return IsolationStay.objects.filter(room=room, ended_at__isnull=True)


def _check_room(resident: Resident, room: Room, reason: str) -> None:
    if room.facility_id != resident.facility_id:
        raise DomainError(_("This belongs to another facility."), field="room")
    if not room.is_active:
        raise DomainError(_("The room is deactivated."), field="room")
    if not domain.zone_fits_reason(room.zone.zone_type, reason):
        raise DomainError(_("This room is not in an isolation zone for this reason."), field="room")
    Room.objects.select_for_update().get(pk=room.pk)  # serialise bookings of this room (PostgreSQL)
    if _open_stays_in(room).count() >= room.capacity:
        raise DomainError(_("The room is occupied."), field="room", code="conflict")


def _check_not_future(moment: datetime.datetime, field: str) -> None:
    if moment > timezone.now():
        raise DomainError(_("This time lies in the future."), field=field)


def _save_new_stay(stay: IsolationStay) -> IsolationStay:
    try:
        with transaction.atomic():
            stay.save()
    except IntegrityError as exc:
        # The partial unique constraints decide races the checks above could not see.
        raise DomainError(
            _("The room or the resident already has an open isolation stay."), code="conflict"
        ) from exc
    return stay


@transaction.atomic
def admit_to_isolation(
    *,
    actor,
    resident: Resident,
    room: Room,
    reason: str,
    planned_end: datetime.date | None = None,
    started_at: datetime.datetime | None = None,
    note: str = "",
) -> IsolationStay:
    """Open a stay: the resident moves into the isolation room and will return to the old bed."""
    require(actor, roles.MANAGE_ISOLATION, resident.facility_id)
    started_at = started_at or timezone.now()
    if reason not in domain.REASON_ZONE_TYPES:
        raise DomainError(_("Choose a reason for the isolation."), field="reason")
    if resident.status not in Resident.PRESENT_STATUSES:
        raise DomainError(_("Only a resident in custody can be isolated."), field="resident")
    _check_not_future(started_at, "started_at")
    if started_at < resident.admitted_at:
        raise DomainError(_("The stay cannot start before the resident was admitted."), field="started_at")
    if planned_end is not None and planned_end < timezone.localdate(started_at):
        raise DomainError(_("The planned end cannot lie before the start."), field="planned_end")
    if IsolationStay.objects.filter(resident=resident, ended_at__isnull=True).exists():
        raise DomainError(_("This resident already has an open isolation stay."), field="resident")
    _check_room(resident, room, reason)
    # A resident moved on from another isolation room has no bed of their own to go back to.
    keeps_bed = resident.current_zone_id is not None and not domain.is_isolation_zone(
        resident.current_zone.zone_type
    )
    stay = _save_new_stay(
        IsolationStay(
            facility_id=resident.facility_id,
            resident=resident,
            room=room,
            single_occupancy=room.is_single_occupancy,
            reason=reason,
            started_at=started_at,
            planned_end=planned_end,
            return_zone=resident.current_zone if keeps_bed else None,
            return_room=resident.current_room if keeps_bed else None,
            started_by=actor,
            note=note,
        )
    )
    place_resident(resident=resident, zone=room.zone, room=room)
    audit.record(
        actor=actor,
        action="isolation.admitted",
        facility_id=resident.facility_id,
        target=stay,
        changed_fields=["resident", "room", "reason", "started_at", "planned_end"],
    )
    return stay


def close_stay(stay: IsolationStay, *, actor, end_reason: str, ended_at: datetime.datetime) -> None:
    """End the stay row itself, no permission check, no move: callers check and move.

    The row is locked and read again, so two officers ending the same stay cannot both succeed.
    """
    locked = IsolationStay.objects.select_for_update().get(pk=stay.pk)
    if locked.ended_at is not None:
        raise DomainError(_("This isolation stay has already ended."))
    if ended_at < stay.started_at:
        raise DomainError(_("A stay cannot end before it started."), field="ended_at")
    stay.ended_at, stay.end_reason, stay.ended_by = ended_at, end_reason, actor
    stay.save(update_fields=["ended_at", "end_reason", "ended_by", "updated_at"])


@transaction.atomic
def end_stay(
    *, actor, stay: IsolationStay, end_reason: str, ended_at: datetime.datetime | None = None
) -> IsolationStay:
    """End a stay; a cleared resident goes back to the bed held before, if it is still free."""
    require(actor, roles.MANAGE_ISOLATION, stay.facility_id)
    ended_at = ended_at or timezone.now()
    if end_reason not in IsolationStay.EndReason.values:
        raise DomainError(_("Choose why the stay ends."), field="end_reason")
    if end_reason == IsolationStay.EndReason.TRANSFERRED:
        raise DomainError(_("Use a transfer to move a resident to another room."), field="end_reason")
    if end_reason == IsolationStay.EndReason.RELEASED:
        raise DomainError(
            _("A release ends the stay by itself once the pre-release checklist is complete."),
            field="end_reason",
        )
    _check_not_future(ended_at, "ended_at")
    close_stay(stay, actor=actor, end_reason=end_reason, ended_at=ended_at)
    resident = stay.resident
    if resident.current_room_id == stay.room_id:
        try:
            with transaction.atomic():
                place_resident(resident=resident, zone=stay.return_zone, room=stay.return_room)
        except DomainError:
            place_resident(resident=resident, zone=None, room=None)  # old bed taken: officers re-assign
    audit.record(
        actor=actor, action="isolation.ended", facility_id=stay.facility_id, target=stay,
        changed_fields=["ended_at", "end_reason"],
    )  # fmt: skip
    return stay


@transaction.atomic
def transfer_stay(
    *, actor, stay: IsolationStay, room: Room, at: datetime.datetime | None = None
) -> IsolationStay:
    """Move an isolated resident to another room: the old stay ends, a new one continues it."""
    require(actor, roles.MANAGE_ISOLATION, stay.facility_id)
    if room.pk == stay.room_id:
        raise DomainError(_("The resident is already in this room."), field="room")
    at = at or timezone.now()
    _check_not_future(at, "at")
    close_stay(stay, actor=actor, end_reason=IsolationStay.EndReason.TRANSFERRED, ended_at=at)
    _check_room(stay.resident, room, stay.reason)
    new_stay = _save_new_stay(
        IsolationStay(
            facility_id=stay.facility_id,
            resident=stay.resident,
            room=room,
            single_occupancy=room.is_single_occupancy,
            reason=stay.reason,
            started_at=at,
            planned_end=stay.planned_end,
            previous_stay=stay,
            return_zone=stay.return_zone,
            return_room=stay.return_room,
            started_by=actor,
        )
    )
    place_resident(resident=stay.resident, zone=room.zone, room=room)
    audit.record(
        actor=actor, action="isolation.transferred", facility_id=stay.facility_id, target=new_stay,
        changed_fields=["room", "previous_stay"],
    )  # fmt: skip
    return new_stay
