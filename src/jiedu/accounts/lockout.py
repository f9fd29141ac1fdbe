"""Login lockout (等保 8.1.4.1b, ASVS 6.3.1 and 6.1.1) on top of django-axes' database handler.

- axes locks a *username* after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME (settings);
- this handler adds a per-IP limit, higher than the per-account one: one address trying many
  usernames (password spraying) is stopped before any of those accounts reaches its own limit.
  axes 8.3 compares every lockout parameter against the same limit, so the IP rule lives here,
  counted from the same AccessAttempt rows axes already keeps.
Both answer 429 with our page; every lock is audited; the security administrator unlocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from jiedu.audit import services as audit
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import MANAGE_SECURITY
from jiedu.organisation.scoping import require


def client_ip(request) -> str | None:
    """The address the audit trail records too (never X-Forwarded-For, which a client can forge)."""
    return request.META.get("REMOTE_ADDR") or None


def _threshold() -> datetime:
    return timezone.now() - get_cool_off()


def ip_failures(ip_address: str | None) -> int:
    if not ip_address:
        return 0
    rows = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=_threshold())
    return rows.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler plus the per-IP limit (JIEDU_LOGIN_IP_FAILURE_LIMIT)."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or _ip_over_limit(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or not _ip_over_limit(request):
            return
        # This failure took the address over its limit: answer 429 now, as axes does for a username.
        request.axes_locked_out = True
        request.axes_credentials = credentials
        audit.record(
            actor=None, action="auth.ip_throttled", facility_id=None, outcome=AuditEvent.Outcome.DENIED
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success (AXES_RESET_ON_SUCCESS) forgets the failures of this username *from this address*:
        axes would forget them from every address, and with them what the address is counted for."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def _ip_over_limit(request) -> bool:
    return ip_failures(getattr(request, "axes_ip_address", None)) >= settings.JIEDU_LOGIN_IP_FAILURE_LIMIT


def on_user_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    """axes' ``user_locked_out`` signal → one audit row per lock.

    axes sends the signal again for every attempt refused *during* a lock; only the attempt that
    caused the lock has counted its failures (``axes_failures_since_start``).
    """
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    from jiedu.accounts.models import User

    user = User.objects.filter(username=username).first() if username else None
    audit.record(
        actor=None, action="auth.locked_out", facility_id=None, target=user, outcome=AuditEvent.Outcome.DENIED
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: our translated page, 429, and when to come back."""
    minutes = int(get_cool_off().total_seconds() // 60)
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


# --- What the security administrator sees and undoes -----------------------------------------


@dataclass(frozen=True)
class Lock:
    key: str  # a username or an IP address
    failures: int
    last_attempt: datetime


def locked_usernames() -> list[Lock]:
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=_threshold(), username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [Lock(r["username"], r["failures"], r["last"]) for r in rows]


def throttled_addresses() -> list[Lock]:
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=_threshold(), ip_address__isnull=False)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.JIEDU_LOGIN_IP_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [Lock(r["ip_address"], r["failures"], r["last"]) for r in rows]


def unlock_username(*, actor, username: str) -> int:
    """Forget the failures of ``username``; the account may log in again at once."""
    from jiedu.accounts.models import User

    require(actor, MANAGE_SECURITY, None)
    count = AxesProxyHandler.reset_attempts(username=username)
    user = User.objects.filter(username=username).first()
    audit.record(actor=actor, action="auth.unlocked", facility_id=None, target=user)
    return count


def unblock_address(*, actor, ip_address: str) -> int:
    """Forget the failures counted against one IP address."""
    require(actor, MANAGE_SECURITY, None)
    count = AxesProxyHandler.reset_attempts(ip_address=ip_address)
    audit.record(actor=actor, action="auth.ip_unblocked", facility_id=None)
    return count
