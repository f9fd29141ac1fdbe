"""PI-02 (GB/T 35273 §11.7; ASVS 16.3.2): opening a resident's or staff member's record writes one
access-log row; revealing a full ID or phone number needs a typed purpose (else 400) and is logged
with it. The log is append-only like the audit trail, down to the database."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from factories import ResidentFactory, StaffFactory
from jiedu.audit.maintenance import audit_maintenance
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import Role
from jiedu.privacy.models import AccessLog

PURPOSE = "核对家属会见身份"


@pytest.fixture
def resident(facility_a):
    return ResidentFactory(facility=facility_a)


@pytest.fixture
def staff_member(facility_a):
    return StaffFactory(facility=facility_a)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _reveal(client, person_kind, pk, **data):
    return client.post(f"/privacy/{person_kind}/{pk}/reveal/", data, HTTP_HX_REQUEST="true")


# --- One row per view ------------------------------------------------------------------------------


@pytest.mark.parametrize("opens", [1, 3])
def test_each_opening_of_a_resident_page_writes_one_row(member, facility_a, resident, opens):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    client = _client(officer)
    for _ in range(opens):
        assert client.get(f"/residents/{resident.pk}/").status_code == 200
    rows = AccessLog.objects.filter(subject_type="people.resident", subject_id=str(resident.pk))
    assert rows.count() == opens
    row = rows.first()
    assert (row.kind, row.actor_id, row.actor_username, row.facility_id) == (
        "view", officer.pk, officer.username, facility_a.pk,
    )  # fmt: skip
    assert row.role == Role.FACILITY_OFFICER and row.request_id and row.ip == "127.0.0.1"
    assert row.purpose == "" and row.fields == []


def test_a_staff_page_and_the_api_details_are_logged_too(member, facility_a, resident, staff_member):
    leader = member(Role.FACILITY_LEADER, facility_a)
    assert _client(leader).get(f"/staff/{staff_member.pk}/").status_code == 200
    api = APIClient()
    api.force_authenticate(leader)
    assert api.get(f"/api/v1/residents/{resident.pk}/").status_code == 200
    assert api.get(f"/api/v1/staff/{staff_member.pk}/").status_code == 200
    logged = sorted(AccessLog.objects.values_list("subject_type", "subject_id", "kind"))
    assert logged == sorted([
        ("people.staff", str(staff_member.pk), "view"),
        ("people.resident", str(resident.pk), "view"),
        ("people.staff", str(staff_member.pk), "view"),
    ])  # fmt: skip


def test_lists_and_another_facilitys_record_write_no_access_row(member, facility_a, facility_b, resident):
    officer_b = member(Role.FACILITY_OFFICER, facility_b)
    client = _client(officer_b)
    assert client.get(f"/residents/{resident.pk}/").status_code == 404
    assert client.get("/residents/").status_code == 200
    api = APIClient()
    api.force_authenticate(officer_b)
    assert api.get(f"/api/v1/residents/{resident.pk}/").status_code == 404
    assert api.get("/api/v1/residents/").status_code == 200
    assert not AccessLog.objects.exists()
    # The refused reads are in the audit trail instead (denied).
    assert AuditEvent.objects.filter(outcome="denied", facility_id=facility_a.pk).count() == 2


# --- Reveal with purpose ---------------------------------------------------------------------------


def test_reveal_without_a_purpose_is_400_beside_the_field_and_logs_nothing(member, facility_a, resident):
    client = _client(member(Role.FACILITY_OFFICER, facility_a))
    for purpose in ("", "   ", "看看"):
        response = _reveal(client, "residents", resident.pk, field="id_number", purpose=purpose)
        assert response.status_code == 400
        body = response.content.decode()
        assert 'id="id_purpose_id_number-error"' in body and resident.id_number not in body
    assert not AccessLog.objects.filter(kind="reveal").exists()
    assert not AuditEvent.objects.filter(action="pii.revealed").exists()


def test_reveal_with_a_purpose_shows_the_number_once_uncached_and_logs_the_purpose(
    member, facility_a, resident
):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    client = _client(officer)
    response = _reveal(client, "residents", resident.pk, field="id_number", purpose=f"  {PURPOSE} ")
    assert response.status_code == 200
    assert resident.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    row = AccessLog.objects.get(kind="reveal")
    assert (row.subject_type, row.subject_id, row.fields, row.purpose) == (
        "people.resident", str(resident.pk), ["id_number"], PURPOSE,
    )  # fmt: skip
    assert row.actor_id == officer.pk and row.facility_id == facility_a.pk
    # The audit trail records the reveal too, with the field's name but never the purpose or value.
    event = AuditEvent.objects.get(action="pii.revealed")
    assert event.changed_fields == ["id_number"] and event.target_id == str(resident.pk)
    assert resident.id_number not in str(event.__dict__) and PURPOSE not in str(event.__dict__)
    # Opening the page again shows the masked number: a reveal is not remembered.
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert resident.id_number not in page and resident.id_number[:6] in page


def test_a_staff_members_phone_is_revealed_by_itself(member, facility_a, staff_member):
    client = _client(member(Role.FACILITY_LEADER, facility_a))
    response = _reveal(client, "staff", staff_member.pk, field="phone", purpose=PURPOSE)
    assert response.status_code == 200
    body = response.content.decode()
    assert staff_member.phone in body and staff_member.id_number not in body
    assert AccessLog.objects.get(kind="reveal").fields == ["phone"]


def test_the_page_without_htmx_answers_a_whole_page(member, facility_a, resident):
    client = _client(member(Role.MEDICAL_STAFF, facility_a))
    response = client.post(
        f"/privacy/residents/{resident.pk}/reveal/", {"field": "id_number", "purpose": PURPOSE}
    )
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert client.post(f"/privacy/residents/{resident.pk}/reveal/", {"field": "id_number"}).status_code == 400


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.BUREAU_LEADER, Role.BUREAU_SUPERVISOR])
def test_roles_without_the_reveal_right_are_refused_and_audited(member, facility_a, resident, role):
    user = member(role, None if role in (Role.BUREAU_LEADER, Role.BUREAU_SUPERVISOR) else facility_a)
    client = _client(user)
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert 'name="purpose"' not in page  # no reveal form offered
    response = _reveal(client, "residents", resident.pk, field="id_number", purpose=PURPOSE)
    assert response.status_code == 403 and resident.id_number not in response.content.decode()
    assert not AccessLog.objects.filter(kind="reveal").exists()
    assert AuditEvent.objects.filter(action="people.reveal_pii", outcome="denied").count() == 1


def test_reveal_of_another_facilitys_resident_is_404(member, facility_b, resident):
    client = _client(member(Role.FACILITY_LEADER, facility_b))
    assert _reveal(client, "residents", resident.pk, field="id_number", purpose=PURPOSE).status_code == 404
    assert client.get(f"/privacy/residents/{resident.pk}/reveal/").status_code == 405
    assert not AccessLog.objects.exists()


def test_an_unknown_field_is_400(member, facility_a, resident):
    client = _client(member(Role.FACILITY_OFFICER, facility_a))
    assert _reveal(client, "residents", resident.pk, field="name", purpose=PURPOSE).status_code == 400
    assert _reveal(client, "residents", resident.pk, field="password", purpose=PURPOSE).status_code == 400


# --- Append-only -----------------------------------------------------------------------------------


def _row(facility_a, resident, officer):
    from jiedu.privacy.services import log_view

    return log_view(actor=officer, subject=resident)


def test_the_orm_refuses_to_change_or_remove_a_row(member, facility_a, resident):
    row = _row(facility_a, resident, member(Role.FACILITY_OFFICER, facility_a))
    row.purpose = "changed"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.filter(pk=row.pk).update(purpose="changed")
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_raw_update_and_delete_outside_maintenance(member, facility_a, resident):
    row = _row(facility_a, resident, member(Role.FACILITY_OFFICER, facility_a))
    table = AccessLog._meta.db_table
    for statement in (
        f"UPDATE {table} SET purpose = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [row.pk])
    assert AccessLog.objects.filter(pk=row.pk, kind="view").exists()
    # The one door: the audit maintenance switch (retention purge, test flush) may delete.
    with transaction.atomic(), audit_maintenance(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert not AccessLog.objects.filter(pk=row.pk).exists()


def test_a_reveal_row_without_a_purpose_is_refused_by_the_database(member, facility_a, resident):
    row = AccessLog(
        actor_username="x", kind="reveal", subject_type="people.resident", subject_id="1", purpose="ab"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
