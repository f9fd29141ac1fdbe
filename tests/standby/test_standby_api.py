"""The standby API: shifts take the policy's length, tests are appended, the duty gate answers 400 with reasons."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from factories import StaffFactory, ZoneFactory
from factories_standby import (
    NucleicAcidTestFactory,
    StandbyMemberFactory,
    StandbyPolicyFactory,
    StandbyShiftFactory,
)
from jiedu.organisation.roles import Role
from jiedu.standby import domain
from jiedu.standby.models import NucleicAcidTest

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def medic(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.MEDICAL_STAFF, facility_a))
    return client


def test_creating_a_shift_applies_the_facility_policy(medic, facility_a):
    StandbyPolicyFactory(facility=facility_a, standby_days=21)
    zone = ZoneFactory(facility=facility_a, zone_type="standby_isolation", name="隔离备勤区")
    staff = StaffFactory(facility=facility_a)
    response = medic.post(
        "/api/v1/standby-shifts/",
        {"facility": facility_a.pk, "zone": zone.pk, "starts_on": "2026-11-01", "staff": [staff.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["standby_days"], body["planned_duty_on"]) == (21, "2026-11-22")
    assert [m["staff"] for m in body["members"]] == [staff.pk]
    assert medic.get(f"/api/v1/standby-shifts/{body['id']}/").status_code == 200


def test_a_shift_in_an_ordinary_zone_is_a_400(medic, facility_a):
    zone = ZoneFactory(facility=facility_a)
    payload = {"facility": facility_a.pk, "zone": zone.pk, "starts_on": "2026-11-01"}
    response = medic.post("/api/v1/standby-shifts/", payload, format="json")
    assert response.status_code == 400
    assert "zone" in response.json()


def test_recording_a_test_and_listing_it(medic, facility_a):
    staff = StaffFactory(facility=facility_a)
    payload = {
        "facility": facility_a.pk, "staff": staff.pk, "sample_taken_at": (timezone.now() - HOUR).isoformat(),
        "test_kind": "pcr", "result": "negative", "laboratory": "盟疾控中心",
    }  # fmt: skip
    assert medic.post("/api/v1/nucleic-acid-tests/", payload, format="json").status_code == 201
    listed = medic.get("/api/v1/nucleic-acid-tests/").json()
    assert listed["count"] == 1 and listed["results"][0]["result"] == "negative"


def test_a_malformed_test_is_a_400_and_saves_nothing(medic, facility_a):
    staff = StaffFactory(facility=facility_a)
    payload = {
        "facility": facility_a.pk, "staff": staff.pk, "sample_taken_at": "yesterday", "result": "maybe",
        "laboratory": "",
    }  # fmt: skip
    response = medic.post("/api/v1/nucleic-acid-tests/", payload, format="json")
    assert response.status_code == 400
    assert {"sample_taken_at", "result"} <= set(response.json())
    assert not NucleicAcidTest.objects.exists()


def test_start_duty_answers_400_with_the_reasons_when_not_cleared(medic, facility_a):
    shift = StandbyShiftFactory(facility=facility_a, starts_on=timezone.localdate() - datetime.timedelta(days=14))
    member = StandbyMemberFactory(facility=facility_a, shift=shift)
    NucleicAcidTestFactory(facility=facility_a, staff=member.staff, sample_taken_at=shift.standby_start - HOUR)
    response = medic.post(f"/api/v1/standby-members/{member.pk}/start-duty/")
    assert response.status_code == 400
    assert response.json()["reasons"] == [domain.NO_TEST_BEFORE_DUTY, domain.TOO_FEW_NEGATIVES]
    assert response.json()["non_field_errors"]


def test_start_duty_when_cleared(medic, facility_a):
    shift = StandbyShiftFactory(facility=facility_a, starts_on=timezone.localdate() - datetime.timedelta(days=14))
    member = StandbyMemberFactory(facility=facility_a, shift=shift)
    NucleicAcidTestFactory(facility=facility_a, staff=member.staff, sample_taken_at=shift.standby_start - HOUR)
    NucleicAcidTestFactory(facility=facility_a, staff=member.staff, sample_taken_at=timezone.now() - HOUR)
    response = medic.post(f"/api/v1/standby-members/{member.pk}/start-duty/")
    assert response.status_code == 200
    assert response.json()["duty_started_at"] and response.json()["cleared"]


def test_adding_a_member_and_refusing_an_overlapping_shift(medic, facility_a):
    first = StandbyShiftFactory(facility=facility_a)
    overlapping = StandbyShiftFactory(facility=facility_a, starts_on=first.starts_on + datetime.timedelta(days=3))
    staff = StaffFactory(facility=facility_a)
    added = medic.post("/api/v1/standby-members/", {"shift": first.pk, "staff": staff.pk}, format="json")
    assert added.status_code == 201 and added.json()["cleared"] is False
    refused = medic.post("/api/v1/standby-members/", {"shift": overlapping.pk, "staff": staff.pk}, format="json")
    assert refused.status_code == 400 and "staff" in refused.json()
