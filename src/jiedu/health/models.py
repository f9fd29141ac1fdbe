from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class TemperatureReading(FacilityScopedModel):
    """One temperature taken from one resident. Append-only: a correction is a new row that
    points at the reading it corrects (``corrects``); the old row stays as it was entered."""

    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="temperature_readings",
        verbose_name=_("resident"),
    )
    measured_at = models.DateTimeField(_("measured at"))
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("measured by")
    )
    # Where the resident was when measured: rounds are counted per zone, and people move.
    zone = models.ForeignKey(
        "organisation.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("zone"),
    )  # fmt: skip
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by",
        verbose_name=_("corrects reading"),
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)

    view_action = roles.VIEW_RESIDENTS  # health data of residents: not for gate officers
    manage_action = roles.RECORD_TEMPERATURE

    class Meta:
        verbose_name = _("temperature reading")
        verbose_name_plural = _("temperature readings")
        ordering = ["-measured_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature_c__gte=34.0, temperature_c__lte=43.0),
                name="temperature_reading_range",
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "measured_at"], name="temperature_facility_time"),
            models.Index(fields=["resident", "measured_at"], name="temperature_resident_time"),
        ]

    def __str__(self):
        return f"{self.resident} {self.temperature_c}℃"


class FeverAlert(FacilityScopedModel):
    """A reading at or above the fever threshold, until it is settled: the resident is isolated
    (发热隔离区, 单人单间) or a normal re-check lets the medical officer dismiss it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("fever alert", "Open")
        ISOLATED = "isolated", _("Isolated")
        DISMISSED = "dismissed", _("Dismissed after re-check")

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="fever_alerts", verbose_name=_("resident")
    )
    reading = models.OneToOneField(
        TemperatureReading, on_delete=models.PROTECT, related_name="fever_alert", verbose_name=_("reading")
    )
    raised_at = models.DateTimeField(_("raised at"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    recheck_due_at = models.DateTimeField(_("re-check due at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("resolved by"),
    )  # fmt: skip
    dismissal_reason = models.CharField(_("dismissal reason"), max_length=200, blank=True)
    isolation_stay = models.OneToOneField(
        "isolation.IsolationStay", on_delete=models.PROTECT, null=True, blank=True, related_name="fever_alert",
        verbose_name=_("isolation stay"),
    )  # fmt: skip

    view_action = roles.VIEW_RESIDENTS  # health data of residents: not for gate officers
    manage_action = roles.MANAGE_ISOLATION

    class Meta:
        verbose_name = _("fever alert")
        verbose_name_plural = _("fever alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "isolated", "dismissed"]), name="fever_alert_status_valid"
            ),
            models.UniqueConstraint(
                fields=["resident"], condition=Q(status="open"), name="fever_alert_one_open_per_resident"
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(resolved_at__isnull=True) & Q(resolved_by__isnull=True))
                | (~Q(status="open") & Q(resolved_at__isnull=False) & Q(resolved_by__isnull=False)),
                name="fever_alert_resolved_iff_closed",
            ),
            models.CheckConstraint(
                condition=(Q(status="isolated") & Q(isolation_stay__isnull=False))
                | (~Q(status="isolated") & Q(isolation_stay__isnull=True)),
                name="fever_alert_stay_iff_isolated",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissal_reason=""),
                name="fever_alert_dismissal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(recheck_due_at__gt=F("raised_at")), name="fever_alert_recheck_after_raise"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("raised_at")),
                name="fever_alert_resolved_after_raise",
            ),
        ]
        indexes = [models.Index(fields=["facility", "status"], name="fever_alert_facility_status")]

    def __str__(self):
        return f"{self.resident} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
