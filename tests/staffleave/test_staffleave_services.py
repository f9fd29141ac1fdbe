"""Rotation leave through the services: periods, self reports, three review levels, bulk review,
return reports, permissions and audit."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from factories import StaffFactory, UserFactory
from factories_staffleave import DailyReportFactory, LeavePeriodFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role
from jiedu.staffleave import domain, selectors, services
from jiedu.staffleave.models import DailyReport, LeavePeriod

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def clerk(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def reviewer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def on_leave(facility_a, clerk, today):
    """A staff member with a login, on leave from three days ago until three days ahead."""
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    services.create_leave_period(
        actor=clerk, facility=facility_a, staff=staff, starts_on=today - 3 * DAY, ends_on=today + 3 * DAY
    )
    return staff


def report_values(**overrides):
    values = {"places_visited": "家中，未外出", "temperature_c": Decimal("36.5"), "health_code": "green"}
    values.update(overrides)
    return values


def test_a_clerk_creates_a_leave_period_and_it_is_audited(facility_a, clerk, today):
    staff = StaffFactory(facility=facility_a)
    period = services.create_leave_period(
        actor=clerk, facility=facility_a, staff=staff, starts_on=today, ends_on=today + 7 * DAY
    )
    event = AuditEvent.objects.get(action="leave.period_created")
    assert event.target_id == str(period.pk)
    assert "staff" in event.changed_fields


def test_overlapping_leave_periods_are_refused(on_leave, facility_a, clerk, today):
    with pytest.raises(DomainError) as error:
        services.create_leave_period(
            actor=clerk,
            facility=facility_a,
            staff=on_leave,
            starts_on=today + 3 * DAY,
            ends_on=today + 9 * DAY,
        )
    assert error.value.field == "starts_on"


def test_a_period_ending_before_it_starts_is_refused(facility_a, clerk, today):
    with pytest.raises(DomainError) as error:
        services.create_leave_period(
            actor=clerk, facility=facility_a, staff=StaffFactory(facility=facility_a), starts_on=today,
            ends_on=today - DAY,
        )  # fmt: skip
    assert error.value.field == "ends_on"


def test_another_facilitys_officer_may_not_create_a_period(facility_a, facility_b, member, today):
    outsider = member(Role.FACILITY_OFFICER, facility_b)
    with pytest.raises(AccessDenied):
        services.create_leave_period(
            actor=outsider, facility=facility_a, staff=StaffFactory(facility=facility_a), starts_on=today,
            ends_on=today,
        )  # fmt: skip


def test_the_staff_member_reports_for_themself_without_any_role(on_leave, today):
    report = services.submit_daily_report(actor=on_leave.user, staff=on_leave, day=today, **report_values())
    assert report.status == domain.SUBMITTED
    assert report.submitted_by == on_leave.user
    assert AuditEvent.objects.filter(action="leave.report_submitted", target_id=str(report.pk)).exists()


def test_a_stranger_may_not_report_for_a_staff_member(on_leave, today):
    with pytest.raises(AccessDenied):
        services.submit_daily_report(actor=UserFactory(), staff=on_leave, day=today, **report_values())


def test_a_clerk_reports_for_a_staff_member(on_leave, clerk, today):
    report = services.submit_daily_report(actor=clerk, staff=on_leave, day=today - DAY, **report_values())
    assert report.submitted_by == clerk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"temperature_c": Decimal("44.0")}, "temperature_c"),
        ({"places_visited": "  "}, "places_visited"),
        ({"symptoms": "other"}, "symptoms_detail"),
        ({"risk_contact": True}, "risk_contact_detail"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(on_leave, today, overrides, field):
    with pytest.raises(DomainError) as error:
        services.submit_daily_report(
            actor=on_leave.user, staff=on_leave, day=today, **report_values(**overrides)
        )
    assert error.value.field == field
    assert not DailyReport.objects.exists()


def test_one_report_per_day(on_leave, today):
    services.submit_daily_report(actor=on_leave.user, staff=on_leave, day=today, **report_values())
    with pytest.raises(DomainError) as error:
        services.submit_daily_report(actor=on_leave.user, staff=on_leave, day=today, **report_values())
    assert error.value.field == "day"


@pytest.mark.parametrize("offset", [-4, 1])
def test_a_report_is_for_a_begun_day_of_leave(on_leave, today, offset):
    with pytest.raises(DomainError) as error:
        services.submit_daily_report(
            actor=on_leave.user, staff=on_leave, day=today + offset * DAY, **report_values()
        )
    assert error.value.field == "day"


def test_three_levels_in_order_with_reviewer_and_time(on_leave, reviewer, member, facility_a, today):
    report = services.submit_daily_report(actor=on_leave.user, staff=on_leave, day=today, **report_values())
    with pytest.raises(DomainError):
        services.review_report(actor=reviewer, report=report, level=domain.FACILITY)
    report = services.review_report(actor=reviewer, report=report, level=domain.DEPARTMENT)
    assert (report.status, report.department_reviewed_by) == (domain.DEPARTMENT_REVIEWED, reviewer)
    checker = member(Role.FACILITY_OFFICER, facility_a)
    report = services.review_report(actor=checker, report=report, level=domain.FACILITY)
    assert (report.status, report.facility_checked_by) == (domain.FACILITY_CHECKED, checker)
    assert report.facility_checked_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"leave.report_reviewed_department", "leave.report_checked_facility"} <= actions


def test_the_reporter_does_not_review_their_own_report(on_leave, clerk, today):
    report = services.submit_daily_report(actor=clerk, staff=on_leave, day=today, **report_values())
    with pytest.raises(DomainError):
        services.review_report(actor=clerk, report=report, level=domain.DEPARTMENT)


def test_the_staff_member_does_not_review_a_report_about_themself(on_leave, clerk, member, facility_a, today):
    report = services.submit_daily_report(actor=clerk, staff=on_leave, day=today, **report_values())
    Membership.objects.create(user=on_leave.user, facility=facility_a, role=Role.FACILITY_OFFICER)
    with pytest.raises(DomainError):
        services.review_report(actor=on_leave.user, report=report, level=domain.DEPARTMENT)


def test_bulk_review_is_all_or_nothing(on_leave, reviewer, today):
    first = services.submit_daily_report(
        actor=on_leave.user, staff=on_leave, day=today - DAY, **report_values()
    )
    second = services.submit_daily_report(actor=on_leave.user, staff=on_leave, day=today, **report_values())
    services.review_report(actor=reviewer, report=second, level=domain.DEPARTMENT)
    with pytest.raises(DomainError):
        services.review_reports(actor=reviewer, reports=[first, second], level=domain.DEPARTMENT)
    first.refresh_from_db()
    assert first.status == domain.SUBMITTED
    assert not AuditEvent.objects.filter(
        action="leave.report_reviewed_department", target_id=str(first.pk)
    ).exists()


def test_bulk_review_reviews_every_report(on_leave, reviewer, today):
    reports = [
        services.submit_daily_report(
            actor=on_leave.user, staff=on_leave, day=today - n * DAY, **report_values()
        )
        for n in range(3)
    ]
    done = services.review_reports(actor=reviewer, reports=reports, level=domain.DEPARTMENT)
    assert {r.status for r in done} == {domain.DEPARTMENT_REVIEWED}


def test_missing_reports_list_who_has_not_reported(on_leave, facility_a, clerk, today):
    other = StaffFactory(facility=facility_a)
    services.create_leave_period(
        actor=clerk, facility=facility_a, staff=other, starts_on=today, ends_on=today
    )
    services.submit_daily_report(actor=on_leave.user, staff=on_leave, day=today, **report_values())
    missing = selectors.missing_reports(clerk, day=today)
    assert [row.period.staff for row in missing] == [other]


def test_return_report_gates_the_return_to_duty(on_leave, facility_a, today):
    period = LeavePeriod.objects.get(staff=on_leave)
    assert not selectors.can_return_to_duty(on_leave)
    services.submit_return_report(
        actor=on_leave.user, period=period, trajectory_summary="居家", health="健康", tests_summary="阴性"
    )
    assert selectors.can_return_to_duty(on_leave)
    assert AuditEvent.objects.filter(action="leave.return_reported").exists()
    with pytest.raises(DomainError):
        services.submit_return_report(
            actor=on_leave.user, period=period, trajectory_summary="居家", health="健康"
        )


def test_never_on_leave_may_return_to_duty(facility_a):
    assert selectors.can_return_to_duty(StaffFactory(facility=facility_a))


def test_factories_build_consistent_rows(facility_a):
    report = DailyReportFactory(facility=facility_a)
    assert report.staff.facility == report.period.facility == facility_a
    assert (
        LeavePeriodFactory(facility=facility_a).ends_on >= LeavePeriodFactory(facility=facility_a).starts_on
    )
