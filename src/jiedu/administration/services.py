"""The system administrator's duties (MANAGE_ACCOUNTS): logins and the roles they hold.

Administrator roles themselves are appointed only at deployment (``appoint-administrator``), never
from a page: the system administrator cannot make anyone, least of all themself, an administrator.
Every change is audited; role rules are in administration/domain.py and, for bureau-wide roles,
in the database (one bureau-wide membership per login).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiedu.accounts import services as accounts
from jiedu.accounts.models import User
from jiedu.administration import domain
from jiedu.administration.selectors import is_administrator
from jiedu.audit import services as audit
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import ADMIN_ROLES, MANAGE_ACCOUNTS
from jiedu.organisation.scoping import forget_memberships, require


@transaction.atomic
def create_user(*, actor, username: str, display_name: str, password: str) -> User:
    require(actor, MANAGE_ACCOUNTS, None)
    username = username.strip()
    if not username:
        raise DomainError(_("Enter a login name."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This login name is taken."), field="username")
    user = User(username=username, display_name=display_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor, action="user.created", facility_id=None, target=user, changed_fields=["username"]
    )
    return user


def _check_grantable(
    *, actor_id, user: User, role: str, facility_id: int | None, appointing: bool
) -> Membership | None:
    """Common rules of a grant; returns the user's existing row for the same scope, if any."""
    if user.pk == actor_id:
        raise DomainError(_("Nobody changes their own roles."), field="user")
    if (role in ADMIN_ROLES) != appointing:
        raise DomainError(
            _("Administrator roles are appointed at deployment, not granted here."), field="role"
        )
    domain.check_role_scope(role=role, facility_id=facility_id)
    lookup = {"facility_id": facility_id} if facility_id else {"facility__isnull": True}
    existing = Membership.objects.filter(user=user, **lookup).first()
    others = Membership.objects.filter(user=user, is_active=True)
    if existing is not None:
        if existing.is_active and existing.role == role:
            raise DomainError(_("This login already holds this role."), field="role")
        if existing.is_active and facility_id is None:
            # The database allows one bureau-wide row per login; replacing it is a revoke first.
            raise DomainError(_("This login already holds a bureau-wide role."), field="role")
        others = others.exclude(pk=existing.pk)
    domain.check_role_combination(held=others.values_list("role", flat=True), role=role)
    return existing


def _save_grant(existing, *, user, role, facility_id) -> Membership:
    if existing is None:
        membership = Membership(user=user, role=role, facility_id=facility_id)
    else:
        membership, membership.role, membership.is_active = existing, role, True
    try:
        with transaction.atomic():
            membership.full_clean(validate_unique=False, validate_constraints=True)
            membership.save()
    except (IntegrityError, ValidationError) as exc:
        # The database's rule (one bureau-wide role per login) stands behind the checks above.
        raise DomainError(_("This login already holds a bureau-wide role."), field="role") from exc
    forget_memberships(user)
    return membership


@transaction.atomic
def grant_membership(*, actor, user: User, role: str, facility=None) -> Membership:
    """Give ``user`` a business role (never an administrator one) for a facility or the bureau."""
    require(actor, MANAGE_ACCOUNTS, None)
    facility_id = getattr(facility, "pk", facility)
    existing = _check_grantable(
        actor_id=actor.pk, user=user, role=role, facility_id=facility_id, appointing=False
    )
    membership = _save_grant(existing, user=user, role=role, facility_id=facility_id)
    audit.record(
        actor=actor, action="membership.granted", facility_id=facility_id, target=membership,
        changed_fields=["role", "is_active"],
    )  # fmt: skip
    return membership


@transaction.atomic
def revoke_membership(*, actor, membership: Membership) -> Membership:
    require(actor, MANAGE_ACCOUNTS, None)
    if membership.user_id == actor.pk:
        raise DomainError(_("Nobody changes their own roles."), field="membership")
    if membership.role in ADMIN_ROLES:
        raise DomainError(_("Administrator roles are changed at deployment, not here."), field="membership")
    if not membership.is_active:
        raise DomainError(_("This role is already revoked."), field="membership")
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    forget_memberships(membership.user)
    audit.record(
        actor=actor, action="membership.revoked", facility_id=membership.facility_id, target=membership,
        changed_fields=["is_active"],
    )  # fmt: skip
    return membership


def _check_account_change(*, actor, user: User) -> None:
    require(actor, MANAGE_ACCOUNTS, None)
    if user.pk == actor.pk:
        raise DomainError(_("Nobody disables or enables their own login."), field="user")
    if user.is_superuser or is_administrator(user):
        raise DomainError(_("Administrators' logins are managed at deployment, not here."), field="user")


@transaction.atomic
def disable_account(*, actor, user: User) -> User:
    """Disable a business login; its sessions end at once (accounts.services.disable_user)."""
    _check_account_change(actor=actor, user=user)
    if not user.is_active:
        raise DomainError(_("This login is already disabled."), field="user")
    return accounts.disable_user(actor=actor, user=user)


@transaction.atomic
def enable_account(*, actor, user: User) -> User:
    """Enable a login again (e.g. one disabled after 90 idle days, 等保 8.1.4.2c)."""
    _check_account_change(actor=actor, user=user)
    if user.is_active:
        raise DomainError(_("This login is already enabled."), field="user")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action="user.enabled", facility_id=None, target=user, changed_fields=["is_active"]
    )
    return user


@transaction.atomic
def appoint_administrator(*, actor, user: User, role: str) -> Membership:
    """Deployment only (``python -m jiedu appoint-administrator``, or a superuser): one of the three
    administrator roles, for a login that holds no other role."""
    if actor is not None and not actor.is_superuser:
        raise AccessDenied("administration.appoint", None)
    if role not in ADMIN_ROLES:
        raise DomainError(_("Not an administrator role."), field="role")
    actor_id = actor.pk if actor is not None else None
    existing = _check_grantable(actor_id=actor_id, user=user, role=role, facility_id=None, appointing=True)
    membership = _save_grant(existing, user=user, role=role, facility_id=None)
    audit.record(
        actor=actor, action="membership.administrator_appointed", facility_id=None, target=membership,
        changed_fields=["role"],
    )  # fmt: skip
    return membership
