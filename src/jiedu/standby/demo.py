"""Demo standby history: the region's 14-day rule, Hulunbuir's 21 days, and per facility two shifts.

- one shift that ended a few days ago: most members were tested before standby and before duty and
  went on duty on the planned day; one has no second test and is still waiting;
- one shift under way: tested before standby, one antigen result still pending.

Written through the services (the duty gate judges the past duty starts). Policies are written
directly with past dates, as the epidemic demo does. Idempotent: a facility with any standby shift
is left alone, and the policies are written once.
"""

from __future__ import annotations

import datetime
from random import Random

from django.db import transaction
from django.utils import timezone

from jiedu.audit import services as audit
from jiedu.organisation.models import Facility, Zone, ZoneType
from jiedu.people.models import Staff
from jiedu.standby import services
from jiedu.standby.models import StandbyPolicy, StandbyShift

HULUNBUIR = "呼伦贝尔"
LABORATORIES = ("盟市疾控中心实验室", "旗县人民医院检验科", "第三方医学检验实验室")
MEMBERS_PER_SHIFT = 4


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _seed_policies(system, today: datetime.date) -> int:
    if StandbyPolicy.objects.exists():
        return 0
    since = today - datetime.timedelta(days=365)
    rows = [StandbyPolicy(facility=None, effective_from=since, standby_days=14, required_negative_tests=2,
                          note="隔离备勤14天，上岗前2次核酸检测阴性（演示）", created_by=system)]  # fmt: skip
    rows += [
        StandbyPolicy(facility=f, effective_from=since, standby_days=21, required_negative_tests=2,
                      note="隔离备勤延长至21天（演示）", created_by=system)  # fmt: skip
        for f in Facility.objects.filter(name__contains=HULUNBUIR)
    ]
    for row in rows:
        row.save()
        audit.record(
            actor=system, action="standby.policy_set", facility_id=row.facility_id, target=row,
            changed_fields=["effective_from", "standby_days", "required_negative_tests"],
        )  # fmt: skip
    return len(rows)


def _test(system, facility, staff, at, rng: Random, result="negative", test_kind="pcr") -> int:
    services.record_test(
        actor=system, facility=facility, staff=staff, sample_taken_at=at, result=result, test_kind=test_kind,
        laboratory=rng.choice(LABORATORIES),
    )  # fmt: skip
    return 1


def _ended_shift(system, facility, zone, crew, rng: Random, today: datetime.date) -> int:
    """Duty started on the planned day for all but the last member, who lacks the second test."""
    standby_days = services.selectors.rules_for(facility.pk, today).standby_days
    shift = services.create_shift(
        actor=system, facility=facility, zone=zone, staff=crew,
        starts_on=today - datetime.timedelta(days=standby_days + 3),
    )  # fmt: skip
    written = 1 + len(crew)
    before_standby = shift.starts_on - datetime.timedelta(days=1)
    before_duty = shift.planned_duty_on - datetime.timedelta(days=1)
    for member in shift.members.select_related("staff"):
        written += _test(system, facility, member.staff, _at(before_standby, 9, rng.randint(0, 59)), rng)
        if member.staff == crew[-1]:
            continue
        written += _test(system, facility, member.staff, _at(before_duty, 15, rng.randint(0, 59)), rng)
        duty_at = _at(shift.planned_duty_on, 8, rng.randint(0, 30))
        services.start_duty(actor=system, member=member, now=duty_at)
    return written


def _current_shift(system, facility, zone, crew, rng: Random, today: datetime.date) -> int:
    shift = services.create_shift(
        actor=system, facility=facility, zone=zone, starts_on=today - datetime.timedelta(days=5), staff=crew
    )
    written = 1 + len(crew)
    before_standby = shift.starts_on - datetime.timedelta(days=1)
    for member in shift.members.select_related("staff"):
        written += _test(system, facility, member.staff, _at(before_standby, 10, rng.randint(0, 59)), rng)
    middle = _at(today - datetime.timedelta(days=1), 16)
    written += _test(system, facility, crew[0], middle, rng, result="pending", test_kind="antigen")
    return written


def seed_history(*, system, today: datetime.date, days: int) -> int:
    written = _seed_policies(system, today)
    for facility in Facility.objects.order_by("code"):
        areas = Zone.objects.filter(facility=facility, zone_type=ZoneType.STANDBY_ISOLATION, is_active=True)
        zone = areas.first()
        if zone is None or StandbyShift.objects.filter(facility=facility).exists():
            continue
        on_duty = Staff.objects.filter(facility=facility, status=Staff.Status.ON_DUTY)
        staff = list(on_duty.order_by("police_number"))
        if len(staff) < 2 * MEMBERS_PER_SHIFT:
            continue
        rng = Random(f"{facility.code}-standby")
        crews = rng.sample(staff, 2 * MEMBERS_PER_SHIFT)
        with transaction.atomic():
            written += _ended_shift(system, facility, zone, crews[:MEMBERS_PER_SHIFT], rng, today)
            written += _current_shift(system, facility, zone, crews[MEMBERS_PER_SHIFT:], rng, today)
    return written
