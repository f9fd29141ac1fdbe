"""Plans one facility's demo data in memory: pure functions, no database.

Each facility has its own ``random.Random`` seeded from its code, and every date is relative to
``region.ANCHOR``, so the plan is identical on every run and every day. ``seed_demo`` then applies
the plan through the services, creating only what does not exist yet.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

from jiedu.demo import names, region
from jiedu.demo.region import FacilitySpec, ZoneSpec
from jiedu.organisation.models import ZoneType
from jiedu.people.identity import make_id_number
from jiedu.people.models import Resident, Staff, default_term_end

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
    "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199",
)  # fmt: skip
TERM_START_WINDOW_DAYS = 670  # terms started within the last ~22 months of the anchor


@dataclass
class RoomPlan:
    number: str
    capacity: int
    is_single_occupancy: bool = False
    deactivation_reason: str = ""
    occupants: int = 0


@dataclass
class ZonePlan:
    spec: ZoneSpec
    rooms: list[RoomPlan] = field(default_factory=list)


@dataclass
class ResidentPlan:
    file_number: str
    name: str
    sex: str
    ethnicity: str
    id_number: str
    deciding_organ: str
    decision_number: str
    decision_date: datetime.date
    term_start: datetime.date
    term_end: datetime.date
    status: str = Resident.Status.IN_CUSTODY
    zone: str | None = None  # zone name
    room: str | None = None  # room number in that zone


@dataclass
class StaffPlan:
    police_number: str
    name: str
    sex: str
    id_number: str
    phone: str
    department: str | None
    position: str
    is_leadership: bool
    status: str = Staff.Status.ON_DUTY
    login: str | None = None  # username of the demo login linked to this record


@dataclass
class FacilityPlan:
    spec: FacilitySpec
    departments: list[tuple[str, str]]
    zones: list[ZonePlan]
    stations: list[region.StationSpec]
    residents: list[ResidentPlan]
    staff: list[StaffPlan]


class _Identities:
    """Issues ID numbers and phones unique within the facility.

    The first sequence digit is the facility's number (0-9), so numbers never collide across
    facilities either, whichever facilities a run creates.
    """

    def __init__(self, spec: FacilitySpec, rng: random.Random):
        self.spec, self.rng = spec, rng
        self.issued: set[str] = set()
        self.phones: set[str] = set()

    def id_number(self, *, county: str, ages: tuple[int, int, int], male: bool) -> str:
        """A number for someone born so as to be ``ages`` (youngest, oldest, commonest) at the anchor."""
        min_age, max_age, mode_age = ages
        while True:
            days = self.rng.triangular(min_age * 365.25 + 1, (max_age + 1) * 365.25 - 2, mode_age * 365.25)
            birth = region.ANCHOR - datetime.timedelta(days=int(days))
            low = self.rng.randrange(50) * 2 + (1 if male else 0)
            sequence = (self.spec.number - 1) % 10 * 100 + low
            number = make_id_number(county=county, birth_date=birth, sequence=sequence, male=male)
            if number not in self.issued:
                self.issued.add(number)
                return number

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def _rng(spec: FacilitySpec) -> random.Random:
    # A str seed is hashed with SHA-512 (version 2), independent of PYTHONHASHSEED.
    return random.Random(f"jiedu-demo/{spec.code}")


def plan_facility(spec: FacilitySpec) -> FacilityPlan:
    rng = _rng(spec)
    ids = _Identities(spec, rng)
    residents = _plan_residents(spec, rng, ids)
    zones = _plan_zones(rng, residents)
    staff = _plan_staff(spec, rng, ids)
    return FacilityPlan(
        spec=spec,
        departments=region.departments_for(spec),
        zones=zones,
        stations=[region.StationSpec(code) for code in spec.stations],
        residents=residents,
        staff=staff,
    )


# --- Residents -------------------------------------------------------------------------------


def _plan_residents(spec: FacilitySpec, rng: random.Random, ids: _Identities) -> list[ResidentPlan]:
    male = not spec.is_womens
    sex = "M" if male else "F"
    drafts = []
    for _ in range(spec.residents):
        county = region.COUNTIES[names.weighted(rng, spec.catchment)]
        ethnicity = names.weighted(rng, region.ethnicities_for(county.city))
        term_start = region.ANCHOR - datetime.timedelta(days=rng.randint(0, TERM_START_WINDOW_DAYS))
        drafts.append(
            {
                "county": county,
                "name": names.person_name(rng, male=male, ethnicity=ethnicity),
                "ethnicity": ethnicity,
                "id_number": ids.id_number(county=county.code, ages=(18, 60, 34), male=male),
                "term_start": term_start,
                "decision_date": term_start - datetime.timedelta(days=rng.randint(0, 15)),
            }
        )
    drafts.sort(key=lambda d: (d["term_start"], d["id_number"]))

    file_counters: dict[int, int] = {}
    decision_counters: dict[tuple[str, int], int] = {}
    residents = []
    for d in drafts:
        year = d["term_start"].year
        file_counters[year] = file_counters.get(year, rng.randint(0, 12)) + rng.randint(1, 3)
        key = (d["county"].decision_prefix, d["decision_date"].year)
        decision_counters[key] = decision_counters.get(key, rng.randint(2, 30)) + rng.randint(1, 8)
        # The last digit is the facility's, so two facilities never share a decision number.
        decision_seq = decision_counters[key] * 10 + spec.number % 10
        residents.append(
            ResidentPlan(
                file_number=f"{spec.file_prefix}-{year}-{file_counters[year]:04d}",
                name=d["name"],
                sex=sex,
                ethnicity=d["ethnicity"],
                id_number=d["id_number"],
                deciding_organ=d["county"].deciding_organ,
                decision_number=f"{d['county'].decision_prefix}公强戒决字〔{key[1]}〕{decision_seq}号",
                decision_date=d["decision_date"],
                term_start=d["term_start"],
                term_end=default_term_end(d["term_start"]),
            )
        )
    _plan_statuses(rng, residents)
    return residents


def _served(resident: ResidentPlan) -> int:
    return (region.ANCHOR - resident.term_start).days


def _plan_statuses(rng: random.Random, residents: list[ResidentPlan]) -> None:
    """Mostly in custody; a few released early after assessment, a few in hospital outside."""
    released = [r for r in residents if _served(r) > 365 and rng.random() < 0.06]
    medical = [r for r in residents if r not in released and _served(r) > 45 and rng.random() < 0.03]
    # Every facility shows at least one of each, so the demo has something to filter on.
    if not released:
        released = [next(r for r in reversed(residents) if _served(r) > 365)]
    if not medical:
        medical = [next(r for r in residents[1:] if r not in released and _served(r) > 45)]
    for r in released:
        r.status = Resident.Status.RELEASED
    for r in medical:
        r.status = Resident.Status.OUTSIDE_MEDICAL


def _phase_zone(resident: ResidentPlan) -> str:
    served = _served(resident)
    if served <= region.DETOX_DAYS:
        return ZoneType.DETOX
    if served <= region.EDUCATION_DAYS:
        return ZoneType.EDUCATION
    if (resident.term_end - region.ANCHOR).days <= region.RETURN_GUIDANCE_DAYS_LEFT:
        return ZoneType.RETURN_GUIDANCE
    return ZoneType.REHABILITATION


# --- Zones and rooms -------------------------------------------------------------------------


def _plan_zones(rng: random.Random, residents: list[ResidentPlan]) -> list[ZonePlan]:
    present = [r for r in residents if r.status in Resident.PRESENT_STATUSES]
    by_type: dict[str, list[ResidentPlan]] = {spec.zone_type: [] for spec in region.ZONES}
    for r in present:
        by_type[_phase_zone(r)].append(r)
    # A feverish resident and a couple of close contacts sit in single isolation rooms.
    in_custody = [r for r in present if r.status == Resident.Status.IN_CUSTODY]
    isolated = rng.sample(in_custody, k=rng.randint(1, 3))
    for r in isolated:
        by_type[_phase_zone(r)].remove(r)
    by_type[ZoneType.FEVER_ISOLATION] = isolated[:1]
    by_type[ZoneType.CONTACT_ISOLATION] = isolated[1:]

    zones = []
    for spec in region.ZONES:
        zone = ZonePlan(spec)
        occupants = by_type[spec.zone_type]
        if spec.single_rooms:
            capacities = [1] * spec.single_rooms
        else:
            # Epidemic areas have a fixed number of rooms; the four zones are about 70% full.
            count = spec.fixed_rooms or max(2, math.ceil(len(occupants) / 7) + 1)
            capacities = [rng.randint(*spec.capacity) for _ in range(count)]
        for i, capacity in enumerate(capacities, start=1):
            number = f"{spec.room_prefix}{i:02d}"
            zone.rooms.append(RoomPlan(number, capacity, is_single_occupancy=bool(spec.single_rooms)))
        for r in occupants:
            room = rng.choice([room for room in zone.rooms if room.occupants < room.capacity])
            room.occupants += 1
            r.zone, r.room = spec.name, room.number
        if spec.zone_type == ZoneType.REHABILITATION:
            # One room out of use, with the reason kept.
            zone.rooms.append(
                RoomPlan(
                    number=f"{spec.room_prefix}{len(capacities) + 1:02d}",
                    capacity=rng.randint(*spec.capacity),
                    deactivation_reason=rng.choice(region.DEACTIVATION_REASONS),
                )
            )
        zones.append(zone)
    return zones


# --- Staff -----------------------------------------------------------------------------------


def _staff_slots(spec: FacilitySpec, rng: random.Random) -> list[tuple[str | None, str, bool]]:
    """(department, position, is_leadership) for each post, leadership first."""
    slots: list[tuple[str | None, str, bool]] = [
        (None, region.DIRECTOR, True),
        (None, region.POLITICAL_COMMISSAR, True),
    ]
    slots += [(None, region.DEPUTY_DIRECTOR, True)] * (2 if spec.staff < 50 else 3)
    brigades = [name for name, kind in region.departments_for(spec) if kind == "brigade"]
    for brigade in brigades:
        slots += [(brigade, region.BRIGADE_CHIEF, False), (brigade, region.BRIGADE_INSTRUCTOR, False)]
    for office in region.OFFICES:
        head = region.OFFICE_HEAD if office in ("办公室", "政治处") else region.OFFICE_CHIEF
        slots.append((office, head, False))
    medical = spec.staff // 30
    slots += [(region.MEDICAL_OFFICE, region.DOCTOR, False)] * (2 + medical)
    slots += [(region.MEDICAL_OFFICE, region.NURSE, False)] * (1 + medical)
    # Posts the demo logins take, and one non-police worker.
    slots += [("一大队", region.OFFICER, False), (region.GUARD_BRIGADE, region.OFFICER, False)]
    slots.append(("后勤保障科", region.CLERK, False))
    # The rest are officers, mostly on the wings that hold residents.
    weights = {b: 3 for b in brigades if b in region.CUSTODIAL_BRIGADES or b.endswith("四大队")}
    weights.update({"生理脱毒大队": 2, "回归指导大队": 2, region.GUARD_BRIGADE: 2})
    weights.update({office: 1 for office in region.OFFICES})
    while len(slots) < spec.staff:
        department = names.weighted(rng, weights)
        position = region.CLERK if department == "后勤保障科" and rng.random() < 0.5 else region.OFFICER
        slots.append((department, position, False))
    return slots[: spec.staff]


def _plan_staff(spec: FacilitySpec, rng: random.Random, ids: _Identities) -> list[StaffPlan]:
    slots = _staff_slots(spec, rng)
    logins: dict[int, region.LoginSpec] = {}
    for login in region.LOGINS:
        if login.staff_slot is None or login.facilities != (spec.code,):
            continue
        department, position, _sex = login.staff_slot
        index = next(
            i for i, slot in enumerate(slots) if slot[:2] == (department, position) and i not in logins
        )
        logins[index] = login

    home = region.COUNTIES[max(spec.catchment, key=spec.catchment.get)]
    female_share = 0.65 if spec.is_womens else 0.15
    staff, police_seq, worker_seq = [], 0, 0
    for i, (department, position, leadership) in enumerate(slots):
        login = logins.get(i)
        if login is not None:
            sex = login.staff_slot[2]
        elif position == region.NURSE:
            sex = "F" if rng.random() < 0.9 else "M"
        elif position == region.DOCTOR:
            sex = "F" if rng.random() < 0.5 else "M"
        else:
            sex = "F" if rng.random() < female_share else "M"
        male = sex == "M"
        ethnicity = names.weighted(rng, region.ethnicities_for(home.city))
        name = login.display_name if login else names.person_name(rng, male=male, ethnicity=ethnicity)
        county = names.weighted(rng, spec.catchment)
        if leadership:
            ages = (45, 57, 51)
        elif position in region.HEADS:
            ages = (36, 56, 46)
        else:
            ages = (22, 58, 36)
        id_number = ids.id_number(county=county, ages=ages, male=male)
        if position == region.CLERK:
            worker_seq += 1
            number = f"GH{spec.number:02d}{worker_seq:03d}"  # 职工 have a staff number, not a police number
        else:
            police_seq += 1
            number = f"15{spec.number:02d}{police_seq:03d}"
        status = Staff.Status.ON_DUTY
        if not leadership and login is None:
            roll = rng.random()
            if roll < 0.05:
                status = Staff.Status.ON_LEAVE
            elif roll < 0.07:
                status = Staff.Status.TRANSFERRED
        staff.append(
            StaffPlan(
                police_number=number,
                name=name,
                sex=sex,
                id_number=id_number,
                phone=ids.phone(),
                department=department,
                position=position,
                is_leadership=leadership,
                status=status,
                login=login.username if login else None,
            )
        )
    # One officer close to 60 has retired but is still on the books.
    oldest = max(  # the earliest birth date
        (s for s in staff if not s.is_leadership and s.login is None and s.status == Staff.Status.ON_DUTY),
        key=lambda s: -int(s.id_number[6:14]),
    )
    oldest.status = Staff.Status.RETIRED
    return staff


def plan_region() -> list[FacilityPlan]:
    return [plan_facility(spec) for spec in region.FACILITIES]

