"""A gate officer at the tablet: a visitor arrives at 37.6 °C and is turned away, in place."""

import datetime

import pytest
from django.utils import translation

from jiedu.accounts.models import User
from jiedu.gatelog.models import GateEvent, RefusalReason
from jiedu.organisation.models import Bureau, Facility, Membership
from jiedu.organisation.roles import Role

PASSWORD = "Browser-Gate-2026"


@pytest.fixture
def hohhot_gate(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    officer = User.objects.create_user("hohhot_gate", password=PASSWORD, display_name="赵鹏")
    Membership.objects.create(user=officer, facility=hohhot, role=Role.GATE_OFFICER)
    return hohhot


def _login(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "hohhot_gate")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/gate/")  # gate officers land on the gate page


@pytest.mark.parametrize(
    ("width", "height", "name"), [(1024, 768, "gate-refusal"), (768, 1024, "gate-refusal-portrait")]
)
def test_gate_officer_sees_a_feverish_visitor_refused(
    live_server, page, screenshot, hohhot_gate, width, height, name
):
    page.set_viewport_size({"width": width, "height": height})
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/gate/")

    page.click("label[for=id_event_kind_0]")  # entry
    page.click("label[for=id_subject_kind_1]")  # visitor
    page.fill("#id_subject_name", "陈志远")
    page.fill("#id_organisation", "内蒙古蒙正律师事务所")
    assert not page.is_visible("#id_vehicle_plate")  # only for vehicles
    page.fill("#id_approver", "王建国")
    page.fill("#id_approval_purpose", "律师会见")
    valid_until = datetime.datetime.now() + datetime.timedelta(days=1)
    page.fill("#id_approval_valid_until", valid_until.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_temperature_c", "37.6")
    page.click("label[for=id_disinfected]")
    page.click("label[for=id_security_checked]")
    url_before = page.url
    page.click("button.gate-submit")

    result = page.locator("#gate-result[data-outcome=refused]")
    result.wait_for()
    assert page.url == url_before  # swapped in place, no reload
    fever = result.locator("li[data-reason=fever]")
    assert fever.count() == 1 and "37.6" in fever.inner_text()
    with translation.override("zh-hans"):  # 发热 once the lead has translated the label
        assert str(RefusalReason.FEVER.label) in fever.inner_text()
    assert page.locator("#gate-recent li[data-outcome=refused]").count() == 1
    assert page.input_value("#id_subject_name") == ""  # ready for the next person
    screenshot(page, name)

    event = GateEvent.objects.get()
    assert event.outcome == "refused" and event.refusal_reasons == ["fever"] and event.facility == hohhot_gate
