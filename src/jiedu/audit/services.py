"""Writing the audit trail. Services call ``record`` inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jiedu.audit import chain
from jiedu.audit.models import AuditEvent
from jiedu.common import request_context


def record(
    *,
    actor,
    action: str,
    facility_id: int | None,
    target=None,
    changed_fields: Iterable[str] = (),
    outcome: str = AuditEvent.Outcome.SUCCESS,
) -> AuditEvent:
    ctx = request_context.current()
    authenticated = getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        role=_role_label(actor, facility_id) if authenticated else "",
        facility_id=facility_id,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        changed_fields=sorted(changed_fields),
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
        outcome=outcome,
    )
    # Inside the caller's transaction when there is one: a failed audit insert rolls the business
    # write back with it, and the chain lock is held until that transaction commits.
    event.ip = AuditEvent._meta.get_field("ip").get_prep_value(event.ip)  # hash what the database keeps
    with transaction.atomic():
        chain.lock_for_append()
        previous = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
        event.prev_hash = previous or chain.GENESIS
        event.row_hash = chain.row_hash(event.prev_hash, _hashed_fields(event))
        event.save(force_insert=True)
    return event


def _hashed_fields(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in chain.HASHED_FIELDS}


def _role_label(actor, facility_id) -> str:
    from jiedu.organisation.scoping import active_memberships, roles_for

    if facility_id is None:  # a region-wide event (a login): every role the actor holds
        held = sorted({m.role for m in active_memberships(actor)})
    else:
        held = roles_for(actor, facility_id)
    if not held and actor.is_superuser:
        return "system"
    return ",".join(held)


def record_denial(*, actor, action: str, facility_id: int | None, target=None) -> AuditEvent:
    return record(
        actor=actor, action=action, facility_id=facility_id, target=target, outcome=AuditEvent.Outcome.DENIED
    )
