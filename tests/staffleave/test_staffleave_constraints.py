"""The database's own guarantees, on SQLite and PostgreSQL alike."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import UserFactory
from factories_staffleave import AreaInspectorFactory, DailyReportFactory, LeavePeriodFactory


def test_an_area_has_one_current_inspector(facility_a):
    current = AreaInspectorFactory(facility=facility_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaInspectorFactory(facility=facility_a, area=current.area)


def test_a_former_inspector_may_stand_beside_the_current_one(facility_a):
    current = AreaInspectorFactory(facility=facility_a)
    former = AreaInspectorFactory(
        facility=facility_a,
        area=current.area,
        from_date=datetime.date(2026, 10, 1),
        until=datetime.date(2026, 11, 1),
    )
    assert former.pk


def test_a_period_ends_on_or_after_its_start(facility_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        LeavePeriodFactory(
            facility=facility_a, starts_on=datetime.date(2026, 11, 5), ends_on=datetime.date(2026, 11, 4)
        )


def test_one_report_per_staff_and_day(facility_a):
    report = DailyReportFactory(facility=facility_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReportFactory(facility=facility_a, period=report.period)


@pytest.mark.parametrize("temperature", [Decimal("33.9"), Decimal("43.1")])
def test_a_temperature_lies_in_the_range(facility_a, temperature):
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReportFactory(facility=facility_a, temperature_c=temperature)


def test_no_facility_check_before_the_department_review(facility_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReportFactory(
            facility=facility_a, status="facility_checked", facility_checked_by=UserFactory(),
            facility_checked_at=timezone.now(),
        )  # fmt: skip


def test_a_review_level_carries_its_reviewer(facility_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReportFactory(facility=facility_a, status="department_reviewed")


def test_the_reporter_is_not_the_department_reviewer(facility_a):
    reporter = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReportFactory(
            facility=facility_a, submitted_by=reporter, status="department_reviewed",
            department_reviewed_by=reporter, department_reviewed_at=timezone.now(),
        )  # fmt: skip
