"""Demo history: 5-7 key areas per facility and their ventilations and disinfections over the last
``days`` days, mostly complete, with a few misses (evening ventilations most of all).

The areas are written directly, dated from the first history day: the key-area service marks
areas from today on only, on purpose (past days keep the areas they had). The records go through
``record_environment_batch``, one insert per facility. A facility-day that already has records is
left alone, and nothing is dated after the present moment.
"""

from __future__ import annotations

import datetime
import zlib
from random import Random

from django.utils import timezone

from jiedu.audit import services as audit
from jiedu.common.localtime import local_day_bounds
from jiedu.demo.history import day_rng
from jiedu.environment import domain
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.environment.services import Entry, record_environment_batch
from jiedu.organisation.models import Facility, Membership, Zone
from jiedu.organisation.roles import Role

# (name, zone type to link, disinfectants used there as (agent, concentration), weighted by repetition)
AREAS = (
    ("食堂", None, (("含氯消毒剂", "500 mg/L"), ("含氯消毒剂", "500 mg/L"), ("84消毒液", "500 mg/L"))),
    ("医务室", None, (("含氯消毒剂", "1000 mg/L"), ("75%酒精", "75%"), ("过氧乙酸", "0.2%"))),
    ("会见室", None, (("含氯消毒剂", "500 mg/L"), ("75%酒精", "75%"))),
    ("宿舍楼道", "education", (("含氯消毒剂", "500 mg/L"), ("84消毒液", "500 mg/L"))),
    ("监控室", None, (("75%酒精", "75%"),)),
    ("门岗", None, (("含氯消毒剂", "500 mg/L"), ("过氧乙酸", "0.2%"))),
    ("发热隔离区走廊", "fever_isolation", (("含氯消毒剂", "1000 mg/L"), ("过氧乙酸", "0.5%"))),
    ("习艺车间", "rehabilitation", (("含氯消毒剂", "500 mg/L"),)),
)
ALWAYS = 4  # the first four exist everywhere; each facility adds one to three of the others
AGENTS = {name: agents for name, _, agents in AREAS}

# Usual times (hour, minute) and the chance that each round is missed; evenings slip most.
VENTILATIONS = ((7, 30, 0.005), (10, 10, 0.005), (12, 50, 0.005), (15, 40, 0.02), (18, 40, 0.06))
DISINFECTIONS = ((8, 20, 0.005), (13, 20, 0.005), (19, 10, 0.03))
JITTER_MINUTES = 20
RECORDERS = (Role.FACILITY_OFFICER, Role.MEDICAL_STAFF, Role.FACILITY_LEADER)


def seed_history(*, system, today: datetime.date, days: int) -> int:
    first_day = today - datetime.timedelta(days=days)
    written = 0
    for facility in Facility.objects.order_by("code"):
        areas, created = _key_areas(system, facility, first_day)
        written += created
        written += _records(system, facility, areas, first_day, today)
    return written


def _key_areas(system, facility: Facility, first_day: datetime.date) -> tuple[list[KeyArea], int]:
    existing = KeyArea.objects.filter(facility=facility)
    if existing:
        # Sorted in Python, as below: the random draws follow this order, whatever the collation.
        return sorted(existing, key=lambda a: (a.name, a.key_since)), 0
    rng = Random(zlib.crc32(f"{facility.code}|key-areas".encode()))
    chosen = list(AREAS[:ALWAYS]) + rng.sample(AREAS[ALWAYS:], rng.randint(1, 3))
    zones = {
        zone.zone_type: zone
        for zone in Zone.objects.filter(facility=facility, is_active=True).order_by("name")
    }
    areas = []
    for name, zone_type, _agents in chosen:
        area = KeyArea.objects.create(
            facility=facility, name=name, zone=zones.get(zone_type), key_since=first_day, note="演示数据"
        )
        audit.record(
            actor=system, action="keyarea.marked", facility_id=facility.pk, target=area,
            changed_fields=["name", "zone", "key_since", "note"],
        )  # fmt: skip
        areas.append(area)
    return sorted(areas, key=lambda a: (a.name, a.key_since)), len(areas)


def _records(system, facility, areas, first_day: datetime.date, today: datetime.date) -> int:
    start, _ = local_day_bounds(first_day)
    _, end = local_day_bounds(today)
    done_days = {
        timezone.localdate(at)
        for at in EnvironmentRecord.objects.filter(
            facility=facility, performed_at__gte=start, performed_at__lt=end
        )
        .values_list("performed_at", flat=True)
        .distinct()
    }
    recorders = _recorders(facility) or [system]
    diligence = Random(zlib.crc32(f"{facility.code}|diligence".encode())).uniform(0.7, 1.6)
    now = timezone.now()
    entries = []
    for offset in range((today - first_day).days + 1):
        day = first_day + datetime.timedelta(days=offset)
        if day in done_days:
            continue
        rng = day_rng(facility.code, day, "environment")
        for area in areas:
            if area.is_key_on(day):
                entries += _day_entries(rng, area, day, recorders, diligence)
    entries = [entry for entry in entries if entry.performed_at <= now]
    return len(record_environment_batch(actor=system, facility=facility, entries=entries))


def _recorders(facility):
    memberships = Membership.objects.filter(facility=facility, role__in=RECORDERS, is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("user__username")]


def _at(rng: Random, day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    usual = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(
        usual + datetime.timedelta(minutes=rng.randint(-JITTER_MINUTES, JITTER_MINUTES))
    )


def _day_entries(rng: Random, area: KeyArea, day, recorders, diligence: float) -> list[Entry]:
    entries = []
    for hour, minute, miss in VENTILATIONS:
        at = _at(rng, day, hour, minute)
        if rng.random() >= miss * diligence:
            minutes = rng.choice((30, 30, 40, 60))
            entries.append(
                Entry(
                    area=area, kind=domain.VENTILATION, performed_at=at, duration_minutes=minutes,
                    performed_by=rng.choice(recorders),
                )
            )  # fmt: skip
    for hour, minute, miss in DISINFECTIONS:
        at = _at(rng, day, hour, minute)
        if rng.random() >= miss * diligence:
            agent, concentration = rng.choice(AGENTS.get(area.name, AREAS[0][2]))
            entries.append(
                Entry(
                    area=area, kind=domain.DISINFECTION, performed_at=at, agent=agent,
                    concentration=concentration, performed_by=rng.choice(recorders),
                )
            )  # fmt: skip
    return entries
