"""Tamper evidence for the audit trail: a hash chain over every row and triggers that refuse
UPDATE (always) and DELETE/TRUNCATE (outside ``audit.maintenance``) at the database level."""

import django.utils.timezone
from django.db import migrations, models

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN jiedu_audit_maintenance() = 0
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION jiedu_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' AND coalesce(current_setting('jiedu.audit_maintenance', true), '') = 'on' THEN
           IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'integrity_constraint_violation';
       END $$""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION jiedu_audit_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION jiedu_audit_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS jiedu_audit_append_only()",
]


def _execute(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def seal_existing_rows(apps, schema_editor):
    """Rows written before the chain existed are chained now, in id order."""
    from jiedu.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        fields = {name: getattr(event, name) for name in chain.HASHED_FIELDS}
        digest = chain.row_hash(previous, fields)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=previous, row_hash=digest)
        previous = digest


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(schema_editor, SQLITE_TRIGGERS if vendor == "sqlite" else POSTGRES_TRIGGERS if vendor == "postgresql" else [])


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(schema_editor, SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else [])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="previous hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(condition=models.Q(row_hash__regex="^[0-9a-f]{64}$"), name="audit_row_hash_hex"),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
