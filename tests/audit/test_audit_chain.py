"""LOG-02/03/04: the audit trail refuses change at the database level, carries an HMAC-SM3 chain
that names the first tampered row, keeps rows for the retention period, and fails together with
the business write it records."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from factories import UserFactory
from jiedu.audit import chain
from jiedu.audit import services as audit
from jiedu.audit.maintenance import audit_maintenance
from jiedu.audit.models import AuditEvent
from jiedu.organisation import services as org_services
from jiedu.organisation.models import Zone, ZoneType

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def _events(n, facility_id=None):
    user = UserFactory()
    return [
        audit.record(actor=user, action="zone.created", facility_id=facility_id, changed_fields=["name"])
        for _ in range(n)
    ]


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _drop_triggers():
    """What an intruder with full database rights could do; the chain must still tell."""
    statements = (
        ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"]
        if connection.vendor == "sqlite"
        else [f"ALTER TABLE {TABLE} DISABLE TRIGGER USER"]
    )
    for statement in statements:
        _raw(statement)


def test_each_row_points_to_the_previous_rows_hash():
    events = _events(3)
    assert events[0].prev_hash == chain.GENESIS or AuditEvent.objects.filter(pk__lt=events[0].pk).exists()
    assert events[1].prev_hash == events[0].row_hash
    assert events[2].prev_hash == events[1].row_hash
    assert len({e.row_hash for e in events}) == 3


def test_an_intact_trail_verifies():
    _events(5)
    assert _verify().startswith("audit chain intact: 5 rows")


def test_raw_update_is_refused_by_the_database():
    event = _events(1)[0]
    with pytest.raises(DatabaseError):
        _raw(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["zone.deleted", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "zone.created"


def test_update_is_refused_even_in_maintenance():
    event = _events(1)[0]
    with audit_maintenance(), pytest.raises(DatabaseError):
        _raw(f"UPDATE {TABLE} SET outcome = %s WHERE id = %s", ["failed", event.pk])


def test_raw_delete_is_refused_by_the_database():
    event = _events(1)[0]
    with pytest.raises(DatabaseError):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncate_is_refused_on_postgresql():
    _events(1)
    with pytest.raises(DatabaseError):
        _raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 1


def test_a_changed_row_is_named_by_the_verifier():
    events = _events(4)
    _drop_triggers()
    _raw(f"UPDATE {TABLE} SET changed_fields = %s WHERE id = %s", ['["password"]', events[2].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: row_hash"):
        _verify()


def test_a_removed_row_is_named_by_the_verifier_at_the_next_row():
    events = _events(4)
    _drop_triggers()
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: prev_hash"):
        _verify()


def test_a_forged_row_without_the_key_is_named(settings):
    events = _events(2)
    settings.JIEDU_AUDIT_KEY = "Zm9yZ2VkLWtleS1vZi1hbi1pbnRydWRlci0wMDAwMDA="  # the intruder's own key
    forged = audit.record(actor=None, action="auth.login", facility_id=None)
    settings.JIEDU_AUDIT_KEY = "ZGV2LWluc2VjdXJlLWF1ZGl0LWNoYWluLWtleS0wMDA="
    assert forged.prev_hash == events[1].row_hash
    with pytest.raises(CommandError, match=f"broken at event {forged.pk}"):
        _verify()


def test_the_triggers_are_installed():
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
    with connection.cursor() as cursor:
        cursor.execute(sql, [TABLE])
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {"audit_event_no_update", "audit_event_no_delete"}
        if connection.vendor == "sqlite"
        else {"audit_event_append_only", "audit_event_no_truncate"}
    )
    assert expected <= names


# --- retention (LOG-03) ---------------------------------------------------------------------------


def test_purge_keeps_rows_younger_than_the_retention_period(settings, monkeypatch):
    settings.JIEDU_AUDIT_RETENTION_DAYS = 180
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now - datetime.timedelta(days=200))
    old = _events(2)
    monkeypatch.setattr(timezone, "now", lambda: now - datetime.timedelta(days=179))
    young = _events(2)
    monkeypatch.setattr(timezone, "now", lambda: now)
    call_command("purge_audit", stdout=open("/dev/null", "w"))
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert not remaining & {e.pk for e in old}
    assert {e.pk for e in young} <= remaining
    assert AuditEvent.objects.filter(action="audit.purged").count() == 1
    assert _verify().startswith("audit chain intact")


def test_purge_refuses_a_retention_shorter_than_180_days(settings):
    settings.JIEDU_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="at least 180"):
        call_command("purge_audit")


# --- the audit write and the business write stand or fall together (LOG-04) ---------------------


def test_a_failing_audit_insert_rolls_the_business_write_back(facility_a, monkeypatch):
    def broken(prev_hash, fields):
        raise DatabaseError("audit insert failed")

    monkeypatch.setattr(chain, "row_hash", broken)
    with pytest.raises(DatabaseError):
        org_services.create_scoped(
            actor=UserFactory(is_superuser=True), model=Zone, facility=facility_a, name="隔离观察区",
            zone_type=ZoneType.FEVER_ISOLATION,
        )  # fmt: skip
    assert not Zone.objects.filter(facility=facility_a, name="隔离观察区").exists()


# --- concurrent writers share one chain (PostgreSQL) ------------------------------------------------


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    user = UserFactory()
    errors = []

    def write():
        try:
            for _ in range(15):
                with transaction.atomic():
                    audit.record(actor=user, action="zone.created", facility_id=None, changed_fields=["name"])
        except Exception as exc:  # noqa: BLE001  (reported below; a thread must not swallow it silently)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 60
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 60
    assert _verify().startswith("audit chain intact: 60 rows")
