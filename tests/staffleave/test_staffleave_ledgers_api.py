"""The areas, patrol and return-report API, and the patrol and period spreadsheets."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from factories import PASSWORD, StaffFactory, UserFactory
from factories_staffleave import AreaInspectorFactory, LeavePeriodFactory, PatrolRecordFactory
from jiedu.organisation.roles import Role
from jiedu.staffleave.exports_ledgers import PATROL_HEADERS, PERIOD_HEADERS
from jiedu.staffleave.models import LeaveArea, PatrolRecord, ReturnReport

DAY = datetime.timedelta(days=1)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def sheet_rows(response, headers):
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if row and row[0] == str(headers[0]))
    return rows[header_row], rows[header_row + 1 :]


@pytest.fixture
def clerk(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


def test_a_clerk_creates_an_area(clerk, facility_a):
    response = api_for(clerk).post("/api/v1/leave-areas/", {"facility": facility_a.pk, "name": "东区"}, format="json")
    assert response.status_code == 201, response.json()
    assert LeaveArea.objects.get().name == "东区"


def test_a_blank_area_name_is_a_field_error(clerk, facility_a):
    response = api_for(clerk).post("/api/v1/leave-areas/", {"facility": facility_a.pk, "name": "  "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_an_area_in_another_facility_is_a_400(clerk, facility_b):
    response = api_for(clerk).post("/api/v1/leave-areas/", {"facility": facility_b.pk, "name": "东区"}, format="json")
    assert response.status_code == 400
    assert "facility" in response.json()


def test_a_patrol_is_recorded_under_the_current_inspector(clerk, facility_a):
    inspector = AreaInspectorFactory(facility=facility_a)
    visited = StaffFactory(facility=facility_a)
    payload = {
        "area": inspector.area.pk, "visited_staff": visited.pk, "observations": "在家",
        "visited_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }  # fmt: skip
    response = api_for(clerk).post("/api/v1/patrol-records/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["inspector"] == inspector.staff_id


def test_a_patrol_without_observations_is_a_field_error(clerk, facility_a):
    inspector = AreaInspectorFactory(facility=facility_a)
    payload = {
        "area": inspector.area.pk, "visited_staff": StaffFactory(facility=facility_a).pk, "observations": " ",
        "visited_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }  # fmt: skip
    response = api_for(clerk).post("/api/v1/patrol-records/", payload, format="json")
    assert response.status_code == 400
    assert "observations" in response.json()
    assert not PatrolRecord.objects.exists()


def test_a_patrol_in_another_facilitys_area_is_a_400(clerk, facility_a, facility_b):
    foreign = AreaInspectorFactory(facility=facility_b)
    payload = {
        "area": foreign.area.pk, "visited_staff": StaffFactory(facility=facility_a).pk, "observations": "在家",
        "visited_at": timezone.now().isoformat(),
    }  # fmt: skip
    response = api_for(clerk).post("/api/v1/patrol-records/", payload, format="json")
    assert response.status_code == 400
    assert "area" in response.json()


def _ended_period(facility, clerk, staff=None):
    today = timezone.localdate()
    return LeavePeriodFactory(
        facility=facility, staff=staff or StaffFactory(facility=facility), starts_on=today - 5 * DAY,
        ends_on=today - DAY, created_by=clerk,
    )  # fmt: skip


def test_a_clerk_files_a_return_report(clerk, facility_a):
    period = _ended_period(facility_a, clerk)
    payload = {"period": period.pk, "trajectory_summary": "居家", "health": "良好"}
    response = api_for(clerk).post("/api/v1/return-reports/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["staff"] == period.staff_id


def test_a_return_report_without_health_is_a_field_error(clerk, facility_a):
    period = _ended_period(facility_a, clerk)
    payload = {"period": period.pk, "trajectory_summary": "居家", "health": " "}
    response = api_for(clerk).post("/api/v1/return-reports/", payload, format="json")
    assert response.status_code == 400
    assert "health" in response.json()
    assert not ReturnReport.objects.exists()


def test_a_return_report_for_another_facilitys_period_is_a_400(clerk, member, facility_b):
    period = _ended_period(facility_b, member(Role.FACILITY_OFFICER, facility_b))
    payload = {"period": period.pk, "trajectory_summary": "居家", "health": "良好"}
    response = api_for(clerk).post("/api/v1/return-reports/", payload, format="json")
    assert response.status_code == 400
    assert "period" in response.json()


def _login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_patrol_export_has_every_column(clerk, facility_a):
    inspector = AreaInspectorFactory(facility=facility_a)
    patrol = PatrolRecordFactory(facility=facility_a, area=inspector.area, inspector=inspector.staff)
    header, rows = sheet_rows(_login(clerk).get(reverse("staffleave:export_patrols")), PATROL_HEADERS)
    assert len(header) >= len(PATROL_HEADERS)
    assert [row[0] for row in rows] == [patrol.pk]
    assert patrol.visited_staff.police_number in rows[0]


def test_the_period_export_counts_the_missing_days(clerk, facility_a, facility_b):
    period = _ended_period(facility_a, clerk)
    LeavePeriodFactory(facility=facility_b)  # another facility's period stays out
    header, rows = sheet_rows(_login(clerk).get(reverse("staffleave:export_periods")), PERIOD_HEADERS)
    assert len(header) >= len(PERIOD_HEADERS)
    assert len(rows) == 1
    assert rows[0][0] == period.pk
    assert rows[0][PERIOD_HEADERS.index(PERIOD_HEADERS[8])] == 5  # five days, no report


def test_the_staff_member_files_their_own_return_report(clerk, facility_a):
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    period = _ended_period(facility_a, clerk, staff=staff)
    payload = {"period": period.pk, "trajectory_summary": "居家", "health": "良好"}
    response = api_for(staff.user).post("/api/v1/return-reports/", payload, format="json")
    assert response.status_code == 201, response.json()
