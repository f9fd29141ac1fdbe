"""Isolation and release rules: pure functions, no database."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FEVER = "fever"
CLOSE_CONTACT = "close_contact"
PRE_RELEASE = "pre_release"
NEW_ADMISSION = "new_admission"

TRANSFERRED = "transferred"  # the end reason of a stay continued in another room

# Which isolation zone (organisation.ZoneType) takes which reason: 发热隔离区, 密切接触者隔离区, 解戒前隔离区.
REASON_ZONE_TYPES = {
    FEVER: frozenset({"fever_isolation"}),
    CLOSE_CONTACT: frozenset({"contact_isolation"}),
    PRE_RELEASE: frozenset({"pre_release_isolation"}),
    # New admissions are observed apart from everyone else; any isolation zone will do.
    NEW_ADMISSION: frozenset({"fever_isolation", "contact_isolation", "pre_release_isolation"}),
}
ISOLATION_ZONE_TYPES = frozenset().union(*REASON_ZONE_TYPES.values())


def zone_fits_reason(zone_type: str, reason: str) -> bool:
    return zone_type in REASON_ZONE_TYPES.get(reason, frozenset())


def is_isolation_zone(zone_type: str | None) -> bool:
    """An isolation room is never the bed a resident returns to after a stay."""
    return zone_type in ISOLATION_ZONE_TYPES


def is_due_to_end(planned_end: datetime.date | None, today: datetime.date, *, within_days: int = 1) -> bool:
    """A stay whose planned end is today, tomorrow (by default) or already past."""
    return planned_end is not None and planned_end <= today + datetime.timedelta(days=within_days)


# --- The occupancy board ---------------------------------------------------------------------

FREE = "free"
OCCUPIED = "occupied"
DUE_TO_END = "due"
DEACTIVATED = "deactivated"


def room_state(*, is_active: bool, planned_ends: Iterable[datetime.date | None], today: datetime.date) -> str:
    """The colour of a room tile; ``planned_ends`` has one entry per open stay in the room.

    People come first: a room deactivated while someone is still inside shows as occupied.
    """
    planned_ends = list(planned_ends)
    if any(is_due_to_end(end, today) for end in planned_ends):
        return DUE_TO_END
    if planned_ends:
        return OCCUPIED
    return FREE if is_active else DEACTIVATED


# --- Pre-release (严防输出) -------------------------------------------------------------------

RELEASE_WINDOW_DAYS = 30  # residents whose term ends within this many days get a checklist

HEALTH_EXAM = "health_exam"
TALK = "talk"
EDUCATION = "education"
COMMITMENT = "commitment"
ITEMS = (HEALTH_EXAM, TALK, EDUCATION, COMMITMENT)

# What each item must say besides its date: the doctor and the result of the examination, the
# officer and a summary of the talk. Education and the signed commitment need only the date.
REQUIRED_DETAILS = {
    HEALTH_EXAM: ("performed_by", "summary"),
    TALK: ("performed_by", "summary"),
    EDUCATION: (),
    COMMITMENT: (),
}

POLICE = "police"
COMMUNITY = "community"
JUDICIAL_OFFICE = "judicial_office"
FAMILY = "family"
RECEIVERS = (POLICE, COMMUNITY, JUDICIAL_OFFICE, FAMILY)

# Codes of what can be missing before a release, in the order the checklist shows them.
OBSERVATION = "observation"
OBSERVATION_TOO_SHORT = "observation_too_short"
HEALTH_EXAM_UNFIT = "health_exam_unfit"
HANDOVER_PREFIX = "handover_"

MISSING_LABELS = {
    OBSERVATION: gettext_lazy("Medical observation in the pre-release isolation zone has not begun"),
    HEALTH_EXAM: gettext_lazy("Health examination"),
    HEALTH_EXAM_UNFIT: gettext_lazy("The health examination found the resident not fit for release"),
    TALK: gettext_lazy("Individual talk"),
    EDUCATION: gettext_lazy("Prevention education"),
    COMMITMENT: gettext_lazy("Signed commitment"),
    HANDOVER_PREFIX + POLICE: gettext_lazy("Hand-over to the police"),
    HANDOVER_PREFIX + COMMUNITY: gettext_lazy("Hand-over to the street or community"),
    HANDOVER_PREFIX + JUDICIAL_OFFICE: gettext_lazy("Hand-over to the judicial office"),
    HANDOVER_PREFIX + FAMILY: gettext_lazy("Hand-over to the family"),
}


@dataclass(frozen=True)
class ItemFact:
    """One checklist item as recorded; only a health examination can find someone unfit."""

    item: str
    done_on: datetime.date
    fit: bool = True


@dataclass(frozen=True)
class StayFact:
    reason: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    end_reason: str = ""


def observation_began_at(stays: Iterable[StayFact], at: datetime.datetime) -> datetime.datetime | None:
    """When the pre-release observation under way at ``at`` began, or None if none is.

    The observation is the pre-release stay that covers ``at``, followed back through transfers
    (a transfer ends one stay at the moment the next begins): moving rooms inside the zone does
    not restart the count, while leaving it (fever, hospital) does.
    """
    pre_release = [s for s in stays if s.reason == PRE_RELEASE]
    current = next(
        (s for s in pre_release if s.started_at <= at and (s.ended_at is None or s.ended_at >= at)), None
    )
    while current is not None:
        previous = next(
            (s for s in pre_release if s.end_reason == TRANSFERRED and s.ended_at == current.started_at), None
        )
        if previous is None:
            return current.started_at
        current = previous
    return None


def observed_days(began_on: datetime.date | None, release_on: datetime.date) -> int:
    """Whole days of observation by the release day: begun on the 1st, released on the 15th is 14."""
    return 0 if began_on is None else max(0, (release_on - began_on).days)


def missing_for_release(
    items: Iterable[ItemFact],
    handed_over_to: Collection[str],
    observation_began_on: datetime.date | None,
    release_on: datetime.date,
    observation_days: int,
) -> list[str]:
    """Codes of everything still missing for a release on ``release_on``; empty when ready.

    The observation must have begun at least ``observation_days`` (policy of the release day)
    before release; an item counts once done on or before the release day, and the latest
    health examination must find the resident fit.
    """
    missing = []
    if observation_began_on is None or observation_began_on > release_on:
        missing.append(OBSERVATION)
    elif observed_days(observation_began_on, release_on) < observation_days:
        missing.append(OBSERVATION_TOO_SHORT)
    latest: dict[str, ItemFact] = {}
    for fact in items:
        if fact.done_on <= release_on and (
            fact.item not in latest or fact.done_on >= latest[fact.item].done_on
        ):
            latest[fact.item] = fact
    for item in ITEMS:
        if item not in latest:
            missing.append(item)
        elif item == HEALTH_EXAM and not latest[item].fit:
            missing.append(HEALTH_EXAM_UNFIT)
    missing += [HANDOVER_PREFIX + receiver for receiver in RECEIVERS if receiver not in handed_over_to]
    return missing


def describe_missing(codes: Iterable[str], *, observed: int, required: int) -> list[str]:
    """The missing codes as sentences for the officer, in the user's language."""
    sentences = []
    for code in codes:
        if code == OBSERVATION_TOO_SHORT:
            sentences.append(
                _("Medical observation in the pre-release zone: %(observed)s of %(required)s days")
                % {"observed": observed, "required": required}
            )
        else:
            sentences.append(str(MISSING_LABELS[code]))
    return sentences
