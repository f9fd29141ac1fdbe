"""The one door through which rows may leave the audit table: the retention purge (and test flushes).

The database triggers (migration 0002) refuse UPDATE always, and DELETE/TRUNCATE unless this
connection is in maintenance: on PostgreSQL a session setting, on SQLite a function the app
registers on each connection. A client without the app (psql, sqlite3) cannot delete at all.
Anyone with enough database rights can still drop a trigger: the hash chain is what proves it.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.db import connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_maintenance = contextvars.ContextVar("jiedu_audit_maintenance", default=False)


@receiver(connection_created)
def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "jiedu_audit_maintenance", 0, lambda: 1 if _maintenance.get() else 0, deterministic=False
        )


@contextlib.contextmanager
def audit_maintenance(using: str = "default"):
    connection = connections[using]
    token = _maintenance.set(True)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jiedu.audit_maintenance = 'on'")
    try:
        yield
    finally:
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET jiedu.audit_maintenance")
        _maintenance.reset(token)
