"""Reads for the administrators' pages. Logins are region-wide: no facility scoping applies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from jiedu.accounts.models import User
from jiedu.audit import chain
from jiedu.audit.management.commands.verify_audit import COLUMNS
from jiedu.audit.models import AuditEvent
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import ADMIN_ROLES


def accounts(q: str = ""):
    """Logins with their active roles; no personal data beyond the name shown in the menu bar."""
    users = User.objects.order_by("username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_active=True).select_related("facility"),
            to_attr="active_memberships",
        )
    )
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return users


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username.strip()).first()


def user_by_id(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


def membership(pk: int) -> Membership | None:
    return Membership.objects.select_related("user", "facility").filter(pk=pk).first()


def is_administrator(user) -> bool:
    return Membership.objects.filter(user=user, is_active=True, role__in=sorted(ADMIN_ROLES)).exists()


@dataclass(frozen=True)
class ChainStatus:
    checked: int
    broken_at: int | None
    reason: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def audit_chain_status() -> ChainStatus:
    """The same walk as ``verify-audit``: every row's HMAC-SM3 against its predecessor."""
    rows = AuditEvent.objects.order_by("id").values(*COLUMNS).iterator(chunk_size=5000)
    checked, broken = chain.first_break(rows)
    if broken is None:
        return ChainStatus(checked, None, "")
    return ChainStatus(checked, broken.event_id, broken.reason)
