"""An officer puts a relative planning to return into the overseas ledger: choosing the category
swaps in its fields, a missing fact is shown beside its field, the ledger counts the person."""

import datetime

import pytest
from django.utils import timezone

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Department, Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Staff

PASSWORD = "Browser-Test-2026"


@pytest.fixture
def baotou(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    facility = Facility.objects.create(
        bureau=bureau, code="BT", name="包头市强制隔离戒毒所", short_name="包头所", level="league_city"
    )
    brigade = Department.objects.create(facility=facility, name="一大队")
    staff = Staff(facility=facility, department=brigade, police_number="150213", name="高志强", sex="M")
    staff.set_id_number(identity.make_id_number(county="150203", birth_date=datetime.date(1980, 5, 2), sequence=7, male=True))
    staff.set_phone("13904721234")
    staff.save()
    officer = User.objects.create_user("baotou_officer", password=PASSWORD, display_name="赵丽")
    Membership.objects.create(user=officer, facility=facility, role=Role.FACILITY_OFFICER)
    return staff


def test_a_relative_planning_to_return_is_entered_with_the_planning_fields(live_server, page, screenshot, baotou):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "baotou_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/overseas/new/")
    page.select_option("#id_staff", str(baotou.pk))
    page.select_option("#id_relation", "child")
    page.fill("#id_person_name", "高雅")
    page.fill("#id_id_number", "E98765432")
    assert page.locator("#status-fields[data-category=abroad]").is_visible()
    page.click("label[for=id_category_1]")  # 计划回国
    page.wait_for_selector("#status-fields[data-category=planning]")
    assert page.locator("#id_residence_abroad").count() == 0
    today = timezone.localdate()
    page.fill("#id_planned_return_date", (today + datetime.timedelta(days=12)).isoformat())
    page.fill("#id_planned_route", "KE853 首尔—北京，高铁至包头")
    page.fill("#id_reported_on", today.isoformat())
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#id_testing_quarantine_arrangements-error")
    assert page.locator("#status-fields[data-category=planning]").is_visible()
    screenshot(page, "overseas-entry-missing-field")

    page.fill("#id_testing_quarantine_arrangements", "入境集中隔离14天，回包后居家监测7天，两次核酸")
    page.click("#entry-form button[type=submit]")
    page.wait_for_selector("#current-category[data-category=planning]")
    assert page.locator("#entry-id-number").inner_text() == "*********"  # masked, never plain
    screenshot(page, "overseas-entry-detail")

    page.goto(f"{base}/overseas/")
    assert page.locator("#category-counts [data-category=planning] .count").inner_text() == "1"
    screenshot(page, "overseas-ledger")
