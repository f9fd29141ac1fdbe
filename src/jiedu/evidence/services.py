"""Storing evidence files and opening them again. Other apps attach the returned rows to their records."""

from __future__ import annotations

import hashlib
import io
import secrets
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.evidence import domain
from jiedu.evidence.models import EvidenceFile
from jiedu.organisation.scoping import require

_NAME_LIMIT = 200


def evidence_path(evidence: EvidenceFile) -> Path:
    # Two-level fan-out keeps directories small; the stored name is random, never the user's.
    name = evidence.stored_name
    return Path(settings.EVIDENCE_ROOT) / name[:2] / name


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > settings.EVIDENCE_MAX_BYTES:
        raise DomainError(_("The file is larger than %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}, field="file")
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise DomainError(_("The file is larger than %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}, field="file")
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    return data


def _check_image(data: bytes) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise DomainError(_("The image is damaged or not an image."), field="file") from exc


def store_evidence(*, actor, facility, upload, caption: str = "", action: str) -> EvidenceFile:
    """Keep one uploaded file as evidence of ``facility``; ``action`` is the permission the caller's record needs.

    Accepts JPEG, PNG, PDF, XLSX and DOCX up to ``EVIDENCE_MAX_BYTES``; anything else is a field error on ``file``.
    """
    require(actor, action, facility)
    data = _read(upload)
    try:
        file_type = domain.detect(data)
    except domain.UnacceptedFile as exc:
        raise DomainError(_("Only JPEG or PNG images, PDF, XLSX or DOCX files are accepted."), field="file") from exc
    if file_type.kind == "image":
        _check_image(data)
    original = Path(getattr(upload, "name", "") or "file").name[-_NAME_LIMIT:] or "file"
    evidence = EvidenceFile(
        facility_id=getattr(facility, "pk", facility),
        stored_name=secrets.token_hex(16) + file_type.extension,
        original_name=original,
        kind=file_type.kind,
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption.strip()[:200],
        uploaded_by=actor,
    )
    # The file is written before the row: if the caller's transaction rolls back, the file is an
    # orphan under a random name that no row points to, removed by ``purge_orphan_evidence``.
    path = evidence_path(evidence)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    validated_save(evidence)
    audit.record(
        actor=actor, action="evidence.uploaded", facility_id=evidence.facility_id, target=evidence,
        changed_fields=["file"] + (["caption"] if evidence.caption else []),
    )  # fmt: skip
    return evidence
