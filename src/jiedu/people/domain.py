"""Resident status rules: pure functions, no database."""

from django.utils.translation import gettext as _

IN_CUSTODY = "in_custody"
OUTSIDE_MEDICAL = "outside_medical"
RELEASED = "released"
TRANSFERRED = "transferred"
DECEASED = "deceased"

PRESENT = frozenset({IN_CUSTODY, OUTSIDE_MEDICAL})

# Release, transfer and death end the stay; a new stay is a new admission.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    IN_CUSTODY: frozenset({OUTSIDE_MEDICAL, RELEASED, TRANSFERRED, DECEASED}),
    OUTSIDE_MEDICAL: frozenset({IN_CUSTODY, RELEASED, TRANSFERRED, DECEASED}),
    RELEASED: frozenset(),
    TRANSFERRED: frozenset(),
    DECEASED: frozenset(),
}


def status_change_error(current: str, new: str) -> str | None:
    """None when ``current → new`` is allowed, else the reason in the user's language."""
    if current == new:
        return None
    if new not in STATUS_TRANSITIONS.get(current, frozenset()):
        return _("A resident cannot go from this status to the chosen one.")
    return None


def keeps_a_bed(status: str) -> bool:
    """Only residents present (in custody or in outside medical care) hold a room."""
    return status in PRESENT
