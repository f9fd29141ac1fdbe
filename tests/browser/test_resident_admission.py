"""A facility officer's first morning: log in, see the residents, admit one (first with a typo)."""

import datetime
import re

import pytest
from totp_step import enter_code, give_authenticator

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident

PASSWORD = "Browser-Test-2026"
TODAY = datetime.date.today()


def _resident(facility, zone, room, file_number, name, sequence):
    resident = Resident(
        facility=facility, file_number=file_number, name=name, sex="M", ethnicity="汉族",
        deciding_organ="呼和浩特市公安局新城区分局", decision_number=f"新公强戒字〔2026〕{sequence}号",
        decision_date=datetime.date(2026, 3, 1), term_start=datetime.date(2026, 3, 5),
        term_end=datetime.date(2028, 3, 5), current_zone=zone, current_room=room,
    )  # fmt: skip
    resident.set_id_number(
        identity.make_id_number(county="150102", birth_date=datetime.date(1988, 6, 1), sequence=sequence, male=True)
    )
    resident.save()
    return resident


@pytest.fixture
def region(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city")
    baotou = Facility.objects.create(bureau=bureau, code="BT", name="包头市强制隔离戒毒所", short_name="包头所", level="league_city")
    zones = {}
    for facility in (hohhot, baotou):
        zone = Zone.objects.create(facility=facility, name="教育适应区", zone_type="education")
        room = Room.objects.create(facility=facility, zone=zone, number="201", capacity=10)
        zones[facility.pk] = (zone, room)
    _resident(hohhot, *zones[hohhot.pk], "HH-2026-001", "王建国", 11)
    _resident(hohhot, *zones[hohhot.pk], "HH-2026-002", "巴特尔", 13)
    _resident(baotou, *zones[baotou.pk], "BT-2026-001", "包头某人", 15)
    officer = User.objects.create_user("hohhot_officer", password=PASSWORD, display_name="呼市所民警")
    Membership.objects.create(user=officer, facility=hohhot, role=Role.FACILITY_OFFICER)
    return hohhot


def _login(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "hohhot_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")


def test_officer_sees_own_residents_masked_and_admits_one(live_server, page, screenshot, region):
    base = live_server.url
    _login(page, base)
    assert "退出" in page.content()

    page.goto(f"{base}/residents/")
    table = page.locator("#resident-table")
    assert table.get_by_text("王建国").count() == 1
    assert table.get_by_text("包头某人").count() == 0  # Baotou's resident is not visible
    shown_ids = page.locator("#resident-table td.mono").all_inner_texts()
    assert shown_ids and all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", text.strip()) for text in shown_ids)

    page.get_by_role("link", name=re.compile("收治|Admit")).click()
    valid = identity.make_id_number(county="150105", birth_date=datetime.date(1992, 2, 29), sequence=37, male=True)
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    page.fill("#id_id_number", wrong)
    page.fill("#id_file_number", "HH-2026-003")
    page.fill("#id_name", "张三")
    page.select_option("#id_sex", "M")
    page.fill("#id_deciding_organ", "呼和浩特市公安局赛罕区分局")
    page.fill("#id_decision_number", "赛公强戒字〔2026〕88号")
    page.fill("#id_decision_date", "2026-10-20")
    page.fill("#id_term_start", "2026-10-25")
    page.click("button[type=submit].primary")

    error = page.locator("#id_id_number-error")
    error.wait_for()
    assert re.search(r"[\u4e00-\u9fff]", error.inner_text()), error.inner_text()
    assert "校验" in error.inner_text()
    screenshot(page, "admission-wrong-check-character")
    assert not Resident.objects.filter(file_number="HH-2026-003").exists()

    page.fill("#id_id_number", valid)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/residents/\d+/$"))
    page.goto(f"{base}/residents/")
    assert page.locator("#resident-table").get_by_text("张三").count() == 1
    assert page.locator("#resident-table").get_by_text(valid).count() == 0  # still masked
    screenshot(page, "residents-after-admission")
    assert Resident.objects.get(file_number="HH-2026-003").facility == region


def test_bureau_dashboard_draws_the_chart_from_local_assets(live_server, page, screenshot, region):
    leader = User.objects.create_user("bureau_leader", password=PASSWORD)
    Membership.objects.create(user=leader, facility=None, role=Role.BUREAU_LEADER)
    device = give_authenticator(leader)  # leaders must show a second factor (issue 6)
    outside_requests = []
    page.on("request", lambda r: outside_requests.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "bureau_leader")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    enter_code(page, device)
    page.wait_for_selector("#residents-chart[data-ready=true] svg")
    assert "每个戒毒所" in page.content() or "戒毒" in page.content()
    screenshot(page, "bureau-dashboard")
    assert [u for u in outside_requests if not u.startswith("data:")] == []
