"""``python -m jiedu purge-idempotency-keys``: the daily job forgetting stored answers to idempotent
submissions older than JIEDU_IDEMPOTENCY_KEY_DAYS, e.g. from cron:
``30 2 * * * cd /srv/jiedu && .venv/bin/python -m jiedu purge-idempotency-keys``."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jiedu.common import idempotency


class Command(BaseCommand):
    help = "Remove stored answers to idempotent submissions older than JIEDU_IDEMPOTENCY_KEY_DAYS (default 7)."

    def handle(self, *args, **options):
        removed = idempotency.purge_idempotency_keys()
        self.stdout.write(f"{removed} idempotency key(s) older than {settings.JIEDU_IDEMPOTENCY_KEY_DAYS} days removed.")
