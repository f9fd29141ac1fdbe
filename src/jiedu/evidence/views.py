"""Downloading an evidence file. Other apps list a record's files with the include
``evidence/includes/file_list.html`` and upload with ``evidence.forms.EvidenceUploadMixin``."""

from jiedu.common.pages import scoped
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.responses import attachment_response
from jiedu.organisation.scoping import get_visible_or_404


@scoped(EvidenceFile)
def download(request, pk):
    evidence = get_visible_or_404(EvidenceFile, request.user, pk=pk)
    return attachment_response(actor=request.user, evidence=evidence)
