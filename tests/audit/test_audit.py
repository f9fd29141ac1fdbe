"""The audit trail is append-only and carries the request id and client IP of the request that wrote it."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from factories import RoomFactory, UserFactory
from jiedu.audit import services as audit
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def event(facility_a):
    return audit.record(
        actor=UserFactory(), action="zone.created", facility_id=facility_a.pk, changed_fields=["name"]
    )


# --- append-only ---------------------------------------------------------------------------------


def test_a_saved_event_cannot_be_saved_again(event):
    event.action = "zone.deleted"
    with pytest.raises(TypeError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "zone.created"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(TypeError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(outcome="failed")
    assert AuditEvent.objects.get(pk=event.pk).action == "zone.created"


def test_queryset_delete_is_refused(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_update_is_refused(event):
    event.action = "x"
    with pytest.raises(TypeError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "zone.created"


def test_update_or_create_cannot_rewrite_an_event(event):
    with pytest.raises(TypeError), transaction.atomic():
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"action": "x"})
    assert AuditEvent.objects.get(pk=event.pk).action == "zone.created"


# --- what a record holds -------------------------------------------------------------------------


def test_a_record_outside_a_request_has_no_request_id_or_ip(event):
    assert event.request_id == ""
    assert event.ip is None
    assert event.outcome == AuditEvent.Outcome.SUCCESS
    assert event.changed_fields == ["name"]


def test_an_anonymous_actor_is_recorded_without_a_user(facility_a):
    from django.contrib.auth.models import AnonymousUser

    event = audit.record_denial(
        actor=AnonymousUser(), action="people.view_residents", facility_id=facility_a.pk
    )
    assert (event.actor, event.actor_username, event.role) == (None, "", "")
    assert event.outcome == AuditEvent.Outcome.DENIED


def test_the_role_held_in_the_facility_is_recorded(member, facility_a):
    leader = member(Role.FACILITY_LEADER, facility_a)
    event = audit.record(actor=leader, action="zone.created", facility_id=facility_a.pk)
    assert event.role == Role.FACILITY_LEADER
    assert event.actor_username == leader.username


# --- request id and IP ---------------------------------------------------------------------------


def _room_payload(facility):
    zone = RoomFactory(zone__facility=facility).zone
    return {"facility": facility.pk, "zone": zone.pk, "number": "808", "capacity": 4}


def test_request_id_and_ip_are_captured_from_the_request(member, facility_a):
    # given a facility leader calling the API with a request id, from a known address
    client = APIClient(REMOTE_ADDR="10.1.2.3")
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    # when a room is created
    response = client.post(
        f"{API}/rooms/", _room_payload(facility_a), format="json", HTTP_X_REQUEST_ID="req-2026-abcdef12"
    )
    # then the response echoes the id and the audit event carries it with the client IP
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "req-2026-abcdef12"
    event = AuditEvent.objects.get(action="room.created")
    assert event.request_id == "req-2026-abcdef12"
    assert event.ip == "10.1.2.3"


def test_a_generated_request_id_matches_the_response_header(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    response = client.post(f"{API}/rooms/", _room_payload(facility_a), format="json")
    assert response.status_code == 201
    event = AuditEvent.objects.get(action="room.created")
    assert event.request_id
    assert response["X-Request-ID"] == event.request_id
    assert event.ip == "127.0.0.1"


@pytest.mark.parametrize("bad", ["short", "has spaces in it", "x" * 65, "semi;colon-123456"])
def test_an_unsafe_incoming_request_id_is_replaced(member, facility_a, bad):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    response = client.post(f"{API}/rooms/", _room_payload(facility_a), format="json", HTTP_X_REQUEST_ID=bad)
    event = AuditEvent.objects.get(action="room.created")
    assert event.request_id != bad
    assert response["X-Request-ID"] == event.request_id


def test_a_denied_api_call_is_audited_with_its_request_id(member, facility_a, facility_b):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_OFFICER, facility_a))
    room_b = RoomFactory(zone__facility=facility_b)
    response = client.get(f"{API}/rooms/{room_b.pk}/", HTTP_X_REQUEST_ID="req-denied-0001")
    assert response.status_code == 404
    event = AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED)
    assert event.request_id == "req-denied-0001" == response["X-Request-ID"]
    assert event.target_id == str(room_b.pk)


def test_the_context_does_not_leak_after_the_request(member, facility_a):
    client = APIClient()
    client.force_authenticate(member(Role.FACILITY_LEADER, facility_a))
    client.get(f"{API}/rooms/", HTTP_X_REQUEST_ID="req-finished-0001")
    later = audit.record(actor=None, action="system.tick", facility_id=None)
    assert later.request_id == ""
    assert later.ip is None
