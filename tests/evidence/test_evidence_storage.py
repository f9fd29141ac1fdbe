"""Storing evidence: the type comes from the bytes, limits hold, names are random, files stay out of static."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook

from factories_evidence import PDF_BYTES, jpeg_bytes, png_bytes
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.services import evidence_path, store_evidence, store_evidence_files
from jiedu.organisation import roles
from jiedu.organisation.roles import Role


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


def _store(actor, facility, name, data, **kwargs):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return store_evidence(actor=actor, facility=facility, upload=upload, action=roles.VIEW_SUPERVISION, **kwargs)


def _office_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "docx":
        document = Document()
        document.add_paragraph("整改报告")
        document.save(buffer)
    else:
        book = Workbook()
        book.active.append(["台账"])
        book.save(buffer)
    return buffer.getvalue()


def test_a_pdf_named_jpg_is_stored_as_a_pdf(officer, facility_a):
    stored = _store(officer, facility_a, "现场照片.jpg", PDF_BYTES)

    assert (stored.kind, stored.content_type) == ("pdf", "application/pdf")
    assert stored.stored_name.endswith(".pdf") and stored.original_name == "现场照片.jpg"
    assert evidence_path(stored).read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
        ("photo.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("notes.png", b"just some text"),
    ],
)
def test_executables_and_html_are_refused_whatever_their_name(officer, facility_a, name, data):
    with pytest.raises(DomainError) as caught:
        _store(officer, facility_a, name, data)

    assert caught.value.field == "file"
    assert not EvidenceFile.objects.exists()
    root = Path(settings.EVIDENCE_ROOT)
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_a_damaged_png_is_refused(officer, facility_a):
    damaged = png_bytes()[:20] + b"\x00" * 40

    with pytest.raises(DomainError) as caught:
        _store(officer, facility_a, "截图.png", damaged)

    assert caught.value.field == "file" and not EvidenceFile.objects.exists()


def test_a_zip_that_is_not_an_office_file_is_refused(officer, facility_a):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是办公文档")

    with pytest.raises(DomainError):
        _store(officer, facility_a, "台账.xlsx", buffer.getvalue())


@pytest.mark.parametrize(("kind", "expected"), [("docx", "document"), ("xlsx", "spreadsheet")])
def test_office_files_and_photos_are_accepted(officer, facility_a, kind, expected):
    assert _store(officer, facility_a, f"材料.{kind}", _office_bytes(kind)).kind == expected
    assert _store(officer, facility_a, "a.jpeg", jpeg_bytes()).content_type == "image/jpeg"


def test_the_size_limit_holds(officer, facility_a, settings):
    settings.EVIDENCE_MAX_BYTES = 1024

    with pytest.raises(DomainError) as caught:
        _store(officer, facility_a, "big.pdf", PDF_BYTES + b"0" * 2048)

    assert caught.value.field == "file" and not EvidenceFile.objects.exists()


def test_an_empty_file_is_refused(officer, facility_a):
    with pytest.raises(DomainError):
        _store(officer, facility_a, "empty.pdf", b"")


def test_stored_names_are_random_and_say_nothing_of_the_original(officer, facility_a):
    first = _store(officer, facility_a, "张三谈话记录.png", png_bytes())
    second = _store(officer, facility_a, "张三谈话记录.png", png_bytes())

    assert first.stored_name != second.stored_name
    for stored in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}\.png", stored.stored_name)
        assert evidence_path(stored).parent.name == stored.stored_name[:2]
    assert first.sha256 == second.sha256


def test_files_are_kept_outside_static_and_media(officer, facility_a):
    import jiedu.settings as configured

    stored = _store(officer, facility_a, "a.png", png_bytes())
    path = evidence_path(stored).resolve()
    default_root = Path(configured.EVIDENCE_ROOT).resolve()

    assert path.is_relative_to(Path(settings.EVIDENCE_ROOT).resolve())
    static_places = [Path(p).resolve() for p in getattr(configured, "STATICFILES_DIRS", [])]
    static_places += [Path(p) for p in (configured.STATIC_ROOT, getattr(configured, "MEDIA_ROOT", "")) if p]
    static_places.append(Path(configured.__file__).parent / "static")
    for place in static_places:
        assert not path.is_relative_to(Path(place).resolve())
        assert not default_root.is_relative_to(Path(place).resolve())


def test_uploading_needs_the_permission_on_that_facility(officer, facility_b):
    with pytest.raises(AccessDenied):
        _store(officer, facility_b, "a.png", png_bytes())


def test_an_upload_is_audited_without_its_content(officer, facility_a):
    stored = _store(officer, facility_a, "a.png", png_bytes(), caption="宿舍")

    event = AuditEvent.objects.get(action="evidence.uploaded")
    assert event.target_id == str(stored.pk) and event.changed_fields == ["caption", "file"]


def test_several_files_are_stored_all_or_none_and_the_bad_one_is_named(officer, facility_a):
    uploads = [SimpleUploadedFile("好.png", png_bytes()), SimpleUploadedFile("坏.exe", b"MZ\x00\x00")]

    with pytest.raises(DomainError) as caught:
        store_evidence_files(actor=officer, facility=facility_a, uploads=uploads, action=roles.VIEW_SUPERVISION)

    assert caught.value.field == "files" and "坏.exe" in caught.value.message
    assert not EvidenceFile.objects.exists()
