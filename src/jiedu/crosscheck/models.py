from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedu.crosscheck import domain
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class CrossCheckRun(FacilityScopedModel):
    """A saved comparison of one day's DingTalk check-ins with the health-code list; never edited."""

    day = models.DateField(_("date"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    dingtalk_file_name = models.CharField(_("DingTalk file"), max_length=200)
    dingtalk_sha256 = models.CharField(_("DingTalk file SHA-256"), max_length=64)
    healthcode_file_name = models.CharField(_("health-code file"), max_length=200)
    healthcode_sha256 = models.CharField(_("health-code file SHA-256"), max_length=64)
    dingtalk_rows = models.PositiveIntegerField(_("DingTalk rows"))
    healthcode_rows = models.PositiveIntegerField(_("health-code rows"))
    findings_count = models.PositiveIntegerField(_("findings"))

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("cross-check run")
        verbose_name_plural = _("cross-check runs")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "day", "dingtalk_sha256", "healthcode_sha256"],
                name="crosscheck_run_files_once_per_day",
            ),
            models.CheckConstraint(
                condition=~Q(dingtalk_sha256="") & ~Q(healthcode_sha256=""),
                name="crosscheck_run_hashes_given",
            ),
        ]

    def __str__(self):
        return f"{self.facility} {self.day:%Y-%m-%d}"


class CrossCheckFinding(FacilityScopedModel):
    """One discrepancy of a run; the detail names the person and places, never a phone number."""

    class Kind(models.TextChoices):
        UNMATCHED_DINGTALK = domain.UNMATCHED_DINGTALK, _("DingTalk row without staff member")
        UNMATCHED_HEALTHCODE = domain.UNMATCHED_HEALTHCODE, _("Health-code row without staff member")
        MISSING_IN_DINGTALK = domain.MISSING_IN_DINGTALK, _("Not checked in on DingTalk")
        MISSING_IN_HEALTHCODE = domain.MISSING_IN_HEALTHCODE, _("Not on the health-code list")
        LOCATION_MISMATCH = domain.LOCATION_MISMATCH, _("Check-in place differs from health-code location")
        CODE_NOT_GREEN = domain.CODE_NOT_GREEN, _("Health code not green")

    run = models.ForeignKey(
        CrossCheckRun, on_delete=models.PROTECT, related_name="findings", verbose_name=_("run")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    staff = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("staff member"),
    )  # fmt: skip
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300)

    view_action = roles.VIEW_STAFF_HEALTH
    manage_action = roles.MANAGE_STAFF_HEALTH

    class Meta:
        verbose_name = _("cross-check finding")
        verbose_name_plural = _("cross-check findings")
        ordering = ["run", "kind", "row", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=list(domain.KINDS)), name="crosscheck_finding_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.detail}"
