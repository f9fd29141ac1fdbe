"""Isolation rules: pure functions, no database."""

import datetime

FEVER = "fever"
CLOSE_CONTACT = "close_contact"
PRE_RELEASE = "pre_release"
NEW_ADMISSION = "new_admission"

# Which isolation zone (organisation.ZoneType) takes which reason: 发热隔离区, 密切接触者隔离区, 解戒前隔离区.
REASON_ZONE_TYPES = {
    FEVER: frozenset({"fever_isolation"}),
    CLOSE_CONTACT: frozenset({"contact_isolation"}),
    PRE_RELEASE: frozenset({"pre_release_isolation"}),
    # New admissions are observed apart from everyone else; any isolation zone will do.
    NEW_ADMISSION: frozenset({"fever_isolation", "contact_isolation", "pre_release_isolation"}),
}


def zone_fits_reason(zone_type: str, reason: str) -> bool:
    return zone_type in REASON_ZONE_TYPES.get(reason, frozenset())


def is_due_to_end(planned_end: datetime.date | None, today: datetime.date, *, within_days: int = 1) -> bool:
    """A stay whose planned end is today, tomorrow (by default) or already past."""
    return planned_end is not None and planned_end <= today + datetime.timedelta(days=within_days)
