"""三员分立 (等保 8.1.4.2d, 8.1.5.1–3): which role combinations one login may hold. No database here."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from jiedu.common.errors import DomainError
from jiedu.organisation.roles import ADMIN_ROLES, BUREAU_ROLES


def check_role_combination(*, held: Iterable[str], role: str) -> None:
    """Refuse ``role`` for a login already holding ``held`` (its other active roles).

    An administrator holds exactly one role: no second administrator role, no leader, officer or
    other business role next to it, so no account both administers and reads personal data.
    """
    held = set(held)
    if role in ADMIN_ROLES and held:
        raise DomainError(
            _("An administrator holds no other role: revoke this login's roles first."), field="role"
        )
    if held & ADMIN_ROLES:
        raise DomainError(_("This login is an administrator and can hold no other role."), field="role")


def check_role_scope(*, role: str, facility_id: int | None) -> None:
    """Bureau roles are held for the whole region, every other role for one facility."""
    if role in BUREAU_ROLES and facility_id is not None:
        raise DomainError(
            _("This role is held for the whole bureau, not for one facility."), field="facility"
        )
    if role not in BUREAU_ROLES and facility_id is None:
        raise DomainError(_("Choose the facility this role is held for."), field="facility")
