"""``python -m jiedu disable-idle-accounts``: the daily job disabling logins idle over
JIEDU_ACCOUNT_IDLE_DAYS days (等保 8.1.4.2c). Run it from cron or a systemd timer, e.g.
``15 2 * * * cd /srv/jiedu && .venv/bin/python -m jiedu disable-idle-accounts``."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jiedu.accounts import services


class Command(BaseCommand):
    help = "Disable logins that have not logged in for JIEDU_ACCOUNT_IDLE_DAYS days (default 90); audited."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list the logins that would be disabled."
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.JIEDU_ACCOUNT_IDLE_DAYS
        if dry_run:
            names = list(services.idle_accounts().values_list("username", flat=True))
            verb = "would be disabled"
        else:
            names = services.disable_idle_accounts()
            verb = "disabled"
        for name in names:
            self.stdout.write(f"  {name}")
        self.stdout.write(f"{len(names)} login(s) idle over {days} days {verb}.")
