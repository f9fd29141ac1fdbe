"""``python -m jiedu purge-audit``: remove audit rows older than the retention period (≥ 180 days).

The oldest remaining row keeps its ``prev_hash``, which now points to a purged row; the purge
itself is recorded as an audit event carrying the count, so verification stays meaningful.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jiedu.audit import services as audit
from jiedu.audit.maintenance import audit_maintenance
from jiedu.audit.models import AuditEvent

MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = "Delete audit events older than JIEDU_AUDIT_RETENTION_DAYS (at least 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; remove nothing.")

    def handle(self, *args, dry_run=False, **options):
        days = settings.JIEDU_AUDIT_RETENTION_DAYS
        if days < MINIMUM_DAYS:
            raise CommandError(f"JIEDU_AUDIT_RETENTION_DAYS is {days}; audit rows are kept at least {MINIMUM_DAYS} days")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        expired = AuditEvent.objects.filter(occurred_at__lt=cutoff)
        count = expired.count()
        if dry_run or count == 0:
            self.stdout.write(f"{count} audit events older than {days} days" + (" (dry run)" if dry_run else ""))
            return
        with transaction.atomic(), audit_maintenance():
            # Raw delete: the ORM refuses on purpose; only this command passes the triggers.
            AuditEvent.objects.filter(occurred_at__lt=cutoff)._raw_delete(AuditEvent.objects.db)
            audit.record(actor=None, action="audit.purged", facility_id=None, changed_fields=[f"rows:{count}"])
        self.stdout.write(f"removed {count} audit events older than {days} days")
