"""``python -m jiedu demo-otp <username>``: the current second-factor code of a demo login.

Development only: demo logins of leaders and administrators have a TOTP device whose secret is
derived from the demo password (demo/otp.py), so nobody needs a phone to try the platform.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiedu.demo import otp


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo login (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("demo-otp prints second-factor codes; refusing in production.")
        device = TOTPDevice.objects.filter(
            user__username=username, name=otp.DEVICE_NAME, key=otp.demo_key(username), confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"{username} has no demo second factor (run `python -m jiedu seed-demo` first)."
            )
        code, remaining = otp.current_code(device)
        self.stdout.write(code)
        self.stderr.write(
            f"valid for about {remaining} s more; each code works once, then wait for the next one."
        )
