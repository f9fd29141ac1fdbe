"""``@approval_required(name)``: a bulk export of personal data runs only under a second person's approval.

Without ``?approval=<request number>`` the export answers 403 with a form to ask for approval; with
one, the approval must be the caller's own, approved, unexpired, unused, for this export, these
filters and this facility scope. The download then uses it up, writes an access-log row (kind
export) and stamps the workbook with who, when and which approval (PI-03, GB/T 35273 §7.1).
Put it under ``@rate_limited("export")`` so refused attempts count against the rate limit too.
"""

from __future__ import annotations

from functools import wraps

from django.db import transaction
from django.shortcuts import render
from django.utils import timezone

from jiedu.audit.services import record_denial
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.common.excel import add_watermark
from jiedu.organisation.scoping import facility_scope
from jiedu.privacy import domain, services
from jiedu.privacy.forms import ExportApprovalRequestForm
from jiedu.privacy.gates import GATES


def approval_required(name: str):
    gate = GATES[name]  # a KeyError at import: every gated export is listed in gates.py

    def decorate(view):
        @wraps(view)
        def gated(request, *args, **kwargs):
            if facility_scope(request.user, gate.action) == set():
                raise AccessDenied(gate.action, None)  # sees none of these rows: nothing to ask approval for
            query = domain.canonical_query(request.GET)
            facility_id = services.export_scope(request.user, gate, request.session.get("active_facility_id"))
            approval = request.GET.get(domain.APPROVAL_PARAM, "")
            if not approval:
                record_denial(actor=request.user, action="export.approval_missing", facility_id=facility_id)
                form = ExportApprovalRequestForm(initial={"export": gate.name, "query": query})
                return _refused(request, gate, form=form)
            try:
                with transaction.atomic():
                    export_request = services.claim_download(
                        actor=request.user,
                        gate=gate,
                        request_id=approval,
                        query=query,
                        facility_id=facility_id,
                    )
                    response = view(request, *args, **kwargs)
                    if response.status_code != 200:
                        transaction.set_rollback(True)  # nothing was exported: the approval stays unused
                        return response
                    response.content = add_watermark(
                        response.content, _watermark(request.user, export_request)
                    )
            except DomainError as exc:
                record_denial(actor=request.user, action="export.approval_invalid", facility_id=facility_id)
                return _refused(request, gate, message=exc.message)
            return response

        gated.approval_gate = gate.name
        return gated

    return decorate


def _watermark(user, export_request) -> str:
    name = f"{user} ({user.get_username()})"
    return domain.watermark_text(
        requester=name, at=timezone.localtime(export_request.downloaded_at), number=export_request.pk
    )


def _refused(request, gate, *, form=None, message=""):
    context = {"gate": gate, "form": form, "message": message}
    return render(request, "privacy/export_refused.html", context, status=403)
