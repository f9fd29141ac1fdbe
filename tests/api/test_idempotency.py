"""Idempotent submissions: a retry under the same Idempotency-Key gets the first answer and creates
nothing; the same key with another body is 422; refused submissions keep nothing."""

import datetime
import threading
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from factories import ResidentFactory, RoomFactory, StaffFactory, UserFactory, ZoneFactory
from jiedu.api.idempotency import IdempotentPosts
from jiedu.api.urls import router
from jiedu.common import idempotency
from jiedu.common.models import IdempotencyKey
from jiedu.gatelog.models import GateEvent
from jiedu.health.models import TemperatureReading
from jiedu.organisation.roles import Role
from jiedu.staffleave import services as staffleave_services
from jiedu.staffleave.models import DailyReport

ROUNDS = "/api/v1/temperature-rounds/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def keyed(client, url, payload, key):
    return client.post(url, payload, format="json", headers={"Idempotency-Key": key})


@pytest.fixture
def ward(member, facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="education")
    room = RoomFactory(zone=zone, capacity=20)
    residents = [ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(4)]
    nurse = member(Role.MEDICAL_STAFF, facility_a)
    payload = {"zone": zone.pk, "readings": [{"resident": r.pk, "temperature_c": "36.5"} for r in residents]}
    return nurse, payload


def test_a_retried_round_returns_the_first_answer_and_creates_nothing(ward):
    nurse, payload = ward
    client = client_for(nurse)
    first = keyed(client, ROUNDS, payload, "round-1")
    assert first.status_code == 201, first.json()
    again = keyed(client, ROUNDS, payload, "round-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert "Idempotency-Replayed" not in first.headers
    assert TemperatureReading.objects.count() == 4


def test_json_key_order_does_not_make_another_request(ward):
    nurse, payload = ward
    client = client_for(nurse)
    keyed(client, ROUNDS, payload, "round-1")
    reordered = {"readings": payload["readings"], "zone": payload["zone"]}
    assert keyed(client, ROUNDS, reordered, "round-1").headers["Idempotency-Replayed"] == "true"
    assert TemperatureReading.objects.count() == 4


def test_the_same_key_with_another_body_is_422_and_creates_nothing(ward):
    nurse, payload = ward
    client = client_for(nurse)
    keyed(client, ROUNDS, payload, "round-1")
    changed = {**payload, "readings": [{**payload["readings"][0], "temperature_c": "36.9"}]}
    response = keyed(client, ROUNDS, changed, "round-1")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert TemperatureReading.objects.count() == 4


def test_the_same_key_on_another_endpoint_is_422(ward):
    nurse, payload = ward
    client = client_for(nurse)
    keyed(client, ROUNDS, payload, "k")
    reading = {"resident": payload["readings"][0]["resident"], "temperature_c": "36.5"}
    assert keyed(client, "/api/v1/temperature-readings/", reading, "k").status_code == 422


def test_without_a_key_every_post_counts(ward):
    nurse, payload = ward
    client = client_for(nurse)
    client.post(ROUNDS, payload, format="json")
    client.post(ROUNDS, payload, format="json")
    assert TemperatureReading.objects.count() == 8
    assert not IdempotencyKey.objects.exists()


def test_keys_belong_to_one_user(ward, member, facility_a):
    nurse, payload = ward
    other = member(Role.MEDICAL_STAFF, facility_a)
    assert keyed(client_for(nurse), ROUNDS, payload, "shared").status_code == 201
    response = keyed(client_for(other), ROUNDS, payload, "shared")
    assert response.status_code == 201 and "Idempotency-Replayed" not in response.headers
    assert TemperatureReading.objects.count() == 8


def test_a_refused_submission_keeps_nothing_and_the_corrected_one_goes_through(ward):
    nurse, payload = ward
    client = client_for(nurse)
    bad = {**payload, "readings": [{**payload["readings"][0], "temperature_c": "45.0"}]}
    assert keyed(client, ROUNDS, bad, "round-1").status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert keyed(client, ROUNDS, payload, "round-1").status_code == 201
    assert TemperatureReading.objects.count() == 4


def test_a_failure_after_the_rows_were_written_keeps_neither(ward, monkeypatch):
    """What a server crash mid-request leaves: the round and its key roll back together."""
    from jiedu.health import services as health_services

    nurse, payload = ward
    client = client_for(nurse)
    real = health_services.record_round

    def record_then_fail(**kwargs):
        real(**kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(health_services, "record_round", record_then_fail)
    client.raise_request_exception = False
    assert keyed(client, ROUNDS, payload, "round-1").status_code == 500
    assert TemperatureReading.objects.count() == 0 and not IdempotencyKey.objects.exists()
    monkeypatch.setattr(health_services, "record_round", real)
    assert keyed(client, ROUNDS, payload, "round-1").status_code == 201
    assert TemperatureReading.objects.count() == 4


@pytest.mark.parametrize("key", ["", "a" * 256, "with space", "中文"])
def test_a_malformed_key_is_a_400_on_the_header(ward, key):
    nurse, payload = ward
    response = client_for(nurse).post(ROUNDS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert TemperatureReading.objects.count() == 0


def test_a_gate_event_is_recorded_once(member, facility_a):
    client = client_for(member(Role.GATE_OFFICER, facility_a))
    valid_until = timezone.now() + datetime.timedelta(hours=4)
    payload = {
        "facility": facility_a.pk, "event_kind": "entry", "subject_kind": "visitor", "subject_name": "陈律师",
        "organisation": "蒙正律师事务所", "approver": "王所长", "approval_purpose": "律师会见",
        "approval_valid_until": valid_until.isoformat(), "temperature_c": "36.6", "disinfected": True,
        "security_checked": True,
    }  # fmt: skip
    first = keyed(client, "/api/v1/gate-events/", payload, "gate-7")
    again = keyed(client, "/api/v1/gate-events/", payload, "gate-7")
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json()["id"] == first.json()["id"]
    assert GateEvent.objects.count() == 1


def test_a_daily_report_is_recorded_once(member, facility_a):
    clerk = member(Role.FACILITY_OFFICER, facility_a)
    today = timezone.localdate()
    staff = StaffFactory(facility=facility_a, user=UserFactory())
    staffleave_services.create_leave_period(
        actor=clerk, facility=facility_a, staff=staff, starts_on=today, ends_on=today
    )
    payload = {"places_visited": "家中", "temperature_c": "36.6", "health_code": "green", "day": today.isoformat()}
    client = client_for(staff.user)
    first = keyed(client, "/api/v1/daily-reports/", payload, "report-today")
    again = keyed(client, "/api/v1/daily-reports/", payload, "report-today")
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json() == first.json()
    assert DailyReport.objects.count() == 1


def test_every_api_view_that_accepts_post_honours_the_key():
    """A new endpoint cannot forget it: every registered view with a POST route has the mixin."""
    missing = []
    for prefix, viewset, _ in router.registry:
        posts = "post" in getattr(viewset, "http_method_names", []) and (
            hasattr(viewset, "create") or any("post" in a.mapping for a in viewset.get_extra_actions())
        )
        if posts and not issubclass(viewset, IdempotentPosts):
            missing.append(prefix)
    assert missing == []


def test_the_schema_documents_the_header_and_422_on_every_post(member):
    client = client_for(member(Role.BUREAU_LEADER))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    posts = [op for ops in schema["paths"].values() for method, op in ops.items() if method == "post"]
    assert posts
    for op in posts:
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in op["parameters"])
        assert {"400", "422"} <= set(op["responses"])


def test_old_keys_are_purged_and_recent_ones_kept(ward):
    nurse, payload = ward
    client = client_for(nurse)
    keyed(client, ROUNDS, payload, "old")
    keyed(client, ROUNDS, payload, "recent")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("purge_idempotency_keys")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]
    assert idempotency.purge_idempotency_keys(now=timezone.now() + datetime.timedelta(days=8)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_retries_create_one_round(facility_a, member):
    zone = ZoneFactory(facility=facility_a, zone_type="education")
    room = RoomFactory(zone=zone, capacity=40)
    residents = [ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(30)]
    nurse = member(Role.MEDICAL_STAFF, facility_a)
    payload = {"zone": zone.pk, "readings": [{"resident": r.pk, "temperature_c": "36.5"} for r in residents]}
    key = str(uuid.uuid4())
    barrier = threading.Barrier(4)
    answers = []

    def submit():
        try:
            barrier.wait(timeout=10)
            answers.append(keyed(client_for(nurse), ROUNDS, payload, key))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * 4
    assert sum("Idempotency-Replayed" not in a.headers for a in answers) == 1
    assert len({tuple(r["id"] for r in a.json()["readings"]) for a in answers}) == 1
    assert TemperatureReading.objects.count() == 30
