"""Reads for the privacy pages: the access log, and export requests to download or to decide."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope
from jiedu.privacy import domain
from jiedu.privacy.gates import GATES
from jiedu.privacy.models import AccessLog, ExportRequest


def access_log(user, filters: dict):
    """The access log the user may read, narrowed by the filter form's cleaned data."""
    rows = AccessLog.objects.visible_to(user)
    if filters.get("actor"):
        rows = rows.filter(actor_username__icontains=filters["actor"])
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("subject_type"):
        rows = rows.filter(subject_type=filters["subject_type"])
    if filters.get("subject_id"):
        rows = rows.filter(subject_id=str(filters["subject_id"]))
    if filters.get("facility"):
        rows = rows.filter(facility_id=filters["facility"].pk)
    if filters.get("purpose"):
        rows = rows.filter(purpose__icontains=filters["purpose"])
    if filters.get("since"):
        rows = rows.filter(occurred_at__date__gte=filters["since"])
    if filters.get("until"):
        rows = rows.filter(occurred_at__date__lte=filters["until"])
    return rows


def may_request_exports(user) -> bool:
    return any(facility_scope(user, gate.action) != set() for gate in GATES.values())


def own_requests(user, limit: int = 50) -> list[ExportRequest]:
    requests = list(
        ExportRequest.objects.visible_to(user)
        .filter(requester_id=user.pk)
        .select_related("facility", "decided_by")[:limit]
    )
    now = timezone.now()
    for export_request in requests:
        export_request.label = GATES[export_request.export_name].label
        still_open = export_request.status in (ExportRequest.Status.REQUESTED, ExportRequest.Status.APPROVED)
        expired = still_open and export_request.is_expired(now)
        export_request.shown_status = _("Expired") if expired else export_request.get_status_display()
        export_request.download_url = (
            download_url(export_request)
            if export_request.status == ExportRequest.Status.APPROVED and not expired
            else ""
        )
    return requests


def download_url(export_request: ExportRequest) -> str:
    gate = GATES[export_request.export_name]
    query = f"{export_request.query}&" if export_request.query else ""
    return f"{reverse(gate.url_name)}?{query}{domain.APPROVAL_PARAM}={export_request.pk}"


def requests_to_decide(user) -> list[ExportRequest]:
    """Pending, unexpired requests of others that the user sees every row of."""
    pending = (
        ExportRequest.objects.visible_to(user)
        .filter(status=ExportRequest.Status.REQUESTED, expires_at__gt=timezone.now())
        .exclude(requester_id=user.pk)
        .select_related("requester", "facility")
    )
    decidable = []
    for export_request in pending:
        scope = facility_scope(user, GATES[export_request.export_name].action)
        # A request over several facilities (no facility) needs an approver who sees the whole region.
        if scope is ALL_FACILITIES or export_request.facility_id in scope:
            export_request.label = GATES[export_request.export_name].label
            decidable.append(export_request)
    return decidable
