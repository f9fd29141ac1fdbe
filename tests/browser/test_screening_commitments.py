"""A clerk enters a pile of signed 十一个严禁 letters by ticking names; coverage reaches 100 %."""

import datetime

import pytest

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Department, Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Staff
from jiedu.screening.models import Commitment, ScreeningRound

PASSWORD = "Browser-Screening-2026"


@pytest.fixture
def campaign(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    brigade = Department.objects.create(facility=hohhot, name="一大队")
    for n, name in enumerate(["王建军", "李志刚", "赵丽娜"], start=1):
        staff = Staff(facility=hohhot, department=brigade, police_number=f"15010{n}", name=name, sex="M")
        staff.set_id_number(
            identity.make_id_number(county="150102", birth_date=datetime.date(1985, 1, n), sequence=n, male=True)
        )
        staff.save()
    clerk = User.objects.create_user("hohhot_clerk", password=PASSWORD, display_name="孙敏")
    Membership.objects.create(user=clerk, facility=hohhot, role=Role.FACILITY_OFFICER)
    screening_round = ScreeningRound.objects.create(
        facility=hohhot, name="“十一个严禁”承诺书签订", kind="commitment", starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 11, 15), created_by=clerk,
    )  # fmt: skip
    screening_round.facilities.set([hohhot])
    return screening_round


def test_a_clerk_records_signed_letters_in_one_go(live_server, page, screenshot, campaign):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "hohhot_clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/screening/{campaign.pk}/")
    assert page.locator(".missing-list li[data-staff-id]").count() == 3

    page.click("#tick-all")
    assert page.locator("#bulk-commitments input[type=checkbox]:checked").count() == 3
    page.fill("#id_signed_on", "2026-11-03")
    page.fill("#id_paper_filed_at", "政治处档案室")
    screenshot(page, "screening-commitments-entry")
    page.click("#bulk-commitments button[type=submit]")
    page.wait_for_load_state()

    assert Commitment.objects.filter(round=campaign).count() == 3
    bar = page.locator('.coverage-bar[data-kind="commitments"]')
    assert bar.get_attribute("data-done") == "3" and bar.get_attribute("data-in-scope") == "3"
    assert page.locator(".missing-list li.complete").count() == 1
    screenshot(page, "screening-commitments")
