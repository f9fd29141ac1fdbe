"""Writing the overseas ledger: a new entry with its first status, and later statuses.

Statuses are appended, never edited: moving between categories (or new facts within one) is a
new row, so the ledger keeps each person's history.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.organisation import roles
from jiedu.organisation.scoping import require
from jiedu.overseas import domain
from jiedu.overseas.models import OverseasEntry, OverseasStatus
from jiedu.overseas.selectors import current_point

MISSING_MESSAGES = {
    "return_date": gettext_lazy("Enter the return date."),
    "current_residence": gettext_lazy("Enter the current residence."),
    "return_route": gettext_lazy("Enter the return route (flights, ports)."),
    "fever_or_cough": gettext_lazy("Answer whether there is fever or cough."),
    "recent_medical_control": gettext_lazy(
        "Describe any medical visit, isolation or control in the last two weeks."
    ),
    "planned_return_date": gettext_lazy("Enter the planned return date."),
    "planned_route": gettext_lazy("Enter the planned route."),
    "reported_on": gettext_lazy("Enter when the plan was reported to the facility."),
    "testing_quarantine_arrangements": gettext_lazy("Describe the testing and quarantine arrangements."),
    "residence_abroad": gettext_lazy("Enter the country and city of residence."),
    "reason_abroad": gettext_lazy("Enter the reason for being abroad."),
    "contact_method": gettext_lazy("Enter how the person can be contacted."),
}
DATE_MESSAGES = {
    "return_date": gettext_lazy("The return date lies after the effective date."),
    "reported_on": gettext_lazy("The report date lies in the future."),
    "planned_return_date": gettext_lazy("The planned return date lies before the effective date."),
}
TRANSITION_MESSAGES = {
    domain.NOT_ALLOWED: gettext_lazy("A person back from abroad is first registered abroad again."),
    domain.BEFORE_CURRENT: gettext_lazy("The effective date lies before the status in force."),
    domain.IN_FUTURE: gettext_lazy("The effective date lies in the future."),
}
ID_NUMBER_LENGTH = (5, 30)


def _clean_facts(category: str, facts: dict) -> dict:
    """The category's own facts, stripped; other categories' fields are dropped (forms send all)."""
    own = set(domain.REQUIRED_FIELDS[category])
    clean = {name: "" for name in domain.CATEGORY_FIELDS}
    clean.update({name: None for name in ("return_date", "fever_or_cough", "planned_return_date", "reported_on")})
    for name, value in facts.items():
        if name not in domain.CATEGORY_FIELDS:
            raise TypeError(f"unknown status field {name!r}")
        if name in own:
            clean[name] = value.strip() if isinstance(value, str) else value
    return clean


def _check_status(category: str, facts: dict, *, effective_date: datetime.date, current, today) -> None:
    if category not in domain.CATEGORIES:
        raise DomainError(_("Choose a category."), field="category")
    problem = domain.transition_problem(current, category=category, effective_date=effective_date, today=today)
    if problem:
        field = "category" if problem == domain.NOT_ALLOWED else "effective_date"
        raise DomainError(TRANSITION_MESSAGES[problem], field=field)
    missing = domain.missing_fields(category, facts)
    if missing:
        raise DomainError(MISSING_MESSAGES[missing[0]], field=missing[0], code="required")
    wrong = domain.date_problems(category, facts, effective_date=effective_date, today=today)
    if wrong:
        raise DomainError(DATE_MESSAGES[wrong[0]], field=wrong[0])


def _save_status(*, actor, entry, category, effective_date, notes, facts, current) -> OverseasStatus:
    facts = _clean_facts(category, facts)
    _check_status(category, facts, effective_date=effective_date, current=current, today=timezone.localdate())
    status = OverseasStatus(
        facility_id=entry.facility_id,
        entry=entry,
        category=category,
        effective_date=effective_date,
        notes=notes.strip(),
        recorded_by=actor,
        **facts,
    )
    validated_save(status)
    return status


def _given(facts: dict) -> list[str]:
    return [name for name, value in facts.items() if not domain.is_blank(value)]


@transaction.atomic
def create_entry(
    *,
    actor,
    facility,
    staff,
    relation: str,
    category: str,
    effective_date: datetime.date,
    person_name: str = "",
    id_number: str = "",
    notes: str = "",
    **facts,
) -> OverseasEntry:
    """Put a staff member or a relative of theirs in the ledger, with the category in force now."""
    require(actor, roles.MANAGE_STAFF_HEALTH, facility)
    if staff is None or staff.facility_id != facility.pk:
        raise DomainError(_("Choose a staff member of this facility."), field="staff")
    if relation not in domain.RELATIONS:
        raise DomainError(_("Choose the relation to the staff member."), field="relation")
    person_name = "" if relation == domain.SELF else person_name.strip()
    if relation != domain.SELF and not person_name:
        raise DomainError(_("Enter the relative's name."), field="person_name")
    if relation == domain.SELF and OverseasEntry.objects.filter(staff=staff, relation=domain.SELF).exists():
        raise DomainError(_("This staff member is already in the ledger."), field="staff")
    id_number = "".join(id_number.split()).upper()
    if id_number and not (id_number.isalnum() and ID_NUMBER_LENGTH[0] <= len(id_number) <= ID_NUMBER_LENGTH[1]):
        raise DomainError(_("An identity document number has 5 to 30 letters and digits."), field="id_number")
    entry = OverseasEntry(
        facility=facility,
        staff=staff,
        relation=relation,
        person_name=person_name,
        id_number=id_number,
        recorded_by=actor,
    )
    validated_save(entry)
    status = _save_status(
        actor=actor, entry=entry, category=category, effective_date=effective_date, notes=notes,
        facts=facts, current=None,
    )  # fmt: skip
    given = ["staff", "relation", "person_name", "id_number"]
    audit.record(
        actor=actor,
        action="overseas.entry_created",
        facility_id=facility.pk,
        target=entry,
        changed_fields=[name for name in given if getattr(entry, name)] + ["category", *_given(facts)],
    )
    entry.current_status = status
    return entry


@transaction.atomic
def record_status(
    *, actor, entry: OverseasEntry, category: str, effective_date: datetime.date, notes: str = "", **facts
) -> OverseasStatus:
    """Append a status: a move to another category, or new facts within the same one."""
    require(actor, roles.MANAGE_STAFF_HEALTH, entry.facility_id)
    # Lock the entry so two officers recording at once cannot both pass the transition check.
    OverseasEntry.objects.select_for_update().filter(pk=entry.pk).first()
    status = _save_status(
        actor=actor, entry=entry, category=category, effective_date=effective_date, notes=notes,
        facts=facts, current=current_point(entry),
    )  # fmt: skip
    audit.record(
        actor=actor,
        action="overseas.status_recorded",
        facility_id=entry.facility_id,
        target=status,
        changed_fields=["category", "effective_date", *_given(facts), *(["notes"] if notes.strip() else [])],
    )
    return status
