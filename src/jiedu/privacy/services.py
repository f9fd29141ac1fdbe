"""Writes of the personal-data access rules: the access log, reveals and export approvals."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common import request_context
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation import roles
from jiedu.organisation.scoping import ALL_FACILITIES, active_memberships, facility_scope, require, roles_for
from jiedu.privacy import domain
from jiedu.privacy.gates import GATES, Gate
from jiedu.privacy.models import AccessLog, ExportRequest


def log_access(*, actor, subject, kind: str, fields=(), purpose: str = "", facility_id=None) -> AccessLog:
    """One row per reading of a person's record (``kind`` view), reveal or export."""
    ctx = request_context.current()
    facility_id = facility_id if facility_id is not None else getattr(subject, "facility_id", None)
    entry = AccessLog(
        occurred_at=timezone.now(),
        actor=actor,
        actor_username=actor.get_username(),
        role=_role_label(actor, facility_id),
        facility_id=facility_id,
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        fields=list(fields),
        purpose=purpose,
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )
    entry.save(force_insert=True)
    return entry


def log_view(*, actor, subject) -> AccessLog:
    return log_access(actor=actor, subject=subject, kind=AccessLog.Kind.VIEW)


def _role_label(actor, facility_id) -> str:
    if facility_id is None:
        return ",".join(sorted({m.role for m in active_memberships(actor)}))
    return ",".join(roles_for(actor, facility_id)) or ("system" if actor.is_superuser else "")


@transaction.atomic
def reveal_identifier(*, actor, person, field: str, purpose: str) -> str:
    """The full ID or phone number of ``person``, for a role that may reveal it, with a typed purpose.

    The caller has fetched ``person`` through ``get_visible_or_404``; this checks the reveal right.
    Each reveal is one access-log row (with the purpose) and one audit event (without it).
    """
    require(actor, roles.REVEAL_PII, person.facility_id)
    if field not in domain.REVEALABLE or not hasattr(person, field):
        raise DomainError(_("This identifier cannot be revealed."), field="field")
    purpose = domain.clean_purpose(purpose)
    value = getattr(person, field) or ""
    if not value:
        raise DomainError(_("There is no number on record."), field="field")
    log_access(actor=actor, subject=person, kind=AccessLog.Kind.REVEAL, fields=[field], purpose=purpose)
    audit.record(
        actor=actor,
        action="pii.revealed",
        facility_id=person.facility_id,
        target=person,
        changed_fields=[field],
    )
    return value


def _scope_covers(user, gate: Gate, facility_id) -> bool:
    """``user`` may see every row of an export of ``gate`` limited to ``facility_id`` (None: all)."""
    scope = facility_scope(user, gate.action)
    if scope is ALL_FACILITIES:
        return True
    return facility_id is not None and facility_id in scope


def export_scope(user, gate: Gate, active_facility_id) -> int | None:
    """The facility an export of ``user`` covers: the one chosen in the switcher, or their only one."""
    if active_facility_id:
        return int(active_facility_id)
    scope = facility_scope(user, gate.action)
    if scope is not ALL_FACILITIES and len(scope) == 1:
        return next(iter(scope))
    return None


@transaction.atomic
def request_export(
    *, actor, export_name: str, query: str, reason: str, facility_id: int | None
) -> ExportRequest:
    gate = GATES.get(export_name)
    if gate is None:
        raise DomainError(_("Unknown export."), field="export")
    if facility_scope(actor, gate.action) == set() or (
        facility_id is not None and not _scope_covers(actor, gate, facility_id)
    ):
        raise AccessDenied(gate.action, facility_id)
    reason = domain.clean_purpose(reason, field="reason")
    now = timezone.now()
    export_request = ExportRequest(
        requester=actor,
        export_name=gate.name,
        query=query[:1000],
        reason=reason,
        facility_id=facility_id,
        expires_at=domain.expires_at(now),
    )
    export_request.save()
    audit.record(
        actor=actor, action="export.requested", facility_id=facility_id, target=export_request,
        changed_fields=["export_name", "query", "reason"],
    )  # fmt: skip
    return export_request


@transaction.atomic
def decide_export(*, actor, export_request: ExportRequest, approve: bool, note: str = "") -> ExportRequest:
    """A second person who sees the same rows approves or rejects, before the request expires."""
    gate = GATES[export_request.export_name]
    if export_request.requester_id == actor.pk:
        raise DomainError(_("A second person must decide on your own export request."), field="decision")
    if not _scope_covers(actor, gate, export_request.facility_id):
        raise AccessDenied(gate.action, export_request.facility_id)
    if export_request.status != ExportRequest.Status.REQUESTED:
        raise DomainError(_("This request has already been decided."), field="decision")
    now = timezone.now()
    if export_request.is_expired(now):
        raise DomainError(_("This request has expired; the requester must ask again."), field="decision")
    status = ExportRequest.Status.APPROVED if approve else ExportRequest.Status.REJECTED
    # Conditional update: two approvers deciding at once cannot both win.
    changed = ExportRequest.objects.filter(
        pk=export_request.pk, status=ExportRequest.Status.REQUESTED
    ).update(
        status=status, decided_by=actor, decided_at=now, decision_note=note.strip()[:200], updated_at=now
    )
    if not changed:
        raise DomainError(_("This request has already been decided."), field="decision")
    export_request.refresh_from_db()
    audit.record(
        actor=actor,
        action="export.approved" if approve else "export.rejected",
        facility_id=export_request.facility_id,
        target=export_request,
        changed_fields=["status"],
    )
    return export_request


def claim_download(*, actor, gate: Gate, request_id: str, query: str, facility_id) -> ExportRequest:
    """Use up an approval for exactly this export, these filters and this facility scope, once.

    Runs inside the download's transaction: if building the file fails, the approval is not spent.
    """
    refused = DomainError(_("This export has no valid approval."), field="approval")
    if not str(request_id).isdigit():
        raise refused
    export_request = ExportRequest.objects.filter(pk=int(request_id), requester_id=actor.pk).first()
    if export_request is None or export_request.export_name != gate.name:
        raise refused
    if export_request.query != query or export_request.facility_id != facility_id:
        raise DomainError(
            _("The filters differ from the approved ones; request a new approval."), field="approval"
        )
    now = timezone.now()
    if export_request.status == ExportRequest.Status.DOWNLOADED:
        raise DomainError(
            _("This approval has been used; each approval allows one download."), field="approval"
        )
    if export_request.status != ExportRequest.Status.APPROVED:
        raise refused
    if export_request.is_expired(now):
        raise DomainError(_("This approval has expired; request a new one."), field="approval")
    changed = ExportRequest.objects.filter(pk=export_request.pk, status=ExportRequest.Status.APPROVED).update(
        status=ExportRequest.Status.DOWNLOADED, downloaded_at=now, updated_at=now
    )
    if not changed:
        raise DomainError(
            _("This approval has been used; each approval allows one download."), field="approval"
        )
    export_request.refresh_from_db()
    log_access(
        actor=actor, subject=export_request, kind=AccessLog.Kind.EXPORT, fields=[gate.name],
        purpose=export_request.reason, facility_id=facility_id,
    )  # fmt: skip
    audit.record(
        actor=actor,
        action="export.downloaded",
        facility_id=facility_id,
        target=export_request,
        changed_fields=["status"],
    )
    return export_request
