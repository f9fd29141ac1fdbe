"""What an evidence file is, decided from its first bytes, never from its name or the browser's word."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

# Accepted containers: JPEG and PNG photos or screenshots, PDF scans, and Office files (zip).
_SIGNATURES = (
    (b"\xff\xd8\xff", "image", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image", "image/png", ".png"),
    (b"%PDF-", "pdf", "application/pdf", ".pdf"),
)
_OFFICE = {
    "xl/": ("spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "word/": ("document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
}
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an Office file that unpacks beyond this is refused (zip bomb)


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str


class UnacceptedFile(ValueError):
    """The bytes are not one of the accepted types (or an Office file is malformed or oversized)."""


def detect(head_and_body: bytes) -> FileType:
    for magic, kind, content_type, extension in _SIGNATURES:
        if head_and_body.startswith(magic):
            return FileType(kind, content_type, extension)
    if head_and_body.startswith(b"PK\x03\x04"):
        return _office(head_and_body)
    raise UnacceptedFile("type")


def _office(data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnacceptedFile("corrupt") from exc
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise UnacceptedFile("unpacked")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names:
        for prefix, (kind, content_type, extension) in _OFFICE.items():
            if any(name.startswith(prefix) for name in names):
                return FileType(kind, content_type, extension)
    raise UnacceptedFile("type")


def is_orphan(name: str, *, known: set[str] | frozenset[str], age_seconds: float, min_age_seconds: float) -> bool:
    """A stored file no row names, old enough that no upload can still be committing it."""
    return name not in known and age_seconds >= min_age_seconds
