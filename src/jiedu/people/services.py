"""Admission and upkeep of residents and staff records."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common import crypto
from jiedu.common.errors import DomainError
from jiedu.common.services import apply_changes, refuse_stale, save_versioned, validated_save
from jiedu.organisation import roles
from jiedu.organisation.models import Room, Zone
from jiedu.organisation.scoping import require
from jiedu.people import domain, identity, phones
from jiedu.people.models import ID_NUMBER_CONTEXT, Resident, Staff, default_term_end


def checked_id_number(raw: str, *, sex: str | None, today: datetime.date) -> identity.IdNumber:
    try:
        parsed = identity.parse_id_number(raw, today=today)
    except identity.InvalidIdNumber as exc:
        raise DomainError(exc.message, field="id_number", code=exc.code) from exc
    if sex and (sex == "M") != parsed.is_male:
        raise DomainError(_("The sex does not match the 17th digit of the ID number."), field="sex")
    return parsed


def _placement(facility_id: int, zone: Zone | None, room: Room | None, *, moving_in=None) -> None:
    """Zone and room belong to the facility, the room to the zone, and the room has a free bed."""
    if room is not None and zone is None:
        raise DomainError(_("Choose the zone of the room."), field="current_zone")
    for field, obj in (("current_zone", zone), ("current_room", room)):
        if obj is not None and obj.facility_id != facility_id:
            raise DomainError(_("This belongs to another facility."), field=field)
    if zone is not None and not zone.is_active:
        raise DomainError(_("This zone is deactivated."), field="current_zone")
    if room is None:
        return
    if room.zone_id != zone.pk:
        raise DomainError(_("The room is not in the chosen zone."), field="current_room")
    if not room.is_active:
        raise DomainError(_("The room is deactivated."), field="current_room")
    # Lock the room row (PostgreSQL) so two admissions cannot both take its last bed.
    Room.objects.select_for_update().get(pk=room.pk)  # get(): no ordering joins, only this row
    occupants = room.residents.filter(status__in=Resident.PRESENT_STATUSES)
    if moving_in is not None and moving_in.pk:
        occupants = occupants.exclude(pk=moving_in.pk)
    if occupants.count() >= room.capacity:
        raise DomainError(_("The room is full."), field="current_room")


def _id_number_taken(model, raw: str, *, exclude_pk=None) -> bool:
    index = crypto.blind_index(raw, context=ID_NUMBER_CONTEXT)
    qs = model.objects.filter(id_number_index=index)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def admit_resident(
    *,
    actor,
    facility,
    id_number: str,
    file_number: str,
    name: str,
    sex: str,
    ethnicity: str,
    deciding_organ: str,
    decision_number: str,
    decision_date: datetime.date,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    current_zone: Zone | None = None,
    current_room: Room | None = None,
    admitted_at: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> Resident:
    """Register a resident on admission.

    The ID number must pass the GB 11643 rules and belong to no other resident in the region;
    the term runs two years from its start unless the decision says otherwise.
    """
    require(actor, roles.ADMIT_RESIDENT, facility)
    today = today or timezone.localdate()
    parsed = checked_id_number(id_number, sex=sex, today=today)
    if _id_number_taken(Resident, parsed.number):
        raise DomainError(_("A resident with this ID number is already registered."), field="id_number")
    if Resident.objects.filter(facility=facility, file_number=file_number).exists():
        raise DomainError(_("This file number is already used in this facility."), field="file_number")
    if decision_date > term_start:
        raise DomainError(_("The term cannot start before the decision."), field="term_start")
    term_end = term_end or default_term_end(term_start)
    if term_end <= term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    _placement(facility.pk, current_zone, current_room)
    resident = Resident(
        facility=facility,
        file_number=file_number,
        name=name,
        sex=sex,
        ethnicity=ethnicity,
        deciding_organ=deciding_organ,
        decision_number=decision_number,
        decision_date=decision_date,
        term_start=term_start,
        term_end=term_end,
        current_zone=current_zone,
        current_room=current_room,
        status=Resident.Status.IN_CUSTODY,
        admitted_at=admitted_at or timezone.now(),
    )
    resident.set_id_number(parsed.number)
    validated_save(resident)
    audit.record(
        actor=actor,
        action="resident.admitted",
        facility_id=facility.pk,
        target=resident,
        changed_fields=[
            "id_number", "file_number", "name", "sex", "ethnicity", "deciding_organ", "decision_number",
            "decision_date", "term_start", "term_end", "current_zone", "current_room", "status",
        ],
    )  # fmt: skip
    return resident


def place_resident(*, resident: Resident, zone: Zone | None, room: Room | None) -> list[str]:
    """Move a resident's bed, checking capacity. No permission check: callers check their own.

    Used by other domains' services (isolation moves people into and out of isolation rooms).
    Returns the changed field names for the caller's audit event.
    """
    if zone is not None or room is not None:
        _placement(resident.facility_id, zone, room, moving_in=resident)
    changed = apply_changes(resident, {"current_zone": zone, "current_room": room})
    if changed:
        validated_save(resident, update_fields=changed)
    return changed


def record_departure(*, resident: Resident, status: str, at: datetime.datetime) -> list[str]:
    """The resident leaves the facility (released, transferred or deceased). No permission check:
    the calling service checks its own (release needs every pre-release item; see isolation).
    """
    if domain.keeps_a_bed(status):
        raise DomainError(_("A departure ends the stay: choose released, transferred or deceased."), field="status")
    problem = domain.status_change_error(resident.status, status)
    if problem:
        raise DomainError(problem, field="status")
    changed = apply_changes(resident, {"status": status, "left_at": at, "current_zone": None, "current_room": None})
    validated_save(resident, update_fields=changed)
    return changed


RESIDENT_EDITABLE = {
    "name", "ethnicity", "deciding_organ", "decision_number", "decision_date", "term_start", "term_end",
    "current_zone", "current_room", "status",
}  # fmt: skip


@transaction.atomic
def update_resident(*, actor, resident: Resident, expected_version: int | None = None, **changes) -> Resident:
    """``expected_version``: the version the change was based on (``common.services.save_versioned``)."""
    require(actor, roles.UPDATE_RESIDENT, resident.facility_id)
    refuse_stale(resident, expected_version)
    unknown = set(changes) - RESIDENT_EDITABLE
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if changes.get("status") == Resident.Status.RELEASED and resident.status != Resident.Status.RELEASED:
        # A release needs the pre-release checklist and every hand-over: isolation.release_services.
        raise DomainError(_("Release a resident through the pre-release checklist."), field="status")
    if "status" in changes:
        problem = domain.status_change_error(resident.status, changes["status"])
        if problem:
            raise DomainError(problem, field="status")
        if not domain.keeps_a_bed(changes["status"]):
            # Leaving ends the placement: the bed is free for the next admission.
            changes.update(current_zone=None, current_room=None)
            if resident.left_at is None:
                changes["left_at"] = timezone.now()
    changed = apply_changes(resident, changes)
    if {"current_zone", "current_room"} & set(changed) and resident.current_zone is not None:
        _placement(resident.facility_id, resident.current_zone, resident.current_room, moving_in=resident)
    if resident.term_end <= resident.term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    if changed:
        save_versioned(resident, expected_version=expected_version, update_fields=changed)
        audit.record(
            actor=actor,
            action="resident.updated",
            facility_id=resident.facility_id,
            target=resident,
            changed_fields=changed,
        )
    return resident


@transaction.atomic
def create_staff(
    *,
    actor,
    facility,
    police_number: str,
    name: str,
    kind: str = Staff.Kind.POLICE,
    sex: str,
    id_number: str,
    phone: str = "",
    department=None,
    position: str = "",
    is_leadership: bool = False,
    status: str = Staff.Status.ON_DUTY,
    user=None,
    today: datetime.date | None = None,
) -> Staff:
    require(actor, roles.MANAGE_STAFF, facility)
    today = today or timezone.localdate()
    parsed = checked_id_number(id_number, sex=sex, today=today)
    if _id_number_taken(Staff, parsed.number):
        raise DomainError(_("A staff member with this ID number is already registered."), field="id_number")
    if department is not None and department.facility_id != facility.pk:
        raise DomainError(_("This belongs to another facility."), field="department")
    if Staff.objects.filter(facility=facility, police_number=police_number).exists():
        raise DomainError(_("This police number is already used in this facility."), field="police_number")
    staff = Staff(
        facility=facility,
        department=department,
        police_number=police_number,
        kind=kind,
        name=name,
        sex=sex,
        position=position,
        is_leadership=is_leadership,
        status=status,
        user=user,
    )
    staff.set_id_number(parsed.number)
    staff.set_phone(phones.checked_phone(phone))
    validated_save(staff)
    audit.record(
        actor=actor,
        action="staff.created",
        facility_id=facility.pk,
        target=staff,
        changed_fields=["police_number", "kind", "name", "sex", "id_number", "phone", "department", "position",
                        "is_leadership", "status"],
    )  # fmt: skip
    return staff


STAFF_EDITABLE = {"department", "kind", "name", "position", "is_leadership", "status", "phone"}


@transaction.atomic
def update_staff(*, actor, staff: Staff, expected_version: int | None = None, **changes) -> Staff:
    """``expected_version``: the version the change was based on (``common.services.save_versioned``)."""
    require(actor, roles.MANAGE_STAFF, staff.facility_id)
    refuse_stale(staff, expected_version)
    unknown = set(changes) - STAFF_EDITABLE
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    phone = changes.pop("phone", None)
    changed = apply_changes(staff, changes)
    if phone is not None and phone != staff.phone:
        staff.set_phone(phones.checked_phone(phone))
        changed += ["phone", "phone_index"]
    if staff.department is not None and staff.department.facility_id != staff.facility_id:
        raise DomainError(_("This belongs to another facility."), field="department")
    if changed:
        save_versioned(staff, expected_version=expected_version, update_fields=changed)
        audit.record(
            actor=actor, action="staff.updated", facility_id=staff.facility_id, target=staff, changed_fields=changed
        )
    return staff
