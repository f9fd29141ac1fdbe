"""The isolation and release API: stays with end/transfer actions, checklist items, hand-overs, releases."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from factories import ResidentFactory, RoomFactory, ZoneFactory
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def place(facility_a, member):
    ward = RoomFactory(zone=ZoneFactory(facility=facility_a, zone_type="education"), capacity=8)
    fever = ZoneFactory(facility=facility_a, zone_type="fever_isolation")
    pre = ZoneFactory(facility=facility_a, zone_type="pre_release_isolation")
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_OFFICER, facility_a))
    return {
        "api": client,
        "fever": [RoomFactory(zone=fever, capacity=1, is_single_occupancy=True) for _ in range(2)],
        "pre": RoomFactory(zone=pre, capacity=1, is_single_occupancy=True),
        "residents": [
            ResidentFactory(
                facility=facility_a,
                current_zone=ward.zone,
                current_room=ward,
                term_end=timezone.localdate() + datetime.timedelta(days=3),
            )
            for _ in range(2)
        ],
    }


def test_admitting_into_an_occupied_single_room_is_a_409_on_the_room(place):
    api, (first, second), room = place["api"], place["residents"], place["fever"][0]
    response = api.post(
        f"{API}/isolation-stays/", {"resident": first.pk, "room": room.pk, "reason": "fever"}, format="json"
    )
    assert response.status_code == 201 and response.json()["room"] == room.pk
    response = api.post(
        f"{API}/isolation-stays/", {"resident": second.pk, "room": room.pk, "reason": "fever"}, format="json"
    )
    assert response.status_code == 409 and "room" in response.json()


def test_another_facilitys_room_is_a_field_error(place, facility_b):
    foreign = RoomFactory(zone=ZoneFactory(facility=facility_b, zone_type="fever_isolation"), capacity=1)
    response = place["api"].post(
        f"{API}/isolation-stays/", {"resident": place["residents"][0].pk, "room": foreign.pk, "reason": "fever"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "room" in response.json()


def test_transfer_then_end_through_the_actions(place):
    api, resident = place["api"], place["residents"][0]
    stay = api.post(
        f"{API}/isolation-stays/",
        {"resident": resident.pk, "room": place["fever"][0].pk, "reason": "fever"},
        format="json",
    ).json()
    moved = api.post(
        f"{API}/isolation-stays/{stay['id']}/transfer/", {"room": place["fever"][1].pk}, format="json"
    )
    assert moved.status_code == 201, moved.json()
    assert moved.json()["previous_stay"] == stay["id"]
    refused = api.post(
        f"{API}/isolation-stays/{moved.json()['id']}/end/", {"end_reason": "released"}, format="json"
    )
    assert refused.status_code == 400 and "end_reason" in refused.json()
    ended = api.post(
        f"{API}/isolation-stays/{moved.json()['id']}/end/", {"end_reason": "cleared"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["end_reason"] == "cleared"
    open_only = api.get(f"{API}/isolation-stays/", {"open": "true"}).json()
    assert open_only["count"] == 0 and api.get(f"{API}/isolation-stays/").json()["count"] == 2


def test_checklist_items_are_validated_and_replaced_records_can_be_filtered_out(place):
    api, resident = place["api"], place["residents"][0]
    today = timezone.localdate().isoformat()
    response = api.post(
        f"{API}/prerelease-items/", {"resident": resident.pk, "item": "talk", "done_on": today}, format="json"
    )
    assert response.status_code == 400 and "performed_by" in response.json()
    talk = {
        "resident": resident.pk,
        "item": "talk",
        "done_on": today,
        "performed_by": "李警官",
        "summary": "谈话",
    }
    first = api.post(f"{API}/prerelease-items/", talk, format="json")
    second = api.post(f"{API}/prerelease-items/", {**talk, "summary": "补充"}, format="json")
    assert first.status_code == second.status_code == 201 and second.json()["replaces"] == first.json()["id"]
    assert (
        api.get(f"{API}/prerelease-items/{first.json()['id']}/").json()["replaced_by"] == second.json()["id"]
    )
    current = api.get(f"{API}/prerelease-items/", {"resident": resident.pk, "current": "true"}).json()
    assert [row["id"] for row in current["results"]] == [second.json()["id"]]


def test_hand_overs_answer_with_a_masked_phone(place):
    api, resident = place["api"], place["residents"][0]
    data = {
        "resident": resident.pk, "receiver": "police", "name": "王警官", "unit": "新城区分局", "phone": "13912345678",
        "handed_over_at": timezone.now().isoformat(),
    }  # fmt: skip
    response = api.post(f"{API}/handovers/", data, format="json")
    assert response.status_code == 201 and response.json()["phone"] == "139****5678"
    assert "13912345678" not in api.get(f"{API}/handovers/").content.decode()
    assert api.post(f"{API}/handovers/", {**data, "phone": "0000"}, format="json").json().keys() == {"phone"}


def test_a_release_answers_400_with_what_is_missing_then_201_when_complete(place):
    api, resident = place["api"], place["residents"][0]
    refused = api.post(f"{API}/releases/", {"resident": resident.pk}, format="json")
    assert refused.status_code == 400
    assert [m["code"] for m in refused.json()["missing"]][:2] == ["observation", "health_exam"]
    start = (timezone.now() - datetime.timedelta(days=15)).isoformat()
    api.post(
        f"{API}/isolation-stays/",
        {"resident": resident.pk, "room": place["pre"].pk, "reason": "pre_release", "started_at": start},
        format="json",
    )
    today = timezone.localdate().isoformat()
    for item in ("health_exam", "talk", "education", "commitment"):
        body = {
            "resident": resident.pk,
            "item": item,
            "done_on": today,
            "performed_by": "刘",
            "summary": "正常",
        }
        if item == "health_exam":
            body["fit_for_release"] = True
        assert api.post(f"{API}/prerelease-items/", body, format="json").status_code == 201
    for receiver in ("police", "community", "judicial_office", "family"):
        body = {
            "resident": resident.pk, "receiver": receiver, "name": "接收人", "unit": "某单位", "phone": "13900000000",
            "handed_over_at": timezone.now().isoformat(),
        }  # fmt: skip
        assert api.post(f"{API}/handovers/", body, format="json").status_code == 201
    released = api.post(f"{API}/releases/", {"resident": resident.pk}, format="json")
    assert released.status_code == 201 and released.json()["status"] == "released"
    assert not IsolationStay.objects.filter(resident=resident, ended_at__isnull=True).exists()


def test_a_gate_officer_may_not_release_and_another_facilitys_resident_is_a_400(
    place, member, facility_a, facility_b
):
    gate = APIClient()
    gate.force_authenticate(member(Role.GATE_OFFICER, facility_a))
    assert (
        gate.post(f"{API}/releases/", {"resident": place["residents"][0].pk}, format="json").status_code
        == 400
    )
    foreign = ResidentFactory(facility=facility_b)
    response = place["api"].post(f"{API}/releases/", {"resident": foreign.pk}, format="json")
    assert response.status_code == 400 and "resident" in response.json()
