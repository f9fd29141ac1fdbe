"""Standby shifts, their members, test results and the duty gate. Every write is audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.organisation import roles
from jiedu.organisation.models import ZoneType
from jiedu.organisation.scoping import require
from jiedu.standby import domain, selectors
from jiedu.standby.models import NotClearedReason, NucleicAcidTest, StandbyMember, StandbyPolicy, StandbyShift

CLOCK_SKEW = datetime.timedelta(minutes=5)


class NotCleared(DomainError):
    """The duty gate refused: ``reasons`` are the domain's codes, the message lists them in words."""

    def __init__(self, reasons: tuple[str, ...]):
        labels = dict(NotClearedReason.choices)
        words = "、".join(str(labels[r]) for r in reasons)
        super().__init__(_("Not cleared for duty: %(reasons)s") % {"reasons": words}, code="not_cleared")
        self.reasons = reasons


def _same_facility(obj, facility_id, field):
    if obj.facility_id != facility_id:
        raise DomainError(_("This belongs to another facility."), field=field)


def _check_no_overlap(shift: StandbyShift, staff) -> None:
    """One person is in at most one standby shift at a time."""
    others = StandbyShift.objects.filter(members__staff=staff).exclude(pk=shift.pk)
    for other in others:
        if domain.overlaps(shift.starts_on, shift.standby_days, other.starts_on, other.standby_days):
            raise DomainError(
                _("%(name)s is already in a standby shift starting %(day)s.")
                % {"name": staff.name, "day": other.starts_on.isoformat()},
                field="staff",
            )


@transaction.atomic
def create_shift(*, actor, facility, zone, starts_on: datetime.date, staff=()) -> StandbyShift:
    """A shift with the standby length and test count in force at the facility on its first day."""
    require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    _same_facility(zone, facility.pk, "zone")
    if zone.zone_type != ZoneType.STANDBY_ISOLATION:
        raise DomainError(_("Choose a standby isolation area."), field="zone")
    rules = selectors.rules_for(facility.pk, starts_on)
    shift = StandbyShift(
        facility=facility, zone=zone, starts_on=starts_on, standby_days=rules.standby_days,
        required_negative_tests=rules.required_negative_tests, created_by=actor,
    )  # fmt: skip
    validated_save(shift)
    audit.record(
        actor=actor, action="standby.shift_created", facility_id=facility.pk, target=shift,
        changed_fields=["zone", "starts_on", "standby_days", "required_negative_tests"],
    )  # fmt: skip
    for person in staff:
        add_member(actor=actor, shift=shift, staff=person)
    return shift


@transaction.atomic
def add_member(*, actor, shift: StandbyShift, staff) -> StandbyMember:
    require(actor, roles.MANAGE_STAFF_HEALTH, shift.facility_id)
    _same_facility(staff, shift.facility_id, "staff")
    if shift.members.filter(staff=staff).exists():
        raise DomainError(_("This person is already on the shift."), field="staff")
    _check_no_overlap(shift, staff)
    member = StandbyMember(facility_id=shift.facility_id, shift=shift, staff=staff)
    validated_save(member)
    audit.record(
        actor=actor, action="standby.member_added", facility_id=shift.facility_id, target=member,
        changed_fields=["shift", "staff"],
    )  # fmt: skip
    return member


@transaction.atomic
def remove_member(*, actor, member: StandbyMember) -> None:
    """Only someone who has not started duty leaves the roster; after that the row is history."""
    require(actor, roles.MANAGE_STAFF_HEALTH, member.facility_id)
    if member.duty_started_at is not None:
        raise DomainError(_("This person has already started duty."), field="staff")
    audit.record(
        actor=actor, action="standby.member_removed", facility_id=member.facility_id, target=member,
        changed_fields=["shift", "staff"],
    )  # fmt: skip
    member.delete()


@transaction.atomic
def record_test(
    *, actor, facility, staff, sample_taken_at: datetime.datetime, result: str, laboratory: str,
    test_kind: str = NucleicAcidTest.Kind.PCR, corrects: NucleicAcidTest | None = None,
) -> NucleicAcidTest:  # fmt: skip
    require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    _same_facility(staff, facility.pk, "staff")
    if sample_taken_at > timezone.now() + CLOCK_SKEW:
        raise DomainError(_("The time lies in the future."), field="sample_taken_at")
    if not laboratory.strip():
        raise DomainError(_("Enter the laboratory."), field="laboratory")
    if corrects is not None:
        _same_facility(corrects, facility.pk, "corrects")
        if corrects.staff_id != staff.pk:
            raise DomainError(_("A correction is for the same person."), field="corrects")
        if NucleicAcidTest.objects.filter(corrects=corrects).exists():
            raise DomainError(_("This test has already been corrected."), field="corrects")
    test = NucleicAcidTest(
        facility=facility, staff=staff, sample_taken_at=sample_taken_at, test_kind=test_kind, result=result,
        laboratory=laboratory.strip(), recorded_by=actor, corrects=corrects,
    )  # fmt: skip
    validated_save(test)
    audit.record(
        actor=actor, action="standby.test_recorded", facility_id=facility.pk, target=test,
        changed_fields=["staff", "sample_taken_at", "test_kind", "result", "laboratory"]
        + (["corrects"] if corrects else []),
    )  # fmt: skip
    return test


@transaction.atomic
def start_duty(*, actor, member: StandbyMember, now: datetime.datetime | None = None) -> StandbyMember:
    """Put a member of a standby shift on duty, only if the duty gate clears them."""
    require(actor, roles.MANAGE_STAFF_HEALTH, member.facility_id)
    member = StandbyMember.objects.select_for_update().select_related("shift", "staff").get(pk=member.pk)
    if member.duty_started_at is not None:
        raise DomainError(_("This person has already started duty."), code="already_started")
    now = now or timezone.now()
    verdict = selectors.member_clearance(member, now)
    if not verdict.cleared:
        raise NotCleared(verdict.reasons)
    member.duty_started_at = now
    validated_save(member, update_fields=["duty_started_at"])
    audit.record(
        actor=actor, action="standby.duty_started", facility_id=member.facility_id, target=member,
        changed_fields=["duty_started_at"],
    )  # fmt: skip
    return member


@transaction.atomic
def set_standby_policy(
    *, actor, facility=None, effective_from: datetime.date, standby_days: int | None = None,
    required_negative_tests: int | None = None, note: str = "",
) -> StandbyPolicy:  # fmt: skip
    """A standby rule from ``effective_from`` on; a value left out keeps the one in force that day.

    Region rows need a bureau-wide role, a facility's rows that facility's staff-health managers. Past
    dates are refused: a shift that has begun keeps the rules of its first day.
    """
    if facility is None:
        require(actor, roles.MANAGE_ORGANISATION, None)
    else:
        require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    if effective_from < timezone.localdate():
        raise DomainError(_("A policy cannot take effect in the past."), field="effective_from")
    given = {
        name: value
        for name, value in (("standby_days", standby_days), ("required_negative_tests", required_negative_tests))
        if value is not None
    }
    if not given:
        raise DomainError(_("Set at least one value."))
    if not 1 <= given.get("standby_days", 1) <= 60:
        raise DomainError(_("Enter between 1 and 60 days."), field="standby_days")
    if not 1 <= given.get("required_negative_tests", 1) <= 5:
        raise DomainError(_("Enter between 1 and 5 tests."), field="required_negative_tests")
    if StandbyPolicy.objects.filter(facility=facility, effective_from=effective_from).exists():
        raise DomainError(_("A policy already takes effect on this date here."), field="effective_from")
    in_force = selectors.rules_for(facility.pk if facility else None, effective_from)
    row = StandbyPolicy(
        facility=facility, effective_from=effective_from, note=note.strip(), created_by=actor,
        standby_days=given.get("standby_days", in_force.standby_days),
        required_negative_tests=given.get("required_negative_tests", in_force.required_negative_tests),
    )  # fmt: skip
    validated_save(row)
    audit.record(
        actor=actor, action="standby.policy_set", facility_id=facility.pk if facility else None, target=row,
        changed_fields=["effective_from", *given],
    )  # fmt: skip
    return row
