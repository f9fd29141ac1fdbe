"""The one way an evidence file leaves the server: as an attachment, for someone who may see it."""

from urllib.parse import quote

from django.http import FileResponse, Http404

from jiedu.evidence import services
from jiedu.evidence.models import EvidenceFile


def attachment_response(*, actor, evidence: EvidenceFile) -> FileResponse:
    """The file under its original name (RFC 5987), never rendered inline, sniffed or cached.

    ``evidence`` must come from ``get_visible_or_404``; the download is audited by the service.
    """
    try:
        handle = services.open_evidence(actor=actor, evidence=evidence)
    except services.EvidenceMissing as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=evidence.content_type)
    # An ASCII fallback for old clients, the real (often Chinese) name for everybody else.
    fallback = f"evidence-{evidence.pk}{services.evidence_path(evidence).suffix}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
