"""The rotation-leave pages as staff and officers meet them: the phone report, missing list, bulk
review, periods, areas, patrols and the Excel ledger."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from factories import PASSWORD, MembershipFactory, StaffFactory, UserFactory
from factories_staffleave import AreaInspectorFactory, PatrolRecordFactory
from jiedu.organisation.roles import Role
from jiedu.staffleave import domain, services
from jiedu.staffleave.exports import HEADERS
from jiedu.staffleave.models import DailyReport, LeavePeriod

DAY = datetime.timedelta(days=1)


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
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


def _report(staff, day):
    return services.submit_daily_report(
        actor=staff.user, staff=staff, day=day, places_visited="家中", temperature_c=Decimal("36.5"),
        health_code="green",
    )  # fmt: skip


def test_the_staff_member_reports_from_the_phone_page(on_leave):
    client = _client(on_leave.user)
    today = timezone.localdate().isoformat()
    data = {"day": today, "temperature_c": "36.4", "health_code": "green", "symptoms": "none",
            "places_visited": "家—超市，步行"}  # fmt: skip
    response = client.post(reverse("staffleave:my_report"), data)
    assert response.status_code == 302
    assert DailyReport.objects.get(staff=on_leave).places_visited == "家—超市，步行"
    assert f'data-status="{domain.SUBMITTED}"' in client.get(reverse("staffleave:my_report")).content.decode()


def test_a_service_error_is_shown_beside_its_field(on_leave):
    data = {"day": timezone.localdate().isoformat(), "temperature_c": "36.4", "health_code": "green",
            "symptoms": "other", "places_visited": "家中"}  # fmt: skip
    response = _client(on_leave.user).post(reverse("staffleave:my_report"), data)
    assert response.status_code == 400
    assert 'id="id_symptoms_detail-error"' in response.content.decode()
    assert not DailyReport.objects.exists()


def test_a_login_without_staff_record_has_no_report_page(clerk):
    assert _client(clerk).get(reverse("staffleave:my_report")).status_code == 403


def test_the_missing_list_shows_who_has_not_reported(on_leave, clerk, facility_a):
    other = StaffFactory(facility=facility_a, user=UserFactory())
    today = timezone.localdate()
    services.create_leave_period(
        actor=clerk, facility=facility_a, staff=other, starts_on=today, ends_on=today
    )
    _report(on_leave, today)
    page = _client(clerk).get(reverse("staffleave:missing"), {"day": today.isoformat()}).content.decode()
    assert f'data-staff-id="{other.pk}"' in page
    assert f'data-staff-id="{on_leave.pk}"' not in page


def test_bulk_review_from_the_review_page(on_leave, clerk):
    today = timezone.localdate()
    reports = [_report(on_leave, today - n * DAY) for n in range(2)]
    client = _client(clerk)
    page = client.get(reverse("staffleave:review")).content.decode()
    assert all(f'id="leave-report-{r.pk}"' in page for r in reports)
    response = client.post(
        reverse("staffleave:review"), {"level": "department", "reports": [r.pk for r in reports]}
    )
    assert response.status_code == 302
    assert set(DailyReport.objects.values_list("status", flat=True)) == {domain.DEPARTMENT_REVIEWED}


def test_a_refused_bulk_review_changes_nothing_and_says_why(on_leave, clerk):
    report = _report(on_leave, timezone.localdate())
    response = _client(clerk).post(
        reverse("staffleave:review"), {"level": "facility", "reports": [report.pk]}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == domain.SUBMITTED


def test_a_clerk_adds_a_leave_period_and_sees_its_missing_days(clerk, facility_a):
    staff = StaffFactory(facility=facility_a)
    today = timezone.localdate()
    data = {"staff": staff.pk, "starts_on": (today - DAY).isoformat(), "ends_on": today.isoformat()}
    client = _client(clerk)
    assert client.post(reverse("staffleave:periods"), data).status_code == 302
    period = LeavePeriod.objects.get(staff=staff)
    assert (
        f'data-period-id="{period.pk}" data-missing="2"'
        in client.get(reverse("staffleave:periods")).content.decode()
    )


def test_an_overlapping_period_is_refused_on_the_page(on_leave, clerk):
    today = timezone.localdate()
    data = {"staff": on_leave.pk, "starts_on": today.isoformat(), "ends_on": today.isoformat()}
    response = _client(clerk).post(reverse("staffleave:periods"), data)
    assert response.status_code == 400
    assert 'id="id_starts_on-error"' in response.content.decode()


def test_the_export_has_every_column(on_leave, clerk):
    _report(on_leave, timezone.localdate())
    response = _client(clerk).get(reverse("staffleave:export"))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header_row = next(i for i, row in enumerate(rows) if row and row[0] == str(HEADERS[0]))
    assert len(rows[header_row]) >= len(HEADERS)
    assert on_leave.police_number in rows[header_row + 1]


def test_areas_and_patrols_pages_list_their_rows(clerk, facility_a):
    inspector = AreaInspectorFactory(facility=facility_a)
    patrol = PatrolRecordFactory(facility=facility_a, area=inspector.area, inspector=inspector.staff)
    client = _client(clerk)
    assert inspector.staff.name in client.get(reverse("staffleave:areas")).content.decode()
    assert f'data-patrol-id="{patrol.pk}"' in client.get(reverse("staffleave:patrols")).content.decode()


def test_another_facilitys_officer_sees_none_of_it(on_leave, facility_b):
    _report(on_leave, timezone.localdate())
    outsider = UserFactory()
    MembershipFactory(user=outsider, facility=facility_b, role=Role.FACILITY_OFFICER)
    client = _client(outsider)
    assert f'data-staff-id="{on_leave.pk}"' not in client.get(reverse("staffleave:missing")).content.decode()
    assert "data-report-id" not in client.get(reverse("staffleave:review")).content.decode()


def test_on_the_last_day_of_leave_the_staff_member_files_the_return_report(facility_a, clerk):
    today = timezone.localdate()
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    services.create_leave_period(
        actor=clerk, facility=facility_a, staff=staff, starts_on=today - 3 * DAY, ends_on=today
    )
    client = _client(staff.user)
    page = client.get(reverse("staffleave:my_report")).content.decode()
    assert 'id="leave-return-form"' in page and 'data-may-return="false"' in page
    data = {"trajectory_summary": "居家", "health": "健康", "tests_summary": "核酸阴性"}
    assert client.post(reverse("staffleave:my_return"), data).status_code == 302
    page = client.get(reverse("staffleave:my_report")).content.decode()
    assert 'id="leave-return-form"' not in page and 'data-may-return="true"' in page


def test_an_incomplete_return_report_is_refused_beside_its_field(facility_a, clerk):
    today = timezone.localdate()
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    services.create_leave_period(
        actor=clerk, facility=facility_a, staff=staff, starts_on=today, ends_on=today
    )
    response = _client(staff.user).post(reverse("staffleave:my_return"), {"trajectory_summary": "居家"})
    assert response.status_code == 400
    assert 'id="id_health-error"' in response.content.decode()


def test_an_officer_assigns_an_inspector_and_records_a_patrol(clerk, facility_a):
    area = services.create_area(actor=clerk, facility=facility_a, name="玉泉区")
    inspector, visited = StaffFactory(facility=facility_a), StaffFactory(facility=facility_a)
    client = _client(clerk)
    data = {"area": area.pk, "staff": inspector.pk, "from_date": timezone.localdate().isoformat()}
    assert client.post(reverse("staffleave:areas"), data).status_code == 302
    visited_at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {"area": area.pk, "visited_staff": visited.pk, "visited_at": visited_at, "observations": "在家"}
    assert client.post(reverse("staffleave:patrols"), data).status_code == 302
    assert area.patrols.get().inspector == inspector


def test_an_officer_adds_an_area_and_a_duplicate_is_refused(clerk, facility_a):
    client = _client(clerk)
    data = {"facility": facility_a.pk, "name": "回民区"}
    assert client.post(reverse("staffleave:areas"), data).status_code == 302
    response = client.post(reverse("staffleave:areas"), data)
    assert response.status_code == 400
    assert 'id="id_name-error"' in response.content.decode()
