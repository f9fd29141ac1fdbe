"""A facility officer at the tablet: airs the canteen, disinfects it (first forgetting the agent)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jiedu.accounts.models import User
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation.models import Bureau, Facility, Membership, Zone
from jiedu.organisation.roles import Role

PASSWORD = "Browser-Test-2026"


@pytest.fixture
def canteen(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    dormitory = Zone.objects.create(facility=hohhot, name="教育适应区", zone_type="education")
    since = timezone.localdate() - datetime.timedelta(days=3)
    canteen = KeyArea.objects.create(facility=hohhot, name="食堂", key_since=since)
    clinic = KeyArea.objects.create(facility=hohhot, name="医务室", key_since=since)
    KeyArea.objects.create(facility=hohhot, name="宿舍楼道", zone=dormitory, key_since=since)
    officer = User.objects.create_user("hohhot_officer", password=PASSWORD, display_name="李海军")
    Membership.objects.create(user=officer, facility=hohhot, role=Role.FACILITY_OFFICER)
    EnvironmentRecord.objects.create(
        facility=hohhot, area=clinic, kind="disinfection", agent="75%酒精", concentration="75%",
        performed_at=timezone.now() - datetime.timedelta(minutes=1), performed_by=officer,
    )  # fmt: skip
    return canteen


def _login(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "hohhot_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")


def test_officer_records_a_ventilation_and_a_disinfection_and_sees_the_counts_change(
    live_server, page, screenshot, canteen
):
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/environment/")
    card = page.locator(f"#area-{canteen.pk}")
    ventilations = card.locator("[data-kind=ventilation] .done")
    disinfections = card.locator("[data-kind=disinfection] .done")
    expect(ventilations).to_have_text("0")
    expect(disinfections).to_have_text("0")
    expect(page.locator("#area-grid .area-card")).to_have_count(3)

    page.click(f"#ventilate-{canteen.pk}")
    expect(ventilations).to_have_text("1")
    expect(page.locator("#env-summary [data-kind=ventilation] .tile-value")).to_have_text("1/15")

    # The disinfection form opens with the facility's last agent; emptied, it is refused beside the field.
    page.click(f"#disinfect-{canteen.pk}")
    agent = page.locator(f"#area{canteen.pk}_agent")
    expect(agent).to_have_value("75%酒精")
    agent.fill("")
    page.fill(f"#area{canteen.pk}_concentration", "500 mg/L")
    page.click(f"#disinfect-save-{canteen.pk}")
    expect(page.locator(f"#area{canteen.pk}_agent-error")).to_be_visible()
    expect(disinfections).to_have_text("0")

    page.fill(f"#area{canteen.pk}_agent", "含氯消毒剂")
    page.click(f"#disinfect-save-{canteen.pk}")
    expect(disinfections).to_have_text("1")
    expect(page.locator(f"#area{canteen.pk}_agent-error")).to_have_count(0)
    screenshot(page, "environment-today")

    rows = EnvironmentRecord.objects.filter(area=canteen).order_by("performed_at")
    assert [(r.kind, r.agent, r.concentration) for r in rows] == [
        ("ventilation", "", ""),
        ("disinfection", "含氯消毒剂", "500 mg/L"),
    ]
    assert {r.performed_by.username for r in rows} == {"hohhot_officer"}
