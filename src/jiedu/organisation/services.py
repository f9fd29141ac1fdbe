"""Writes to the organisation tree. Each checks the actor's role, validates, saves and audits."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import apply_changes, refuse_stale, save_versioned, validated_save
from jiedu.organisation import roles
from jiedu.organisation.models import CommunityStation, Department, Facility, Room, Zone
from jiedu.organisation.scoping import require
from jiedu.organisation.selectors import PRESENT

SCOPED_MODELS = (Department, Zone, Room, CommunityStation)



@transaction.atomic
def create_facility(*, actor, **data) -> Facility:
    """Only a bureau-wide role may open a facility."""
    require(actor, roles.MANAGE_ORGANISATION, None)
    facility = Facility(**data)
    validated_save(facility)
    audit.record(actor=actor, action="facility.created", facility_id=facility.pk, target=facility, changed_fields=data)
    return facility


@transaction.atomic
def update_facility(*, actor, facility: Facility, expected_version: int | None = None, **changes) -> Facility:
    """``expected_version``: the version the change was based on (``common.services.save_versioned``)."""
    require(actor, roles.MANAGE_ORGANISATION, facility)
    refuse_stale(facility, expected_version)
    changed = apply_changes(facility, changes)
    if changed:
        save_versioned(facility, expected_version=expected_version, update_fields=changed)
        audit.record(
            actor=actor, action="facility.updated", facility_id=facility.pk, target=facility, changed_fields=changed
        )
    return facility


def _check_same_facility(facility_id: int, **related) -> None:
    for field, obj in related.items():
        if obj is not None and obj.facility_id != facility_id:
            raise DomainError(_("This belongs to another facility."), field=field)


def _check_room_rules(room: Room) -> None:
    _check_same_facility(room.facility_id, zone=room.zone)
    if room.is_single_occupancy and room.capacity != 1:
        raise DomainError(_("A single-occupancy room has a capacity of 1."), field="capacity")
    if room.pk and room.capacity < room.residents.filter(status__in=PRESENT).count():
        raise DomainError(_("More residents are in the room than this capacity allows."), field="capacity")


@transaction.atomic
def create_scoped(*, actor, model, **data):
    """Create a department, zone, room or station in a facility the actor manages."""
    if model not in SCOPED_MODELS:
        raise TypeError(f"{model.__name__} has its own service")
    facility = data["facility"]
    require(actor, model.manage_action, facility)
    instance = model(**data)
    if model is Room:
        _check_room_rules(instance)
    validated_save(instance)
    audit.record(
        actor=actor,
        action=f"{model._meta.model_name}.created",
        facility_id=facility.pk,
        target=instance,
        changed_fields=data,
    )
    return instance


@transaction.atomic
def update_scoped(*, actor, instance, expected_version: int | None = None, **changes):
    """``expected_version``: the version the change was based on (``common.services.save_versioned``)."""
    model = type(instance)
    if model not in SCOPED_MODELS:
        raise TypeError(f"{model.__name__} has its own service")
    require(actor, model.manage_action, instance.facility_id)
    refuse_stale(instance, expected_version)
    if "facility" in changes and changes["facility"].pk != instance.facility_id:
        raise DomainError(_("A record cannot move to another facility."), field="facility")
    changes.pop("facility", None)
    changed = apply_changes(instance, changes)
    if model is Room:
        if "zone" in changed and instance.residents.filter(status__in=PRESENT).exists():
            raise DomainError(_("Move the residents out before moving the room to another zone."), field="zone")
        if "is_active" in changed and instance.is_active:
            instance.deactivation_reason = ""
            changed.append("deactivation_reason")
        _check_room_rules(instance)
    if changed:
        save_versioned(instance, expected_version=expected_version, update_fields=changed)
        audit.record(
            actor=actor,
            action=f"{model._meta.model_name}.updated",
            facility_id=instance.facility_id,
            target=instance,
            changed_fields=changed,
        )
    return instance


@transaction.atomic
def deactivate_room(*, actor, room: Room, reason: str) -> Room:
    """A deactivated room takes no one; it must be empty and the reason is kept."""
    require(actor, roles.MANAGE_ORGANISATION, room.facility_id)
    if not reason.strip():
        raise DomainError(_("Give the reason for deactivating the room."), field="deactivation_reason")
    if room.residents.filter(status__in=PRESENT).exists():
        raise DomainError(_("Move the residents out before deactivating the room."), field="is_active")
    room.is_active = False
    room.deactivation_reason = reason.strip()
    validated_save(room, update_fields=["is_active", "deactivation_reason"])
    audit.record(
        actor=actor,
        action="room.deactivated",
        facility_id=room.facility_id,
        target=room,
        changed_fields=["is_active", "deactivation_reason"],
    )
    return room
