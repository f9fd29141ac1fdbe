"""The rectification loop end to end: a supervisor records a finding during an inspection, the
facility submits rectification evidence, an independent bureau verifier verifies and closes it,
and the rectification rate on the bureau's panel moves from 0 % to 100 %."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from totp_step import enter_code, give_authenticator

from jiedu.accounts.models import User
from jiedu.findings.models import Finding
from jiedu.organisation.models import Bureau, Department, Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Staff
from jiedu.standards.models import Area, CatalogueVersion, Standard
from jiedu.supervision.models import Campaign, Inspection, Team

PASSWORD = "Browser-Findings-2026"


def _user(username, display_name, role, facility=None):
    user = User.objects.create_user(username, password=PASSWORD, display_name=display_name)
    Membership.objects.create(user=user, facility=facility, role=role)
    return user


@pytest.fixture
def inspection(transactional_db):
    today = timezone.localdate()
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    brigade = Department.objects.create(facility=hohhot, name="二大队")
    chief = Staff(facility=hohhot, department=brigade, police_number="150201", name="王建军", sex="M")
    chief.set_id_number(identity.make_id_number(county="150102", birth_date=datetime.date(1980, 3, 1), sequence=1, male=True))
    chief.save()
    supervisor = _user("supervisor_b", "乌日娜", Role.BUREAU_SUPERVISOR)
    leader = _user("leader_b", "张志刚", Role.BUREAU_LEADER)
    give_authenticator(leader)  # leaders log in with a second factor
    _user("officer_b", "李海军", Role.FACILITY_OFFICER, hohhot)
    catalogue = CatalogueVersion.objects.create(
        name="戒毒场所规范化建设标准", version="2022版", status="published", effective_from=datetime.date(2022, 1, 1),
        published_at=timezone.now(), published_by=supervisor, created_by=supervisor,
    )  # fmt: skip
    area = Area.objects.create(catalogue=catalogue, code="06", name="生活卫生", position=6)
    Standard.objects.create(
        catalogue=catalogue, area=area, code="06-03", title="戒毒人员宿舍内务规范", requirement="宿舍整洁，物品定位摆放",
        check_method="现场检查宿舍", max_points=Decimal("10"), scoring_rule="一处不规范扣1分", position=3,
    )  # fmt: skip
    campaign = Campaign.objects.create(
        name="规范化管理制度落实年专项督导", kind="standardisation", catalogue=catalogue,
        starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=60), created_by=supervisor,
    )  # fmt: skip
    campaign.facilities.set([hohhot])
    team = Team.objects.create(campaign=campaign, name="第一现场督导组", kind="on_site", leader=leader)
    team.members.set([supervisor])
    return Inspection.objects.create(
        facility=hohhot, campaign=campaign, team=team, starts_on=today - datetime.timedelta(days=2), ends_on=today,
        by_site_check=True, by_ledger_review=True, status="in_progress", created_by=supervisor,
    )  # fmt: skip


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    device = User.objects.get(username=username).totpdevice_set.first()
    if device is not None:
        enter_code(page, device)
        page.wait_for_load_state()


def _panel_rate(page, base) -> str:
    page.goto(f"{base}/standards/panel/")
    return page.locator('[data-figure="rate"]').inner_text().strip()


def _photo(tmp_path):
    path = tmp_path / "整改后宿舍.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 160, 90)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_finding_is_recorded_rectified_verified_and_the_rate_moves(live_server, page, screenshot, inspection, tmp_path):
    base = live_server.url

    # 1. The supervisor records a finding from the inspection page.
    _login(page, base, "supervisor_b")
    assert _panel_rate(page, base) == "—"
    page.goto(f"{base}/supervision/inspections/{inspection.pk}/")
    page.click(f'a[href*="inspection={inspection.pk}"]')
    page.wait_for_load_state()
    page.select_option("#id_method", "site_check")
    page.select_option("#id_standard", label="06-03 戒毒人员宿舍内务规范")
    page.fill("#id_title", "二大队宿舍内务不规范")
    page.fill("#id_description", "3号宿舍被褥未按要求叠放，私人物品未定位摆放")
    page.select_option("#id_responsible_department", label="二大队")
    page.select_option("#id_responsible_staff", label="王建军（二大队）")
    screenshot(page, "findings-record-during-inspection")
    page.click("#finding-form button[type=submit]")
    page.wait_for_load_state()
    finding = Finding.objects.get(title="二大队宿舍内务不规范")
    assert finding.inspection_id == inspection.pk and finding.status == "open"
    assert _panel_rate(page, base) == "0.0%"
    assert page.locator('[data-figure="found"]').inner_text().strip() == "1"

    # 2. A facility officer submits the rectification with a photo.
    _login(page, base, "officer_b")
    page.goto(f"{base}/findings/{finding.pk}/")
    page.fill("#id_submit-note", "已组织宿舍内务整顿，被褥统一叠放，物品定位摆放")
    page.set_input_files("#id_submit-files", str(_photo(tmp_path)))
    page.click("#step-submit button[type=submit]")
    page.wait_for_function("() => !document.querySelector('#step-submit')")
    screenshot(page, "findings-rectification-submitted")
    finding.refresh_from_db()
    assert finding.status == "submitted" and finding.evidence.count() == 0  # the evidence belongs to the step
    assert finding.events.get(kind="submitted").evidence.count() == 1

    # 3. A bureau leader, neither responsible nor the submitter, verifies and closes it.
    _login(page, base, "leader_b")
    page.goto(f"{base}/findings/{finding.pk}/")
    page.click("#step-verify button[type=submit]")
    page.wait_for_selector("#step-close")
    page.click("#step-close button[type=submit]")
    page.wait_for_function("() => !document.querySelector('#step-close')")
    screenshot(page, "findings-verified-and-closed")
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.verified_by.username == "leader_b"

    # 4. The bureau panel now shows the finding rectified.
    assert _panel_rate(page, base) == "100.0%"
    assert page.locator('[data-figure="rectified"]').inner_text().strip() == "1"
    page.wait_for_selector('#standards-chart[data-ready="true"]')
    screenshot(page, "findings-bureau-panel-after-closure")
