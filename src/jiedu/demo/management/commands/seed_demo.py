"""``python manage.py seed_demo`` (or ``python -m jiedu seed-demo``): load the demo region.

Idempotent: a second run creates nothing and changes nothing. Prints the demo logins.
"""

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiedu.demo import region
from jiedu.demo.history import seed_history
from jiedu.demo.seeding import seed_region, system_user
from jiedu.organisation.models import Facility


class Command(BaseCommand):
    help = "Load the demo region (nine named facilities and one illustrative) with one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the summary, not the login table."
        )
        parser.add_argument(
            "--facilities",
            type=int,
            default=None,
            metavar="N",
            help="Only the first N facilities (for quick tests; the default loads all ten).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo logins with the published demo password even when JIEDU_ENV=production.",
        )

    def handle(self, *args, quiet=False, facilities=None, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError("seed_demo creates logins with a published password; refusing in production.")
        if facilities is not None and not 1 <= facilities <= len(region.FACILITIES):
            raise CommandError(f"--facilities must be between 1 and {len(region.FACILITIES)}")
        started = time.monotonic()
        report = seed_region(facilities=facilities)
        history = seed_history(system=system_user(), today=timezone.localdate())
        elapsed = time.monotonic() - started
        if not quiet:
            self._print_logins()
        created = sum(report.created.values())
        skipped = len(report.skipped_people)
        self.stdout.write(
            f"演示区域 demo region: {_summary()}. 本次写入 {created} 行 rows written"
            + (f", {skipped} 个场所人员已存在 facilities already had people" if skipped else "")
            + f" ({elapsed:.1f} s)"
        )
        if any(history.values()):
            written = ", ".join(f"{label} {n}" for label, n in history.items() if n)
            self.stdout.write(f"近期台账 recent history: {written}")

    def _print_logins(self):
        from jiedu.accounts.models import User

        usernames = [s.username for s in region.LOGINS]
        existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        names = dict(Facility.objects.visible_to(system_user()).values_list("code", "short_name"))
        rows = [("用户名 username", "姓名 name", "角色 role", "场所 facility", "密码 password", "动态码 second factor")]
        for spec in region.LOGINS:
            if spec.username not in existing:
                continue
            where = "、".join(names.get(code, code) for code in spec.facilities) or "全区 whole bureau"
            role = region.ROLE_NAMES_ZH[spec.role]
            # Leaders and administrators must enter a TOTP code after the password (issue 6).
            otp = f"python -m jiedu demo-otp {spec.username}" if spec.role in settings.JIEDU_OTP_REQUIRED_ROLES else "—"
            rows.append((spec.username, spec.display_name, role, where, settings.DEMO_PASSWORD, otp))
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for i, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  ".join("-" * w for w in widths))


def _summary() -> str:
    from jiedu.accounts.models import User
    from jiedu.organisation.models import CommunityStation, Department, Room, Zone
    from jiedu.people.models import Resident, Staff

    system = system_user()  # sees the whole region
    counts = [
        ("场所 facilities", Facility.objects.visible_to(system).count()),
        ("部门 departments", Department.objects.visible_to(system).count()),
        ("区域 zones", Zone.objects.visible_to(system).count()),
        ("房间 rooms", Room.objects.visible_to(system).count()),
        ("指导站 stations", CommunityStation.objects.visible_to(system).count()),
        ("民警职工 staff", Staff.objects.visible_to(system).count()),
        ("戒毒人员 residents", Resident.objects.visible_to(system).count()),
        ("演示账号 logins", User.objects.filter(username__in=[s.username for s in region.LOGINS]).count()),
    ]
    return ", ".join(f"{n} {label}" for label, n in counts)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
