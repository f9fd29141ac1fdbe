"""Findings (问题隐患) and their rectification (整改), and the measures (整改措施) taken against them.

open → rectifying → submitted (with rectification evidence) → verified (by someone other than
the responsible person and the submitter) → closed. A failed verification sends the finding back
to rectifying; a finding recorded in error is withdrawn with a reason and counts nowhere.
The rules are pure functions in ``findings.domain``; the database repeats the ones it can hold.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common.models import VersionedModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class Finding(VersionedModel, FacilityScopedModel):
    class Origin(models.TextChoices):
        INSPECTION = "inspection", _("Found by an inspection")
        SELF_IDENTIFIED = "self_identified", _("Self-identified")

    class Oversight(models.TextChoices):
        INTERNAL = "internal", _("Internal supervision")
        EXTERNAL = "external", _("External oversight")

    class Method(models.TextChoices):
        SITE_CHECK = "site_check", _("On-site check")
        LEDGER_REVIEW = "ledger_review", _("Ledger review")
        VIDEO_PATROL = "video_patrol", _("Video patrol")
        TALK = "talk", _("Individual talk")

    class Severity(models.TextChoices):
        GENERAL = "general", _("General")
        SERIOUS = "serious", _("Serious")
        MAJOR = "major", _("Major hazard")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("finding status", "Open")
        RECTIFYING = "rectifying", _("Being rectified")
        SUBMITTED = "submitted", _("Rectification submitted")
        VERIFIED = "verified", _("Verified")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey(
        "supervision.Campaign", on_delete=models.PROTECT, null=True, blank=True, related_name="findings",
        verbose_name=_("campaign"),
    )  # fmt: skip
    inspection = models.ForeignKey(
        "supervision.Inspection", on_delete=models.PROTECT, null=True, blank=True, related_name="findings",
        verbose_name=_("inspection"),
    )  # fmt: skip
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    oversight = models.CharField(_("oversight"), max_length=10, choices=Oversight.choices, default=Oversight.INTERNAL)
    method = models.CharField(_("found by"), max_length=16, choices=Method.choices, blank=True)
    standard = models.ForeignKey(
        "standards.Standard", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("standard"),
    )  # fmt: skip
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    responsible_staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible person")
    )
    # The responsible person's login at assignment, so the database can refuse self-verification.
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("responsible person's login"),
    )  # fmt: skip
    found_on = models.DateField(_("found on"))
    deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("evidence"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    submitted_at = models.DateTimeField(_("rectification submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )  # fmt: skip
    rectified_on = models.DateField(
        _("rectified on"), null=True, blank=True, help_text=_("The day the accepted rectification was submitted.")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"),
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.RECORD_FINDING

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = pgettext_lazy("rectification", "findings")
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["facility", "status", "deadline"], name="finding_facility_status"),
            models.Index(fields=["campaign", "facility"], name="finding_campaign"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "rectifying", "submitted", "verified", "closed", "withdrawn"]),
                name="finding_status",
            ),
            models.CheckConstraint(condition=Q(origin__in=["inspection", "self_identified"]), name="finding_origin"),
            models.CheckConstraint(condition=Q(severity__in=["general", "serious", "major"]), name="finding_severity"),
            models.CheckConstraint(condition=Q(deadline__gte=F("found_on")), name="finding_deadline_after_found"),
            models.CheckConstraint(condition=~Q(title=""), name="finding_titled"),
            models.CheckConstraint(
                condition=~Q(origin="inspection") | Q(inspection__isnull=False), name="finding_inspection_given"
            ),
            # Submitted or beyond: who submitted and when is known.
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "verified", "closed"])
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="finding_submission_stamped",
            ),
            # Verified or closed: who verified, when, and the rectification date.
            models.CheckConstraint(
                condition=~Q(status__in=["verified", "closed"])
                | Q(verified_at__isnull=False, verified_by__isnull=False, rectified_on__isnull=False),
                name="finding_verification_stamped",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="finding_closure_stamped"
            ),
            # Independent verification: never the responsible person, never the submitter.
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True)
                | Q(responsible_user__isnull=True)
                | ~Q(verified_by=F("responsible_user")),
                name="finding_verifier_not_responsible",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=F("submitted_by")),
                name="finding_verifier_not_submitter",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""), name="finding_withdrawal_explained"
            ),
        ]

    def __str__(self):
        return self.title


class FindingEvent(FacilityScopedModel):
    """One step in a finding's life, with who, when, what was said and the evidence given. Append-only."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        STARTED = "started", _("Rectification started")
        SUBMITTED = "submitted", _("Rectification submitted")
        VERIFIED = "verified", _("Verification passed")
        REJECTED = "rejected", _("Verification failed")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        EXTENDED = "extended", _("Deadline extended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="events", verbose_name=_("finding"))
    kind = models.CharField(_("step"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    evidence = models.ManyToManyField("evidence.EvidenceFile", blank=True, related_name="+", verbose_name=_("evidence"))
    deadline_before = models.DateField(_("deadline before"), null=True, blank=True)
    deadline_after = models.DateField(_("deadline after"), null=True, blank=True)

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.RECORD_FINDING

    class Meta:
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")
        ordering = ["finding", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "recorded", "started", "submitted", "verified", "rejected", "closed", "reopened",
                        "extended", "withdrawn",
                    ]
                ),
                name="finding_event_kind",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(kind="extended") | Q(deadline_after__gt=F("deadline_before")),
                name="finding_event_extension_later",
            ),
        ]

    def __str__(self):
        return f"{self.finding} · {self.get_kind_display()}"


class RectificationMeasure(FacilityScopedModel):
    """整改措施: one measure a facility adopts against one or more findings (e.g. 15 measures for 20 problems)."""

    campaign = models.ForeignKey(
        "supervision.Campaign", on_delete=models.PROTECT, null=True, blank=True, related_name="measures",
        verbose_name=_("campaign"),
    )  # fmt: skip
    title = models.CharField(_("measure"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    responsible_department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    findings = models.ManyToManyField(Finding, related_name="measures", verbose_name=_("findings addressed"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.RECORD_FINDING

    class Meta:
        verbose_name = _("rectification measure")
        verbose_name_plural = _("rectification measures")
        ordering = ["facility", "due_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="measure_titled")]

    def __str__(self):
        return self.title
