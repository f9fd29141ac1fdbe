"""``python -m jiedu purge-personal-data``: delete personal data whose retention has run out (PI-04).

Which data and for how long comes from docs/data-inventory.yaml (``expire``: rule and days); the
rules themselves are in privacy/retention.py. ``--dry-run`` counts without deleting. Audit rows and
the access log are never touched; the purge itself is recorded in the audit trail with its counts.
Run it daily from the scheduler.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jiedu.audit import services as audit
from jiedu.privacy import inventory, retention


class Command(BaseCommand):
    help = "Delete personal data past the retention of the data inventory (docs/data-inventory.yaml)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        days_by_rule = self._days_by_rule()
        now = timezone.now()
        total = 0
        for rule_name, days in sorted(days_by_rule.items()):
            cutoff = now - datetime.timedelta(days=days)
            with transaction.atomic():
                counts = retention.RULES[rule_name](cutoff, dry_run)
                removed = sum(counts.values())
                if removed and not dry_run:
                    audit.record(
                        actor=None, action="personal_data.purged", facility_id=None,
                        changed_fields=[f"{rule_name}:{label}:{n}" for label, n in sorted(counts.items())],
                    )  # fmt: skip
            total += removed
            detail = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()) if n) or "nothing"
            verb = "would delete" if dry_run else "deleted"
            self.stdout.write(f"{rule_name} (older than {days} days): {verb} {detail}")
        self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {total} rows in all")

    def _days_by_rule(self) -> dict[str, int]:
        days_by_rule: dict[str, int] = {}
        for expiry in inventory.expiries(inventory.load()):
            if expiry.rule not in retention.RULES:
                raise CommandError(f"{expiry.model}: unknown retention rule {expiry.rule!r}")
            if days_by_rule.setdefault(expiry.rule, expiry.days) != expiry.days:
                raise CommandError(f"{expiry.rule}: its models give different numbers of days")
            if expiry.days < 1:
                raise CommandError(f"{expiry.model}: retention must be at least one day")
        return days_by_rule
