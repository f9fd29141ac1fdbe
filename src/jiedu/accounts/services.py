"""Account rules: password age, disabling logins (by hand and when idle), default accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from jiedu.accounts import sessions
from jiedu.accounts.models import User
from jiedu.audit import services as audit
from jiedu.organisation.roles import MANAGE_ACCOUNTS, MANAGE_SECURITY
from jiedu.organisation.scoping import require

# Names an attacker tries first (等保 8.1.4.2b 默认账户): none of them may be able to log in.
DEFAULT_ACCOUNT_NAMES = ("admin", "administrator", "root", "test", "guest", "user", "demo", "sa", "system")


def password_expires_at(user) -> datetime:
    return user.password_changed_at + timedelta(days=settings.JIEDU_PASSWORD_MAX_AGE_DAYS)


def password_expired(user, now: datetime | None = None) -> bool:
    """等保 8.1.4.1a 定期更换 (a documented deviation from ASVS 6.2.10, which advises against it)."""
    return (now or timezone.now()) >= password_expires_at(user)


def password_changed(request, user) -> None:
    """After a change: this session carries on under a new key, every other session of the user ends.

    Django's session-hash check already refuses the other sessions (their hash no longer matches
    the password); deleting them as well leaves nothing behind to replay.
    """
    sessions.end_sessions(user, keep=request.session.session_key)
    audit.record(
        actor=user, action="auth.password_changed", facility_id=None, target=user, changed_fields=["password"]
    )


@transaction.atomic
def disable_user(*, actor, user: User) -> User:
    """Disable a login (system administrator) and end its sessions at once."""
    require(actor, MANAGE_ACCOUNTS, None)
    _disable(user)
    audit.record(
        actor=actor, action="user.disabled", facility_id=None, target=user, changed_fields=["is_active"]
    )
    return user


def end_user_sessions(*, actor, user: User) -> int:
    """The security administrator logs a user out everywhere (a lost laptop, a suspected intrusion)."""
    require(actor, MANAGE_SECURITY, None)
    count = sessions.end_sessions(user)
    audit.record(actor=actor, action="auth.sessions_ended", facility_id=None, target=user)
    return count


def _disable(user: User) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions.end_sessions(user)


def idle_accounts(now: datetime | None = None):
    """Active logins that can log in with a password and have not for JIEDU_ACCOUNT_IDLE_DAYS days.

    A login that never logged in counts from when it was created; a new password (an administrator
    re-enabling a login sets one) restarts the count as well. Accounts without a usable
    password (the system actor, token-only devices) cannot log in and are left alone.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.JIEDU_ACCOUNT_IDLE_DAYS)
    return (
        User.objects.filter(is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .annotate(last_seen=Greatest(Coalesce("last_login", "date_joined"), "password_changed_at"))
        .filter(last_seen__lt=cutoff)
        .order_by("pk")
    )


def disable_idle_accounts(now: datetime | None = None) -> list[str]:
    """The scheduled job (等保 8.1.4.2c 过期账户): disable idle logins; returns their usernames."""
    disabled = []
    for user in idle_accounts(now):
        with transaction.atomic():
            _disable(user)
            audit.record(actor=None, action="auth.account_disabled_idle", facility_id=None, target=user)
        disabled.append(user.username)
    sessions.prune()
    return disabled


@dataclass(frozen=True)
class AccountReport:
    default_accounts: list[str]  # default names that can log in
    idle_accounts: list[str]
    shared_staff_logins: list[str]  # staff records (ID numbers) reachable from more than one login

    @property
    def ok(self) -> bool:
        return not (self.default_accounts or self.idle_accounts or self.shared_staff_logins)


def check_accounts(now: datetime | None = None) -> AccountReport:
    """No default accounts, no idle ones, no shared ones (等保 8.1.4.2b/c)."""
    from jiedu.people.models import Staff

    default_q = Q()
    for name in DEFAULT_ACCOUNT_NAMES:
        default_q |= Q(username__iexact=name)
    defaults = User.objects.filter(default_q, is_active=True).exclude(
        password__startswith=UNUSABLE_PASSWORD_PREFIX
    )
    # One Staff row per ID number and one login per Staff row are database constraints; this
    # catches the same person reaching two logins through two staff rows should either ever go.
    shared = (
        Staff.objects.filter(user__isnull=False)
        .values("id_number_index")
        .annotate(logins=Count("user", distinct=True))
        .filter(logins__gt=1)
    )
    return AccountReport(
        default_accounts=sorted(u.username for u in defaults),
        idle_accounts=list(idle_accounts(now).values_list("username", flat=True)),
        shared_staff_logins=[row["id_number_index"][:8] for row in shared],
    )
