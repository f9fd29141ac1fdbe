"""Residents who come and go, and staff, with identifiers stored as the models store them.

Each facility starts the period full: its population was admitted over the previous term, so
releases are spread over the period. Every release (on the term's end, some earlier on
assessment) frees a place that a new admission fills the same afternoon, so the facility holds
its population all along. A resident moves through the four zones by time served: detox for two
weeks, education and adaptation until day 60, return guidance for the last 30 days, and
rehabilitation in between.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from jiedu.common import crypto
from jiedu.demo import names, region
from jiedu.organisation.models import ZoneType
from jiedu.people.identity import make_id_number
from jiedu.people.models import ID_NUMBER_CONTEXT, Resident, Staff, default_term_end
from jiedu.scale.copying import NULL, day, flag, ref, stamp, text
from jiedu.scale.shape import RegionShape

DETOX_DAYS, EDUCATION_UNTIL_DAY, RETURN_GUIDANCE_DAYS = 14, 60, 30
ADMISSION_TIME, RELEASE_TIME = datetime.time(14, 0), datetime.time(9, 0)
COUNTIES = list(region.COUNTIES.values())


def local_at(d: datetime.date, t: datetime.time, minutes: int = 0) -> datetime.datetime:
    moment = datetime.datetime.combine(d, t) + datetime.timedelta(minutes=minutes)
    return timezone.make_aware(moment)


class Identities:
    """Unique checksum-valid ID numbers, encrypted and blind-indexed with the application's keys."""

    def __init__(self, rng: random.Random):
        self.rng, self.issued = rng, set()
        self.key_id = crypto.key_ring().active_id

    def issue(self, *, born_after: int, born_before: int, male: bool) -> tuple[str, str]:
        while True:
            county = self.rng.choice(COUNTIES).code
            birth = datetime.date(born_after, 1, 1) + datetime.timedelta(
                days=self.rng.randrange((born_before - born_after) * 365)
            )
            number = make_id_number(
                county=county, birth_date=birth, sequence=self.rng.randrange(1000), male=male
            )
            if number not in self.issued:
                self.issued.add(number)
                return (
                    crypto.encrypt_text(number, context=ID_NUMBER_CONTEXT),
                    crypto.blind_index(number, context=ID_NUMBER_CONTEXT),
                )


@dataclass
class Custody:
    """One resident's stay: admitted ``admitted_at``, leaving ``leaves_at`` (after ``now`` while still held)."""

    id: int
    facility_id: int
    admitted_at: datetime.datetime
    leaves_at: datetime.datetime
    term_start: datetime.date
    term_end: datetime.date

    def __post_init__(self):
        self.admitted_on = timezone.localdate(self.admitted_at)
        self.leaves_on = timezone.localdate(self.leaves_at)

    def zone_type_on(self, d: datetime.date) -> str:
        served = (d - self.admitted_on).days
        if served < DETOX_DAYS:
            return ZoneType.DETOX
        if served < EDUCATION_UNTIL_DAY:
            return ZoneType.EDUCATION
        if (self.leaves_on - d).days < RETURN_GUIDANCE_DAYS:
            return ZoneType.RETURN_GUIDANCE
        return ZoneType.REHABILITATION


def _stay(
    rng: random.Random, admitted_on: datetime.date
) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(term start, term end, leaving day) for someone arriving from the police phase on ``admitted_on``."""
    term_start = admitted_on - datetime.timedelta(days=rng.randint(90, 180))
    term_end = default_term_end(term_start)
    early = rng.randint(30, 90) if rng.random() < 0.12 else 0  # early release on assessment
    return term_start, term_end, term_end - datetime.timedelta(days=early)


def plan_custody(rng: random.Random, *, facility_id: int, population: int, shape: RegionShape, first_id: int):
    """Every stay that overlaps the period, places kept full; ids from ``first_id``."""
    stays, next_id = [], first_id
    for _ in range(population):
        # Someone already there when the period starts, at a random point of their stay.
        arrived = shape.first_day - datetime.timedelta(days=rng.randint(1, 600))
        term_start, term_end, leaving = _stay(rng, arrived)
        while leaving <= shape.first_day:  # drawn too early: they would have left before the period
            arrived += datetime.timedelta(days=rng.randint(30, 200))
            term_start, term_end, leaving = _stay(rng, arrived)
        admitted_at = local_at(arrived, ADMISSION_TIME, rng.randrange(180))
        while True:
            leaves_at = local_at(leaving, RELEASE_TIME, rng.randrange(60))
            stays.append(Custody(next_id, facility_id, admitted_at, leaves_at, term_start, term_end))
            next_id += 1
            if leaves_at > shape.now:
                break
            # The freed place is filled the same afternoon.
            term_start, term_end, next_leaving = _stay(rng, leaving)
            admitted_at = local_at(leaving, ADMISSION_TIME, rng.randrange(180))
            if admitted_at > shape.now:
                break
            leaving = next_leaving
    return stays


RESIDENT_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "id_number", "id_number_index", "id_number_key_id", "phone",
    "phone_index", "file_number", "name", "sex", "ethnicity", "deciding_organ", "decision_number",
    "decision_date", "term_start", "term_end", "current_zone_id", "current_room_id", "status", "admitted_at",
    "left_at",
]  # fmt: skip


def resident_lines(rng, ids: Identities, stays, *, file_prefix: str, is_womens: bool, zone_ids: dict, now):
    counters: dict[int, int] = {}
    for stay in stays:
        male = not is_womens
        ethnicity = names.weighted(rng, region._DEFAULT_ETHNICITIES)
        encrypted, index = ids.issue(born_after=1965, born_before=2003, male=male)
        year = stay.admitted_at.year
        counters[year] = counters.get(year, 0) + 1
        present = stay.leaves_at > now
        county = rng.choice(COUNTIES)
        zone = zone_ids[stay.zone_type_on(timezone.localdate(min(now, stay.leaves_at)))]
        decided = stay.term_start - datetime.timedelta(days=rng.randint(0, 10))
        yield "\t".join((
            str(stay.id), stamp(stay.admitted_at), stamp(min(now, stay.leaves_at)), str(stay.facility_id),
            encrypted, index, ids.key_id, "", "", f"{file_prefix}-{year}-{counters[year]:05d}",
            text(names.person_name(rng, male=male, ethnicity=ethnicity)), "M" if male else "F", ethnicity,
            f"{county.city}公安局{county.name}分局", f"{county.name}公强戒决字〔{decided.year}〕{stay.id}号",
            day(decided), day(stay.term_start), day(stay.term_end), ref(zone), NULL,
            Resident.Status.IN_CUSTODY if present else Resident.Status.RELEASED, stamp(stay.admitted_at),
            NULL if present else stamp(stay.leaves_at),
        )) + "\n"  # fmt: skip


STAFF_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "id_number", "id_number_index", "id_number_key_id", "phone",
    "phone_index", "user_id", "department_id", "kind", "police_number", "name", "sex", "position",
    "is_leadership", "status",
]  # fmt: skip
POSITIONS = ("大队长", "教导员", "副大队长", "科长", "管教民警", "医生", "护士", "")


def staff_lines(rng, ids: Identities, *, first_id: int, count: int, facility_number: int, facility_id: int,
                department_ids: list[int], on_leave: set[int], created):  # fmt: skip
    for n in range(count):
        male = rng.random() < 0.8
        encrypted, index = ids.issue(born_after=1965, born_before=2000, male=male)
        kind = Staff.Kind.POLICE if rng.random() < 0.85 else Staff.Kind.WORKER
        staff_id = first_id + n
        yield "\t".join((
            str(staff_id), stamp(created), stamp(created), str(facility_id), encrypted, index, ids.key_id, "", "",
            NULL, str(department_ids[n % len(department_ids)]), kind, f"{facility_number:02d}{n + 1:05d}",
            text(names.person_name(rng, male=male)), "M" if male else "F", POSITIONS[n % len(POSITIONS)],
            flag(n < 8), Staff.Status.ON_LEAVE if staff_id in on_leave else Staff.Status.ON_DUTY,
        )) + "\n"  # fmt: skip
