"""A medical officer at the standby roster: one person is cleared and goes on duty, one still lacks the second test."""

import datetime

import pytest
from django.utils import timezone

from factories import StaffFactory
from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Facility, Membership, Zone
from jiedu.organisation.roles import Role
from jiedu.standby.models import NucleicAcidTest, StandbyMember, StandbyShift

PASSWORD = "Browser-Standby-2026"


@pytest.fixture
def hulunbuir_roster(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    facility = Facility.objects.create(
        bureau=bureau, code="HLBE", name="呼伦贝尔市强制隔离戒毒所", short_name="呼伦贝尔所", level="league_city"
    )
    medic = User.objects.create_user("hlbe_medic", password=PASSWORD, display_name="乌云")
    Membership.objects.create(user=medic, facility=facility, role=Role.MEDICAL_STAFF)
    zone = Zone.objects.create(facility=facility, name="隔离备勤区", zone_type="standby_isolation")
    shift = StandbyShift.objects.create(
        facility=facility, zone=zone, starts_on=timezone.localdate() - datetime.timedelta(days=21),
        standby_days=21, required_negative_tests=2, created_by=medic,
    )  # fmt: skip
    members = []
    for name in ("巴特尔", "李红梅"):
        staff = StaffFactory(facility=facility, name=name)
        members.append(StandbyMember.objects.create(facility=facility, shift=shift, staff=staff))
        NucleicAcidTest.objects.create(
            facility=facility, staff=staff, sample_taken_at=shift.standby_start - datetime.timedelta(hours=20),
            result="negative", laboratory="呼伦贝尔市疾控中心", recorded_by=medic,
        )  # fmt: skip
    NucleicAcidTest.objects.create(
        facility=facility, staff=members[0].staff, sample_taken_at=timezone.now() - datetime.timedelta(hours=3),
        result="negative", laboratory="呼伦贝尔市疾控中心", recorded_by=medic,
    )  # fmt: skip
    return shift, members


def test_the_cleared_member_starts_duty_and_the_other_is_held(live_server, page, screenshot, hulunbuir_roster):
    shift, (cleared, waiting) = hulunbuir_roster
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hlbe_medic")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/standby/{shift.pk}/")

    held = page.locator(f"[data-member-id='{waiting.pk}']")
    assert held.get_attribute("data-cleared") == "no"
    assert held.locator("[data-reason=no_test_before_duty]").count() == 1
    assert held.locator("button.start-duty").is_disabled()
    assert page.locator("[data-standby-days]").first.inner_text() == "21"

    page.locator(f"[data-member-id='{cleared.pk}'] button.start-duty").click()
    page.wait_for_selector(f"[data-member-id='{cleared.pk}'] .badge.on-duty")
    screenshot(page, "standby-roster")

    # The second test arrives: the held member is cleared at once.
    page.select_option("#id_test-staff", str(waiting.staff_id))
    page.fill("#id_test-sample_taken_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.click("label[for=id_test-result_0]")  # negative
    page.fill("#id_test-laboratory", "呼伦贝尔市疾控中心")
    page.click("#test-form button[type=submit]")
    page.wait_for_selector(f"[data-member-id='{waiting.pk}'][data-cleared=yes]")
    assert not page.locator(f"[data-member-id='{waiting.pk}'] button.start-duty").is_disabled()
    cleared.refresh_from_db()
    assert cleared.duty_started_at is not None
