"""Small helpers that services share. Business rules stay in each app's services and domain."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiedu.common.errors import DomainError


def apply_changes(instance, changes: dict) -> list[str]:
    """Set the attributes that really change; return their names (for update_fields and audit)."""
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def validated_save(instance, *, update_fields: list[str] | None = None) -> None:
    """Field validation, then save; the database enforces the constraints.

    Uniqueness and check constraints are not re-queried here (Django would run one query per
    constraint): services check the rules users meet with a friendly message, and a race or a
    missed rule surfaces from the database as a DomainError, not a 500.
    """
    instance.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            if update_fields is None:
                instance.save()
            else:
                instance.save(update_fields=[*update_fields, "updated_at"])
    except IntegrityError as exc:
        # The database text may quote values; the user gets a plain sentence instead.
        raise DomainError(_("This conflicts with an existing record."), code="conflict") from exc
