from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import BaseModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import RegionOrFacilityQuerySet


class EpidemicPolicy(BaseModel):
    """A versioned set of epidemic-control settings from ``effective_from`` on.

    ``facility`` empty: a region-wide default. Empty settings inherit (see epidemic.domain).
    Rows are never edited: a change is a new row with a later date, so past days keep their rules.
    """

    facility = models.ForeignKey(
        "organisation.Facility",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facility"),
        help_text=_("Empty for the region-wide default."),
    )
    effective_from = models.DateField(_("effective from"))
    temperature_interval_minutes = models.PositiveSmallIntegerField(
        _("temperature round interval (minutes)"), null=True, blank=True
    )
    fever_threshold_c = models.DecimalField(
        _("fever threshold (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    ventilations_per_day = models.PositiveSmallIntegerField(_("ventilations per day"), null=True, blank=True)
    disinfections_per_day = models.PositiveSmallIntegerField(_("disinfections per day"), null=True, blank=True)
    pre_release_observation_days = models.PositiveSmallIntegerField(
        _("pre-release observation days"), null=True, blank=True
    )
    closed_management = models.BooleanField(_("closed management"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = RegionOrFacilityQuerySet.as_manager()
    view_action = roles.VIEW_ORGANISATION
    manage_action = roles.MANAGE_ORGANISATION

    class Meta:
        verbose_name = _("epidemic policy")
        verbose_name_plural = _("epidemic policies")
        ordering = ["-effective_from", "facility_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "effective_from"], name="policy_one_row_per_facility_and_date"
            ),
            models.UniqueConstraint(
                fields=["effective_from"], condition=Q(facility__isnull=True), name="policy_one_region_row_per_date"
            ),
            models.CheckConstraint(
                condition=Q(temperature_interval_minutes__isnull=True)
                | Q(temperature_interval_minutes__gte=15, temperature_interval_minutes__lte=1440),
                name="policy_interval_range",
            ),
            models.CheckConstraint(
                condition=Q(fever_threshold_c__isnull=True)
                | Q(fever_threshold_c__gte=36.5, fever_threshold_c__lte=39.0),
                name="policy_fever_threshold_range",
            ),
            models.CheckConstraint(
                condition=Q(ventilations_per_day__isnull=True) | Q(ventilations_per_day__lte=24),
                name="policy_ventilations_range",
            ),
            models.CheckConstraint(
                condition=Q(disinfections_per_day__isnull=True) | Q(disinfections_per_day__lte=24),
                name="policy_disinfections_range",
            ),
            models.CheckConstraint(
                condition=Q(pre_release_observation_days__isnull=True) | Q(pre_release_observation_days__lte=60),
                name="policy_observation_days_range",
            ),
        ]

    def __str__(self):
        scope = self.facility if self.facility_id else _("Region")
        return f"{scope} {self.effective_from:%Y-%m-%d}"
