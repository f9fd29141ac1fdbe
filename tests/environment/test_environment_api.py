"""The key-area and environment-record endpoints: roles, field errors, append-only records."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from factories_environment import EnvironmentRecordFactory, KeyAreaFactory
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation.roles import Role

RECORDS = "/api/v1/environment-records/"
AREAS = "/api/v1/key-areas/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def area(facility_a):
    return KeyAreaFactory(
        facility=facility_a, name="食堂", key_since=timezone.localdate() - datetime.timedelta(days=7)
    )


@pytest.fixture
def officer(member, facility_a):
    return _client(member(Role.FACILITY_OFFICER, facility_a))


@pytest.fixture
def leader(member, facility_a):
    return _client(member(Role.FACILITY_LEADER, facility_a))


def test_a_ventilation_posted_without_a_time_is_recorded_now(officer, area):
    response = officer.post(
        RECORDS, {"area": area.pk, "kind": "ventilation", "duration_minutes": 30}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["facility"] == area.facility_id and body["performed_by"] is not None
    assert EnvironmentRecord.objects.get().duration_minutes == 30


def test_a_disinfection_without_agent_is_a_400_naming_the_field(officer, area):
    response = officer.post(
        RECORDS, {"area": area.pk, "kind": "disinfection", "concentration": "500 mg/L"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["agent"]
    assert not EnvironmentRecord.objects.exists()


def test_a_time_in_the_future_is_a_400_naming_the_field(officer, area):
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    response = officer.post(
        RECORDS, {"area": area.pk, "kind": "ventilation", "performed_at": later}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["performed_at"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "cleaning"}, "kind"),
        ({"kind": "ventilation", "performed_at": "yesterday"}, "performed_at"),
        ({"kind": "ventilation", "duration_minutes": "long"}, "duration_minutes"),
    ],
)
def test_malformed_input_is_a_400_not_a_crash(officer, area, payload, field):
    response = officer.post(RECORDS, {"area": area.pk, **payload}, format="json")
    assert response.status_code == 400 and field in response.json()


def test_another_facilitys_area_is_a_400(officer, facility_b):
    elsewhere = KeyAreaFactory(facility=facility_b)
    response = officer.post(RECORDS, {"area": elsewhere.pk, "kind": "ventilation"}, format="json")
    assert response.status_code == 400 and "area" in response.json()


def test_a_gate_officer_may_read_but_not_record(member, facility_a, area):
    gate = _client(member(Role.GATE_OFFICER, facility_a))
    EnvironmentRecordFactory(facility=facility_a, area=area)
    assert gate.get(RECORDS).json()["count"] == 1
    assert gate.post(RECORDS, {"area": area.pk, "kind": "ventilation"}, format="json").status_code == 403


def test_records_are_never_edited_or_deleted(officer, area):
    row = EnvironmentRecordFactory(facility=area.facility, area=area)
    for method in ("put", "patch", "delete"):
        assert (
            getattr(officer, method)(f"{RECORDS}{row.pk}/", {"note": "x"}, format="json").status_code == 405
        )


def test_a_correction_is_a_new_row_and_the_list_filters_by_kind(officer, area):
    row = officer.post(
        RECORDS,
        {"area": area.pk, "kind": "disinfection", "agent": "84消毒液", "concentration": "250 mg/L"},
        format="json",
    ).json()
    response = officer.post(f"{RECORDS}{row['id']}/correct/", {"concentration": "500 mg/L"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["corrects"] == row["id"]
    assert officer.get(RECORDS, {"kind": "disinfection"}).json()["count"] == 2
    assert officer.get(RECORDS, {"kind": "ventilation"}).json()["count"] == 0
    again = officer.post(f"{RECORDS}{row['id']}/correct/", {"retract": True}, format="json")
    # Corrected already: stale, with the latest row of the chain to correct instead.
    assert again.status_code == 409 and again.json()["current"]["id"] == response.json()["id"]


def test_records_filter_by_local_day(officer, area):
    today = timezone.localdate()
    EnvironmentRecordFactory(facility=area.facility, area=area, performed_at=timezone.now())
    EnvironmentRecordFactory(
        facility=area.facility, area=area, performed_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert officer.get(RECORDS, {"date_from": today.isoformat()}).json()["count"] == 1
    assert (
        officer.get(RECORDS, {"date_to": (today - datetime.timedelta(days=1)).isoformat()}).json()["count"]
        == 1
    )


def test_a_leader_marks_renames_and_unmarks_a_key_area(leader, facility_a):
    created = leader.post(AREAS, {"facility": facility_a.pk, "name": "监控室"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["key_since"] == timezone.localdate().isoformat()
    renamed = leader.patch(f"{AREAS}{pk}/", {"name": "总监控室", "version": 1}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "总监控室"
    unmarked = leader.post(f"{AREAS}{pk}/unmark/")
    assert unmarked.status_code == 200 and unmarked.json()["key_until"] == timezone.localdate().isoformat()
    assert leader.get(AREAS, {"current": "true"}).json()["count"] == 0
    assert leader.get(AREAS, {"current": "false"}).json()["count"] == 1
    assert leader.delete(f"{AREAS}{pk}/").status_code == 405


def test_a_duplicate_current_name_is_a_400_on_name(leader, facility_a, area):
    response = leader.post(AREAS, {"facility": facility_a.pk, "name": "食堂"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["name"]
    assert KeyArea.objects.count() == 1


def test_key_dates_are_not_writable(leader, area):
    response = leader.patch(
        f"{AREAS}{area.pk}/",
        {"key_since": "2020-01-01", "facility": area.facility_id, "version": area.version},
        format="json",
    )
    assert response.status_code == 200
    area.refresh_from_db()
    assert area.key_since != datetime.date(2020, 1, 1)


def test_officers_read_key_areas_but_do_not_mark_them(officer, facility_a, area):
    assert officer.get(AREAS).json()["count"] == 1
    assert officer.post(AREAS, {"facility": facility_a.pk, "name": "门岗"}, format="json").status_code == 403
