"""Storing evidence files and opening them again. Other apps attach the returned rows to their records."""

from __future__ import annotations

import datetime
import hashlib
import io
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.evidence import domain
from jiedu.evidence.models import EvidenceFile
from jiedu.organisation.scoping import require

_NAME_LIMIT = 200
ORPHAN_MIN_AGE = datetime.timedelta(hours=1)
_LOOKUP_BATCH = 500


def stored_path(root: Path, stored_name: str) -> Path:
    # Two-level fan-out keeps directories small; the stored name is random, never the user's.
    return Path(root) / stored_name[:2] / stored_name


def evidence_path(evidence: EvidenceFile) -> Path:
    return stored_path(settings.EVIDENCE_ROOT, evidence.stored_name)


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


@transaction.atomic
def store_evidence_files(
    *, actor, facility, uploads: Iterable, caption: str = "", action: str, field: str = "files"
) -> list[EvidenceFile]:
    """Several uploads at once (a form's ``EvidenceFilesField``): all of them, or none.

    A refused file is a DomainError on ``field`` naming the file, so the user knows which one.
    """
    stored = []
    for upload in uploads:
        try:
            stored.append(
                store_evidence(actor=actor, facility=facility, upload=upload, caption=caption, action=action)
            )
        except DomainError as exc:
            name = Path(getattr(upload, "name", "") or "").name
            message = _("%(name)s: %(problem)s") % {"name": name, "problem": exc.message} if name else exc.message
            raise DomainError(message, field=field) from exc
    return stored


class EvidenceMissing(FileNotFoundError):
    """The row exists but its file is gone from EVIDENCE_ROOT (restored from a backup without files?)."""


def open_evidence(*, actor, evidence: EvidenceFile):
    """The stored file, opened for reading, for someone who may see it; the download is audited."""
    require(actor, EvidenceFile.view_action, evidence.facility_id)
    try:
        handle = evidence_path(evidence).open("rb")
    except FileNotFoundError as exc:
        raise EvidenceMissing(evidence.stored_name) from exc
    audit.record(
        actor=actor, action="evidence.downloaded", facility_id=evidence.facility_id, target=evidence, changed_fields=[]
    )
    return handle


def purge_orphan_files(
    *, dry_run: bool = False, min_age: datetime.timedelta = ORPHAN_MIN_AGE, now: datetime.datetime | None = None
) -> list[Path]:
    """Delete files under EVIDENCE_ROOT that no row names and that are older than ``min_age``.

    Orphans come from uploads whose transaction rolled back (the file is written before its row).
    The age keeps files of uploads still committing. ``dry_run`` lists them and deletes nothing.
    """
    root = Path(settings.EVIDENCE_ROOT)
    if not root.is_dir():
        return []
    files = sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())
    known: set[str] = set()
    names = [path.name for path in files]
    for start in range(0, len(names), _LOOKUP_BATCH):
        batch = names[start : start + _LOOKUP_BATCH]
        known.update(EvidenceFile.objects.filter(stored_name__in=batch).values_list("stored_name", flat=True))
    moment = (now or timezone.now()).timestamp()
    orphans = [
        path
        for path in files
        if domain.is_orphan(
            path.name, known=known, age_seconds=moment - path.stat().st_mtime, min_age_seconds=min_age.total_seconds()
        )
    ]
    if not dry_run:
        for path in orphans:
            path.unlink(missing_ok=True)
    return orphans
