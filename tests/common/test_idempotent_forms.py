"""The tablet and phone pages: sending the same filled form twice (a double tap, a resend on a poor
link) records it once and answers like the first time; the key comes fresh with every rendered form."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factories import ResidentFactory, RoomFactory, StaffFactory, UserFactory, ZoneFactory
from jiedu.common.models import IdempotencyKey
from jiedu.gatelog.models import GateEvent
from jiedu.health.models import TemperatureReading
from jiedu.organisation.roles import Role
from jiedu.staffleave import services as staffleave_services
from jiedu.staffleave.models import DailyReport

HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def key_in(page: str) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


def lawyer_at_the_gate(facility, submission_key: str) -> dict:
    valid_until = timezone.localtime() + datetime.timedelta(hours=4)
    return {
        "facility": facility.pk, "event_kind": "entry", "subject_kind": "visitor", "subject_name": "陈律师",
        "organisation": "蒙正律师事务所", "approver": "王所长", "approval_purpose": "律师会见",
        "approval_valid_until": valid_until.strftime("%Y-%m-%dT%H:%M"), "temperature_c": "36.6",
        "disinfected": "on", "security_checked": "on", "submission_key": submission_key,
    }  # fmt: skip


@pytest.fixture
def ward(facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="education")
    room = RoomFactory(zone=zone, capacity=8)
    return zone, [ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(3)]


def test_a_round_sent_twice_from_the_tablet_is_recorded_once(member, facility_a, ward):
    zone, residents = ward
    medic = logged_in(member(Role.MEDICAL_STAFF, facility_a))
    url = f"/health/round/?zone={zone.pk}"
    key = key_in(medic.get(url).content.decode())
    data = {"zone": zone.pk, "submission_key": key, **{f"t_{r.pk}": "36.5" for r in residents}}
    first = medic.post(url, data, **HTMX)
    again = medic.post(url, data, **HTMX)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again["Idempotency-Replayed"] == "true"
    assert TemperatureReading.objects.count() == 3


def test_each_rendering_of_a_form_carries_a_new_key(member, facility_a, ward):
    zone, _ = ward
    medic = logged_in(member(Role.MEDICAL_STAFF, facility_a))
    url = f"/health/round/?zone={zone.pk}"
    assert key_in(medic.get(url).content.decode()) != key_in(medic.get(url).content.decode())


def test_a_refused_round_keeps_no_key_and_the_corrected_one_is_saved(member, facility_a, ward):
    zone, residents = ward
    medic = logged_in(member(Role.MEDICAL_STAFF, facility_a))
    url = f"/health/round/?zone={zone.pk}"
    data = {"zone": zone.pk, "submission_key": "k-1", **{f"t_{r.pk}": "" for r in residents}}
    assert medic.post(url, data).status_code == 400
    data.update({f"t_{r.pk}": "36.6" for r in residents})
    assert medic.post(url, data).status_code == 302
    assert TemperatureReading.objects.count() == 3 and IdempotencyKey.objects.count() == 1


def test_a_gate_entry_resent_without_javascript_follows_the_same_redirect(member, facility_a):
    gate = logged_in(member(Role.GATE_OFFICER, facility_a))
    data = lawyer_at_the_gate(facility_a, key_in(gate.get("/gate/").content.decode()))
    first = gate.post("/gate/", data)
    again = gate.post("/gate/", data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == f"/gate/?event={GateEvent.objects.get().pk}"


def test_the_same_key_with_other_content_is_refused(member, facility_a):
    gate = logged_in(member(Role.GATE_OFFICER, facility_a))
    data = lawyer_at_the_gate(facility_a, "gate-key")
    gate.post("/gate/", data)
    assert gate.post("/gate/", {**data, "subject_name": "李律师"}).status_code == 422
    assert GateEvent.objects.count() == 1


def test_a_daily_report_sent_twice_from_the_phone_is_one_report(member, facility_a):
    clerk = member(Role.FACILITY_OFFICER, facility_a)
    today = timezone.localdate()
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    staffleave_services.create_leave_period(actor=clerk, facility=facility_a, staff=staff, starts_on=today, ends_on=today)
    phone = logged_in(staff.user)
    page = phone.get(reverse("staffleave:my_report")).content.decode()
    data = {"day": today.isoformat(), "temperature_c": "36.4", "health_code": "green", "symptoms": "none",
            "places_visited": "家中", "submission_key": key_in(page)}  # fmt: skip
    assert phone.post(reverse("staffleave:my_report"), data).status_code == 302
    assert phone.post(reverse("staffleave:my_report"), data).status_code == 302
    assert DailyReport.objects.filter(staff=staff).count() == 1

