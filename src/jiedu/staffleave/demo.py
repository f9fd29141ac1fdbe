"""Demo history of staff on rotation leave: the last two weeks at every facility.

Per facility: 2–3 leave areas named after the districts its residents come from, each with one
inspector; four staff members on staggered leave (the facility officer's own login among them, on
leave today so the demo can report from a phone), their daily reports with a few days missing,
older reports reviewed at both levels, recent ones at department level only; a return-to-work
report for a leave that has ended; a few patrol visits. A reviewer is never the reporter, so at a
facility without a reviewing login (only the system account) the reports stay self-checked. Today is never reported: that happens in
front of the demo audience.

Written through the services. Reports are stamped with the time the demo is seeded (the service
does not backdate a submission). Idempotent: a facility with any leave period is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiedu.demo.history import day_rng
from jiedu.demo.region import COUNTIES, FACILITIES_BY_CODE
from jiedu.organisation import roles
from jiedu.organisation.models import Facility, Membership
from jiedu.people.models import Staff
from jiedu.staffleave import domain, services
from jiedu.staffleave.models import LeavePeriod

LEAVE_DAYS = 14
DAY = datetime.timedelta(days=1)
PLACES = (
    "居家，未外出", "家—小区超市，步行", "家—社区卫生服务站，步行（取药）", "家—菜市场，骑电动车",
    "家—银行网点，步行", "居家，陪孩子上网课",
)  # fmt: skip
FAMILY = ("家人均居家", "妻子正常上班（公交）", "父母居家，未外出", "孩子居家上网课")
OBSERVATIONS = ("本人在家，精神状态良好，体温正常", "居家隔离措施落实，无外来人员", "家属配合，行程记录完整")


def _area_names(facility: Facility) -> list[str]:
    """The districts most of the facility's residents come from; the patrol goes where staff live."""
    spec = FACILITIES_BY_CODE.get(facility.code)
    if spec is None:
        return ["城区", "郊区"]
    ranked = sorted(spec.catchment.items(), key=lambda item: -item[1])
    return [COUNTIES[code].name for code, _weight in ranked[:3] if code in COUNTIES] or ["城区", "郊区"]


def _reviewers(facility: Facility, system) -> list:
    """Logins who review reports at this facility; the system account last."""
    memberships = Membership.objects.filter(facility=facility, is_active=True).select_related("user")
    users = [m.user for m in memberships if roles.MANAGE_STAFF_HEALTH in roles.actions_for(m.role)]
    return [*sorted(users, key=lambda u: u.username), system]


def _reviewer(reviewers: list, reporters: set[int]):
    return next((user for user in reviewers if user.pk not in reporters), None)


def _on_leave(facility: Facility, rng) -> list[Staff]:
    """The facility officer's own login first (they demonstrate the phone report), then three more."""
    on_duty = list(
        Staff.objects.filter(facility=facility, status=Staff.Status.ON_DUTY).order_by("police_number")
    )
    officer_logins = Membership.objects.filter(
        facility=facility, role=roles.Role.FACILITY_OFFICER, is_active=True
    )
    linked = [
        s for s in on_duty if s.user_id and s.user_id in set(officer_logins.values_list("user_id", flat=True))
    ]
    others = [s for s in on_duty if s not in linked and not s.is_leadership]
    return linked[:1] + rng.sample(others, min(len(others), 4 - len(linked[:1])))


def seed_history(*, system, today: datetime.date, days: int) -> int:
    written = 0
    for facility in Facility.objects.order_by("code"):
        if LeavePeriod.objects.filter(facility=facility).exists():
            continue
        with transaction.atomic():
            written += _seed_facility(facility, system, today)
    return written


def _seed_facility(facility: Facility, system, today: datetime.date) -> int:
    rng = day_rng(facility.code, today, "staffleave")
    staff = _on_leave(facility, rng)
    if len(staff) < 2:
        return 0
    spare = [
        s for s in Staff.objects.filter(facility=facility, status=Staff.Status.ON_DUTY) if s not in staff
    ]
    areas = [
        services.create_area(actor=system, facility=facility, name=name) for name in _area_names(facility)
    ]
    written = len(areas)
    for area, inspector in zip(areas, rng.sample(spare, min(len(spare), len(areas))), strict=False):
        services.assign_inspector(
            actor=system, area=area, staff=inspector, from_date=today - LEAVE_DAYS * DAY
        )
        written += 1
    # (first day, last day) offsets from today: one ended two days ago, the others run on.
    spans = [(-6, 1), (-13, -2), (-9, 0), (-4, 3)]
    reviewers = _reviewers(facility, system)
    for member, (first, last), area in zip(staff, spans, areas * 2, strict=False):
        period = services.create_leave_period(
            actor=system, facility=facility, staff=member, starts_on=today + first * DAY, ends_on=today + last * DAY,
            area=area,
        )  # fmt: skip
        written += 1 + _reports(period, member, system, reviewers, today, rng)
        if period.ends_on < today:
            services.submit_return_report(
                actor=member.user or system, period=period, trajectory_summary="轮休期间居家，仅在小区周边活动",
                health="身体健康，无发热、咳嗽", tests_summary="返岗前核酸检测阴性",
            )  # fmt: skip
            written += 1
        written += _patrol(period, area, system, today, rng)
    return written


def _reports(period: LeavePeriod, member: Staff, system, reviewers: list, today, rng) -> int:
    written = 0
    for day in domain.leave_days(period.starts_on, period.ends_on, today - DAY):
        if rng.random() < 0.12:
            continue  # forgotten: shows on the missing list
        report = services.submit_daily_report(
            actor=member.user or system, staff=member, day=day, places_visited=rng.choice(PLACES),
            family_movements=rng.choice(FAMILY), temperature_c=Decimal(rng.randint(360, 369)) / 10,
            health_code="green", symptoms="none",
        )  # fmt: skip
        written += 1
        reporters = {report.submitted_by_id} | ({member.user_id} if member.user_id else set())
        age = (today - day).days
        department = _reviewer(reviewers, reporters)
        if department is None or age < 2:
            continue
        report = services.review_report(actor=department, report=report, level=domain.DEPARTMENT)
        checker = _reviewer([r for r in reviewers if r.pk != department.pk] + [department], reporters)
        if age >= 4 and checker is not None:
            services.review_report(actor=checker, report=report, level=domain.FACILITY)
    return written


def _patrol(period: LeavePeriod, area, system, today, rng) -> int:
    if area is None or not area.inspectors.filter(until__isnull=True).exclude(staff=period.staff).exists():
        return 0
    day = period.starts_on + DAY * rng.randint(
        0, max(0, (min(period.ends_on, today - DAY) - period.starts_on).days)
    )
    visited_at = timezone.make_aware(datetime.datetime.combine(min(day, today - DAY), datetime.time(15, 30)))
    services.record_patrol(
        actor=system, area=area, visited_staff=period.staff, visited_at=visited_at,
        observations=rng.choice(OBSERVATIONS), trajectory_noted="与日报所填行程一致",
    )  # fmt: skip
    return 1
