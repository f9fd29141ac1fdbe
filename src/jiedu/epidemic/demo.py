"""Demo policy: the region's defaults since before the history starts. Written directly: the
policy service refuses past dates on purpose (past days keep the rules they had)."""

import datetime

from jiedu.audit import services as audit
from jiedu.epidemic.models import EpidemicPolicy


def seed_history(*, system, today: datetime.date, days: int) -> int:
    start = today - datetime.timedelta(days=days + 30)
    if EpidemicPolicy.objects.filter(facility__isnull=True).exists():
        return 0
    row = EpidemicPolicy.objects.create(
        facility=None,
        effective_from=start,
        temperature_interval_minutes=120,
        fever_threshold_c="37.3",
        ventilations_per_day=5,
        disinfections_per_day=3,
        pre_release_observation_days=14,
        closed_management=True,
        note="全区疫情防控常态化要求（演示）",
        created_by=system,
    )
    audit.record(actor=system, action="policy.set", facility_id=None, target=row, changed_fields=["effective_from"])
    return 1
