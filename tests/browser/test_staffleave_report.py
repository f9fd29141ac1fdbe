"""A staff member on leave reports from a phone; a department reviewer approves it from the review list."""

import datetime

import pytest
from django.utils import timezone

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Department, Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people.models import Staff
from jiedu.staffleave.models import DailyReport, LeavePeriod

PASSWORD = "Browser-Leave-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def staff_on_leave(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    brigade = Department.objects.create(facility=hohhot, name="一大队")
    officer = User.objects.create_user("leave_officer", password=PASSWORD, display_name="李明")
    Membership.objects.create(user=officer, facility=hohhot, role=Role.FACILITY_OFFICER)
    staff = Staff(
        facility=hohhot, department=brigade, police_number="150301", name="李明", sex="M", user=officer
    )
    staff.set_id_number("150102198001011234")
    staff.save()
    reviewer = User.objects.create_user("leave_reviewer", password=PASSWORD, display_name="王芳")
    Membership.objects.create(user=reviewer, facility=hohhot, role=Role.FACILITY_OFFICER)
    today = timezone.localdate()
    LeavePeriod.objects.create(
        facility=hohhot, staff=staff, starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=4), created_by=reviewer,
    )  # fmt: skip
    return staff


def _login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def test_a_staff_member_reports_on_a_phone_and_the_department_approves(
    live_server, page, screenshot, staff_on_leave
):
    page.set_viewport_size(PHONE)
    _login(page, live_server.url, "leave_officer")
    page.goto(f"{live_server.url}/leave/")
    form_width = page.locator("#leave-report-form").bounding_box()["width"]
    assert form_width <= PHONE["width"]  # no sideways scrolling on the phone
    assert page.locator("#id_temperature_c").bounding_box()["height"] >= 44  # a thumb-sized input
    page.fill("#id_temperature_c", "36.4")
    page.check("input[name=health_code][value=green]")
    page.check("input[name=symptoms][value=none]")
    page.fill("#id_places_visited", "家—大学西路超市，步行")
    page.fill("#id_family_movements", "妻子在家，孩子上网课")
    page.click("button.leave-submit")
    own = page.locator("#leave-own-reports li[data-status=submitted]")
    own.wait_for()
    screenshot(page, "leave-daily-report")

    report = DailyReport.objects.get(staff=staff_on_leave)
    assert report.submitted_by == staff_on_leave.user and report.day == timezone.localdate()

    page.context.clear_cookies()
    _login(page, live_server.url, "leave_reviewer")
    page.goto(f"{live_server.url}/leave/review/")
    page.check(f"#leave-report-{report.pk}")
    page.check("input[name=level][value=department]")
    page.click("#leave-review-submit")
    page.wait_for_url(f"{live_server.url}/leave/review/")
    report.refresh_from_db()
    assert report.status == "department_reviewed"
    assert report.department_reviewed_by.username == "leave_reviewer"
