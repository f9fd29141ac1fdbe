"""Pre-release (严防输出): recording checklist items and hand-overs, and the release itself."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.isolation import domain
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem
from jiedu.isolation.release_selectors import checklist_for
from jiedu.isolation.services import close_stay
from jiedu.organisation import roles
from jiedu.organisation.scoping import require
from jiedu.people.models import Resident
from jiedu.people.phones import checked_phone
from jiedu.people.services import record_departure


class ReleaseIncomplete(DomainError):
    """The release is refused; ``missing`` holds the codes, ``reasons`` the sentences, in order."""

    def __init__(self, missing: list[str], reasons: list[str]):
        super().__init__(
            _("The resident cannot be released yet. Missing: %(list)s") % {"list": "; ".join(reasons)},
            code="prerelease_incomplete",
        )
        self.missing = missing
        self.reasons = reasons


def _present(resident: Resident) -> Resident:
    """The resident's row, locked for the rest of the transaction, if still present."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if locked.status not in Resident.PRESENT_STATUSES:
        raise DomainError(_("This resident is no longer in custody."), field="resident")
    return locked


@transaction.atomic
def record_item(
    *,
    actor,
    resident: Resident,
    item: str,
    done_on: datetime.date,
    performed_by: str = "",
    summary: str = "",
    fit_for_release: bool | None = None,
) -> PreReleaseItem:
    """Record a checklist item as done; a second record of the same item replaces the first.

    The health examination is medical work (MANAGE_ISOLATION, held by medical staff); the other
    items belong to the release officers (MANAGE_RELEASE).
    """
    action = roles.MANAGE_ISOLATION if item == domain.HEALTH_EXAM else roles.MANAGE_RELEASE
    require(actor, action, resident.facility_id)
    if item not in domain.ITEMS:
        raise DomainError(_("Choose a checklist item."), field="item")
    resident = _present(resident)
    if done_on > timezone.localdate():
        raise DomainError(_("This date lies in the future."), field="done_on")
    if done_on < timezone.localdate(resident.admitted_at):
        raise DomainError(_("This date lies before the resident's admission."), field="done_on")
    details = {"performed_by": performed_by.strip(), "summary": summary.strip()}
    for name in domain.REQUIRED_DETAILS[item]:
        if not details[name]:
            raise DomainError(_("This item needs this detail."), field=name)
    if item == domain.HEALTH_EXAM and fit_for_release is None:
        raise DomainError(_("Say whether the resident is fit for release."), field="fit_for_release")
    previous = PreReleaseItem.objects.filter(resident=resident, item=item, replaced_by__isnull=True).first()
    row = PreReleaseItem(
        facility_id=resident.facility_id,
        resident=resident,
        item=item,
        done_on=done_on,
        fit_for_release=fit_for_release if item == domain.HEALTH_EXAM else None,
        replaces=previous,
        recorded_by=actor,
        **details,
    )
    validated_save(row)
    audit.record(
        actor=actor,
        action="prerelease.item_replaced" if previous else "prerelease.item_recorded",
        facility_id=resident.facility_id,
        target=row,
        changed_fields=["item", "done_on", *(name for name, value in details.items() if value)]
        + (["fit_for_release"] if row.fit_for_release is not None else []),
    )
    return row


@transaction.atomic
def record_handover(
    *,
    actor,
    resident: Resident,
    receiver: str,
    name: str,
    phone: str,
    handed_over_at: datetime.datetime,
    unit: str = "",
) -> Handover:
    """Record who receives the resident on release; recording a receiver again replaces the record."""
    require(actor, roles.MANAGE_RELEASE, resident.facility_id)
    if receiver not in domain.RECEIVERS:
        raise DomainError(_("Choose a receiver."), field="receiver")
    resident = _present(resident)
    if not name.strip():
        raise DomainError(_("Enter the receiving person's name."), field="name")
    if receiver != domain.FAMILY and not unit.strip():
        raise DomainError(_("Enter the receiving unit."), field="unit")
    phone = checked_phone(phone)
    if not phone:
        raise DomainError(_("Enter a contact phone number."), field="phone")
    if handed_over_at < resident.admitted_at:
        raise DomainError(_("This time lies before the resident's admission."), field="handed_over_at")
    previous = Handover.objects.filter(resident=resident, receiver=receiver, replaced_by__isnull=True).first()
    row = Handover(
        facility_id=resident.facility_id,
        resident=resident,
        receiver=receiver,
        name=name.strip(),
        unit=unit.strip(),
        phone=phone,
        handed_over_at=handed_over_at,
        replaces=previous,
        recorded_by=actor,
    )
    validated_save(row)
    audit.record(
        actor=actor,
        action="prerelease.handover_replaced" if previous else "prerelease.handover_recorded",
        facility_id=resident.facility_id,
        target=row,
        changed_fields=["receiver", "name", "phone", "handed_over_at"] + (["unit"] if row.unit else []),
    )
    return row


@transaction.atomic
def release_resident(*, actor, resident: Resident, at: datetime.datetime | None = None) -> Resident:
    """Release a resident at ``at`` (default now): refused with the list of what is missing until
    the observation has run its days and every item and hand-over is recorded.
    """
    require(actor, roles.MANAGE_RELEASE, resident.facility_id)
    at = at or timezone.now()
    if at > timezone.now():
        raise DomainError(_("A release cannot be recorded ahead of time."), field="at")
    resident = _present(resident)
    if at < resident.admitted_at:
        raise DomainError(_("This time lies before the resident's admission."), field="at")
    checklist = checklist_for(resident, at=at)
    if checklist.missing:
        raise ReleaseIncomplete(checklist.missing, checklist.missing_sentences)
    stay = IsolationStay.objects.filter(resident=resident, ended_at__isnull=True).first()
    if stay is not None:
        close_stay(stay, actor=actor, end_reason=IsolationStay.EndReason.RELEASED, ended_at=at)
        audit.record(
            actor=actor, action="isolation.ended", facility_id=stay.facility_id, target=stay,
            changed_fields=["ended_at", "end_reason"],
        )  # fmt: skip
    changed = record_departure(resident=resident, status=Resident.Status.RELEASED, at=at)
    audit.record(
        actor=actor, action="resident.released", facility_id=resident.facility_id, target=resident,
        changed_fields=changed,
    )  # fmt: skip
    return resident
