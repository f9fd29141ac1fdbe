"""Factories for staff on rotation leave: periods, daily reports, return reports, areas, patrols."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from factories import FacilityFactory, StaffFactory, UserFactory
from jiedu.staffleave.models import (
    AreaInspector,
    DailyReport,
    LeaveArea,
    LeavePeriod,
    PatrolRecord,
    ReturnReport,
)

FIRST_DAY = datetime.date(2026, 11, 1)
NINE_AM_LOCAL = datetime.datetime(2026, 11, 1, 1, tzinfo=datetime.UTC)  # 09:00 in Asia/Shanghai


class LeaveAreaFactory(DjangoModelFactory):
    class Meta:
        model = LeaveArea

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"新城区{n}")


class AreaInspectorFactory(DjangoModelFactory):
    class Meta:
        model = AreaInspector

    facility = factory.SubFactory(FacilityFactory)
    area = factory.SubFactory(LeaveAreaFactory, facility=factory.SelfAttribute("..facility"))
    staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    from_date = FIRST_DAY


class LeavePeriodFactory(DjangoModelFactory):
    """A week of leave from 1 November 2026."""

    class Meta:
        model = LeavePeriod

    facility = factory.SubFactory(FacilityFactory)
    staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    starts_on = FIRST_DAY
    ends_on = FIRST_DAY + datetime.timedelta(days=6)
    created_by = factory.SubFactory(UserFactory)


class DailyReportFactory(DjangoModelFactory):
    """The first day's report of a leave period, self-checked, nothing to worry about."""

    class Meta:
        model = DailyReport

    facility = factory.SubFactory(FacilityFactory)
    period = factory.SubFactory(LeavePeriodFactory, facility=factory.SelfAttribute("..facility"))
    staff = factory.SelfAttribute("period.staff")
    day = factory.SelfAttribute("period.starts_on")
    places_visited = "家中，未外出"
    temperature_c = Decimal("36.5")
    health_code = DailyReport.HealthCode.GREEN
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = NINE_AM_LOCAL


class ReturnReportFactory(DjangoModelFactory):
    class Meta:
        model = ReturnReport

    facility = factory.SubFactory(FacilityFactory)
    period = factory.SubFactory(LeavePeriodFactory, facility=factory.SelfAttribute("..facility"))
    staff = factory.SelfAttribute("period.staff")
    trajectory_summary = "轮休期间居家，未离开呼和浩特市"
    health = "身体健康，无发热"
    tests_summary = "核酸检测阴性"
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = NINE_AM_LOCAL


class PatrolRecordFactory(DjangoModelFactory):
    class Meta:
        model = PatrolRecord

    facility = factory.SubFactory(FacilityFactory)
    area = factory.SubFactory(LeaveAreaFactory, facility=factory.SelfAttribute("..facility"))
    inspector = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    visited_staff = factory.SubFactory(StaffFactory, facility=factory.SelfAttribute("..facility"))
    visited_at = NINE_AM_LOCAL
    observations = "在家，精神状态良好"
    recorded_by = factory.SubFactory(UserFactory)
