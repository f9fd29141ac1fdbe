"""``python -m jiedu appoint-administrator <username> <system_admin|security_admin|audit_admin>``

Deployment only: the three administrators (三员) are appointed by whoever installs the platform, never
from a page. The login must hold no other role; the appointment is audited (actor: the system).
"""

from django.core.management.base import BaseCommand, CommandError

from jiedu.accounts.models import User
from jiedu.administration import services
from jiedu.common.errors import DomainError
from jiedu.organisation.roles import ADMIN_ROLES


class Command(BaseCommand):
    help = "Appoint a login as the system, security or audit administrator (it may hold no other role)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ADMIN_ROLES))

    def handle(self, *args, username, role, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no login named {username!r}")
        try:
            services.appoint_administrator(actor=None, user=user, role=role)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"{username} is now {role}")
