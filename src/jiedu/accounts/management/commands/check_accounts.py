"""``python -m jiedu check-accounts``: no default, idle or shared accounts (等保 8.1.4.2b/c).

Exits 1 when it finds any, so a deployment script or CI step can stop on it.
"""

from django.core.management.base import BaseCommand, CommandError

from jiedu.accounts import services


class Command(BaseCommand):
    help = "Check that no default account can log in, no login is idle too long and no login is shared."

    def handle(self, *args, **options):
        report = services.check_accounts()
        sections = [
            ("Default account names that can log in", report.default_accounts),
            ("Logins idle too long (run disable-idle-accounts)", report.idle_accounts),
            ("Staff records reachable from more than one login", report.shared_staff_logins),
        ]
        for title, names in sections:
            self.stdout.write(f"{title}: {len(names)}")
            for name in names:
                self.stdout.write(f"  {name}")
        if not report.ok:
            raise CommandError("account check failed")
        self.stdout.write("Accounts OK.")
