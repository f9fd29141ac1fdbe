"""The catalogue of standardisation standards (14个方面100项规范化建设标准), versioned.

A catalogue version is drafted, then published; a published version never changes. A new version
copies the rows of an old one, so inspection results, self-assessments and findings recorded
against an old version keep pointing at the exact text and points they were judged by.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common.models import BaseModel, VersionedModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel, RegionWideQuerySet


class CatalogueVersion(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", pgettext_lazy("catalogue version", "Retired")

    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = RegionWideQuerySet.as_manager()
    view_action = roles.VIEW_STANDARDS
    manage_action = roles.MANAGE_STANDARDS

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["name", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="catalogue_version_unique"),
            models.CheckConstraint(condition=Q(status__in=["draft", "published", "retired"]), name="catalogue_status"),
            # Published (or retired after publishing) versions say when and by whom.
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(published_at__isnull=False) & Q(effective_from__isnull=False)),
                name="catalogue_published_dated",
            ),
            models.CheckConstraint(condition=~Q(name="") & ~Q(version=""), name="catalogue_named"),
        ]

    def __str__(self):
        return f"{self.name}（{self.version}）"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Area(VersionedModel, BaseModel):
    """One of the 14 areas (基本模式, 教育矫正 …)."""

    catalogue = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="areas", verbose_name=_("catalogue version")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("area name"), max_length=40)
    position = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "position"), default=0)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Not named in the source report; written for the demo.")
    )

    objects = RegionWideQuerySet.as_manager()
    view_action = roles.VIEW_STANDARDS
    manage_action = roles.MANAGE_STANDARDS

    class Meta:
        verbose_name = _("standards area")
        verbose_name_plural = _("standards areas")
        ordering = ["catalogue", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="area_code_unique"),
            models.UniqueConstraint(fields=["catalogue", "name"], name="area_name_unique"),
            models.CheckConstraint(condition=~Q(code="") & ~Q(name=""), name="area_named"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Standard(VersionedModel, BaseModel):
    catalogue = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="standards", verbose_name=_("catalogue version")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="standards", verbose_name=pgettext_lazy("standards", "area"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    requirement = models.TextField(_("requirement"))
    check_method = models.TextField(_("how it is checked"))
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1)
    scoring_rule = models.TextField(_("scoring rule"))
    expected_evidence = models.TextField(_("expected evidence"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "position"), default=0)

    objects = RegionWideQuerySet.as_manager()
    view_action = roles.VIEW_STANDARDS
    manage_action = roles.MANAGE_STANDARDS

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["catalogue", "area__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="standard_code_unique"),
            models.CheckConstraint(
                condition=Q(max_points__gt=Decimal("0")) & Q(max_points__lte=Decimal("100")),
                name="standard_points_range",
            ),
            models.CheckConstraint(condition=~Q(code="") & ~Q(title=""), name="standard_named"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class SelfAssessment(FacilityScopedModel):
    """A facility's self-assessment against one catalogue version (自查自评)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    catalogue = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("catalogue version")
    )
    period = models.CharField(_("period"), max_length=40, help_text=_("For example 2022年上半年."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )  # fmt: skip

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.SELF_ASSESS

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["facility", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "catalogue", "period"], name="self_assessment_unique"),
            models.CheckConstraint(condition=Q(status__in=["draft", "submitted"]), name="self_assessment_status"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="self_assessment_submitted_stamped",
            ),
        ]

    def __str__(self):
        return f"{self.facility} · {self.period}"


class SelfAssessmentItem(FacilityScopedModel):
    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("self-assessment")
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+", verbose_name=_("standard"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    note = models.TextField(_("note"), blank=True)

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.SELF_ASSESS

    class Meta:
        verbose_name = _("self-assessment item")
        verbose_name_plural = _("self-assessment items")
        ordering = ["assessment", "standard__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="self_assessment_item_unique"),
            models.CheckConstraint(condition=Q(points__gte=Decimal("0")), name="self_assessment_points_positive"),
        ]
