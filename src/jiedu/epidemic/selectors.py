"""The policy in force, read for a facility and a day (or a range of days, in one query)."""

import datetime

from django.db.models import Q

from jiedu.epidemic import domain
from jiedu.epidemic.models import EpidemicPolicy


def _rows(facility_ids) -> list[domain.PolicyRow]:
    stored = EpidemicPolicy.objects.filter(Q(facility__isnull=True) | Q(facility_id__in=facility_ids))
    return [
        domain.PolicyRow(
            facility_id=row.facility_id,
            effective_from=row.effective_from,
            values={setting: getattr(row, setting) for setting in domain.SETTINGS},
        )
        for row in stored
    ]


def policy_for(facility_id: int, day: datetime.date) -> domain.Policy:
    return domain.policy_in_force(_rows([facility_id]), facility_id=facility_id, day=day)


class PolicyBook:
    """All policy rows for some facilities, loaded once; ask it for any (facility, day)."""

    def __init__(self, facility_ids):
        self.rows = _rows(list(facility_ids))

    def policy(self, facility_id: int, day: datetime.date) -> domain.Policy:
        return domain.policy_in_force(self.rows, facility_id=facility_id, day=day)


def policy_history(user, facility=None):
    """Rows the user may see, newest first: the region's defaults and the facility's overrides."""
    rows = EpidemicPolicy.objects.visible_to(user).select_related("facility", "created_by")
    if facility is not None:
        rows = rows.filter(Q(facility__isnull=True) | Q(facility=facility))
    return rows
