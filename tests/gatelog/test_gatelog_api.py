"""The gate API: a refused entry is a recorded event (201), bad input is a 400, nothing is edited."""

import datetime

import pytest
from rest_framework.test import APIClient

from factories_gatelog import GateEventFactory
from jiedu.gatelog.models import GateEvent
from jiedu.organisation.roles import Role

URL = "/api/v1/gate-events/"


@pytest.fixture
def gate_client(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.GATE_OFFICER, facility_a))
    return client


def lawyer(facility, **overrides):
    valid_until = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=4)
    payload = {
        "facility": facility.pk, "event_kind": "entry", "subject_kind": "visitor", "subject_name": "陈律师",
        "organisation": "蒙正律师事务所", "approver": "王所长", "approval_purpose": "律师会见",
        "approval_valid_until": valid_until.isoformat(), "temperature_c": "36.6", "disinfected": True,
        "security_checked": True,
    }  # fmt: skip
    payload.update(overrides)
    return payload


def test_an_admitted_entry_answers_201(gate_client, facility_a):
    response = gate_client.post(URL, lawyer(facility_a), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["outcome"] == "admitted" and body["refusal_reasons"] == [] and body["closed_management"] is True
    )


def test_a_refused_entry_is_a_recorded_event_with_its_reasons(gate_client, facility_a):
    response = gate_client.post(URL, lawyer(facility_a, temperature_c="37.6"), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "refused" and body["refusal_reasons"] == ["fever"]
    assert len(body["refusal_reason_labels"]) == 1
    assert GateEvent.objects.get(pk=body["id"]).outcome == "refused"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"temperature_c": "50"}, "temperature_c"),
        ({"temperature_c": "abc"}, "temperature_c"),
        ({"subject_name": ""}, "subject_name"),
        ({"approval_purpose": ""}, "approval_purpose"),
        ({"event_kind": "sideways"}, "event_kind"),
        ({"subject_kind": "vehicle"}, "vehicle_plate"),
        ({"event_kind": "handover", "subject_kind": "goods"}, "received_by"),
    ],
)
def test_input_that_describes_no_passage_answers_400(gate_client, facility_a, overrides, field):
    response = gate_client.post(URL, lawyer(facility_a, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not GateEvent.objects.exists()


def test_a_missing_name_answers_400(gate_client, facility_a):
    payload = lawyer(facility_a)
    del payload["subject_name"]
    response = gate_client.post(URL, payload, format="json")
    assert response.status_code == 400 and "subject_name" in response.json()


def test_another_facilitys_gate_is_not_ours_to_record(gate_client, facility_b):
    response = gate_client.post(URL, lawyer(facility_b), format="json")
    assert response.status_code == 400 and "facility" in response.json()


def test_a_role_without_gate_duty_is_forbidden(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.MEDICAL_STAFF, facility_a))
    assert client.post(URL, lawyer(facility_a), format="json").status_code == 403
    assert client.get(URL).status_code == 200  # but may read the log


def test_events_are_neither_edited_nor_deleted(gate_client, facility_a):
    event = GateEventFactory(facility=facility_a)
    for method in ("put", "patch", "delete"):
        assert (
            getattr(gate_client, method)(
                f"{URL}{event.pk}/", {"subject_name": "x"}, format="json"
            ).status_code
            == 405
        )
    assert gate_client.get(f"{URL}{event.pk}/").json()["subject_name"] == event.subject_name


def test_the_list_filters_by_local_day_and_outcome(gate_client, facility_a):
    # 23:30 on 31 October and 00:30 on 1 November, local time
    late = GateEventFactory(
        facility=facility_a, occurred_at=datetime.datetime(2026, 10, 31, 15, 30, tzinfo=datetime.UTC)
    )
    early = GateEventFactory(
        facility=facility_a,
        refused=True,
        occurred_at=datetime.datetime(2026, 10, 31, 16, 30, tzinfo=datetime.UTC),
    )
    ids = [row["id"] for row in gate_client.get(URL, {"day": "2026-11-01"}).json()["results"]]
    assert ids == [early.pk]
    ids = [row["id"] for row in gate_client.get(URL, {"outcome": "admitted"}).json()["results"]]
    assert ids == [late.pk]


def test_a_correction_points_at_the_event_it_corrects(gate_client, facility_a):
    typo = gate_client.post(URL, lawyer(facility_a, temperature_c="38.6"), format="json").json()
    fixed = gate_client.post(URL, lawyer(facility_a, corrects=typo["id"]), format="json")
    assert fixed.status_code == 201 and fixed.json()["corrects"] == typo["id"]
