"""Downloading a bulk export of personal data the way a user must (PI-03): ask, a colleague approves,
download once. For tests of exports that are not about the approval itself.

    response = approved_get(client, "/health/log/export/", data={"zone": 3})
"""

from __future__ import annotations

from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role
from jiedu.privacy import services
from jiedu.privacy.models import ExportRequest


def request_approval(
    client, path: str, data: dict | None = None, reason: str = "测试导出核对名单"
) -> ExportRequest:
    """The requester (logged in on ``client``) is refused, then asks through the refusal page's form."""
    refused = client.get(path, data or {})
    assert refused.status_code == 403, f"{path} answered {refused.status_code} without approval"
    form = refused.context["form"]
    before = set(ExportRequest.objects.values_list("pk", flat=True))
    posted = client.post(
        "/privacy/approvals/request/",
        {"export": form.initial["export"], "query": form.initial["query"], "reason": reason},
    )
    assert posted.status_code == 302, posted.content.decode()[:500]
    return ExportRequest.objects.exclude(pk__in=before).get()


def colleague_of(export_request: ExportRequest):
    """A second person who sees the same rows: a leader of the same facility, or a bureau leader."""
    from factories import UserFactory

    colleague = UserFactory()
    if export_request.facility_id is None:
        Membership.objects.create(user=colleague, facility=None, role=Role.BUREAU_LEADER)
    else:
        Membership.objects.create(
            user=colleague, facility_id=export_request.facility_id, role=Role.FACILITY_LEADER
        )
    return colleague


def approved_get(client, path: str, *, data: dict | None = None, approver=None):
    """Ask, have a colleague (or ``approver``) approve, download: the export's response."""
    export_request = request_approval(client, path, data)
    services.decide_export(
        actor=approver or colleague_of(export_request), export_request=export_request, approve=True
    )
    query = f"{export_request.query}&" if export_request.query else ""
    return client.get(f"{path}?{query}approval={export_request.pk}")
