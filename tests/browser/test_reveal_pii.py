"""A facility officer reveals a resident's ID number after typing a purpose, and the audit
administrator (password and TOTP code) finds it in the personal-data access log (issue 6: PI-02)."""

import datetime

import pytest
from totp_step import enter_code, give_authenticator

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident

PASSWORD = "Browser-Reveal-2026"
PURPOSE = "家属会见前核对身份"


@pytest.fixture
def place(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    zone = Zone.objects.create(facility=hohhot, name="教育适应区", zone_type="education")
    room = Room.objects.create(facility=hohhot, zone=zone, number="201", capacity=10)
    resident = Resident(
        facility=hohhot, file_number="HH-2026-001", name="王建国", sex="M", ethnicity="汉族",
        deciding_organ="呼和浩特市公安局新城区分局", decision_number="新公强戒字〔2026〕11号",
        decision_date=datetime.date(2026, 3, 1), term_start=datetime.date(2026, 3, 5),
        term_end=datetime.date(2028, 3, 5), current_zone=zone, current_room=room,
    )  # fmt: skip
    resident.set_id_number(
        identity.make_id_number(county="150102", birth_date=datetime.date(1988, 6, 1), sequence=11, male=True)
    )
    resident.save()
    officer = User.objects.create_user("hohhot_officer", password=PASSWORD, display_name="呼市所民警")
    Membership.objects.create(user=officer, facility=hohhot, role=Role.FACILITY_OFFICER)
    auditor = User.objects.create_user("auditadmin", password=PASSWORD, display_name="审计管理员")
    Membership.objects.create(user=auditor, facility=None, role=Role.AUDIT_ADMIN)
    return {"resident": resident, "auditor": auditor}


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def test_officer_reveals_with_a_purpose_and_the_audit_administrator_sees_it(
    live_server, browser, page, screenshot, place
):
    base = live_server.url
    resident = place["resident"]
    _login(page, base, "hohhot_officer")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/residents/{resident.pk}/")
    shown = page.locator("#reveal-id_number .mono").first
    assert shown.inner_text().strip() == resident.id_number[:6] + "********" + resident.id_number[-4:]

    # Without a purpose the number stays hidden and the error is next to the field.
    page.click("#reveal-id_number button[type=submit]")
    page.wait_for_selector("#id_purpose_id_number-error")
    assert resident.id_number not in page.content()

    page.fill("#id_purpose_id_number", PURPOSE)
    page.click("#reveal-id_number button[type=submit]")
    page.wait_for_selector("[data-revealed]")
    assert page.locator("[data-revealed]").inner_text().strip() == resident.id_number
    screenshot(page, "reveal-id-number-with-purpose")

    # A reload shows the masked number again: the reveal was for this once.
    page.reload()
    assert resident.id_number not in page.content()

    # The audit administrator logs in with password and code and finds the reveal in the access log.
    auditor_page = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN").new_page()
    device = give_authenticator(place["auditor"])
    _login(auditor_page, base, "auditadmin")
    enter_code(auditor_page, device)
    auditor_page.wait_for_url(f"{base}/")
    auditor_page.goto(f"{base}/privacy/access-log/?kind=reveal")
    row = auditor_page.locator("#access-log tbody tr").first
    text = row.inner_text()
    assert "hohhot_officer" in text and PURPOSE in text and f"#{resident.pk}" in text
    assert resident.id_number not in auditor_page.content()  # the log names the record, never the value
    screenshot(auditor_page, "access-log-shows-the-reveal")
    auditor_page.context.close()
