"""An officer tries to release a resident before the pre-release checklist is complete and is told
what is missing; the occupancy board shows the isolation rooms at a glance."""

import datetime

import pytest
from django.utils import timezone

from jiedu.accounts.models import User
from jiedu.isolation import release_services, services
from jiedu.organisation.models import Bureau, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident

PASSWORD = "Browser-Test-2026"


def _resident(facility, zone, room, number, name, term_end):
    resident = Resident(
        facility=facility, file_number=f"HH-2024-{number:03d}", name=name, sex="M", ethnicity="汉族",
        deciding_organ="呼和浩特市公安局新城区分局", decision_number=f"新公强戒字〔2024〕{number}号",
        decision_date=datetime.date(2024, 12, 1), term_start=datetime.date(2024, 12, 5), term_end=term_end,
        current_zone=zone, current_room=room, admitted_at=timezone.make_aware(datetime.datetime(2024, 12, 5, 9)),
    )  # fmt: skip
    resident.set_id_number(
        identity.make_id_number(
            county="150102", birth_date=datetime.date(1986, 3, number), sequence=number, male=True
        )
    )
    resident.save()
    return resident


@pytest.fixture
def hohhot(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    facility = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    ward = Zone.objects.create(facility=facility, name="回归指导区", zone_type="return_guidance")
    bed = Room.objects.create(facility=facility, zone=ward, number="401", capacity=10)
    rooms = {}
    for zone_name, zone_type, prefix in (
        ("发热隔离区", "fever_isolation", "7"), ("密切接触者隔离区", "contact_isolation", "8"),
        ("解戒前隔离区", "pre_release_isolation", "9"),
    ):  # fmt: skip
        zone = Zone.objects.create(facility=facility, name=zone_name, zone_type=zone_type)
        for n in range(1, 5):
            rooms[f"{prefix}0{n}"] = Room.objects.create(
                facility=facility, zone=zone, number=f"{prefix}0{n}", capacity=1, is_single_occupancy=True
            )
    rooms["704"].is_active, rooms["704"].deactivation_reason = False, "墙体渗水，停用维修"
    rooms["704"].save()
    officer = User.objects.create_user("hohhot_officer", password=PASSWORD, display_name="李海军")
    Membership.objects.create(user=officer, facility=facility, role=Role.FACILITY_OFFICER)
    today = timezone.localdate()
    leaving = _resident(facility, ward, bed, 11, "王建国", today + datetime.timedelta(days=5))
    others = [
        _resident(facility, ward, bed, n, name, datetime.date(2026, 12, 5))
        for n, name in ((12, "巴特尔"), (13, "张伟"))
    ]
    now = timezone.now()
    # Observation began five days ago (nine short), a talk and the police hand-over are recorded.
    services.admit_to_isolation(
        actor=officer, resident=leaving, room=rooms["901"], reason="pre_release",
        started_at=now - datetime.timedelta(days=5), planned_end=leaving.term_end,
    )  # fmt: skip
    release_services.record_item(
        actor=officer,
        resident=leaving,
        item="talk",
        done_on=today,
        performed_by="李海军",
        summary="出所后回家务农",
    )
    release_services.record_handover(
        actor=officer, resident=leaving, receiver="police", name="赵警官", unit="呼和浩特市公安局新城区分局",
        phone="13912345678", handed_over_at=now + datetime.timedelta(days=5),
    )  # fmt: skip
    services.admit_to_isolation(
        actor=officer, resident=others[0], room=rooms["701"], reason="fever", started_at=now - datetime.timedelta(days=1),
        planned_end=today + datetime.timedelta(days=1), note="体温37.8℃",
    )  # fmt: skip
    services.admit_to_isolation(
        actor=officer, resident=others[1], room=rooms["802"], reason="close_contact",
        started_at=now - datetime.timedelta(days=3), planned_end=today + datetime.timedelta(days=11),
    )  # fmt: skip
    return leaving


def _login(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "hohhot_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")


def test_release_with_missing_items_is_refused_with_the_list(live_server, page, screenshot, hohhot):
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/isolation/prerelease/")
    row = page.locator(f'#prerelease-table tr[data-resident="{hohhot.pk}"]')
    assert row.get_attribute("data-ready") == "false"
    assert row.locator('td[data-column="talk"]').get_attribute("data-done") == "true"
    assert row.locator('td[data-column="health_exam"]').get_attribute("data-done") == "false"

    row.get_by_role("link", name="王建国").click()
    page.wait_for_url(f"{base}/isolation/prerelease/{hohhot.pk}/")
    page.click("#release-button")
    missing = page.locator("#release-missing li")
    missing.first.wait_for()
    codes = [missing.nth(i).get_attribute("data-code") for i in range(missing.count())]
    assert codes == [
        "observation_too_short", "health_exam", "education", "commitment",
        "handover_community", "handover_judicial_office", "handover_family",
    ]  # fmt: skip
    assert "5" in missing.first.inner_text() and "14" in missing.first.inner_text()
    page.locator("#release-card").scroll_into_view_if_needed()
    screenshot(page, "prerelease-refused")
    hohhot.refresh_from_db()
    assert hohhot.status == "in_custody"

    # One of the missing items, recorded in two taps and a date: the card turns to done.
    page.click("#item-education summary")
    page.fill("#id_education-done_on", timezone.localdate().isoformat())
    page.click("#item-form-education button[type=submit]")
    page.wait_for_selector('#item-education[data-done="true"]')


def test_the_occupancy_board_shows_each_room_state(live_server, page, screenshot, hohhot):
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/isolation/board/")
    states = {
        tile.locator(".number").inner_text(): tile.get_attribute("data-state")
        for tile in page.locator(".room-tile").all()
    }
    assert states["701"] == "due" and states["802"] == "occupied" and states["901"] == "occupied"
    assert states["702"] == "free" and states["704"] == "deactivated"
    assert page.locator('.room-tile[data-state="due"] .who').inner_text() == "巴特尔"
    screenshot(page, "isolation-board")
