"""The API: readings, a zone's round all or nothing (400 per row), fever alerts and isolation."""

import pytest
from rest_framework.test import APIClient

from factories import ResidentFactory, RoomFactory, ZoneFactory
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.roles import Role


@pytest.fixture
def setup(member, facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="education")
    room = RoomFactory(zone=zone, capacity=8)
    residents = [ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(3)]
    fever = ZoneFactory(facility=facility_a, zone_type="fever_isolation")
    single = RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="701")
    client = APIClient()
    client.force_authenticate(member(Role.MEDICAL_STAFF, facility_a))
    return client, zone, residents, single


@pytest.mark.parametrize(
    ("value", "status"), [("34.0", 201), ("43.0", 201), ("33.9", 400), ("43.1", 400), ("x", 400)]
)
def test_a_reading_outside_the_range_is_a_field_error(setup, value, status):
    client, _, residents, _ = setup
    response = client.post(
        "/api/v1/temperature-readings/", {"resident": residents[0].pk, "temperature_c": value}
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert list(response.json()) == ["temperature_c"]
    assert TemperatureReading.objects.count() == (1 if status == 201 else 0)


def test_a_round_with_one_bad_row_answers_400_per_row_and_saves_nothing(setup):
    client, zone, residents, _ = setup
    payload = {
        "zone": zone.pk,
        "readings": [
            {"resident": residents[0].pk, "temperature_c": "36.5"},
            {"resident": residents[1].pk, "temperature_c": "45.0"},
            {"resident": residents[2].pk, "temperature_c": "36.6"},
        ],
    }
    response = client.post("/api/v1/temperature-rounds/", payload, format="json")
    assert response.status_code == 400
    rows = response.json()["readings"]
    assert list(rows) == ["1"] and list(rows["1"]) == ["temperature_c"]
    assert TemperatureReading.objects.count() == 0


def test_a_round_with_a_resident_of_another_zone_answers_400_on_that_row(setup, facility_a):
    client, zone, residents, _ = setup
    elsewhere = ResidentFactory(facility=facility_a, current_zone=ZoneFactory(facility=facility_a))
    payload = {
        "zone": zone.pk,
        "readings": [
            {"resident": residents[0].pk, "temperature_c": "36.5"},
            {"resident": elsewhere.pk, "temperature_c": "36.5"},
        ],
    }
    response = client.post("/api/v1/temperature-rounds/", payload, format="json")
    assert response.status_code == 400
    rows = response.json()["readings"]
    assert list(rows) == ["1"] and list(rows["1"]) == ["resident"]
    assert TemperatureReading.objects.count() == 0


def test_a_round_with_a_fever_then_isolation_through_the_api(setup):
    client, zone, residents, single = setup
    payload = {
        "zone": zone.pk,
        "readings": [
            {"resident": r.pk, "temperature_c": t}
            for r, t in zip(residents, ["36.5", "38.2", "36.9"], strict=False)
        ],
    }
    response = client.post("/api/v1/temperature-rounds/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["readings"]) == 3 and len(body["fever_alerts"]) == 1
    alert_id = body["fever_alerts"][0]

    listed = client.get("/api/v1/fever-alerts/", {"status": "open"}).json()
    assert [a["id"] for a in listed["results"]] == [alert_id] and listed["results"][0][
        "temperature_c"
    ] == "38.2"

    accepted = client.post(f"/api/v1/fever-alerts/{alert_id}/accept-isolation/", {}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "isolated" and accepted.json()["isolation_room"] == single.pk
    assert IsolationStay.objects.get(resident=residents[1]).room == single
    again = client.post(f"/api/v1/fever-alerts/{alert_id}/accept-isolation/", {}, format="json")
    assert again.status_code == 409


def test_alerts_are_not_created_directly(setup):
    client, *_ = setup
    assert client.post("/api/v1/fever-alerts/", {}, format="json").status_code == 405


def test_dismiss_and_correct_through_the_api(setup):
    client, _, residents, _ = setup
    wrong = client.post(
        "/api/v1/temperature-readings/", {"resident": residents[0].pk, "temperature_c": "38.9"}
    ).json()
    assert wrong["fever_alert"] is not None
    refused = client.post(f"/api/v1/fever-alerts/{wrong['fever_alert']}/dismiss/", {"reason": "复测正常"})
    assert refused.status_code == 400  # no re-check yet
    fixed = client.post(
        f"/api/v1/temperature-readings/{wrong['id']}/correct/", {"temperature_c": "36.9", "note": "录入错误"}
    )
    assert fixed.status_code == 201 and fixed.json()["corrects"] == wrong["id"]
    dismissed = client.post(
        f"/api/v1/fever-alerts/{wrong['fever_alert']}/dismiss/", {"reason": "录入错误，已更正"}
    )
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    assert FeverAlert.objects.get().dismissal_reason == "录入错误，已更正"


def test_a_gate_officer_may_read_but_not_record(member, facility_a, setup):
    _, _, residents, _ = setup
    client = APIClient()
    client.force_authenticate(member(Role.GATE_OFFICER, facility_a))
    assert client.get("/api/v1/temperature-readings/").status_code == 200
    response = client.post(
        "/api/v1/temperature-readings/", {"resident": residents[0].pk, "temperature_c": "36.5"}
    )
    assert response.status_code == 400 and "resident" in response.json()  # residents are not theirs to see


def _round_queries(client, zone, residents) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    payload = {"zone": zone.pk, "readings": [{"resident": r.pk, "temperature_c": "36.5"} for r in residents]}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/temperature-rounds/", payload, format="json")
    assert response.status_code == 201, response.content
    assert [row["fever_alert"] for row in response.json()["readings"]] == [None] * len(residents)
    return len(queries)


def test_a_bigger_round_costs_no_more_queries(setup, facility_a):
    client, zone, residents, _ = setup
    more = residents + [ResidentFactory(facility=facility_a, current_zone=zone) for _ in range(12)]
    _round_queries(client, zone, residents)  # the first request also loads what later ones reuse
    assert _round_queries(client, zone, more) == _round_queries(client, zone, residents)


def test_a_round_naming_an_unknown_or_hidden_resident_answers_as_before(setup, facility_b):
    client, zone, residents, _ = setup
    hidden = ResidentFactory(facility=facility_b)
    payload = {"zone": zone.pk, "readings": [
        {"resident": residents[0].pk, "temperature_c": "36.5"},
        {"resident": hidden.pk, "temperature_c": "36.5"},
        {"resident": 999_999_999, "temperature_c": "36.5"},
        {"resident": True, "temperature_c": "36.5"},
    ]}  # fmt: skip
    response = client.post("/api/v1/temperature-rounds/", payload, format="json")
    assert response.status_code == 400
    rows = response.json()["readings"]
    # Another facility's resident reads exactly like one that does not exist; a boolean is a wrong type.
    hidden_message = rows["1"]["resident"][0].replace(str(hidden.pk), "N")
    assert hidden_message == rows["2"]["resident"][0].replace("999999999", "N")
    assert rows["3"]["resident"][0] != rows["2"]["resident"][0]
    assert "0" not in rows
    assert TemperatureReading.objects.count() == 0


def test_the_fast_reading_answer_equals_the_generic_serializer(setup, facility_a):
    """ReadingSerializer writes its fields directly for speed; it must say exactly what DRF would."""
    from decimal import Decimal

    from factories_health import FeverAlertFactory, TemperatureReadingFactory
    from jiedu.health.api import ReadingSerializer

    plain = TemperatureReadingFactory(facility=facility_a, temperature_c=Decimal("36.0"))
    fever = TemperatureReadingFactory(facility=facility_a, temperature_c=Decimal("38.4"), note="复测")
    FeverAlertFactory(facility=facility_a, resident=fever.resident, reading=fever)
    correction = TemperatureReadingFactory(
        facility=facility_a, resident=plain.resident, zone=plain.zone, corrects=plain, note="录入错误更正"
    )
    serializer = ReadingSerializer(many=True).child
    for reading in TemperatureReading.objects.filter(pk__in=[plain.pk, fever.pk, correction.pk]):
        assert serializer.to_representation(reading) == serializer.generic_representation(reading)
    assert serializer.to_representation(TemperatureReading.objects.get(pk=fever.pk))["fever_alert"] is not None
