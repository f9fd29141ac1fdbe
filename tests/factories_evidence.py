"""Factories for evidence files: the row and its file under EVIDENCE_ROOT (a temporary folder in tests)."""

import hashlib
import io
import secrets

import factory
from factory.django import DjangoModelFactory
from PIL import Image

from factories import FacilityFactory, UserFactory
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.services import evidence_path


def png_bytes(size=(4, 3), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class EvidenceFileFactory(DjangoModelFactory):
    """A small PNG screenshot stored like an upload; ``content=`` gives other bytes."""

    class Meta:
        model = EvidenceFile

    content = factory.LazyFunction(png_bytes)  # the file's bytes; not a column
    facility = factory.SubFactory(FacilityFactory)
    stored_name = factory.LazyFunction(lambda: secrets.token_hex(16) + ".png")
    original_name = factory.Sequence(lambda n: f"现场照片{n}.png")
    kind = EvidenceFile.Kind.IMAGE
    content_type = "image/png"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    uploaded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, content=b"", **kwargs):
        evidence = super()._create(model_class, *args, **kwargs)
        path = evidence_path(evidence)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return evidence

    @classmethod
    def _build(cls, model_class, *args, content=b"", **kwargs):
        return super()._build(model_class, *args, **kwargs)
