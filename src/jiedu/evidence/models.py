"""Evidence files (photos, screenshots, scanned ledgers, PDFs) attached to supervision records.

Files live under ``settings.EVIDENCE_ROOT`` (outside static and media URLs) under random names;
the original name is kept for download only. A file belongs to one facility, and is served only
through a view that finds it with ``get_visible_or_404``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class EvidenceFile(FacilityScopedModel):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF document")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")
        DOCUMENT = "document", _("Word document")

    stored_name = models.CharField(_("stored name"), max_length=64, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.VIEW_SUPERVISION  # whoever records evidence for a record may upload

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["image", "pdf", "spreadsheet", "document"]), name="evidence_kind"
            ),
        ]

    def __str__(self):
        return self.original_name
