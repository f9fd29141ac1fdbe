"""The access log is append-only at the database level, like the audit trail (audit/0002): UPDATE is
refused always, DELETE/TRUNCATE outside ``audit.maintenance`` (the same door: test flushes and a
retention purge), so no client without the app can erase who looked at whose record."""

from django.db import migrations

SQLITE_TRIGGERS = [
    """CREATE TRIGGER privacy_accesslog_no_update BEFORE UPDATE ON privacy_accesslog
       BEGIN SELECT RAISE(ABORT, 'access log rows are append-only'); END""",
    """CREATE TRIGGER privacy_accesslog_no_delete BEFORE DELETE ON privacy_accesslog
       WHEN jiedu_audit_maintenance() = 0
       BEGIN SELECT RAISE(ABORT, 'access log rows are append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_update",
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_delete",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION jiedu_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' AND coalesce(current_setting('jiedu.audit_maintenance', true), '') = 'on' THEN
           IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'access log rows are append-only' USING ERRCODE = 'integrity_constraint_violation';
       END $$""",
    """CREATE TRIGGER privacy_accesslog_append_only BEFORE UPDATE OR DELETE ON privacy_accesslog
       FOR EACH ROW EXECUTE FUNCTION jiedu_access_log_append_only()""",
    """CREATE TRIGGER privacy_accesslog_no_truncate BEFORE TRUNCATE ON privacy_accesslog
       FOR EACH STATEMENT EXECUTE FUNCTION jiedu_access_log_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_truncate ON privacy_accesslog",
    "DROP TRIGGER IF EXISTS privacy_accesslog_append_only ON privacy_accesslog",
    "DROP FUNCTION IF EXISTS jiedu_access_log_append_only()",
]


def _execute(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(
        schema_editor,
        SQLITE_TRIGGERS if vendor == "sqlite" else POSTGRES_TRIGGERS if vendor == "postgresql" else [],
    )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(
        schema_editor, SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []
    )


class Migration(migrations.Migration):
    # audit/0002 brings the maintenance switch (the SQLite function is registered by audit.maintenance).
    dependencies = [("privacy", "0001_initial"), ("audit", "0002_hash_chain")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
