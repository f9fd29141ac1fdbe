"""Small helpers that services share. Business rules stay in each app's services and domain."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiedu.common.errors import DomainError, StaleVersion


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
    missed rule surfaces from the database as a DomainError, not a 500. For the same reason a
    foreign key set from an object the service already loaded is not looked up again (Django
    would query once per key to see that it exists); one set by id still is, and the database's
    foreign-key constraint has the last word either way.
    """
    instance.full_clean(
        exclude=_loaded_relations(instance), validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            if update_fields is None:
                instance.save()
            else:
                instance.save(update_fields=[*update_fields, "updated_at"])
    except IntegrityError as exc:
        # The database text may quote values; the user gets a plain sentence instead.
        raise DomainError(_("This conflicts with an existing record."), code="conflict") from exc


def _loaded_relations(instance) -> list[str]:
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one and field.is_cached(instance) and field.get_cached_value(instance) is not None
    ]


def refuse_stale(instance, expected_version: int | None) -> None:
    """Refuse at once a write based on an older read than ``instance`` (just loaded for it), before
    rules that would judge the newer state: the caller learns of the change, not of a side effect.
    ``None``: the caller sent no version (see ``save_versioned``)."""
    if expected_version is not None and expected_version != instance.version:
        raise StaleVersion(current=instance)


def save_versioned(instance, *, expected_version: int | None, update_fields: list[str]) -> None:
    """Save ``update_fields`` of a ``VersionedModel`` only if the row still has ``expected_version``.

    The row is locked while it is compared (PostgreSQL: a second writer holding the same version
    waits for the first to commit, then sees the new number; SQLite: BEGIN IMMEDIATE already lets
    one writer at a time), then saved through ``validated_save``, which adds one to the version.
    Otherwise ``StaleVersion`` carries the row as it is now, and nothing is written: the service's
    audit line, which comes after the save, is never recorded for a refused write.

    ``expected_version=None`` saves without comparing: for callers that change a row without a
    client's read behind it (another domain moving a resident's bed, a finding step whose client
    sent no version); the version still goes up, so clients holding the old one are told. The API
    requires a version on PUT and PATCH, so a client never overwrites blindly.
    """
    model = type(instance)
    with transaction.atomic():
        if expected_version is not None:
            rows = model._base_manager.select_for_update().filter(pk=instance.pk)
            if rows.values_list("version", flat=True).get() != expected_version:
                raise StaleVersion(current=model._base_manager.get(pk=instance.pk))
        validated_save(instance, update_fields=update_fields)
