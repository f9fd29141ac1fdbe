"""A facility officer opens a finding; while the page is open a leader extends its deadline. The
officer's step (sent by htmx) comes back as a conflict in place of the card, with the saved values
beside what was typed, and nothing is saved; sending it again from there goes through."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jiedu.accounts.models import User
from jiedu.findings import services
from jiedu.findings.models import Finding, FindingEvent
from jiedu.organisation.models import Bureau, Department, Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Staff

PASSWORD = "Browser-Conflict-2026"


def _user(username, role, facility):
    user = User.objects.create_user(username, password=PASSWORD, display_name=username)
    Membership.objects.create(user=user, facility=facility, role=role)
    return user


@pytest.fixture
def finding(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    brigade = Department.objects.create(facility=hohhot, name="二大队")
    chief = Staff(facility=hohhot, department=brigade, police_number="150201", name="王建军", sex="M")
    chief.set_id_number(identity.make_id_number(county="150102", birth_date=datetime.date(1980, 3, 1), sequence=1, male=True))
    chief.save()
    leader = _user("leader_h", Role.FACILITY_LEADER, hohhot)
    _user("officer_h", Role.FACILITY_OFFICER, hohhot)
    today = timezone.localdate()
    return services.record_finding(
        actor=leader, facility=hohhot, origin="self_identified", severity="general", title="消防通道堆放杂物",
        responsible_department=brigade, responsible_staff=chief, found_on=today - datetime.timedelta(days=2),
        deadline=today + datetime.timedelta(days=10),
    )  # fmt: skip


def test_a_step_taken_on_a_page_opened_before_someone_elses_change_shows_the_conflict(live_server, page, finding):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "officer_h")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    page.goto(f"{base}/findings/{finding.pk}/")
    page.fill("#id_start-note", "已清理通道")

    later = timezone.localdate() + datetime.timedelta(days=30)
    services.extend_deadline(actor=User.objects.get(username="leader_h"), finding=finding, new_deadline=later,
                             reason="需协调后勤搬运")  # fmt: skip
    page.click("#step-start button[type=submit]")

    conflict = page.locator("#step-start #conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("td[data-yours]", has_text="已清理通道")).to_be_visible()
    assert Finding.objects.get(pk=finding.pk).status == "open"
    assert not FindingEvent.objects.filter(finding=finding, kind="started").exists()

    page.click("#step-start button[type=submit]")  # the card now carries the current version
    page.wait_for_function("() => !document.querySelector('#step-start')")
    assert Finding.objects.get(pk=finding.pk).status == "rectifying"
