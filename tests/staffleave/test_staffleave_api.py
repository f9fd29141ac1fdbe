"""The rotation-leave API: periods, reports submitted by the staff member, single and bulk review."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from factories import StaffFactory, UserFactory
from jiedu.organisation.roles import Role
from jiedu.staffleave import domain, services
from jiedu.staffleave.models import DailyReport

DAY = datetime.timedelta(days=1)
REPORT = {"places_visited": "家中", "temperature_c": "36.6", "health_code": "green"}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def clerk(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def on_leave(facility_a, clerk):
    today = timezone.localdate()
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    services.create_leave_period(
        actor=clerk, facility=facility_a, staff=staff, starts_on=today - 2 * DAY, ends_on=today + DAY
    )
    return staff


def test_a_clerk_creates_a_leave_period(clerk, facility_a):
    staff = StaffFactory(facility=facility_a)
    today = timezone.localdate().isoformat()
    payload = {"facility": facility_a.pk, "staff": staff.pk, "starts_on": today, "ends_on": today}
    response = client_for(clerk).post("/api/v1/leave-periods/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["staff"] == staff.pk


def test_a_period_ending_before_it_starts_is_a_400(clerk, facility_a):
    staff = StaffFactory(facility=facility_a)
    payload = {
        "facility": facility_a.pk,
        "staff": staff.pk,
        "starts_on": "2026-11-05",
        "ends_on": "2026-11-04",
    }
    response = client_for(clerk).post("/api/v1/leave-periods/", payload, format="json")
    assert response.status_code == 400
    assert "ends_on" in str(response.json())


def test_the_staff_member_submits_their_own_report(on_leave):
    payload = {**REPORT, "day": timezone.localdate().isoformat()}
    response = client_for(on_leave.user).post("/api/v1/daily-reports/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["staff"] == on_leave.pk


def test_a_temperature_out_of_range_is_a_400(on_leave):
    payload = {**REPORT, "temperature_c": "45.0", "day": timezone.localdate().isoformat()}
    response = client_for(on_leave.user).post("/api/v1/daily-reports/", payload, format="json")
    assert response.status_code == 400
    assert not DailyReport.objects.exists()


def test_review_action_moves_the_report_one_level(on_leave, clerk):
    report = services.submit_daily_report(
        actor=on_leave.user, staff=on_leave, day=timezone.localdate(), places_visited="家中",
        temperature_c=Decimal("36.5"), health_code="green",
    )  # fmt: skip
    client = client_for(clerk)
    response = client.post(f"/api/v1/daily-reports/{report.pk}/review/", {"review_level": "facility"}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/daily-reports/{report.pk}/review/", {"review_level": "department"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == domain.DEPARTMENT_REVIEWED


def test_bulk_review_is_all_or_nothing(on_leave, clerk):
    today = timezone.localdate()
    reports = [
        services.submit_daily_report(
            actor=on_leave.user,
            staff=on_leave,
            day=today - n * DAY,
            places_visited="家中",
            temperature_c=Decimal("36.5"),
            health_code="green",
        )
        for n in range(2)
    ]
    client = client_for(clerk)
    url = "/api/v1/daily-reports/bulk-review/"
    response = client.post(url, {"review_level": "department", "reports": [r.pk for r in reports]}, format="json")
    assert response.status_code == 200
    assert [row["status"] for row in response.json()] == [domain.DEPARTMENT_REVIEWED] * 2
    # A third report, still only self-checked, makes a facility check of all three fail as a whole.
    third = services.submit_daily_report(
        actor=on_leave.user, staff=on_leave, day=today - 2 * DAY, places_visited="家中", temperature_c=Decimal("36.5"),
        health_code="green",
    )  # fmt: skip
    ids = [r.pk for r in reports] + [third.pk]
    response = client.post(url, {"review_level": "facility", "reports": ids}, format="json")
    assert response.status_code == 400
    assert not DailyReport.objects.filter(status=domain.FACILITY_CHECKED).exists()


def test_bulk_review_of_another_facilitys_report_is_a_400(on_leave, member, facility_b):
    report = services.submit_daily_report(
        actor=on_leave.user, staff=on_leave, day=timezone.localdate(), places_visited="家中",
        temperature_c=Decimal("36.5"), health_code="green",
    )  # fmt: skip
    outsider = member(Role.FACILITY_OFFICER, facility_b)
    response = client_for(outsider).post(
        "/api/v1/daily-reports/bulk-review/", {"review_level": "department", "reports": [report.pk]}, format="json"
    )
    assert response.status_code == 400
