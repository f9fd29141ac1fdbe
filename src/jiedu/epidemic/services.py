"""Changing the epidemic-control policy: a new dated row, never an edit of the past."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.epidemic import domain
from jiedu.epidemic.models import EpidemicPolicy
from jiedu.organisation import roles
from jiedu.organisation.scoping import require


@transaction.atomic
def set_policy(*, actor, facility=None, effective_from: datetime.date, note: str = "", **settings) -> EpidemicPolicy:
    """Region defaults need a bureau-wide role; a facility override needs that facility's managers.

    The date may not lie in the past: a past day is judged by the rules that were in force then.
    """
    require(actor, roles.MANAGE_ORGANISATION, facility)
    unknown = set(settings) - set(domain.SETTINGS)
    if unknown:
        raise DomainError(_("Unknown policy settings: %(s)s") % {"s": ", ".join(sorted(unknown))})
    if effective_from < timezone.localdate():
        raise DomainError(_("A policy cannot take effect in the past."), field="effective_from")
    given = {k: v for k, v in settings.items() if v is not None}
    if not given:
        raise DomainError(_("Set at least one value."))
    if EpidemicPolicy.objects.filter(facility=facility, effective_from=effective_from).exists():
        raise DomainError(_("A policy already takes effect on this date here."), field="effective_from")
    row = EpidemicPolicy(facility=facility, effective_from=effective_from, note=note, created_by=actor, **given)
    validated_save(row)
    audit.record(
        actor=actor,
        action="policy.set",
        facility_id=facility.pk if facility else None,
        target=row,
        changed_fields=["effective_from", *given],
    )
    return row
