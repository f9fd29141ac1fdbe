"""Reads for the pre-release checklist: who is due, what each has done, what is still missing."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from jiedu.epidemic.selectors import PolicyBook
from jiedu.isolation import domain
from jiedu.isolation.models import Handover, IsolationStay, PreReleaseItem
from jiedu.people.models import Resident

RECENTLY_RELEASED_DAYS = 30  # how far back the list of released residents (and its export) reaches

# The columns of the checklist, in the order of the seed report: observation, four items, four receivers.
COLUMNS = (
    domain.OBSERVATION,
    *domain.ITEMS,
    *(domain.HANDOVER_PREFIX + receiver for receiver in domain.RECEIVERS),
)
# A column is not done while any of these codes is missing.
_BLOCKED_BY = {
    domain.OBSERVATION: {domain.OBSERVATION, domain.OBSERVATION_TOO_SHORT},
    domain.HEALTH_EXAM: {domain.HEALTH_EXAM, domain.HEALTH_EXAM_UNFIT},
}


@dataclass
class Checklist:
    """One resident's pre-release state, judged for a release at ``release_at``.

    For a resident still present that moment is now ("could we release today?"); for one who
    has left, the moment of leaving.
    """

    resident: Resident
    release_at: datetime.datetime
    required_days: int
    observation_began_at: datetime.datetime | None
    items: dict[str, PreReleaseItem] = field(default_factory=dict)  # current record per item
    handovers: dict[str, Handover] = field(default_factory=dict)  # current record per receiver
    missing: list[str] = field(default_factory=list)

    @property
    def release_on(self) -> datetime.date:
        return timezone.localdate(self.release_at)

    @property
    def is_ready(self) -> bool:
        return not self.missing

    @property
    def observed_days(self) -> int:
        began = self.observation_began_at
        return domain.observed_days(timezone.localdate(began) if began else None, self.release_on)

    @property
    def days_to_term_end(self) -> int:
        return (self.resident.term_end - self.release_on).days

    @property
    def observation_due_by(self) -> datetime.date:
        """The last day the observation may begin for a release at the end of the term."""
        return self.resident.term_end - datetime.timedelta(days=self.required_days)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(column code, done) for the ticks and crosses of the list."""
        missing = set(self.missing)
        return [(code, not (_BLOCKED_BY.get(code, {code}) & missing)) for code in COLUMNS]

    @property
    def missing_sentences(self) -> list[str]:
        return domain.describe_missing(self.missing, observed=self.observed_days, required=self.required_days)

    @property
    def done_count(self) -> int:
        return sum(done for _, done in self.columns)


def checklists(residents, *, at: datetime.datetime | None = None) -> list[Checklist]:
    """Checklists for ``residents`` in a few queries, each judged for a release at ``at``
    (default: now for residents present, the moment of leaving for those who left).
    """
    residents = list(residents)
    ids = [r.pk for r in residents]
    items, handovers, stays = defaultdict(dict), defaultdict(dict), defaultdict(list)
    for row in PreReleaseItem.objects.filter(resident_id__in=ids, replaced_by__isnull=True):
        items[row.resident_id][row.item] = row
    for row in Handover.objects.filter(resident_id__in=ids, replaced_by__isnull=True):
        handovers[row.resident_id][row.receiver] = row
    for stay in IsolationStay.objects.filter(resident_id__in=ids, reason=domain.PRE_RELEASE):
        stays[stay.resident_id].append(
            domain.StayFact(stay.reason, stay.started_at, stay.ended_at, stay.end_reason)
        )
    book = PolicyBook({r.facility_id for r in residents})
    now = timezone.now()
    result = []
    for resident in residents:
        moment = at or resident.left_at or now
        day = timezone.localdate(moment)
        began = domain.observation_began_at(stays[resident.pk], moment)
        required = book.policy(resident.facility_id, day).pre_release_observation_days
        mine, theirs = items[resident.pk], handovers[resident.pk]
        facts = [domain.ItemFact(r.item, r.done_on, r.fit_for_release is not False) for r in mine.values()]
        missing = domain.missing_for_release(
            facts, set(theirs), timezone.localdate(began) if began else None, day, required
        )
        result.append(Checklist(resident, moment, required, began, dict(mine), dict(theirs), missing))
    return result


def checklist_for(resident: Resident, *, at: datetime.datetime | None = None) -> Checklist:
    return checklists([resident], at=at)[0]


def due_for_release(user, *, today: datetime.date, facility_ids=None) -> list[Checklist]:
    """Residents present whose term ends within the window (or has passed), soonest first."""
    residents = (
        Resident.objects.visible_to(user)
        .filter(status__in=Resident.PRESENT_STATUSES)
        .filter(term_end__lte=today + datetime.timedelta(days=domain.RELEASE_WINDOW_DAYS))
        .select_related("facility", "current_zone", "current_room")
        .order_by("term_end", "file_number")
    )
    if facility_ids:
        residents = residents.filter(facility_id__in=facility_ids)
    return checklists(residents)


def recently_released(user, *, today: datetime.date, days: int, facility_ids=None) -> list[Checklist]:
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    )
    residents = (
        Resident.objects.visible_to(user)
        .filter(status=Resident.Status.RELEASED, left_at__gte=since)
        .select_related("facility")
        .order_by("-left_at")
    )
    if facility_ids:
        residents = residents.filter(facility_id__in=facility_ids)
    return checklists(residents)


def item_history(resident: Resident) -> list[PreReleaseItem]:
    """Every record of the resident's checklist, replaced ones included, newest first."""
    return list(
        resident.prerelease_items.select_related("recorded_by", "replaced_by").order_by("-created_at", "-id")
    )


def handover_history(resident: Resident) -> list[Handover]:
    return list(
        resident.handovers.select_related("recorded_by", "replaced_by").order_by("-created_at", "-id")
    )
