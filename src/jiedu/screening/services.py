"""Setting up rounds and recording who submitted a screening form or signed a commitment."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.common.services import validated_save
from jiedu.organisation import roles
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope, require
from jiedu.screening import domain
from jiedu.screening.models import Commitment, ScreeningForm, ScreeningRound

FORM_ANSWERS = (
    ("travelled", "travel_places"),
    ("risk_contact", "risk_contact_details"),
    ("symptoms", "symptom_details"),
    ("family_risk", "family_details"),
)


@transaction.atomic
def create_round(
    *,
    actor,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    facility=None,
    facilities: Iterable = (),
    departments: Iterable = (),
) -> ScreeningRound:
    """A facility's own round (its leader) or a region-wide round over ``facilities`` (the bureau)."""
    departments = list(departments)
    if facility is None:
        if facility_scope(actor, roles.MANAGE_ORGANISATION) is not ALL_FACILITIES:
            raise AccessDenied(roles.MANAGE_ORGANISATION, None)
        facilities = list(facilities)
        if not facilities:
            raise DomainError(_("Choose the facilities in scope."), field="facilities")
    else:
        require(actor, roles.MANAGE_STAFF_HEALTH, facility)
        facilities = [facility]
    facility_ids = {f.pk for f in facilities}
    if any(d.facility_id not in facility_ids for d in departments):
        raise DomainError(_("A department must belong to a facility in scope."), field="departments")
    name = name.strip()
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    if ends_on < starts_on:
        raise DomainError(_("The end lies before the start."), field="ends_on")
    screening_round = ScreeningRound(
        facility=facility, name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    validated_save(screening_round)
    screening_round.facilities.set(facilities)
    screening_round.departments.set(departments)
    audit.record(
        actor=actor,
        action="screening.round_created",
        facility_id=facility.pk if facility else None,
        target=screening_round,
        changed_fields=["name", "kind", "starts_on", "ends_on", "facilities"]
        + (["departments"] if departments else []),
    )
    return screening_round


def _require_for_staff(actor, staff) -> None:
    """The facility's staff-health managers record for anybody; a staff member for themself."""
    if staff.user_id is not None and staff.user_id == getattr(actor, "pk", None):
        return
    require(actor, roles.MANAGE_STAFF_HEALTH, staff.facility_id)


def _check_in_scope(screening_round: ScreeningRound, staff) -> None:
    scope = domain.Scope(
        facility_ids=frozenset(screening_round.facilities.values_list("pk", flat=True)),
        department_ids=frozenset(screening_round.departments.values_list("pk", flat=True)),
    )
    person = domain.Person(staff.pk, staff.facility_id, staff.department_id, staff.status)
    if not domain.in_scope(person, scope, done=frozenset()):
        raise DomainError(_("This staff member is not in the round's scope."), field="staff")


@transaction.atomic
def submit_form(
    *, actor, round: ScreeningRound, staff, submitted_at: datetime.datetime | None = None, **answers  # noqa: A002
) -> ScreeningForm:
    """``submitted_at``: when a paper form is entered later, the time written on it; default now."""
    _require_for_staff(actor, staff)
    now = timezone.now()
    submitted_at = submitted_at or now
    if submitted_at > now:
        raise DomainError(_("The time lies in the future."), field="submitted_at")
    if timezone.localdate(submitted_at) < round.starts_on:
        raise DomainError(_("The date lies before the round's start."), field="submitted_at")
    if not round.has_forms:
        raise DomainError(_("This campaign collects commitments only."), field="round")
    _check_in_scope(round, staff)
    values = {}
    for flag, details in FORM_ANSWERS:
        values[flag] = bool(answers.get(flag, False))
        values[details] = (answers.get(details) or "").strip() if values[flag] else ""
        if values[flag] and not values[details]:
            raise DomainError(_("Say what, when the answer is yes."), field=details)
    if ScreeningForm.objects.filter(round=round, staff=staff).exists():
        raise DomainError(_("This staff member has already submitted the form."), field="staff")
    form = ScreeningForm(
        facility_id=staff.facility_id, round=round, staff=staff, submitted_at=submitted_at, submitted_by=actor,
        **values,
    )  # fmt: skip
    validated_save(form)
    audit.record(
        actor=actor,
        action="screening.form_submitted",
        facility_id=staff.facility_id,
        target=form,
        changed_fields=[name for name, value in values.items() if value],
    )
    return form


@transaction.atomic
def record_commitment(
    *, actor, round: ScreeningRound, staff, signed_on: datetime.date, paper_filed_at: str = ""  # noqa: A002
) -> Commitment:
    _require_for_staff(actor, staff)
    _check_in_scope(round, staff)
    if signed_on > timezone.localdate():
        raise DomainError(_("The date lies in the future."), field="signed_on")
    if signed_on < round.starts_on:
        raise DomainError(_("The date lies before the round's start."), field="signed_on")
    if Commitment.objects.filter(round=round, staff=staff).exists():
        raise DomainError(_("This staff member's commitment is already recorded."), field="staff")
    commitment = Commitment(
        facility_id=staff.facility_id, round=round, staff=staff, signed_on=signed_on,
        paper_filed_at=paper_filed_at.strip(), recorded_by=actor,
    )  # fmt: skip
    validated_save(commitment)
    audit.record(
        actor=actor,
        action="screening.commitment_recorded",
        facility_id=staff.facility_id,
        target=commitment,
        changed_fields=["signed_on"] + (["paper_filed_at"] if commitment.paper_filed_at else []),
    )
    return commitment


@transaction.atomic
def record_commitments(
    *,
    actor,
    round: ScreeningRound,  # noqa: A002 - the model's name
    staff_members: Iterable,
    signed_on: datetime.date,
    paper_filed_at: str = "",
) -> list[Commitment]:
    """A clerk enters a pile of signed letters at once: all of them, or (on any error) none."""
    staff_members = list(staff_members)
    if not staff_members:
        raise DomainError(_("Choose at least one staff member."), field="staff_members")
    for staff in staff_members:
        require(actor, roles.MANAGE_STAFF_HEALTH, staff.facility_id)
    return [
        record_commitment(actor=actor, round=round, staff=staff, signed_on=signed_on, paper_filed_at=paper_filed_at)
        for staff in staff_members
    ]
