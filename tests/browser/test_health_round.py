"""A medical officer's round: a zone's temperatures in one submit, one fever, isolation accepted."""

import datetime

import pytest

from jiedu.accounts.models import User
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.models import Bureau, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident

PASSWORD = "Browser-Test-2026"


@pytest.fixture
def ward(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    hohhot = Facility.objects.create(
        bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city"
    )
    zone = Zone.objects.create(facility=hohhot, name="教育适应区", zone_type="education")
    room = Room.objects.create(facility=hohhot, zone=zone, number="201", capacity=10)
    fever = Zone.objects.create(facility=hohhot, name="发热隔离区", zone_type="fever_isolation")
    singles = [
        Room.objects.create(facility=hohhot, zone=fever, number=n, capacity=1, is_single_occupancy=True)
        for n in ("701", "702")
    ]
    residents = []
    people = (
        (11, "HH-001", "王建国"),
        (13, "HH-002", "巴特尔"),
        (15, "HH-003", "张海涛"),
    )  # odd: male sequence digits
    for sequence, file_number, name in people:
        resident = Resident(
            facility=hohhot, file_number=file_number, name=name, sex="M", ethnicity="汉族",
            deciding_organ="呼和浩特市公安局", decision_number=f"呼公强戒字〔2026〕{sequence}号",
            decision_date=datetime.date(2026, 3, 1), term_start=datetime.date(2026, 3, 5),
            term_end=datetime.date(2028, 3, 5), current_zone=zone, current_room=room,
            admitted_at=datetime.datetime(2026, 3, 5, 9, tzinfo=datetime.UTC),
        )  # fmt: skip
        resident.set_id_number(
            identity.make_id_number(
                county="150102", birth_date=datetime.date(1988, 6, 1), sequence=sequence, male=True
            )
        )
        resident.save()
        residents.append(resident)
    medic = User.objects.create_user("hohhot_medical", password=PASSWORD, display_name="刘丽娟")
    Membership.objects.create(user=medic, facility=hohhot, role=Role.MEDICAL_STAFF)
    return zone, residents, singles


def test_a_round_with_one_fever_ends_with_the_resident_in_a_fever_isolation_room(
    live_server, page, screenshot, ward
):
    zone, residents, singles = ward
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "hohhot_medical")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/health/round/")
    page.click(f"a.zone-choice[data-zone='{zone.pk}']")
    for resident, value in zip(residents, ("36.5", "38.2", "36.7"), strict=False):
        page.fill(f"#id_t_{resident.pk}", value)
    assert "fever" in page.get_attribute(f"#id_t_{residents[1].pk}", "class")  # coloured while typing
    page.click("#save-round")
    alerts = page.locator("#round-alerts")
    alerts.wait_for()
    assert "巴特尔" in alerts.inner_text() and "38.2" in alerts.inner_text()
    screenshot(page, "round-fever-alert")

    alerts.locator("a").click()
    page.wait_for_url(f"{base}/health/alerts/")
    card = page.locator("article.alert-card[data-status=open]")
    assert card.count() == 1 and card.locator(".proposal").get_attribute("data-room") == str(singles[0].pk)
    card.locator("button.accept-isolation").click()
    page.wait_for_selector("article.alert-card[data-status=isolated] .stay")
    stay_text = page.locator("article.alert-card[data-status=isolated] .stay").inner_text()
    assert "701" in stay_text and "发热隔离区" in stay_text

    feverish = Resident.objects.get(pk=residents[1].pk)
    stay = IsolationStay.objects.get(resident=feverish, ended_at__isnull=True)
    assert feverish.current_room == singles[0] == stay.room and stay.reason == "fever"
    screenshot(page, "round-fever-isolation")
