"""Supervision campaigns, the bureau's inspection teams and their inspections of facilities.

规范化管理制度落实年: 3 on-site teams and 1 video team, each led by a member of the bureau's
leadership, inspect the facilities by 现场检查、查阅台账、视频巡查、个别谈话 and score them against
the catalogue. A self-inspection campaign (自查自纠, e.g. against the 十一个严禁) has no team:
the facility inspects itself and records its own findings.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common.models import BaseModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel, RegionWideQuerySet


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user, action: str | None = None):
        """A facility's own campaigns and those that include one of its facilities (the bureau sees all)."""
        from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope

        scope = facility_scope(user, action or roles.VIEW_SUPERVISION)
        if scope is ALL_FACILITIES:
            return self
        if not scope:
            return self.none()
        in_scope = Campaign.facilities.through.objects.filter(facility_id__in=scope)
        return self.filter(Q(facility_id__in=scope) | Q(pk__in=in_scope.values("campaign_id")))


class Campaign(BaseModel):
    """A campaign of the bureau over the facilities in scope, or (``facility`` set) a facility's own
    self-inspection; ``facilities`` always lists the facilities in scope, so scoping reads one table."""

    class Kind(models.TextChoices):
        STANDARDISATION = "standardisation", _("Standardisation supervision")
        SELF_INSPECTION = "self_inspection", _("Self-inspection")
        SPECIAL = "special", _("Special inspection")

    facility = models.ForeignKey(
        "organisation.Facility", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("facility"),
        help_text=_("The facility running its own self-inspection; empty for the bureau's."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    catalogue = models.ForeignKey(
        "standards.CatalogueVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("catalogue version"), help_text=_("The standards inspections of this campaign score against."),
    )  # fmt: skip
    basis = models.CharField(
        _("basis"), max_length=200, blank=True, help_text=_("For example the 十一个严禁 a self-inspection checks against.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    facilities = models.ManyToManyField("organisation.Facility", related_name="+", verbose_name=_("facilities in scope"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = CampaignQuerySet.as_manager()
    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.MANAGE_SUPERVISION

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_period"),
            models.CheckConstraint(
                condition=Q(kind__in=["standardisation", "self_inspection", "special"]), name="campaign_kind"
            ),
            # Standardisation supervision scores against a catalogue version.
            models.CheckConstraint(
                condition=~Q(kind="standardisation") | Q(catalogue__isnull=False), name="campaign_catalogue_given"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="campaign_named"),
            # A facility runs only its own self-inspection; supervision is the bureau's.
            models.CheckConstraint(
                condition=Q(facility__isnull=True) | Q(kind="self_inspection"), name="campaign_own_is_self_inspection"
            ),
        ]

    def __str__(self):
        return self.name


class Team(BaseModel):
    """督导组: on-site or video, led by a member of the bureau's leadership."""

    class Kind(models.TextChoices):
        ON_SITE = "on_site", _("On-site")
        VIDEO = "video", _("Video monitoring")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="teams", verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("team leader")
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members"))

    objects = RegionWideQuerySet.as_manager()
    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.MANAGE_SUPERVISION

    class Meta:
        verbose_name = _("supervision team")
        verbose_name_plural = _("supervision teams")
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="team_name_unique"),
            models.CheckConstraint(condition=Q(kind__in=["on_site", "video"]), name="team_kind"),
            models.CheckConstraint(condition=~Q(name=""), name="team_named"),
        ]

    def __str__(self):
        return self.name


class Inspection(FacilityScopedModel):
    """One visit (or one video session series) of a team to a facility, or a facility's self-inspection."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("campaign")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="inspections",
        verbose_name=_("team"), help_text=_("Empty for a facility's self-inspection."),
    )  # fmt: skip
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # 现场检查、查阅台账、视频巡查、个别谈话: which methods the inspection used.
    by_site_check = models.BooleanField(_("on-site check"), default=False)
    by_ledger_review = models.BooleanField(_("ledger review"), default=False)
    by_video_patrol = models.BooleanField(_("video patrol"), default=False)
    by_talks = models.BooleanField(_("individual talks"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(_("summary"), blank=True)
    evidence = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("evidence")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("completed by"),
    )  # fmt: skip

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.MANAGE_SUPERVISION

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="inspection_period"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "completed"]), name="inspection_status"
            ),
            models.CheckConstraint(
                condition=Q(by_site_check=True) | Q(by_ledger_review=True) | Q(by_video_patrol=True) | Q(by_talks=True),
                name="inspection_has_method",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False, completed_by__isnull=False),
                name="inspection_completion_stamped",
            ),
            models.UniqueConstraint(fields=["campaign", "facility", "team", "starts_on"], name="inspection_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.facility} · {self.starts_on:%Y-%m-%d}"

    @property
    def is_self_inspection(self) -> bool:
        return self.team_id is None


class InspectionResult(FacilityScopedModel):
    """The points a facility earned on one standard in one inspection."""

    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="results", verbose_name=_("inspection")
    )
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, related_name="+", verbose_name=_("standard")
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    points = models.DecimalField(
        _("points awarded"), max_digits=5, decimal_places=1, null=True, blank=True,
        help_text=_("Empty when the standard does not apply."),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.MANAGE_SUPERVISION

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["inspection", "standard__code"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "standard"], name="inspection_result_unique"),
            models.CheckConstraint(
                condition=Q(verdict__in=["met", "partly", "not_met", "not_applicable"]), name="inspection_verdict"
            ),
            # Points are given exactly when the standard applies.
            models.CheckConstraint(
                condition=(Q(verdict="not_applicable") & Q(points__isnull=True))
                | (~Q(verdict="not_applicable") & Q(points__isnull=False, points__gte=Decimal("0"))),
                name="inspection_result_points",
            ),
        ]

    def __str__(self):
        return f"{self.inspection} · {self.standard}"


class VideoSession(FacilityScopedModel):
    """视频巡查: which cameras or areas were watched, from when to when, what was seen; signed off."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="video_sessions", verbose_name=_("inspection")
    )
    areas_watched = models.TextField(_("areas watched"))
    cameras = models.TextField(_("cameras"), blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    observations = models.TextField(_("observations"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("supervision", "inspector")
    )
    screenshots = models.ManyToManyField(
        "evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("screenshots")
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.MANAGE_SUPERVISION

    class Meta:
        verbose_name = _("video inspection session")
        verbose_name_plural = _("video inspection sessions")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gt=F("started_at")), name="video_session_period"),
            models.CheckConstraint(condition=~Q(areas_watched=""), name="video_session_areas_given"),
        ]

    def __str__(self):
        return f"{self.inspection} · {self.started_at:%Y-%m-%d %H:%M}"
