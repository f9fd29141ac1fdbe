"""An officer uploads the day's DingTalk export and health-code list, checks them, then saves."""

import io

import openpyxl
import pytest

from jiedu.accounts.models import User
from jiedu.crosscheck.models import CrossCheckRun
from jiedu.organisation.models import Bureau, Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people.models import Staff

PASSWORD = "Browser-Cross-2026"
TABLET = {"width": 1024, "height": 1366}


def _xlsx(tmp_path, name, header, rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def officer(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    for number, name, phone in (("150301", "李明", "13900000001"), ("150302", "王芳", "13900000002")):
        staff = Staff(facility=hohhot, police_number=number, name=name, sex="M")
        staff.set_id_number(f"15010219800101{number[-3:]}X")
        staff.set_phone(phone)
        staff.save()
    user = User.objects.create_user("cross_officer", password=PASSWORD, display_name="赵强")
    Membership.objects.create(user=user, facility=hohhot, role=Role.FACILITY_OFFICER)
    return user


def test_an_officer_checks_both_files_and_saves_the_result(live_server, page, screenshot, officer, tmp_path):
    checkins = _xlsx(tmp_path, "钉钉打卡.xlsx", ["姓名", "工号/警号", "手机号", "打卡时间", "打卡地点"], [
        ["李明", "150301", "", "2026-11-20 08:01", "呼和浩特市赛罕区大学西街"],
        ["王芳", "150302", "", "2026-11-20 08:04", "呼和浩特市新城区"],
    ])  # fmt: skip
    codes = _xlsx(tmp_path, "健康码.xlsx", ["姓名", "手机号", "健康码颜色", "所在地/定位"], [
        ["李明", "13900000001", "绿码", "赛罕区"],
        ["王芳", "13900000002", "黄码", "包头市昆都仑区"],
    ])  # fmt: skip
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cross_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/crosscheck/")
    page.select_option("#id_facility", label="呼和浩特市强制隔离戒毒所")
    page.fill("#id_day", "2026-11-20")
    page.set_input_files("#id_dingtalk", checkins)
    page.set_input_files("#id_healthcode", codes)
    page.click("#crosscheck-upload button[type=submit]")
    page.locator("#crosscheck-report").wait_for()
    assert page.locator("li[data-kind=code_not_green]").get_attribute("data-count") == "1"
    assert page.locator("li[data-kind=location_mismatch]").get_attribute("data-count") == "1"
    assert CrossCheckRun.objects.count() == 0
    screenshot(page, "crosscheck-dry-run")

    page.click("#crosscheck-save button")
    page.locator("#crosscheck-run").wait_for()
    screenshot(page, "crosscheck-run-detail")
    assert CrossCheckRun.objects.get().findings_count == 2
